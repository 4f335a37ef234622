"""The one-hot QUBO of QAQL section 3 (Eq. 13-21) and its decoding.

Selecting one of ``n`` RUL bins is a constrained choice over indicators ``x_k`` (Eq. 14) with
exactly one set (Eq. 15). With per-bin cost ``c_k = -Q(s, a_k)`` (Eq. 16) and a penalty weight
``A`` (Eq. 17),

    E(x) = Σ_k c_k x_k + A (Σ_k x_k - 1)²
         = Σ_k (c_k - A) x_k + Σ_{i<j} 2A x_i x_j + A        (Eq. 18-19, using x_k² = x_k)

so the QUBO has linear biases ``-Q_k - A`` and quadratic biases ``2A`` (the constant ``A`` is
dropped). A string with ``m`` bits set has energy ``Σ_{k∈S} c_k + A·m(m-2)``.

Feasibility (Eq. 20, illegible in the published text; this is our reconstruction): a sufficient
condition is that every infeasible string pays more penalty than any single bin could save,
``A > max_k |Q_k|`` (:func:`penalty_bound`). The exact
threshold (:func:`tight_penalty_threshold`) is usually lower; below it the ground state is not
one-hot.

Ising form (Eq. 21) with ``x = (1 + s)/2``: ``h_k = -Q_k/2 + A(n-2)/2``, ``J_ij = A/2``
(:func:`to_ising`).

Examples
--------
>>> import numpy as np
>>> q = np.array([-3.0, -1.0, -2.0])
>>> bqm = one_hot_qubo(q, penalty=penalty_bound(q) * 1.5)
>>> int(decode(np.array([[0, 1, 0]]))[0])
1
"""

from __future__ import annotations

import dimod
import numpy as np

__all__ = [
    "one_hot_qubo",
    "penalty_bound",
    "tight_penalty_threshold",
    "scaled_penalty",
    "to_ising",
    "decode",
    "reads_of",
    "one_hot_energies",
    "all_states",
]


def _q(q_values) -> np.ndarray:
    q = np.asarray(q_values, dtype=np.float64)
    if q.ndim != 1 or len(q) < 2:
        raise ValueError(
            f"q_values must be a 1-D array of at least 2 action values, got shape {q.shape}"
        )
    if not np.all(np.isfinite(q)):
        raise ValueError(f"q_values must be finite, got {q}")
    return q


def one_hot_qubo(q_values, *, penalty: float) -> dimod.BinaryQuadraticModel:
    """One-hot QUBO whose ground state is argmax(q_values) when the penalty is large enough (Eq. 19).

    Variables are labelled ``0 … n-1`` (the bins). Linear biases ``-Q_k - A``, quadratic ``2A``.
    """
    q = _q(q_values)
    if not penalty > 0:
        raise ValueError(f"penalty must be > 0, got {penalty}")
    n = len(q)
    rows, cols = np.triu_indices(n, k=1)
    return dimod.BinaryQuadraticModel.from_numpy_vectors(
        linear=-q - penalty,
        quadratic=(rows, cols, np.full(len(rows), 2.0 * penalty)),
        offset=0.0,
        vartype=dimod.BINARY,
    )


def penalty_bound(q_values) -> float:
    """Our reconstruction of Eq. 20's feasibility bound, ``max_k |Q_k|``: any larger penalty keeps
    the ground state one-hot (the printed equation is illegible)."""
    return float(np.max(np.abs(_q(q_values))))


def tight_penalty_threshold(q_values) -> float:
    """Smallest valid penalty: for every ``A`` above it the one-hot argmax is the unique ground
    state, for every sign of Q.

    With costs ``c = -Q`` sorted ascending, an ``m``-bit string's best energy is
    ``Σ_{i≤m} c_(i) + A·m(m-2)`` against ``c_(1) - A`` for the best one-hot string, so ``A`` must
    exceed ``c_(1)`` (beating the empty string) and ``(c_(1) - Σ_{i≤m} c_(i)) / (m-1)²`` for
    every m ≥ 2; a penalty is positive by definition, so the threshold is never below 0. With all
    Q < 0 (QAQL's negative rewards) the empty string binds; a positive Q can make a two-bit string
    bind instead, and when no condition binds every positive penalty works (threshold 0).

    >>> tight_penalty_threshold([-3.0, -1.0, -2.0])   # all negative: the empty string, c_(1) = 1
    1.0
    >>> tight_penalty_threshold([5.0, 4.0, -10.0])    # two positive Q: the pair {0, 1} binds
    4.0
    """
    c = np.sort(-_q(q_values))
    cums = np.cumsum(c)
    m = np.arange(2, len(c) + 1)
    multi = (c[0] - cums[1:]) / (m - 1) ** 2
    return float(max(0.0, c[0], multi.max()))


def scaled_penalty(q_values, *, factor: float = 1.5, floor: float = 1.0) -> float:
    """Per-step penalty ``A_t = factor · max(max_k |Q_k|, floor)`` (Eq. 20, rescaled every step).

    The floor keeps ``A`` positive while the Q-table is still all zeros.
    """
    if factor <= 1:
        raise ValueError(f"factor must be > 1 to stay above the bound of Eq. 20, got {factor}")
    return factor * max(penalty_bound(q_values), floor)


def to_ising(q_values, *, penalty: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Ising form of the QUBO (Eq. 21): ``(h, J, offset)`` with ``J`` an upper-triangular matrix.

    Energies agree with the QUBO on every state under ``x = (1 + s) / 2``.
    """
    q = _q(q_values)
    n, a = len(q), float(penalty)
    h = -q / 2 + a * (n - 2) / 2
    J = np.triu(np.full((n, n), a / 2), k=1)
    offset = float(np.sum(-q - a) / 2 + a / 2 * n * (n - 1) / 2)
    return h, J, offset


def all_states(n: int) -> np.ndarray:
    """Every bit string of length ``n`` (rows), ``n`` ≤ 20."""
    if not 1 <= n <= 20:
        raise ValueError(f"n must be in [1, 20] to enumerate 2**n states, got {n}")
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(np.int8)


def one_hot_energies(states: np.ndarray, q_values, *, penalty: float) -> np.ndarray:
    """QUBO energies of bit strings (rows of ``states``), without building a BQM."""
    q = _q(q_values)
    x = np.asarray(states, dtype=np.float64)
    m = x.sum(axis=-1)
    return x @ (-q) + penalty * m * (m - 2)


def decode(samples: np.ndarray) -> np.ndarray:
    """Action of each sample (row): the index of its single set bit, or -1 when infeasible.

    Infeasible means no bit or several bits set; callers count them and decide what to do.
    """
    x = np.asarray(samples)
    if x.ndim != 2:
        raise ValueError(f"samples must be (reads, variables), got shape {x.shape}")
    ones = x.sum(axis=1)
    return np.where(ones == 1, np.argmax(x, axis=1), -1)


def reads_of(sampleset: dimod.SampleSet) -> np.ndarray:
    """A sample set's reads as rows, columns in bin order 0…n-1, each row repeated by its count.

    Samplers may order variables as they like and aggregate identical reads; decoding needs
    neither.
    """
    x = sampleset.record.sample[:, np.argsort(list(sampleset.variables))]
    return np.repeat(x, sampleset.record.num_occurrences, axis=0)
