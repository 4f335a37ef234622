from dataclasses import replace

import numpy as np
import pytest

from qpdm_lib import metrics
from qpdm_lib.qaql import agent as qa
from qpdm_lib.qaql import trajectories


def test_td_update_on_a_hand_computed_two_state_case():
    table = np.array([[0.0, 1.0], [2.0, 4.0]])
    qa.td_update(
        table,
        np.array([0]),
        np.array([1]),
        np.array([-3.0]),
        np.array([1]),
        np.array([0.0]),
        learning_rate=0.1,
        discount=0.99,
    )
    # δ = -3 + 0.99 * max(2, 4) - 1 = -0.04 ;  Q(0,1) = 1 + 0.1 * -0.04
    assert table[0, 1] == pytest.approx(0.996)
    qa.td_update(
        table,
        np.array([1]),
        np.array([0]),
        np.array([-1.0]),
        np.array([0]),
        np.array([1.0]),
        learning_rate=0.1,
        discount=0.99,
    )
    # terminal: δ = -1 - 2 = -3 ; Q(1,0) = 2 - 0.3
    assert table[1, 0] == pytest.approx(1.7)
    assert table[0, 0] == 0.0 and table[1, 1] == 4.0


def test_bin_centres():
    np.testing.assert_allclose(qa.bin_centres(4, 100.0), [12.5, 37.5, 62.5, 87.5])
    assert qa.bin_centres(16, 125.0)[1] - qa.bin_centres(16, 125.0)[0] == pytest.approx(125 / 16)


def test_epsilon_schedule():
    agent = qa.QAQLAgent(qa.AgentConfig(n_states=2), qa.make_selector("greedy", qa.AgentConfig()))
    assert agent.epsilon(0, 100) == 1.0
    assert agent.epsilon(40, 100) == pytest.approx(1.0 - 0.95 * 0.5)
    assert agent.epsilon(80, 100) == pytest.approx(0.05) and agent.epsilon(
        99, 100
    ) == pytest.approx(0.05)


@pytest.mark.parametrize("selector", ["greedy", "softmax", "fast", "fast-draw"])
def test_agent_learns_a_state_dependent_rul(selector):
    # two states whose RUL differs: the agent must tell them apart
    rng = np.random.default_rng(0)
    states = rng.integers(0, 2, 3000)
    rul = np.where(states == 0, 10.0, 100.0) + rng.normal(0, 2, 3000)
    done = np.zeros(3000)
    done[99::100] = 1
    config = qa.AgentConfig(n_states=2, episodes=3, num_reads=200)
    agent = qa.QAQLAgent(config, qa.make_selector(selector, config), seed=1).fit(states, rul, done)
    pred = agent.predict(np.array([0, 1]))
    centres = qa.bin_centres(config.n_bins, config.rul_cap)
    # the bin that holds the true RUL, exactly: a tolerance of a bin's width would hide a neighbour
    expected = centres[
        np.searchsorted(np.linspace(0, config.rul_cap, config.n_bins + 1), [10, 100]) - 1
    ]
    np.testing.assert_array_equal(pred, expected)


def test_lowest_of_many_reads_is_the_argmax():
    config = qa.AgentConfig(num_reads=1000)
    sel = qa.make_selector("fast", config)
    rng = np.random.default_rng(0)
    rows = -rng.uniform(0, 2000, (50, 16))
    chosen = [sel(row, rng.random(), rng) for row in rows]
    assert chosen == list(np.argmax(rows, axis=1)) and sel.chose_argmax == 50


def test_state_coder():
    windows = np.random.default_rng(0).normal(size=(200, 30, 5))
    coder = trajectories.StateCoder(8, seed=0).fit(windows)
    states = coder.transform(windows)
    assert states.min() >= 0 and states.max() < 8
    with pytest.raises(RuntimeError, match="fit on training windows"):
        trajectories.StateCoder(8).transform(windows)
    with pytest.raises(ValueError, match="unknown selector 'ucb'"):
        qa.make_selector("ucb", qa.AgentConfig())


def test_metrics_on_hand_computed_values():
    y, p = np.array([10.0, 20.0, 0.0]), np.array([13.0, 16.0, 1.0])
    m = metrics.regression_metrics(y, p)
    assert m["MSE"] == pytest.approx((9 + 16 + 1) / 3)
    assert m["RMSE"] == pytest.approx(np.sqrt(26 / 3))
    assert m["MAE"] == pytest.approx(8 / 3)
    assert m["MAPE"] == pytest.approx(100 * (0.3 + 0.2) / 2)  # y = 0 excluded
    assert m["RSE"] == pytest.approx(26 / 200)
    assert m["MBD"] == pytest.approx(0.0)
    assert m["NASA"] == pytest.approx((np.exp(0.3) - 1) + (np.exp(4 / 13) - 1) + (np.exp(0.1) - 1))
    with pytest.raises(ValueError, match="equal-length 1-D arrays"):
        metrics.regression_metrics([1.0], [1.0, 2.0])


