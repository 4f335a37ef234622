"""The reinforcement learners of QAQL Table 6 (SARSA, Deep Q-Network, PPO), and their engine."""

import numpy as np
import pytest
from torch import nn

from qpdm_lib import baselines
from qpdm_lib.baselines import RULInputs, rul_rl
from qpdm_lib.qaql.agent import AgentConfig, QAQLAgent, make_selector

from . import problems

LEARNERS = list(problems.RL_TINY)
WIDTH = problems.CAP / 16  # one bin


def _truth(regime: np.ndarray) -> np.ndarray:
    return np.where(regime == 0, problems.REGIME_RUL[0], problems.REGIME_RUL[1])


@pytest.mark.parametrize("name", LEARNERS)
def test_learners_pick_each_regimes_bin(name, rul_problems, rul_fitted):
    # With γ = 0 the exogenous MDP is a contextual bandit: the greedy bin is the best bin, so
    # this checks the learner, not the slow drift of a γ = 0.99 TD target.
    _, _, walk, regime = rul_problems
    prediction = rul_fitted(name).predict(walk)
    assert np.isin(prediction, problems.CENTRES).all()  # QAQL's action space: bin centres
    truth = _truth(regime)
    if name == "SARSA":  # a table resolves neighbouring bins exactly
        np.testing.assert_array_equal(prediction, truth)
    else:  # a fitted Q-function or policy to within its precision: the bin or a neighbour
        assert (np.abs(prediction - truth) < WIDTH + 1e-9).all(), np.unique(prediction)


@pytest.mark.parametrize("name", ["SARSA", "Deep Q-Network", "PPO"])
def test_learners_tell_the_regimes_apart_with_qaqls_discount(name, rul_problems):
    _, _, walk, regime = rul_problems
    model = baselines.get(name, **problems.RL_TINY[name])
    assert model.config.discount == AgentConfig.discount == 0.99
    prediction = model.fit(walk, seed=0).predict(walk)
    assert prediction[regime == 0].max() < prediction[regime == 1].min()


def test_sarsa_is_on_policy():
    q = np.array([[0.0, 1.0], [2.0, 4.0]])
    # the next action taken (0, worth 2) and not the greedy one (1, worth 4) is bootstrapped on
    rul_rl.sarsa_update(q, 0, 1, -3.0, 1, 0, False, learning_rate=0.1, discount=0.99)
    assert q[0, 1] == pytest.approx(1 + 0.1 * (-3 + 0.99 * 2 - 1))
    rul_rl.sarsa_update(q, 1, 0, -1.0, 0, 1, True, learning_rate=0.1, discount=0.99)
    assert q[1, 0] == pytest.approx(2 + 0.1 * (-1 - 2))  # done: no bootstrap


def test_sarsa_uses_qaqls_states_and_settings(rul_problems):
    _, _, walk, regime = rul_problems
    config = rul_rl.SARSAConfig()
    for field in ("n_bins", "episodes", "discount", "learning_rate", "n_states", "epsilon_start",
                  "epsilon_end", "epsilon_decay_fraction"):  # fmt: skip
        assert getattr(config, field) == getattr(AgentConfig(), field), field
    agent = QAQLAgent(AgentConfig(), make_selector("greedy", AgentConfig()))
    for step in (0, 300, 799, 1000):
        assert rul_rl.epsilon(config, step, 1000) == pytest.approx(agent.epsilon(step, 1000))
    model = baselines.get("SARSA", n_states=2, episodes=1).fit(walk, seed=0)
    states = model.coder_.transform(walk.x)
    assert len(np.unique(states[regime == 0])) == len(np.unique(states[regime == 1])) == 1
    assert model.n_parameters() == 2 * 16 + model.coder_.kmeans.cluster_centers_.size


def test_sarsa_on_given_states(rul_problems):
    _, _, walk, regime = rul_problems
    given = RULInputs(walk.x, walk.y, walk.group, walk.cap, states=regime)
    model = baselines.get("SARSA", n_states=2, discount=0.0, episodes=3).fit(given, seed=0)
    np.testing.assert_array_equal(model.predict(given), _truth(regime))
    with pytest.raises(ValueError, match="fitted on given states: predict needs a RULInputs"):
        model.predict(walk.x)
    unseen = RULInputs(walk.x[:2], walk.y[:2], walk.group[:2], walk.cap, states=np.array([0, 7]))
    fallback = problems.CENTRES[np.argmin(np.abs(problems.CENTRES - walk.y.mean()))]
    assert model.predict(unseen)[1] == fallback  # a state training never saw


def test_deep_q_learning_reports_each_episode_and_counts_by_hand(rul_fitted):
    model = rul_fitted("Deep Q-Network")
    assert [row["episode"] for row in model.history_] == [1, 2, 3, 4, 5]
    # 8 summary inputs (4 per feature) → 16 → 16 bins
    assert model.n_parameters() == (8 * 16 + 16) + (16 * 16 + 16)
    assert isinstance(model.qnet_[0], nn.Linear) and model.q_values(np.zeros((2, 5, 2))).shape == (
        2,
        16,
    )


def test_ppo_counts_actor_and_critic_by_hand(rul_fitted):
    model = rul_fitted("PPO")
    assert model.n_parameters() == (8 * 16 + 16) + (16 * 16 + 16) + (8 * 16 + 16) + (16 + 1)
    policy = model.policy(np.zeros((3, 5, 2), np.float32))
    np.testing.assert_allclose(policy.sum(axis=1), 1.0, atol=1e-6)


def test_gae_cuts_at_done():
    adv = rul_rl.gae(np.array([1.0, 1.0]), np.zeros(2), np.array([1.0, 0.0]), 10.0,
                     discount=0.5, lam=1.0)  # fmt: skip
    np.testing.assert_allclose(adv, [1.0, 1.0 + 0.5 * 10.0])
    adv = rul_rl.gae(np.array([0.0, 0.0]), np.array([1.0, 2.0]), np.zeros(2), 4.0,
                     discount=1.0, lam=0.5)  # fmt: skip
    # δ1 = 4 − 2 = 2, δ0 = 2 − 1 = 1; A1 = 2, A0 = 1 + 0.5 · 2
    np.testing.assert_allclose(adv, [2.0, 2.0])


@pytest.mark.parametrize(
    ("name", "config", "message"),
    [
        ("SARSA", dict(learning_rate=0.0), r"learning_rate must be in \(0, 1\], got 0.0"),
        ("SARSA", dict(n_bins=1), "SARSAConfig.n_bins must be >= 2, got 1"),
        ("Deep Q-Network", dict(discount=1.5), r"discount must be in \[0, 1\], got 1.5"),
        ("Deep Q-Network", dict(epsilon_end=0.5, epsilon_start=0.1), "need 0 <= epsilon_end"),
        ("Deep Q-Network", dict(hidden=(0,)), "DQNConfig.hidden must be widths >= 1"),
        ("PPO", dict(rollout=0), "PPOConfig.rollout must be an integer >= 1, got 0"),
        ("PPO", dict(clip=0.0), "need lr > 0, clip > 0"),
    ],
)
def test_configs_check_their_values(name, config, message):
    with pytest.raises(ValueError, match=message):
        baselines.get(name, **config)
