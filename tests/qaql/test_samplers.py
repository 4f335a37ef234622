import unittest

import dimod
import dimod.testing
import numpy as np
import pytest

from qpdm_lib.errors import QPDMError
from qpdm_lib.qaql import qubo, samplers


@pytest.mark.parametrize("name", ["exact", "sa", "fast", "mock-qpu"])
def test_every_sampler_has_the_dimod_api(name):
    sampler = samplers.get_sampler(name)
    dimod.testing.assert_sampler_api(sampler)
    bqm = qubo.one_hot_qubo(np.array([-5.0, -1.0, -3.0, -2.0]), penalty=8.0)
    result = sampler.sample(bqm, num_reads=50, seed=1)  # one signature for every sampler
    assert isinstance(result, dimod.SampleSet)
    assert result.first.sample == {0: 0, 1: 1, 2: 0, 3: 0}


def test_fast_sampler_energies_and_general_bqms():
    fast = samplers.FastOneHotSampler()
    spin = dimod.generators.uniform(6, "SPIN", seed=1)
    result = fast.sample(spin, num_reads=200, seed=0)
    np.testing.assert_allclose(result.record.energy, spin.energies(result))
    onehot = qubo.one_hot_qubo(np.random.default_rng(0).normal(0, 9, 16), penalty=30.0)
    result = fast.sample(onehot, num_reads=200, seed=0)
    np.testing.assert_allclose(result.record.energy, onehot.energies(result))
    with pytest.raises(ValueError, match="num_reads must be >= 1"):
        fast.sample(onehot, num_reads=0)


def test_fast_sampler_is_exactly_boltzmann():
    q = np.random.default_rng(5).normal(0, 2, 6)
    bqm = qubo.one_hot_qubo(q, penalty=4.0)
    beta = 0.7
    reads = samplers.FastOneHotSampler().sample(bqm, num_reads=200_000, seed=3, beta=beta)
    states = qubo.all_states(6)
    e = qubo.one_hot_energies(states, q, penalty=4.0)
    p = np.exp(-beta * (e - e.min()))
    p /= p.sum()
    codes = qubo.reads_of(reads) @ (1 << np.arange(6))
    empirical = np.bincount(codes, minlength=64) / len(codes)
    assert 0.5 * np.abs(empirical - p).sum() < 0.01


def test_cold_beta_port_matches_dwave_samplers():
    from dwave.samplers.sa.sampler import _default_ising_beta_range

    for seed in range(4):
        bqm = dimod.generators.uniform(10, "SPIN", low=-3, high=3, seed=seed)
        h, J, _ = bqm.to_ising()
        assert samplers.sa_cold_beta(bqm) == pytest.approx(_default_ising_beta_range(h, J)[1])


def test_one_hot_cold_beta_shortcut_equals_the_general_port():
    q = np.random.default_rng(4).normal(0, 30, 16)
    bqm = qubo.one_hot_qubo(q, penalty=qubo.scaled_penalty(q))
    linear = np.array([bqm.linear[k] for k in range(16)])
    assert samplers.uniform_complete_cold_beta(linear, bqm.quadratic[0, 1]) == pytest.approx(
        samplers.sa_cold_beta(bqm)
    )


def test_fast_matches_sa_action_distribution():
    """Stated tolerance: total variation ≤ 0.1 between per-read action distributions."""
    rng = np.random.default_rng(11)
    shapes = [-rng.uniform(0, 100, 16), -rng.exponential(30, 16), rng.normal(0, 20, 16)]
    sa, fast = samplers.get_sampler("sa"), samplers.get_sampler("fast")
    for q in shapes:
        bqm = qubo.one_hot_qubo(q, penalty=qubo.scaled_penalty(q))
        dist = []
        for sampler, reads in ((sa, 3000), (fast, 30_000)):
            result = sampler.sample(bqm, num_reads=reads, seed=1)
            actions = qubo.decode(qubo.reads_of(result))
            dist.append(np.bincount(actions + 1, minlength=17) / len(actions))
        assert 0.5 * np.abs(dist[0] - dist[1]).sum() <= 0.1


def test_mock_qpu_caches_the_embedding_and_reports_chains():
    mock = samplers.get_sampler("mock-qpu", pegasus_size=6)
    q = np.random.default_rng(2).normal(0, 5, 8)
    for _ in range(2):
        mock.sample(qubo.one_hot_qubo(q, penalty=qubo.scaled_penalty(q)), num_reads=20)
    assert len(mock.embeddings) == 1 and len(mock.chain_break_history) == 2
    embedding = next(iter(mock.embeddings.values()))
    assert set(embedding) == set(range(8)) and all(len(chain) >= 1 for chain in embedding.values())


def test_qpu_is_not_contacted_offline(monkeypatch):
    monkeypatch.setenv("DWAVE_API_TOKEN", "fake-token")
    with pytest.raises(samplers.QPUUnavailableError, match="QPDM_OFFLINE is set"):
        samplers.get_sampler("qpu")