def test_window_summaries_from_cumulative_sums_match_a_direct_computation():
    values = np.random.default_rng(0).normal(size=(50, 4))
    ends = np.array([29, 35, 49])
    windows = np.stack([values[e - 29 : e + 1] for e in ends])
    t = np.arange(30) - 14.5
    direct = {
        "last": windows[:, -1], "mean": windows.mean(axis=1),
        "trend": windows[:, -1] - windows[:, 0], "std": windows.std(axis=1),
        # OLS slope per cycle, feature by feature (numpy's polyfit as the reference)
        "slope": np.array([[np.polyfit(t, w[:, f], 1)[0] for f in range(4)] for w in windows]),
    }  # fmt: skip
    for kind, expected in direct.items():
        got = trajectories.window_summary(values, ends, 30, (kind,))
        np.testing.assert_allclose(got, expected, atol=1e-10, err_msg=kind)
    coder = trajectories.StateCoder(2, summaries=("mean", "slope"))
    np.testing.assert_allclose(
        coder.summary(windows), np.hstack([direct["mean"], direct["slope"]]), atol=1e-10
    )
    with pytest.raises(ValueError, match="summaries must be a non-empty subset"):
        trajectories.window_summary(values, ends, 30, ("median",))


def test_standardised_states_are_scale_free():
    # a feature measured in other units (x 1000) must not change the states when standardised
    rng = np.random.default_rng(1)
    windows = rng.normal(size=(300, 30, 3))
    scaled = windows * np.array([1.0, 1000.0, 1.0])
    a = trajectories.StateCoder(6, seed=0).fit(windows).transform(windows)
    b = trajectories.StateCoder(6, seed=0).fit(scaled).transform(scaled)
    assert (a == b).all()
    c = trajectories.StateCoder(6, standardize=False, seed=0).fit(scaled).transform(scaled)
    assert (a != c).any()


def test_the_floor_is_the_bin_nearest_each_states_mean():
    traj = trajectories.Trajectories(
        name="toy", cap=100.0, train_states=np.array([0, 0, 1, 1]),
        train_rul=np.array([10.0, 14.0, 80.0, 90.0]), train_done=np.array([0, 0, 0, 1.0]),
        train_group=np.zeros(4), test_states=np.array([0, 1]), test_rul=np.array([12.0, 85.0]),
        test_group=np.zeros(2),
    )  # fmt: skip
    floor = trajectories.best_bin_floor(traj, n_bins=4)  # centres 12.5, 37.5, 62.5, 87.5
    assert floor["bins"].tolist() == [0, 3]
    assert floor["per_window"]["RMSE"] == pytest.approx(np.sqrt((0.5**2 + 2.5**2) / 2))


def test_limit_groups_keeps_whole_groups():
    groups = np.repeat(np.arange(10), 20)
    keep = trajectories.limit_groups(groups, 50, seed=0)
    kept = np.unique(groups[keep])
    assert all(np.sum(keep & (groups == g)) == 20 for g in kept)
    assert 50 <= keep.sum() <= 80
    assert trajectories.limit_groups(groups, 0, seed=0).all()


def test_trajectories_and_evaluation_on_synthetic_data():
    from qpdm_lib.data import cmapss, devices, open_source

    traj = trajectories.cmapss_trajectories(
        cmapss.prepare(open_source("cmapss", "synthetic"), "FD001"),
        n_states=8,
        max_train_windows=800,
    )
    assert traj.train_done[-1] == 1 and traj.train_done.sum() == len(np.unique(traj.train_group))
    assert not set(traj.train_group) & set(traj.test_group)
    config = qa.AgentConfig(n_states=8, episodes=1, num_reads=50)
    result = qa.train_and_evaluate(traj, config, "fast", seed=0)
    assert set(result) >= {"per_window", "last_cycle", "prediction"} and len(
        result["prediction"]
    ) == len(traj.test_rul)
    fleet = trajectories.fleet_trajectories(
        devices.prepare(open_source("pm", "synthetic"), max_devices=80), n_states=8
    )
    assert fleet.cap == 90 and len(fleet.test_states) > 0 and fleet.train_states.max() < 8


