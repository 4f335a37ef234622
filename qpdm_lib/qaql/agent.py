"""Quantum-annealing Q-learning (QAQL Algorithm 1, Table 3) with pluggable action selectors.

The agent predicts RUL by choosing one of 16 bins (the action); the prediction is the chosen
bin's centre (Eq. 22). The reward is the negative squared error (Eq. 10), the update the TD rule
(Eq. 11-12) with learning rate 0.1 and discount 0.99, exploration ε falls linearly from 1.0 to
0.05 over the first 80 % of 8 episodes, and every step also replays a mini-batch of 64 stored
transitions. What replaces the greedy ``argmax`` is the selector:

``greedy``     argmax of the Q-row (classical Q-learning: the paper's "without annealing");
``softmax``    Boltzmann choice at a temperature relative to the Q-row's spread;
``fast``       the QUBO of Eq. 19 sampled by the fast annealer (exact Boltzmann reads at SA's
               effective temperature), the lowest-energy of ``num_reads`` reads;
``fast-draw``  the same reads, but one feasible read drawn at random (keeps the sampler's spread);
``best-of-n``  the decision ``fast`` makes, drawn in closed form: the probability that the
               lowest-energy of N independent Boltzmann reads is bin k
               (:func:`qpdm_lib.qaql.samplers.decision_distribution`), O(16²) per call whatever N;
``one-read``   the decision ``fast-draw`` makes, in closed form (π_k / p_feasible);
any name of :func:`qpdm_lib.qaql.samplers.get_sampler` (``sa``, ``exact``, ``mock-qpu``, ``qpu``),
lowest energy of ``num_reads`` reads through the full dimod path.

Every random number of a run comes from a counter-based stream (:mod:`qpdm_lib.qaql.stream`), so
this readable loop and the compiled one (:mod:`qpdm_lib.qaql.compiled`, the local selectors
greedy, softmax, best-of-n and one-read) learn the same table from the same seed.

States are discrete (:mod:`qpdm_lib.qaql.trajectories` makes them from windows). Transitions are
exogenous (the next window of the same engine), so ``max_a' Q(s', a')`` does not depend on the
chosen action; the chapter discusses what that means for the TD term. A (state, bin) pair that
training never updated keeps its initial 0, which beats every learned (negative) value: prediction
ignores such pairs (:meth:`QAQLAgent.predict`) and :meth:`QAQLAgent.untried_pairs` counts them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .. import metrics
from . import qubo, stream
from .samplers import (
    KAPPA,
    decision_distribution,
    get_sampler,
    one_hot_probabilities,
    sample_by_popcount,
    uniform_complete_cold_beta,
)

if TYPE_CHECKING:
    from .trajectories import Trajectories

#: Selectors the agent knows. The closed-form ones and greedy/softmax also run compiled.
COMPILED_SELECTORS = ("greedy", "softmax", "best-of-n", "one-read")
SAMPLED_SELECTORS = ("fast", "fast-draw")  # reads drawn one by one by the fast sampler
DIMOD_SELECTORS = ("sa", "exact", "mock-qpu", "qpu")
LOCAL_SELECTORS = COMPILED_SELECTORS + SAMPLED_SELECTORS
SELECTORS = LOCAL_SELECTORS + DIMOD_SELECTORS

__all__ = [
    "SELECTORS",
    "COMPILED_SELECTORS",
    "AgentConfig",
    "Selector",
    "make_selector",
    "QAQLAgent",
    "td_update",
    "bin_centres",
    "train_and_evaluate",
    "inverse_cdf",
    "decision_entropy",
    "matched_temperature",
]


@dataclass(frozen=True)
class AgentConfig:
    """QAQL Table 3, with the values the paper leaves out filled in (marked)."""

    n_bins: int = 16  # action space: discretised RUL bins
    rul_cap: float = 125.0  # bins cover [0, cap]; 125 cycles (C-MAPSS) or 90 days (fleet)
    learning_rate: float = 0.10  # TD step size
    discount: float = 0.99  # gamma
    epsilon_start: float = 1.0
    epsilon_end: float = 0.05
    epsilon_decay_fraction: float = 0.8  # linear over the first 80 % of all steps
    episodes: int = 8
    replay_size: int = 10_000  # not legible in the paper's Table 3: our choice
    batch_size: int = 64
    n_states: int = 64  # k-means codebook size: our choice (the paper's state is continuous)
    num_reads: int = 1000  # annealer reads per selection
    penalty_factor: float = 1.5  # A_t = factor * max|Q| each step: our reading of Eq. 20
    softmax_temperature: float = 0.05  # softmax: T = this * (max Q - min Q)

    def __post_init__(self) -> None:
        if not 1 <= self.batch_size:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.n_bins < 2 or self.n_states < 1 or self.episodes < 1:
            raise ValueError("need n_bins >= 2, n_states >= 1 and episodes >= 1")


def bin_centres(n_bins: int, cap: float) -> np.ndarray:
    """Centres of ``n_bins`` equal bins over [0, cap] (Eq. 22)."""
    edges = np.linspace(0.0, cap, n_bins + 1)
    return (edges[:-1] + edges[1:]) / 2


def td_update(
    table: np.ndarray,
    states: np.ndarray,
    actions: np.ndarray,
    rewards: np.ndarray,
    next_states: np.ndarray,
    done: np.ndarray,
    *,
    learning_rate: float,
    discount: float,
) -> None:
    """TD update of Eq. 11-12 for a batch of transitions, in place.

    δ = r + γ (1 − done) max_a' Q(s', a') − Q(s, a);  Q(s, a) ← Q(s, a) + α δ.
    All targets use the table as it was before the batch; repeated pairs add their increments.
    """
    target = rewards + discount * (1.0 - done) * table[next_states].max(axis=1)
    delta = target - table[states, actions]
    np.add.at(table, (states, actions), learning_rate * delta)


def inverse_cdf(p: np.ndarray, u: float) -> int:
    """The index ``k`` with ``P(< k) ≤ u·total < P(≤ k)``: one draw from ``p`` with uniform ``u``."""
    cumulative = np.cumsum(p)
    k = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(k, len(p) - 1)


def _argmax(q_row: np.ndarray, u: float) -> int:
    """Argmax of the row; ties are broken by ``u`` (uniformly among the tied bins)."""
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[min(int(u * len(best)), len(best) - 1)])


@dataclass
class Selector:
    """Chooses an action from a Q-row; counts what the annealer returned."""

    name: str
    config: AgentConfig
    sampler: object | None = None
    calls: int = 0
    infeasible_reads: int = 0
    total_reads: int = 0
    fallbacks: int = 0  # no feasible read at all: argmax used
    chose_argmax: int = 0

    def __call__(self, q_row: np.ndarray, u: float, rng: np.random.Generator) -> int:
        """The action for ``q_row``; ``u`` is this step's selector uniform, ``rng`` feeds the
        selectors that draw reads one by one (fast, fast-draw, the dimod samplers)."""
        self.calls += 1
        best = _argmax(q_row, u)
        if self.name == "greedy":
            action = best
        elif self.name == "softmax":
            action = inverse_cdf(self.softmax_probabilities(q_row), u)
        elif self.name in ("best-of-n", "one-read"):
            action = inverse_cdf(self.decision_probabilities(q_row), u)
        elif self.name in ("fast", "fast-draw"):
            action = self._fast(q_row, rng, draw=self.name == "fast-draw", u=u)
        else:
            action = self._dimod(q_row, rng, u=u)
        self.chose_argmax += int(action == best)
        return action

    def softmax_probabilities(self, q_row: np.ndarray) -> np.ndarray:
        """Boltzmann choice at temperature ``softmax_temperature × (max Q − min Q)``."""
        spread = float(q_row.max() - q_row.min())
        if spread == 0:
            return np.full(len(q_row), 1.0 / len(q_row))
        p = np.exp((q_row - q_row.max()) / (self.config.softmax_temperature * spread))
        return p / p.sum()

    def decision_probabilities(self, q_row: np.ndarray) -> np.ndarray:
        """Closed form of the fast annealer's decision on ``q_row`` (best-of-n or one-read)."""
        a = self._penalty(q_row)
        linear = -q_row - a
        beta = KAPPA * uniform_complete_cold_beta(linear, 2 * a)
        pi = one_hot_probabilities(linear, 2 * a, beta)
        rule = "lowest" if self.name == "best-of-n" else "draw"
        return decision_distribution(linear, pi, self.config.num_reads, rule=rule)

    def _penalty(self, q_row: np.ndarray) -> float:
        return qubo.scaled_penalty(q_row, factor=self.config.penalty_factor)

    def _fast(self, q_row: np.ndarray, rng: np.random.Generator, *, draw: bool, u: float) -> int:
        # the FastOneHotSampler's arithmetic without building dimod objects (same β, same draws)
        a = self._penalty(q_row)
        linear = -q_row - a
        beta = KAPPA * uniform_complete_cold_beta(linear, 2 * a)
        reads = sample_by_popcount(linear, 2 * a, beta, self.config.num_reads, rng)
        return self._decode(reads, q_row, a, rng, draw=draw, u=u)

    def _dimod(self, q_row: np.ndarray, rng: np.random.Generator, *, u: float) -> int:
        if self.sampler is None:
            self.sampler = get_sampler(self.name)
        a = self._penalty(q_row)
        bqm = qubo.one_hot_qubo(q_row, penalty=a)
        result = self.sampler.sample(
            bqm, num_reads=self.config.num_reads, seed=int(rng.integers(2**31))
        )
        return self._decode(qubo.reads_of(result), q_row, a, rng, draw=False, u=u)

    def _decode(
        self, reads: np.ndarray, q_row: np.ndarray, a: float, rng, *, draw: bool, u: float
    ) -> int:
        actions = qubo.decode(reads)
        feasible = actions >= 0
        self.total_reads += len(actions)
        self.infeasible_reads += int((~feasible).sum())
        if not feasible.any():
            self.fallbacks += 1
            return _argmax(q_row, u)
        if draw:  # one read at random, as a single anneal would return
            return int(rng.choice(actions[feasible]))
        energies = qubo.one_hot_energies(reads[feasible], q_row, penalty=a)
        return int(actions[feasible][np.argmin(energies)])


