"""Quantum-annealing Q-learning (QAQL Algorithm 1, Table 3) with pluggable action selectors.

The agent predicts RUL by choosing one of 16 bins (the action); the prediction is the chosen
bin's centre (Eq. 22). The reward is the negative squared error (Eq. 10), the update the TD rule
(Eq. 11-12) with learning rate 0.1 and discount 0.99, exploration ε falls linearly from 1.0 to
0.05 over the first 80 % of 8 episodes, and every step also replays a mini-batch of 64 stored
transitions. What replaces the greedy ``argmax`` is the selector:

``greedy``   argmax of the Q-row (classical Q-learning: the paper's "without annealing");
``softmax``  Boltzmann choice at a temperature relative to the Q-row's spread;
``fast``     the QUBO of Eq. 19 sampled by the fast annealer, lowest-energy of ``num_reads``;
``fast-draw`` the same, but one read drawn at random (keeps the sampler's spread);
any name of :func:`qpdm_lib.qaql.samplers.get_sampler` (``sa``, ``exact``, ``mock-qpu``, ``qpu``), lowest
energy of ``num_reads`` through the full dimod path.

States are discrete (:mod:`qpdm_lib.qaql.trajectories` makes them from windows).
Transitions are exogenous (the next window of the same engine), so ``max_a' Q(s', a')`` does not
depend on the chosen action; the chapter discusses what that means for the TD term.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .. import metrics
from . import qubo
from .samplers import KAPPA, get_sampler, sample_by_popcount, uniform_complete_cold_beta

if TYPE_CHECKING:
    from .trajectories import Trajectories

#: Selectors the agent knows: the local ones, then those that go through a dimod sampler.
LOCAL_SELECTORS = ("greedy", "softmax", "fast", "fast-draw")
DIMOD_SELECTORS = ("sa", "exact", "mock-qpu", "qpu")
SELECTORS = LOCAL_SELECTORS + DIMOD_SELECTORS

__all__ = [
    "SELECTORS",
    "AgentConfig",
    "Selector",
    "make_selector",
    "QAQLAgent",
    "td_update",
    "bin_centres",
    "train_and_evaluate",
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
    history: list = field(default_factory=list)  # (q_row, action) kept when `record` is set
    record: bool = False

    def __call__(self, q_row: np.ndarray, rng: np.random.Generator) -> int:
        self.calls += 1
        best = _argmax(q_row, rng)
        if self.name == "greedy":
            action = best
        elif self.name == "softmax":
            spread = float(q_row.max() - q_row.min())
            if spread == 0:
                action = int(rng.integers(len(q_row)))
            else:
                z = (q_row - q_row.max()) / (self.config.softmax_temperature * spread)
                p = np.exp(z)
                action = int(rng.choice(len(q_row), p=p / p.sum()))
        elif self.name in ("fast", "fast-draw"):
            action = self._fast(q_row, rng, draw=self.name == "fast-draw")
        else:
            action = self._dimod(q_row, rng)
        self.chose_argmax += int(action == best)
        if self.record:
            self.history.append((q_row.copy(), action))
        return action

    def _penalty(self, q_row: np.ndarray) -> float:
        return qubo.scaled_penalty(q_row, factor=self.config.penalty_factor)

    def _fast(self, q_row: np.ndarray, rng: np.random.Generator, *, draw: bool) -> int:
        # the FastOneHotSampler's arithmetic without building dimod objects (same β, same draws)
        a = self._penalty(q_row)
        linear = -q_row - a
        beta = KAPPA * uniform_complete_cold_beta(linear, 2 * a)
        reads = sample_by_popcount(linear, 2 * a, beta, self.config.num_reads, rng)
        return self._decode(reads, q_row, a, rng, draw=draw)

    def _dimod(self, q_row: np.ndarray, rng: np.random.Generator) -> int:
        if self.sampler is None:
            self.sampler = get_sampler(self.name)
        a = self._penalty(q_row)
        bqm = qubo.one_hot_qubo(q_row, penalty=a)
        result = self.sampler.sample(
            bqm, num_reads=self.config.num_reads, seed=int(rng.integers(2**31))
        )
        return self._decode(qubo.reads_of(result), q_row, a, rng, draw=False)

    def _decode(self, reads: np.ndarray, q_row: np.ndarray, a: float, rng, *, draw: bool) -> int:
        actions = qubo.decode(reads)
        feasible = actions >= 0
        self.total_reads += len(actions)
        self.infeasible_reads += int((~feasible).sum())
        if not feasible.any():
            self.fallbacks += 1
            return _argmax(q_row, rng)
        if draw:  # one read at random, as a single anneal would return
            return int(rng.choice(actions[feasible]))
        energies = qubo.one_hot_energies(reads[feasible], q_row, penalty=a)
        return int(actions[feasible][np.argmin(energies)])


def _argmax(q_row: np.ndarray, rng: np.random.Generator) -> int:
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[0] if len(best) == 1 else rng.choice(best))


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
        self.rng = np.random.default_rng(seed)
        self.centres = bin_centres(config.n_bins, config.rul_cap)
        self.table = np.zeros((config.n_states, config.n_bins))
        self.history: list[dict] = []

    def epsilon(self, step: int, total: int) -> float:
        c = self.config
        progress = min(1.0, step / max(1.0, c.epsilon_decay_fraction * total))
        return c.epsilon_start + (c.epsilon_end - c.epsilon_start) * progress

    def fit(
        self, states: np.ndarray, rul: np.ndarray, done: np.ndarray, *, use_td: bool = True
    ) -> QAQLAgent:
        """Train on one trajectory order: window t's next state is window t+1 unless ``done[t]``."""
        c = self.config
        states = np.asarray(states, dtype=np.int64)
        rul = np.asarray(rul, dtype=np.float64)
        done = np.asarray(done, dtype=np.float64)
        if not (len(states) == len(rul) == len(done)) or len(states) == 0:
            raise ValueError("states, rul and done must be non-empty and of equal length")
        if states.max() >= c.n_states:
            raise ValueError(f"state {states.max()} outside the table of {c.n_states} states")
        next_states = np.append(states[1:], states[-1])
        discount = c.discount if use_td else 0.0
        buf_s = np.zeros(c.replay_size, np.int64)
        buf_a = np.zeros(c.replay_size, np.int64)
        buf_r = np.zeros(c.replay_size)
        buf_n = np.zeros(c.replay_size, np.int64)
        buf_d = np.zeros(c.replay_size)
        stored = 0
        total = c.episodes * len(states)
        step = 0
        for episode in range(c.episodes):
            sq_error = 0.0
            for t in range(len(states)):
                s = states[t]
                if self.rng.random() < self.epsilon(step, total):
                    a = int(self.rng.integers(c.n_bins))
                else:
                    a = self.selector(self.table[s], self.rng)
                r = -((self.centres[a] - rul[t]) ** 2)  # Eq. 10: negative squared error
                sq_error -= r
                k = stored % c.replay_size
                buf_s[k], buf_a[k], buf_r[k], buf_n[k], buf_d[k] = s, a, r, next_states[t], done[t]
                stored += 1
                td_update(
                    self.table,
                    np.array([s]),
                    np.array([a]),
                    np.array([r]),
                    np.array([next_states[t]]),
                    np.array([done[t]]),
                    learning_rate=c.learning_rate,
                    discount=discount,
                )
                if stored >= c.batch_size:
                    pick = self.rng.integers(min(stored, c.replay_size), size=c.batch_size)
                    td_update(
                        self.table,
                        buf_s[pick],
                        buf_a[pick],
                        buf_r[pick],
                        buf_n[pick],
                        buf_d[pick],
                        learning_rate=c.learning_rate,
                        discount=discount,
                    )
                step += 1
            self.history.append(
                {
                    "episode": episode + 1,
                    "train_rmse_behaviour": float(np.sqrt(sq_error / len(states))),
                    "epsilon_end": self.epsilon(step, total),
                }
            )
        return self

    def predict(self, states: np.ndarray) -> np.ndarray:
        """RUL predictions: centre of the greedy bin (Eq. 22; inference does not call the annealer)."""
        rows = self.table[np.asarray(states, dtype=np.int64)]
        return self.centres[np.argmax(rows, axis=1)]


def train_and_evaluate(
    traj: Trajectories,
    config: AgentConfig,
    selector_name: str,
    *,
    seed: int = 0,
    use_td: bool = True,
) -> dict:
    """Train one agent and score it under the paper's protocol (and the official one if given)."""
    selector = make_selector(selector_name, config)
    agent = QAQLAgent(config, selector, seed=seed).fit(
        traj.train_states, traj.train_rul, traj.train_done, use_td=use_td
    )
    prediction = agent.predict(traj.test_states)
    out = {
        "agent": agent,
        "selector": selector,
        "prediction": prediction,
        "per_window": metrics.regression_metrics(traj.test_rul, prediction),
    }
    if traj.official_states is not None:
        out["last_cycle"] = metrics.regression_metrics(
            traj.official_rul, agent.predict(traj.official_states)
        )
    return out
