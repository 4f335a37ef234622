"""The compiled training loop learns what the readable one learns, from the same seed."""

import numpy as np
import pytest

from qpdm_lib.qaql import agent as qa
from qpdm_lib.qaql import stream


def _stream_of_windows(seed=0, n=1500, n_states=8):
    rng = np.random.default_rng(seed)
    states = rng.integers(0, n_states, n)
    rul = np.clip(states * 15 + rng.normal(0, 5, n), 0, 125)
    done = np.zeros(n)
    done[99::100] = 1
    return states, rul, done


@pytest.mark.parametrize("selector", qa.COMPILED_SELECTORS)
@pytest.mark.parametrize("use_td", [True, False])
def test_compiled_and_python_loops_learn_the_same_table(selector, use_td):
    states, rul, done = _stream_of_windows()
    config = qa.AgentConfig(n_states=8, episodes=2, num_reads=50, batch_size=16, replay_size=500)
    agents = [
        qa.QAQLAgent(config, qa.make_selector(selector, config), seed=7).fit(
            states, rul, done, use_td=use_td, engine=engine
        )
        for engine in ("python", "compiled")
    ]
    python, compiled = agents
    np.testing.assert_array_equal(python.visits, compiled.visits)
    np.testing.assert_allclose(python.table, compiled.table, rtol=0, atol=1e-9)
    for a, b in zip(python.history, compiled.history, strict=True):
        assert a == pytest.approx(b)
    assert python.selector.calls == compiled.selector.calls
    assert python.selector.chose_argmax == compiled.selector.chose_argmax


def test_sampled_selectors_have_no_compiled_loop():
    config = qa.AgentConfig(n_states=2)
    agent = qa.QAQLAgent(config, qa.make_selector("fast", config))
    with pytest.raises(ValueError, match="selector 'fast' has no compiled loop"):
        agent.fit([0, 1], [1.0, 2.0], [0, 1], engine="compiled")


def test_untried_pairs_never_win_the_prediction():
    # rewards are negative, so a bin training never updated (still 0) would beat every learned one
    config = qa.AgentConfig(n_states=3, n_bins=4, rul_cap=100.0)
    agent = qa.QAQLAgent(config, qa.make_selector("greedy", config))
    agent.table[0] = [0.0, -50.0, -10.0, 0.0]  # bins 0 and 3 untried
    agent.visits[0] = [0, 3, 5, 0]
    agent.table[1] = [-5.0, -1.0, 0.0, -9.0]  # all tried: the plain argmax
    agent.visits[1] = [1, 1, 1, 1]
    agent.fallback_bin = 1  # state 2 was never updated at all
    np.testing.assert_array_equal(agent.greedy_bins(), [2, 2, 1])
    np.testing.assert_array_equal(agent.predict([0, 1, 2]), agent.centres[[2, 2, 1]])
    assert agent.untried_pairs() == 2


def test_the_stream_is_the_same_number_in_python_and_vectorised():
    key = stream.seed_key(11)
    python = [stream.uniform(key, 3, stream.SLOT_REPLAY + k) for k in range(8)]
    np.testing.assert_array_equal(stream.uniforms(key, 3, stream.SLOT_REPLAY, 8), python)
    with pytest.raises(ValueError, match="a step has 256 slots"):
        stream.uniforms(key, 0, 250, 10)