def decision_entropy(selector: Selector, rows: np.ndarray) -> float:
    """Mean Shannon entropy (nats) of a selector's decision over Q-rows ``rows`` (n, bins).

    Greedy has 0; softmax, best-of-n and one-read have the entropy of their closed-form decision
    distributions. This is the quantity QAQL section 4.10 asks a classical stochastic control to
    match ("a classical selector matched to the annealer's exploration").
    """
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    if selector.name == "greedy":
        return 0.0
    if selector.name == "softmax":
        probs = [selector.softmax_probabilities(r) for r in rows]
    elif selector.name in ("best-of-n", "one-read"):
        probs = [selector.decision_probabilities(r) for r in rows]
    else:
        raise ValueError(
            f"no closed-form decision for selector {selector.name!r}; use greedy, softmax, "
            "best-of-n or one-read"
        )
    p = np.clip(np.asarray(probs), 1e-300, 1.0)
    return float(-(np.asarray(probs) * np.log(p)).sum(axis=1).mean())


def matched_temperature(
    target: float, rows: np.ndarray, config: AgentConfig = AgentConfig(), *, tol: float = 1e-4
) -> float:
    """The softmax temperature factor whose mean decision entropy over ``rows`` equals
    ``target`` nats (bisection on the log of the factor; entropy rises with temperature).

    Returns 0 for a target of (nearly) 0, where the matched selector is greedy.
    """
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    top = np.log(rows.shape[1])
    if not 0 <= target < top:
        raise ValueError(f"target entropy must lie in [0, log {rows.shape[1]}), got {target}")
    if target < tol:
        return 0.0

    def entropy(factor: float) -> float:
        return decision_entropy(
            make_selector("softmax", replace(config, softmax_temperature=factor)), rows
        )

    lo, hi = np.log(1e-6), np.log(1e3)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if entropy(float(np.exp(mid))) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-6:
            break
    return float(np.exp(0.5 * (lo + hi)))


