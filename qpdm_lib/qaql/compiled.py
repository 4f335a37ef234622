"""The training loop of :class:`~qpdm_lib.qaql.agent.QAQLAgent`, compiled with numba.

The same algorithm as the readable ``QAQLAgent._fit_python`` (ε-greedy, selector, reward, TD
update, replay mini-batch), for the selectors that need no sampler object: ``greedy``,
``softmax``, and the closed-form annealer decisions ``best-of-n`` and ``one-read``. Every random
number comes from the same counter-based stream (:mod:`qpdm_lib.qaql.stream`), so both loops learn
the same table from the same seed (the tests check it). A step costs a few microseconds instead of
the Python loop's hundreds; the QAQL chapter's ``full`` profile (30 seeds of every subset and the
whole fleet) becomes minutes instead of hours.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from . import stream
from .samplers import KAPPA

__all__ = ["train", "CODES"]

CODES = {"greedy": 0, "softmax": 1, "best-of-n": 2, "one-read": 3}

_MASK = np.uint64(stream.MASK)
_GOLDEN = np.uint64(stream.GOLDEN)
_MIX_1 = np.uint64(stream.MIX_1)
_MIX_2 = np.uint64(stream.MIX_2)


@numba.njit(cache=True)
def _uniform(key, step, slot):
    z = key + np.uint64(step * 256 + slot) * _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX_1
    z = (z ^ (z >> np.uint64(27))) * _MIX_2
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * 2.0**-53


@numba.njit(cache=True)
def _argmax_tie(q, u):
    best = q.max()
    count = 0
    for k in range(len(q)):
        if q[k] == best:
            count += 1
    pick = min(int(u * count), count - 1)
    for k in range(len(q)):
        if q[k] == best:
            if pick == 0:
                return k
            pick -= 1
    return 0


@numba.njit(cache=True)
def _inverse_cdf(p, u):
    cumulative = np.cumsum(p)
    target = u * cumulative[-1]
    k = np.searchsorted(cumulative, target, side="right")
    return min(k, len(p) - 1)


@numba.njit(cache=True)
def _cold_beta(linear, coupling):
    # samplers.uniform_complete_cold_beta: Ising h = l/2 + J(n-1)/4, couplings J/4
    n = len(linear)
    low, count, found = np.inf, 0, False
    for k in range(n):
        h = linear[k] / 2 + coupling * (n - 1) / 4
        value = abs(h) if h != 0 else np.inf
        if coupling != 0:
            value = min(value, abs(coupling) / 4)
        if np.isfinite(value):
            found = True
            if value < low:
                low, count = value, 1
            elif value == low:
                count += 1
    if not found:
        return 1.0
    return math.log(count / 0.01) / (2 * low)


@numba.njit(cache=True)
def _one_hot_probabilities(linear, coupling, beta):
    n = len(linear)
    shift = linear.min()
    w = np.exp(-beta * (linear - shift))
    esp = np.zeros((n + 1, n + 1))
    esp[n, 0] = 1.0
    for i in range(n - 1, -1, -1):
        esp[i, 0] = 1.0
        for j in range(1, n + 1):
            esp[i, j] = esp[i + 1, j] + w[i] * esp[i + 1, j - 1]
    logp = np.empty(n + 1)
    for m in range(n + 1):
        logp[m] = np.log(esp[0, m]) - beta * (m * shift + coupling * m * (m - 1) / 2)
    top = logp.max()
    log_z = top + np.log(np.exp(logp - top).sum())
    return np.exp(np.log(w) - beta * shift - log_z)


@numba.njit(cache=True)
def _decision(energies, pi, num_reads, lowest):
    n = len(pi)
    pi = np.maximum(pi, 0.0)
    p_feasible = min(pi.sum(), 1.0)
    p_inf = 1.0 - p_feasible
    e_min = energies.min()
    n_best = 0
    for k in range(n):
        if energies[k] == e_min:
            n_best += 1
    none_feasible = p_inf**num_reads
    out = np.zeros(n)
    if not lowest:
        if p_feasible > 0:
            out = (1.0 - none_feasible) * pi / p_feasible
    else:
        levels = np.unique(energies)  # sorted ascending
        group = np.searchsorted(levels, energies)
        mass = np.zeros(len(levels))
        sizes = np.zeros(len(levels))
        for k in range(n):
            mass[group[k]] += pi[k]
            sizes[group[k]] += 1
        tail = np.zeros(len(levels) + 1)
        running = 0.0
        for j in range(len(levels) - 1, -1, -1):
            running += mass[j]
            tail[j] = running
        powered = np.empty(len(levels) + 1)
        for j in range(len(levels) + 1):
            value = min(max(p_inf + tail[j], 0.0), 1.0)
            powered[j] = np.exp(num_reads * np.log(value))
        for k in range(n):
            g = group[k]
            out[k] = (powered[g] - powered[g + 1]) / sizes[g]
    for k in range(n):
        if energies[k] == e_min:
            out[k] += none_feasible / n_best
    return out / out.sum()


@numba.njit(cache=True)
def _select(code, q, u, num_reads, penalty_factor, softmax_temperature, kappa):
    if code == 0:
        return _argmax_tie(q, u)
    if code == 1:
        spread = q.max() - q.min()
        if spread == 0:
            return _inverse_cdf(np.full(len(q), 1.0 / len(q)), u)
        p = np.exp((q - q.max()) / (softmax_temperature * spread))
        return _inverse_cdf(p / p.sum(), u)
    a = penalty_factor * max(np.abs(q).max(), 1.0)  # qubo.scaled_penalty
    linear = -q - a
    beta = kappa * _cold_beta(linear, 2 * a)
    pi = _one_hot_probabilities(linear, 2 * a, beta)
    return _inverse_cdf(_decision(linear, pi, num_reads, code == 2), u)


@numba.njit(cache=True)
def _update(table, visits, s, a, r, nxt, d, learning_rate, discount):
    count = len(s)
    delta = np.empty(count)
    for k in range(count):  # every target from the table as it was before the batch
        target = r[k] + discount * (1.0 - d[k]) * table[nxt[k]].max()
        delta[k] = target - table[s[k], a[k]]
    for k in range(count):
        table[s[k], a[k]] += learning_rate * delta[k]
        visits[s[k], a[k]] += 1


@numba.njit(cache=True)
def _loop(table, visits, states, rul, done, centres, code, key, learning_rate, discount,
          eps_start, eps_end, decay_fraction, episodes, replay_size, batch_size, num_reads,
          penalty_factor, softmax_temperature, kappa):  # fmt: skip
    n, n_bins = len(states), len(centres)
    next_states = np.empty(n, np.int64)
    next_states[:-1] = states[1:]
    next_states[-1] = states[-1]
    buf_s = np.zeros(replay_size, np.int64)
    buf_a = np.zeros(replay_size, np.int64)
    buf_r = np.zeros(replay_size)
    buf_n = np.zeros(replay_size, np.int64)
    buf_d = np.zeros(replay_size)
    one_s, one_a, one_n = np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64)
    one_r, one_d = np.zeros(1), np.zeros(1)
    pick = np.empty(batch_size, np.int64)
    total = episodes * n
    stored, step = 0, 0
    calls, chose_argmax = 0, 0
    rmse = np.empty(episodes)
    eps_end_of = np.empty(episodes)
    for episode in range(episodes):
        sq_error = 0.0
        for t in range(n):
            s = states[t]
            progress = min(1.0, step / max(1.0, decay_fraction * total))
            eps = eps_start + (eps_end - eps_start) * progress
            if _uniform(key, step, 0) < eps:
                a = int(_uniform(key, step, 1) * n_bins)
            else:
                u = _uniform(key, step, 2)
                q = table[s].copy()
                a = _select(code, q, u, num_reads, penalty_factor, softmax_temperature, kappa)
                calls += 1
                chose_argmax += int(a == _argmax_tie(q, u))
            r = -((centres[a] - rul[t]) ** 2)
            sq_error -= r
            k = stored % replay_size
            buf_s[k], buf_a[k], buf_r[k], buf_n[k], buf_d[k] = s, a, r, next_states[t], done[t]
            stored += 1
            one_s[0], one_a[0], one_r[0], one_n[0], one_d[0] = s, a, r, next_states[t], done[t]
            _update(table, visits, one_s, one_a, one_r, one_n, one_d, learning_rate, discount)
            if stored >= batch_size:
                filled = min(stored, replay_size)
                for j in range(batch_size):
                    pick[j] = int(_uniform(key, step, 3 + j) * filled)
                _update(table, visits, buf_s[pick], buf_a[pick], buf_r[pick], buf_n[pick],
                        buf_d[pick], learning_rate, discount)  # fmt: skip
            step += 1
        rmse[episode] = math.sqrt(sq_error / n)
        progress = min(1.0, step / max(1.0, decay_fraction * total))
        eps_end_of[episode] = eps_start + (eps_end - eps_start) * progress
    return rmse, eps_end_of, calls, chose_argmax


def train(agent, states: np.ndarray, rul: np.ndarray, done: np.ndarray, *, use_td: bool) -> None:
    """Train ``agent`` (a :class:`~qpdm_lib.qaql.agent.QAQLAgent`) in place, compiled."""
    c = agent.config
    code = CODES[agent.selector.name]
    rmse, eps_end, calls, chose = _loop(
        agent.table, agent.visits, np.ascontiguousarray(states, np.int64),
        np.ascontiguousarray(rul, np.float64), np.ascontiguousarray(done, np.float64),
        agent.centres, code, np.uint64(agent.key), c.learning_rate,
        c.discount if use_td else 0.0, c.epsilon_start, c.epsilon_end, c.epsilon_decay_fraction,
        c.episodes, c.replay_size, c.batch_size, c.num_reads, c.penalty_factor,
        c.softmax_temperature, KAPPA,
    )  # fmt: skip
    agent.selector.calls += int(calls)
    agent.selector.chose_argmax += int(chose)
    for episode in range(c.episodes):
        agent.history.append(
            {
                "episode": episode + 1,
                "train_rmse_behaviour": float(rmse[episode]),
                "epsilon_end": float(eps_end[episode]),
            }
        )
