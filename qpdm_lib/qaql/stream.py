"""Counter-based random numbers: the same (seed, step, slot) always gives the same uniform.

A training run consumes, at each step, a uniform for ε-exploration, one for the random action,
one for the selector's own draw (softmax, the closed-form annealer, ties) and one per replayed
transition. Drawn from a counter rather than a sequential generator, the readable Python agent
and the compiled loop (:mod:`qpdm_lib.qaql.compiled`) see exactly the same numbers, step by step,
without storing them: ``uniform(key, step, slot) = mix(key + (256·step + slot)·φ)`` with
SplitMix64's finaliser ``mix`` and the golden-ratio increment φ (Steele, Lea and Flood, 2014).

>>> key = seed_key(0)
>>> uniform(key, 5, SLOT_SELECT) == uniform(key, 5, SLOT_SELECT)
True
>>> float(uniforms(key, 5, SLOT_SELECT, 1)[0]) == uniform(key, 5, SLOT_SELECT)
True
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "seed_key",
    "uniform",
    "uniforms",
    "SLOT_EXPLORE",
    "SLOT_ACTION",
    "SLOT_SELECT",
    "SLOT_REPLAY",
    "MAX_BATCH",
]

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
SLOT_EXPLORE, SLOT_ACTION, SLOT_SELECT, SLOT_REPLAY = 0, 1, 2, 3
MAX_BATCH = 256 - SLOT_REPLAY  # replayed transitions per step that have their own slot


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * MIX_1) & MASK
    z = ((z ^ (z >> 27)) * MIX_2) & MASK
    return z ^ (z >> 31)


def seed_key(seed: int) -> int:
    """The 64-bit key of a seed (so nearby seeds give unrelated streams)."""
    return _mix((int(seed) * GOLDEN + GOLDEN) & MASK)


def uniform(key: int, step: int, slot: int) -> float:
    """One uniform in [0, 1) for ``(step, slot)`` of the stream ``key``."""
    z = _mix((key + (step * 256 + slot) * GOLDEN) & MASK)
    return (z >> 11) * 2.0**-53


def uniforms(key: int, step: int, first_slot: int, count: int) -> np.ndarray:
    """``count`` uniforms of ``step`` in the slots ``first_slot, first_slot + 1, …``."""
    if first_slot + count > 256:
        raise ValueError(f"a step has 256 slots; asked for {count} from slot {first_slot}")
    counter = np.uint64(step * 256 + first_slot) + np.arange(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(key) + counter * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX_1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX_2)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53