def make_selector(name: str, config: AgentConfig) -> Selector:
    """A selector by name (see module docstring)."""
    if name not in SELECTORS:
        raise ValueError(f"unknown selector {name!r}; selectors: {', '.join(SELECTORS)}")
    sampler = get_sampler(name) if name in DIMOD_SELECTORS else None
    return Selector(name, config, sampler)


class QAQLAgent:
    """Tabular Q-learning over discrete states with a pluggable greedy step."""

    def __init__(self, config: AgentConfig, selector: Selector, *, seed: int = 0) -> None:
        self.config = config
        self.selector = selector
        self.seed = seed
        self.key = stream.seed_key(seed)
        self.rng = np.random.default_rng(seed)  # only for selectors that draw reads
        self.centres = bin_centres(config.n_bins, config.rul_cap)
        self.table = np.zeros((config.n_states, config.n_bins))
        self.visits = np.zeros((config.n_states, config.n_bins), dtype=np.int64)
        self.fallback_bin = 0
        self.history: list[dict] = []

    def epsilon(self, step: int, total: int) -> float:
        c = self.config
        progress = min(1.0, step / max(1.0, c.epsilon_decay_fraction * total))
        return c.epsilon_start + (c.epsilon_end - c.epsilon_start) * progress

    def _check(self, states, rul, done):
        c = self.config
        states = np.asarray(states, dtype=np.int64)
        rul = np.asarray(rul, dtype=np.float64)
        done = np.asarray(done, dtype=np.float64)
        if not (len(states) == len(rul) == len(done)) or len(states) == 0:
            raise ValueError("states, rul and done must be non-empty and of equal length")
        if states.min() < 0 or states.max() >= c.n_states:
            raise ValueError(
                f"states must lie in [0, {c.n_states}), got {states.min()}..{states.max()}"
            )
        if stream.MAX_BATCH < c.batch_size <= c.episodes * len(states):  # larger: no replay
            raise ValueError(f"batch_size must be <= {stream.MAX_BATCH}, got {c.batch_size}")
        # the bin a state falls back to when training never updated any of its bins
        self.fallback_bin = int(np.argmin(np.abs(self.centres - rul.mean())))
        return states, rul, done

    def fit(
        self,
        states: np.ndarray,
        rul: np.ndarray,
        done: np.ndarray,
        *,
        use_td: bool = True,
        engine: str = "auto",
    ) -> QAQLAgent:
        """Train on one trajectory order: window t's next state is window t+1 unless ``done[t]``.

        ``engine="python"`` runs the readable loop below; ``"compiled"`` the numba loop of
        :mod:`qpdm_lib.qaql.compiled` (greedy, softmax, best-of-n, one-read only); ``"auto"``
        takes the compiled loop where it exists. Both learn the same table from the same seed.
        """
        states, rul, done = self._check(states, rul, done)
        if engine not in ("auto", "python", "compiled"):
            raise ValueError(f"engine must be 'auto', 'python' or 'compiled', got {engine!r}")
        compiled = self.selector.name in COMPILED_SELECTORS
        if engine == "compiled" and not compiled:
            raise ValueError(
                f"selector {self.selector.name!r} has no compiled loop; use engine='python'"
            )
        if engine == "compiled" or (engine == "auto" and compiled):
            from .compiled import train

            train(self, states, rul, done, use_td=use_td)
            return self
        return self._fit_python(states, rul, done, use_td=use_td)

    def _fit_python(self, states, rul, done, *, use_td: bool) -> QAQLAgent:
        c = self.config
        next_states = np.append(states[1:], states[-1])
        discount = c.discount if use_td else 0.0
        replay = {  # the replay buffer, one array per field of a transition
            "s": np.zeros(c.replay_size, np.int64), "a": np.zeros(c.replay_size, np.int64),
            "r": np.zeros(c.replay_size), "next": np.zeros(c.replay_size, np.int64),
            "done": np.zeros(c.replay_size),
        }  # fmt: skip
        stored, step, total = 0, 0, c.episodes * len(states)
        for episode in range(c.episodes):
            sq_error = 0.0
            for t in range(len(states)):
                s = states[t]
                if stream.uniform(self.key, step, stream.SLOT_EXPLORE) < self.epsilon(step, total):
                    a = int(stream.uniform(self.key, step, stream.SLOT_ACTION) * c.n_bins)
                else:
                    u = stream.uniform(self.key, step, stream.SLOT_SELECT)
                    a = self.selector(self.table[s], u, self.rng)
                r = -((self.centres[a] - rul[t]) ** 2)  # Eq. 10: negative squared error
                sq_error -= r
                k = stored % c.replay_size
                for name, value in zip(replay, (s, a, r, next_states[t], done[t]), strict=True):
                    replay[name][k] = value
                stored += 1
                self._update([s], [a], [r], [next_states[t]], [done[t]], discount)
                if stored >= c.batch_size:
                    u = stream.uniforms(self.key, step, stream.SLOT_REPLAY, c.batch_size)
                    pick = (u * min(stored, c.replay_size)).astype(np.int64)
                    self._update(*(replay[name][pick] for name in replay), discount)
                step += 1
            self.history.append(
                {
                    "episode": episode + 1,
                    "train_rmse_behaviour": float(np.sqrt(sq_error / len(states))),
                    "epsilon_end": self.epsilon(step, total),
                }
            )
        return self

    def _update(self, s, a, r, nxt, d, discount: float) -> None:
        s, a = np.asarray(s, np.int64), np.asarray(a, np.int64)
        td_update(
            self.table, s, a, np.asarray(r, float), np.asarray(nxt, np.int64),
            np.asarray(d, float), learning_rate=self.config.learning_rate, discount=discount,
        )  # fmt: skip
        np.add.at(self.visits, (s, a), 1)

    def untried_pairs(self) -> int:
        """(state, bin) pairs of the states seen in training that no update ever touched."""
        seen = self.visits.sum(axis=1) > 0
        return int((self.visits[seen] == 0).sum())

    def greedy_bins(self) -> np.ndarray:
        """The learned bin of every state: argmax over the bins training updated.

        An untried pair keeps its initial 0, which beats every learned (negative) value, so it
        is left out; a state no update reached predicts :attr:`fallback_bin` (the bin of the
        mean training RUL).
        """
        masked = np.where(self.visits > 0, self.table, -np.inf)
        bins = np.argmax(masked, axis=1)
        return np.where(self.visits.sum(axis=1) > 0, bins, self.fallback_bin)

    def predict(self, states: np.ndarray) -> np.ndarray:
        """RUL predictions: centre of the learned bin (Eq. 22; inference does not call the
        annealer)."""
        return self.centres[self.greedy_bins()[np.asarray(states, dtype=np.int64)]]


def train_and_evaluate(
    traj: Trajectories,
    config: AgentConfig,
    selector_name: str,
    *,
    seed: int = 0,
    use_td: bool = True,
    engine: str = "auto",
) -> dict:
    """Train one agent and score it under the paper's protocol (and the official one if given)."""
    selector = make_selector(selector_name, config)
    agent = QAQLAgent(config, selector, seed=seed).fit(
        traj.train_states, traj.train_rul, traj.train_done, use_td=use_td, engine=engine
    )
    prediction = agent.predict(traj.test_states)
    out = {
        "agent": agent,
        "selector": selector,
        "prediction": prediction,
        "per_window": metrics.regression_metrics(traj.test_rul, prediction),
        "untried_pairs": agent.untried_pairs(),
    }
    if traj.official_states is not None:
        out["last_cycle"] = metrics.regression_metrics(
            traj.official_rul, agent.predict(traj.official_states)
        )
    return out
