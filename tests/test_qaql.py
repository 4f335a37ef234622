import numpy as np
import pytest

from qpdm_lib import metrics, qaql


def test_td_update_on_a_hand_computed_two_state_case():
    table = np.array([[0.0, 1.0], [2.0, 4.0]])
    qaql.td_update(
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
    qaql.td_update(
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
    np.testing.assert_allclose(qaql.bin_centres(4, 100.0), [12.5, 37.5, 62.5, 87.5])
    assert qaql.bin_centres(16, 125.0)[1] - qaql.bin_centres(16, 125.0)[0] == pytest.approx(
        125 / 16
    )


def test_epsilon_schedule():
    agent = qaql.QAQLAgent(
        qaql.AgentConfig(n_states=2), qaql.make_selector("greedy", qaql.AgentConfig())
    )
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
    config = qaql.AgentConfig(n_states=2, episodes=3, num_reads=200)
    agent = qaql.QAQLAgent(config, qaql.make_selector(selector, config), seed=1).fit(
        states, rul, done
    )
    pred = agent.predict(np.array([0, 1]))
    assert abs(pred[0] - 10) < 8 and abs(pred[1] - 100) < 8


def test_lowest_of_many_reads_is_the_argmax():
    config = qaql.AgentConfig(num_reads=1000)
    sel = qaql.make_selector("fast", config)
    rng = np.random.default_rng(0)
    rows = -rng.uniform(0, 2000, (50, 16))
    chosen = [sel(row, rng) for row in rows]
    assert chosen == list(np.argmax(rows, axis=1)) and sel.chose_argmax == 50


def test_state_coder():
    windows = np.random.default_rng(0).normal(size=(200, 30, 5))
    coder = qaql.StateCoder(8, seed=0).fit(windows)
    states = coder.transform(windows)
    assert states.min() >= 0 and states.max() < 8
    with pytest.raises(RuntimeError, match="fit on training windows"):
        qaql.StateCoder(8).transform(windows)
    with pytest.raises(ValueError, match="unknown selector 'ucb'"):
        qaql.make_selector("ucb", qaql.AgentConfig())


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