def test_qpu_without_token_says_how_to_set_one(monkeypatch, tmp_path):
    monkeypatch.delenv("QPDM_OFFLINE")
    monkeypatch.delenv("DWAVE_API_TOKEN", raising=False)
    monkeypatch.setenv("DWAVE_CONFIG_FILE", str(tmp_path / "none.conf"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(
        samplers.QPUUnavailableError,
        match="no D-Wave Leap token configured: run `dwave config create`",
    ) as info:
        samplers.get_sampler("qpu")
    assert "\n" not in str(info.value)


def test_unknown_sampler():
    with pytest.raises(
        QPDMError, match="unknown sampler 'neal'; samplers: exact, sa, fast, mock-qpu, qpu"
    ):
        samplers.get_sampler("neal")


@pytest.mark.qpu
def test_real_qpu_returns_the_argmax():
    qpu = samplers.get_sampler("qpu")
    q = np.array([-40.0, -5.0, -20.0, -30.0])
    result = qpu.sample(qubo.one_hot_qubo(q, penalty=qubo.scaled_penalty(q)), num_reads=100)
    assert qubo.decode(result.lowest().record.sample[:1])[0] == 1


@dimod.testing.load_sampler_bqm_tests(samplers.FastOneHotSampler)
@dimod.testing.load_sampler_bqm_tests(samplers.ExactSampler)
class TestDimodBqmContract(unittest.TestCase):
    """dimod's own battery: empty and small BQMs of every vartype give consistent sample sets."""


# Q-rows whose 16 values lie close together relative to the penalty: the Boltzmann reads spread
# over many bins, so the lowest of a few reads is often *not* the argmax (P ≈ 0.3 and 0.9)
NEAR_TIES = [(20.0, 5), (60.0, 20)]


@pytest.mark.parametrize(("spread", "reads"), NEAR_TIES)
def test_closed_form_decision_matches_the_fast_sampler_and_sa(spread, reads):
    from qpdm_lib.qaql.agent import AgentConfig, make_selector

    q = -1000.0 + np.random.default_rng(2).normal(0, spread, 16)
    config = AgentConfig(num_reads=reads)
    closed = make_selector("best-of-n", config).decision_probabilities(q)
    assert 0.2 < closed[np.argmax(q)] < 0.95  # a case where the decision really is spread
    fast = make_selector("fast", config)
    rng = np.random.default_rng(0)
    empirical = np.bincount([fast(q, 0.5, rng) for _ in range(4000)], minlength=16) / 4000
    assert 0.5 * np.abs(empirical - closed).sum() < 0.05  # total variation, 4000 draws
    penalty = qubo.scaled_penalty(q)
    bqm = qubo.one_hot_qubo(q, penalty=penalty)
    sa = samplers.get_sampler("sa")
    picks = []
    for k in range(300):
        reads_ = qubo.reads_of(sa.sample(bqm, num_reads=reads, seed=k))
        actions = qubo.decode(reads_)
        ok = actions >= 0
        energies = qubo.one_hot_energies(reads_[ok], q, penalty=penalty)
        picks.append(actions[ok][np.argmin(energies)] if ok.any() else np.argmax(q))
    sa_dist = np.bincount(picks, minlength=16) / len(picks)
    assert 0.5 * np.abs(sa_dist - closed).sum() < 0.1  # SA is near-Boltzmann: a wider bound


def test_one_read_decision_is_pi_over_feasible():
    q = -1000.0 + np.random.default_rng(3).normal(0, 30, 16)
    penalty = qubo.scaled_penalty(q)
    linear = -q - penalty
    beta = samplers.KAPPA * samplers.uniform_complete_cold_beta(linear, 2 * penalty)
    pi = samplers.one_hot_probabilities(linear, 2 * penalty, beta)
    draw = samplers.decision_distribution(linear, pi, 1000, rule="draw")
    np.testing.assert_allclose(draw, pi / pi.sum(), atol=1e-12)  # (1 - p_f)^1000 is ~0 here
    with pytest.raises(ValueError, match="rule must be 'lowest' or 'draw'"):
        samplers.decision_distribution(linear, pi, 10, rule="max")


def test_one_hot_probabilities_equal_the_enumeration():
    q = np.random.default_rng(4).normal(-50, 20, 12)
    penalty = qubo.scaled_penalty(q)
    linear = -q - penalty
    beta = 0.03
    states = qubo.all_states(12)
    e = qubo.one_hot_energies(states, q, penalty=penalty)
    p = np.exp(-beta * (e - e.min()))
    by_bin = np.bincount(qubo.decode(states) + 1, weights=p / p.sum(), minlength=13)[1:]
    np.testing.assert_allclose(samplers.one_hot_probabilities(linear, 2 * penalty, beta), by_bin)