def test_fleet_training_limit_counts_training_windows_only():
    from qpdm_lib.data import devices, open_source

    fleet = devices.prepare(open_source("pm", "synthetic"), max_devices=200, seed=0)
    everything = trajectories.fleet_trajectories(fleet, n_states=4)
    for seed in range(30):  # whichever groups the draw picks, the budget goes to training windows
        limited = trajectories.fleet_trajectories(
            fleet, n_states=4, max_train_windows=2000, seed=seed
        )
        assert 2000 <= len(limited.train_states) < len(everything.train_states)
        assert len(limited.test_states) == len(everything.test_states)


def _chain_config(**overrides):
    """A deterministic agent: no exploration, no replay (batch larger than the run), α = 1."""
    base = dict(n_states=3, n_bins=2, rul_cap=100.0, learning_rate=1.0, discount=0.99,
                epsilon_start=0.0, epsilon_end=0.0, episodes=6, batch_size=10**9, replay_size=16)  # fmt: skip
    return qa.AgentConfig(**{**base, **overrides})


def test_td_discount_propagates_along_a_three_state_chain():
    # one trajectory 0 -> 1 -> 2 (terminal); bins centred at 25 and 75; true RUL 80, 45, 20.
    # With α = 1 each visit sets Q(s, a) = r + γ max Q(s'), so after enough episodes the table is
    # the fixed point, computed here by hand:
    #   Q(2, ·) = r(2, ·)                      = [-25, -3025]
    #   Q(1, ·) = r(1, ·) + γ max Q(2, ·)      = [-400, -900] + 0.99 · (-25)
    #   Q(0, ·) = r(0, ·) + γ max Q(1, ·)      = [-3025, -25] + 0.99 · (-424.75)
    # The greedy agent keeps revisiting the best bin of each state, so those entries reach the
    # fixed point; a worse bin, tried once before its successor was known, keeps its first value.
    states, rul, done = np.array([0, 1, 2]), np.array([80.0, 45.0, 20.0]), np.array([0.0, 0.0, 1.0])
    config = _chain_config()
    agent = qa.QAQLAgent(config, qa.make_selector("greedy", config), seed=0).fit(states, rul, done)
    q2 = np.array([-25.0, -3025.0])
    q1 = np.array([-400.0, -900.0]) + 0.99 * q2.max()
    q0 = np.array([-3025.0, -25.0]) + 0.99 * q1.max()
    best = [(0, 1), (1, 0), (2, 0)]
    np.testing.assert_allclose([agent.table[s, a] for s, a in best], [q0[1], q1[0], q2[0]])
    assert agent.table[2, 1] == -3025.0  # terminal: no successor, the reward alone
    # without the TD term (γ = 0, the paper's "without temporal difference") Q is the reward
    plain = qa.QAQLAgent(config, qa.make_selector("greedy", config), seed=0)
    plain.fit(states, rul, done, use_td=False)
    np.testing.assert_allclose(plain.table, [[-3025.0, -25.0], [-400.0, -900.0], q2])


def test_decision_entropy_by_hand_and_the_matched_softmax_recovers_a_temperature():
    rows = -np.random.default_rng(3).uniform(0, 400, (12, 16))
    cfg = qa.AgentConfig()
    assert qa.decision_entropy(qa.make_selector("greedy", cfg), rows) == 0.0
    flat = qa.make_selector("softmax", replace(cfg, softmax_temperature=1e6))
    assert qa.decision_entropy(flat, rows) == pytest.approx(np.log(16), abs=1e-4)
    # two bins at equal value: entropy log 2 by hand
    tie = np.full((1, 16), -1000.0)
    tie[0, :2] = -1.0
    cold = qa.make_selector("softmax", replace(cfg, softmax_temperature=1e-4))
    assert qa.decision_entropy(cold, tie) == pytest.approx(np.log(2), abs=1e-6)
    target = qa.decision_entropy(
        qa.make_selector("softmax", replace(cfg, softmax_temperature=0.08)), rows
    )
    assert qa.matched_temperature(target, rows) == pytest.approx(0.08, rel=1e-3)
    assert qa.matched_temperature(0.0, rows) == 0.0
    with pytest.raises(ValueError, match="target entropy must lie in"):
        qa.matched_temperature(np.log(16), rows)
    with pytest.raises(ValueError, match="no closed-form decision for selector 'fast'"):
        qa.decision_entropy(qa.make_selector("fast", cfg), rows)
