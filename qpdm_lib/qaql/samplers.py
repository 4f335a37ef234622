"""Samplers for the one-hot QUBO, every one a :class:`dimod.Sampler` returning a ``SampleSet``.

``get_sampler(name)`` is the only way the book reaches one:

``exact``     :class:`dimod.ExactSolver`, all 2**n states: the reference.
``sa``        ``dwave.samplers.SimulatedAnnealingSampler`` at its defaults (1000 sweeps, the
              default geometric β schedule).
``fast``      :class:`FastOneHotSampler`: exact Boltzmann sampling at SA's effective final
              temperature. For the one-hot structure (all couplings equal on a complete graph) it
              draws states by their number of set bits, O(n) per read instead of SA's
              1000 sweeps; other small BQMs are enumerated.
``mock-qpu``  :class:`EmbeddedSampler` over ``MockDWaveSampler`` of an Advantage-like Pegasus P16
              graph: minor embedding (minorminer, cached per problem graph), chains with strength
              ``uniform_torque_compensation`` × 1.4, unembedding and chain-break statistics. Its
              child is a classical solver: it exercises embedding, chains and unembedding, and
              says nothing about a QPU's sample quality.
``qpu``       the same around ``DWaveSampler`` (annealing_time 20 µs, 1000 reads, QAQL Table 3),
              only when a Leap token is configured.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import dimod
import numpy as np

from ..errors import QPDMError

__all__ = [
    "SAMPLERS",
    "get_sampler",
    "FastOneHotSampler",
    "sample_by_popcount",
    "one_hot_probabilities",
    "decision_distribution",
    "EmbeddedSampler",
    "ExactSampler",
    "QPU_DEFAULTS",
    "QPUUnavailableError",
    "sa_cold_beta",
    "uniform_complete_cold_beta",
    "KAPPA",
]

SAMPLERS = ("exact", "sa", "fast", "mock-qpu", "qpu")

#: Ratio of the fast sampler's β to SA's final β. SA freezes slightly before its schedule ends,
#: so its reads look like a Boltzmann sample at a somewhat higher temperature than the last one;
#: 0.9 was fitted once on ten one-hot QUBOs of different shapes (total variation ≤ 0.07 on each,
#: see tests/test_samplers.py and the QUBO chapter).
KAPPA = 0.9


class QPUUnavailableError(QPDMError):
    """No D-Wave Leap token, or the QPU cannot be reached."""


def sa_cold_beta(bqm: dimod.BinaryQuadraticModel) -> float:
    """Final β of ``SimulatedAnnealingSampler``'s default schedule for ``bqm``.

    A numpy port of dwave-samplers' ``_default_ising_beta_range`` (cold end): with
    ``b_i`` the smallest non-zero |bias| touching spin i (its field or a coupling),
    ``β_cold = log(#{i: b_i = min b} / 0.01) / (2 min b)``. The test suite checks it against the
    original on random problems.
    """
    h, J, _ = bqm.to_ising()
    labels = list(bqm.variables)
    index = {v: k for k, v in enumerate(labels)}
    field = np.abs(np.array([h[v] for v in labels], dtype=float))
    smallest = np.where(field > 0, field, np.inf)
    for (u, v), value in J.items():
        if value != 0:
            for k in (index[u], index[v]):
                smallest[k] = min(smallest[k], abs(value))
    return _cold_beta(smallest)


def _cold_beta(smallest: np.ndarray) -> float:
    """Cold β from each spin's smallest non-zero |bias| (``inf`` where it has none)."""
    finite = smallest[np.isfinite(smallest)]
    if finite.size == 0:
        return 1.0  # dwave-samplers' range for an all-zero problem is [0.1, 1]
    low = finite.min()
    return float(np.log(np.sum(finite == low) / 0.01) / (2 * low))


def uniform_complete_cold_beta(linear: np.ndarray, coupling: float) -> float:
    """:func:`sa_cold_beta` for a binary BQM with linear biases ``linear`` and one ``coupling``
    on every pair (the one-hot QUBO), without building it: its Ising form has
    ``h = l/2 + J(n-1)/4`` and couplings ``J/4``.
    """
    h = np.asarray(linear) / 2 + coupling * (len(linear) - 1) / 4
    smallest = np.where(h != 0, np.abs(h), np.inf)
    if coupling != 0:
        smallest = np.minimum(smallest, abs(coupling) / 4)
    return _cold_beta(smallest)


def _uniform_complete(bqm: dimod.BinaryQuadraticModel) -> float | None:
    """The common coupling if ``bqm`` (binary) is a complete graph with equal couplings."""
    n = bqm.num_variables
    if n < 2 or bqm.num_interactions != n * (n - 1) // 2:
        return None
    values = np.fromiter(bqm.quadratic.values(), dtype=float, count=bqm.num_interactions)
    return float(values[0]) if np.allclose(values, values[0]) else None


def _popcount_tables(
    linear: np.ndarray, coupling: float, beta: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``w``, the suffix elementary symmetric polynomials ``esp`` and ``log P(m)`` (unnormalised).

    For E(x) = Σ l_i x_i + J·C(m, 2): w_i = exp(-β (l_i - l_min)) ≤ 1, esp[i, j] = e_j(w[i:]),
    and the Boltzmann weight of all strings with m bits set is e_m(w)·exp(-β (m·l_min + J C(m,2))).
    """
    n = len(linear)
    shift = linear.min()
    w = np.exp(-beta * (linear - shift))  # all ≤ 1: no overflow
    esp = np.zeros((n + 1, n + 1))  # esp[i, j] = e_j(w[i:])
    esp[n, 0] = 1.0
    for i in range(n - 1, -1, -1):
        esp[i, 0] = 1.0
        esp[i, 1:] = esp[i + 1, 1:] + w[i] * esp[i + 1, :-1]
    m = np.arange(n + 1)
    with np.errstate(divide="ignore"):
        logp = np.log(esp[0]) - beta * (m * shift + coupling * m * (m - 1) / 2)
    return w, esp, logp


def sample_by_popcount(
    linear: np.ndarray, coupling: float, beta: float, num_reads: int, rng: np.random.Generator
) -> np.ndarray:
    """Exact Boltzmann reads of E(x) = Σ l_i x_i + J·C(m, 2), m = number of set bits.

    P(m) ∝ e_m(w) · exp(-β (m·l_min + J m(m-1)/2)) with w_i = exp(-β (l_i - l_min)) and e_m the
    elementary symmetric polynomial; given m, bits are chosen one by one from suffix sums of e.
    """
    n = len(linear)
    w, esp, logp = _popcount_tables(linear, coupling, beta)
    p = np.exp(logp - logp.max())
    counts = rng.choice(n + 1, size=num_reads, p=p / p.sum())
    samples = np.zeros((num_reads, n), dtype=np.int8)
    remaining = counts.copy()
    for i in range(n):
        active = remaining > 0
        denom = esp[i, remaining]
        numer = w[i] * esp[i + 1, np.maximum(remaining - 1, 0)]
        prob = np.where(active & (denom > 0), numer / np.where(denom > 0, denom, 1.0), 0.0)
        take = rng.random(num_reads) < prob
        samples[take, i] = 1
        remaining -= take
    return samples


def one_hot_probabilities(linear: np.ndarray, coupling: float, beta: float) -> np.ndarray:
    """Exact probability that one Boltzmann read is the one-hot string of each variable.

    ``π_k = exp(-β l_k) / Z`` with Z summed over all 2**n strings by number of set bits, in
    O(n²) whatever n reads are drawn; ``1 - π.sum()`` is the probability that a read is
    infeasible (no bit or several set). The per-read action distribution that SA approximates
    and the fast sampler draws from (QUBO chapter).
    """
    linear = np.asarray(linear, dtype=np.float64)
    w, _, logp = _popcount_tables(linear, coupling, beta)
    top = logp.max()
    log_z = top + np.log(np.exp(logp - top).sum())
    with np.errstate(divide="ignore"):
        return np.exp(np.log(w) - beta * linear.min() - log_z)


def decision_distribution(
    energies: np.ndarray, pi: np.ndarray, num_reads: int, *, rule: str = "lowest"
) -> np.ndarray:
    """Distribution of the action a selector takes from ``num_reads`` independent reads.

    ``pi[k]`` is the probability that one read is the one-hot string k (energy ``energies[k]``);
    the rest of the mass is infeasible. ``rule="lowest"`` keeps the lowest-energy feasible read:
    with the feasible strings sorted by energy and ``T_j`` the probability that a read is
    infeasible or no better than the j-th, P(choice = k_j) = T_j^N − T_{j+1}^N (ties share their
    group's mass equally). ``rule="draw"`` keeps one feasible read at random: π_k / p_f. With no
    feasible read at all (probability (1 − p_f)^N) the selector falls back to the argmax, the
    lowest-energy bin(s). O(n log n) per call, whatever ``num_reads``.
    """
    energies = np.asarray(energies, dtype=np.float64)
    pi = np.clip(np.asarray(pi, dtype=np.float64), 0.0, None)
    if energies.shape != pi.shape or energies.ndim != 1:
        raise ValueError(
            f"energies and pi must be 1-D of equal length, got {energies.shape}, {pi.shape}"
        )
    if num_reads < 1:
        raise ValueError(f"num_reads must be >= 1, got {num_reads}")
    if rule not in ("lowest", "draw"):
        raise ValueError(f"rule must be 'lowest' or 'draw', got {rule!r}")
    p_feasible = min(float(pi.sum()), 1.0)
    p_inf = 1.0 - p_feasible
    best = energies == energies.min()
    none_feasible = p_inf**num_reads
    if rule == "draw":
        out = (1.0 - none_feasible) * pi / p_feasible if p_feasible > 0 else np.zeros_like(pi)
    else:
        levels, group = np.unique(energies, return_inverse=True)  # ascending energy
        mass = np.bincount(group, weights=pi, minlength=len(levels))
        # tail[j] = P(a read is infeasible or at energy level >= j)
        tail = p_inf + np.concatenate([np.cumsum(mass[::-1])[::-1], [0.0]])
        with np.errstate(divide="ignore"):
            powered = np.exp(num_reads * np.log(np.clip(tail, 0.0, 1.0)))
        per_level = powered[:-1] - powered[1:]
        sizes = np.bincount(group, minlength=len(levels))
        out = per_level[group] / sizes[group]
    out = out + none_feasible * best / best.sum()
    return out / out.sum()


class FastOneHotSampler(dimod.Sampler):
    """Boltzmann sampling at SA's effective final temperature (``KAPPA`` × SA's cold β).

    A sample from the equilibrium distribution that SA approaches, drawn exactly: for the one-hot
    QUBO by number of set bits (see :func:`sample_by_popcount`), for other BQMs of up to 20
    variables by enumeration. ``beta`` overrides the temperature.
    """

    parameters = {"num_reads": [], "seed": [], "beta": [], "kappa": []}
    properties = {"max_enumerated_variables": 20, "default_kappa": KAPPA}

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        *,
        num_reads: int = 1000,
        seed: int | None = None,
        beta: float | None = None,
        kappa: float = KAPPA,
        **kwargs: Any,
    ) -> dimod.SampleSet:
        self.remove_unknown_kwargs(**kwargs)
        if num_reads < 1:
            raise ValueError(f"num_reads must be >= 1, got {num_reads}")
        rng = np.random.default_rng(seed)
        binary = bqm.change_vartype(dimod.BINARY, inplace=False)
        variables = list(binary.variables)
        if not variables:
            return dimod.SampleSet.from_samples([], bqm.vartype, energy=[])
        linear = np.array([binary.linear[v] for v in variables])
        coupling = _uniform_complete(binary)
        if coupling is not None:
            if beta is None:
                beta = kappa * uniform_complete_cold_beta(linear, coupling)
            samples = sample_by_popcount(linear, coupling, float(beta), num_reads, rng)
            m = samples.sum(axis=1)
            energy = samples @ linear + coupling * m * (m - 1) / 2 + binary.offset
            if bqm.vartype is dimod.SPIN:
                samples = 2 * samples - 1
            result = dimod.SampleSet.from_samples((samples, variables), bqm.vartype, energy=energy)
            result.info.update({"beta": float(beta), "kappa": kappa})
            return result
        beta_used = kappa * sa_cold_beta(binary) if beta is None else float(beta)
        if len(variables) <= self.properties["max_enumerated_variables"]:
            states = (
                (np.arange(2 ** len(variables))[:, None] >> np.arange(len(variables))) & 1
            ).astype(np.int8)
            energies = binary.energies((states, variables))
            p = np.exp(-beta_used * (energies - energies.min()))
            samples = states[rng.choice(len(states), size=num_reads, p=p / p.sum())]
        else:
            raise ValueError(
                f"FastOneHotSampler enumerates at most 20 variables unless the BQM is one-hot "
                f"structured; got {len(variables)}"
            )
        if bqm.vartype is dimod.SPIN:
            samples = 2 * samples - 1
        result = dimod.SampleSet.from_samples_bqm((samples, variables), bqm)
        result.info.update({"beta": beta_used, "kappa": kappa if beta is None else None})
        return result


class EmbeddedSampler(dimod.Sampler):
    """A structured sampler (mock or real QPU) behind a cached minor embedding.

    Embeddings are found once per problem graph with minorminer and reused; chain strength is
    ``uniform_torque_compensation`` with ``prefactor`` (QAQL Table 3: 1.4). Each call's
    chain-break fraction is kept in ``chain_break_history``.
    """

    def __init__(
        self,
        child: dimod.Sampler,
        *,
        prefactor: float = 1.4,
        defaults: dict | None = None,
        seed: int = 0,
    ):
        from dwave.embedding.chain_strength import uniform_torque_compensation

        self.child = child
        self.prefactor = prefactor
        self.defaults = dict(defaults or {})
        self.seed = seed
        self.chain_strength = functools.partial(uniform_torque_compensation, prefactor=prefactor)
        self.embeddings: dict[frozenset, dict] = {}
        self.chain_break_history: list[float] = []

    @property
    def parameters(self) -> dict:
        return {**self.child.parameters, "chain_strength": [], "num_reads": [], "seed": []}

    @property
    def properties(self) -> dict:
        return {
            "child_properties": dict(self.child.properties),
            "chain_strength_prefactor": self.prefactor,
        }

    def embedding_for(self, bqm: dimod.BinaryQuadraticModel) -> dict:
        """The cached embedding of ``bqm``'s graph, found on first use."""
        import minorminer

        edges = frozenset(frozenset(e) for e in bqm.quadratic) | frozenset(
            frozenset([v]) for v in bqm.variables
        )
        if edges not in self.embeddings:
            target = self.child.edgelist
            source = [tuple(e) for e in bqm.quadratic] or [(v, v) for v in bqm.variables]
            embedding = minorminer.find_embedding(source, target, random_seed=self.seed)
            if not embedding:
                raise QPDMError(
                    f"no minor embedding found for a {bqm.num_variables}-variable problem"
                )
            self.embeddings[edges] = embedding
        return self.embeddings[edges]

    def sample(
        self,
        bqm: dimod.BinaryQuadraticModel,
        *,
        num_reads: int | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> dimod.SampleSet:
        """Sample ``bqm`` on the child through the cached embedding.

        ``seed`` reaches the mock QPU's classical solver (so a run can be repeated exactly); a
        real QPU has no seed and ignores it.
        """
        from dwave.system import FixedEmbeddingComposite

        params = {**self.defaults, **kwargs}
        if num_reads is not None:
            params["num_reads"] = num_reads
        params.setdefault("chain_strength", self.chain_strength)
        if hasattr(self.child, "substitute_kwargs"):  # MockDWaveSampler: seed its local solver
            self.child.substitute_kwargs["seed"] = seed
        composite = FixedEmbeddingComposite(self.child, self.embedding_for(bqm))
        result = composite.sample(bqm, **params)
        if "chain_break_fraction" in result.record.dtype.names:
            self.chain_break_history.append(float(np.mean(result.record.chain_break_fraction)))
        return result


def _leap_token() -> str | None:
    token = os.environ.get("DWAVE_API_TOKEN")
    if token:
        return token
    try:
        from dwave.cloud.config import load_config

        return load_config().get("token")
    except Exception:  # no config file, unreadable config: no token
        return None


#: What the book asks of a D-Wave QPU (QAQL Table 3 and section 4.2): 1000 reads of 20 µs anneals.
QPU_DEFAULTS = {"num_reads": 1000, "annealing_time": 20}


class ExactSampler(dimod.Sampler):
    """:class:`dimod.ExactSolver` with the book's one sampler signature.

    Lists every state once, lowest energy first; ``num_reads`` and ``seed`` are accepted, so every
    sampler of :func:`get_sampler` is called the same way, and ignored: nothing is drawn.
    """

    parameters = {"num_reads": [], "seed": []}
    properties: dict = {}

    def sample(
        self, bqm: dimod.BinaryQuadraticModel, *, num_reads: int | None = None,
        seed: int | None = None, **kwargs: Any,
    ) -> dimod.SampleSet:  # fmt: skip
        self.remove_unknown_kwargs(**kwargs)
        return dimod.ExactSolver().sample(bqm)


def get_sampler(name: str, **options: Any) -> dimod.Sampler:
    """The sampler called ``name`` (one of :data:`SAMPLERS`).

    Every one accepts ``sample(bqm, num_reads=..., seed=...)``.
    """
    if name == "exact":
        return ExactSampler()
    if name == "sa":
        from dwave.samplers import SimulatedAnnealingSampler

        return SimulatedAnnealingSampler()
    if name == "fast":
        return FastOneHotSampler()
    if name == "mock-qpu":
        from dwave.system.testing import MockDWaveSampler

        child = MockDWaveSampler(
            topology_type="pegasus",
            topology_shape=[options.pop("pegasus_size", 16)],
            substitute_kwargs={"seed": None},
        )
        return EmbeddedSampler(child, defaults={"num_reads": QPU_DEFAULTS["num_reads"]}, **options)
    if name == "qpu":
        from ..data.registry import is_offline

        if is_offline():
            raise QPUUnavailableError(
                "QPDM_OFFLINE is set, so the D-Wave QPU is not contacted; unset it to use the QPU"
            )
        if not _leap_token():
            raise QPUUnavailableError(
                "no D-Wave Leap token configured: run `dwave config create` or set DWAVE_API_TOKEN "
                "to use the QPU; without one the chapters use a local sampler"
            )
        try:
            from dwave.system import DWaveSampler

            child = DWaveSampler(**options.pop("solver_options", {}))
        except Exception as exc:  # the cloud client raises many kinds; the reader needs one line
            raise QPUUnavailableError(
                f"the D-Wave QPU could not be reached ({type(exc).__name__}); check the network "
                f"and `dwave ping`; the chapters fall back to a local sampler"
            ) from None
        return EmbeddedSampler(child, defaults=dict(QPU_DEFAULTS), **options)
    raise QPDMError(f"unknown sampler {name!r}; samplers: {', '.join(SAMPLERS)}")
