import dimod
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from qpdm_lib.qaql import qubo

Q_ROWS = arrays(np.float64, st.integers(2, 10), elements=st.floats(-1e3, 1e3, allow_nan=False))


def assume_resolvable_maximum(q, rel):
    """Skip rows whose top two values differ by less than ``rel`` of their scale: the ground
    state is then degenerate, or the gap is lost to rounding (hypothesis found q = [0, 4e-275])."""
    top = np.sort(q)[-2:]
    assume(top[1] - top[0] > rel * max(1.0, np.abs(q).max()))


@settings(max_examples=60, deadline=None)
@given(Q_ROWS)
def test_ground_state_is_the_argmax(q):
    assume_resolvable_maximum(q, 1e-9)
    penalty = qubo.scaled_penalty(q)
    bqm = qubo.one_hot_qubo(q, penalty=penalty)
    best = dimod.ExactSolver().sample(bqm).first.sample
    assert qubo.decode(np.array([[best[k] for k in range(len(q))]]))[0] == np.argmax(q)


@settings(max_examples=60, deadline=None)
@given(Q_ROWS)
def test_tight_threshold_is_tight_and_below_the_bound(q):
    assume_resolvable_maximum(q, 1e-6)
    threshold = qubo.tight_penalty_threshold(q)
    assert 0 <= threshold <= qubo.penalty_bound(q) + 1e-9  # a valid penalty is positive
    states = qubo.all_states(len(q))

    def argmax_is_ground(a):
        ground = states[np.argmin(qubo.one_hot_energies(states, q, penalty=a))]
        return ground.sum() == 1 and ground[np.argmax(q)] == 1

    assert argmax_is_ground(threshold * 1.001 + 1e-6)  # just above: always feasible
    below = threshold * 0.999 - 1e-6
    if threshold > 0:  # a threshold of 0 means every positive penalty works: nothing below
        assert below <= 0 or not argmax_is_ground(below)


def test_counterexample_below_the_bound():
    q = np.array([-1.0, -2.0, -5.0])  # rewards are negative: the empty string is the danger
    bqm = qubo.one_hot_qubo(q, penalty=0.5)  # below the threshold of 1
    best = dimod.ExactSolver().sample(bqm).first
    assert sum(best.sample.values()) == 0  # ground state selects no bin
    assert qubo.tight_penalty_threshold(q) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ([-1.0, -2.0, -5.0], 1.0),  # all negative: the empty string binds at c_(1) = -max Q
        ([1.7, -3.0, -9.0], 0.0),  # one positive Q: nothing binds, any positive A works
        ([5.0, 4.0, -10.0], 4.0),  # two positive: the pair {0, 1} at -(c_(2)) = 4 binds
    ],
)
def test_tight_threshold_by_hand_for_every_sign_of_q(q, expected):
    assert qubo.tight_penalty_threshold(q) == pytest.approx(expected)
    states = qubo.all_states(3)
    ground = states[np.argmin(qubo.one_hot_energies(states, q, penalty=expected + 1e-6))]
    assert ground.tolist() == [int(k == np.argmax(q)) for k in range(3)]


def test_coefficients_are_those_of_eq_19():
    q = np.array([3.0, -1.0, 0.5])
    bqm = qubo.one_hot_qubo(q, penalty=4.0)
    assert [bqm.linear[k] for k in range(3)] == [-7.0, -3.0, -4.5]
    assert set(bqm.quadratic.values()) == {8.0} and bqm.num_interactions == 3


def test_ising_form_is_energy_equivalent_on_all_states():
    q = np.random.default_rng(0).normal(0, 30, 16)
    a = qubo.scaled_penalty(q)
    h, J, offset = qubo.to_ising(q, penalty=a)
    x = qubo.all_states(16)
    s = 2.0 * x - 1
    ising = s @ h + np.einsum("ni,ij,nj->n", s, J, s) + offset
    np.testing.assert_allclose(ising, qubo.one_hot_energies(x, q, penalty=a), rtol=1e-9, atol=1e-7)
    # and dimod's own conversion agrees
    dh, dJ, doff = qubo.one_hot_qubo(q, penalty=a).to_ising()
    np.testing.assert_allclose([dh[k] for k in range(16)], h)
    assert doff == pytest.approx(offset)


def test_decode_counts_infeasible():
    reads = np.array([[0, 1, 0], [0, 0, 0], [1, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(qubo.decode(reads), [1, -1, -1, 0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: qubo.one_hot_qubo([1.0], penalty=1), "at least 2 action values"),
        (lambda: qubo.one_hot_qubo([1.0, np.nan], penalty=1), "q_values must be finite"),
        (lambda: qubo.one_hot_qubo([1.0, 2.0], penalty=0), "penalty must be > 0, got 0"),
        (lambda: qubo.scaled_penalty([1.0, 2.0], factor=0.5), "factor must be > 1"),
        (lambda: qubo.all_states(30), r"n must be in \[1, 20\]"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
