"""What the MFPT, Paderborn and IMS loaders share: reading a file, resampling, cutting windows.

The three data sets come as archives whose files are unpacked by hand (see
:data:`qpdm_lib.data.registry.HOMES`); nothing of them is pinned in the registry, so their files
are read as present and the source says once, not per file, that they are unverified.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.signal

from ..errors import DataFormatError, DataMissingError

if TYPE_CHECKING:
    from .source import Source

__all__ = ["local_path", "resample", "check_window_args", "cut"]


def local_path(source: Source, key: str) -> Path:
    """Path of ``key`` (``"<dataset>/..."``) in ``source``.

    A real file the registry pins is hash-verified through :meth:`Source.path`; any other real
    file is read as present (the registry cannot pin what it has never seen, and hashing gigabytes
    of unpinned files per run would buy nothing). A missing file names what to do.
    """
    from . import registry  # the registry imports the loaders' tables; import it only when reading

    entry = registry.REGISTRY.get(key)
    if source.is_real and (entry is None or entry.sha256 is None):
        path = Path(source.root) / key
        if not path.is_file():
            dataset = key.split("/", 1)[0]
            home = registry.HOMES.get(dataset)
            raise DataMissingError(f"{path} is missing; {home.how if home else 'fetch it again'}")
        return path
    return source.path(key)


def resample(signal: np.ndarray, fs_native: int, fs: int, *, axis: int = 0) -> np.ndarray:
    """Polyphase resampling by the exact reduced ratio ``fs / fs_native`` (anti-aliasing FIR).

    >>> resample(np.ones(20), 20_000, 12_000).shape    # up 3, down 5
    (12,)
    """
    ratio = Fraction(int(fs), int(fs_native))
    if ratio == 1:
        return signal
    return scipy.signal.resample_poly(signal, ratio.numerator, ratio.denominator, axis=axis)


def check_window_args(length: int, overlap: float, max_per_record: int, fs: int) -> int:
    """Check the windowing arguments (naming the bad one) and return the hop in samples."""
    if length < 16:
        raise ValueError(f"length must be >= 16 samples, got {length}")
    if not 0 <= overlap < 1:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    if max_per_record < 0:
        raise ValueError(f"max_per_record must be >= 0, got {max_per_record}")
    if fs <= 0 or int(fs) != fs:
        raise ValueError(f"fs must be a positive whole number of Hz, got {fs}")
    return max(1, int(round(length * (1 - overlap))))


def cut(
    signal: np.ndarray, length: int, hop: int, max_per_record: int, what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Windows of ``signal`` (float32) and their first samples, at most ``max_per_record`` of
    them evenly spread over the signal (0 keeps all)."""
    if len(signal) < length:
        raise DataFormatError(f"{what} has {len(signal)} samples after resampling < {length}")
    view = np.lib.stride_tricks.sliding_window_view(signal, length)[::hop]
    start = np.arange(len(view)) * hop
    if max_per_record and len(view) > max_per_record:
        keep = np.linspace(0, len(view) - 1, max_per_record).round().astype(int)
        view, start = view[keep], start[keep]
    return view.astype(np.float32), start.astype(np.int64)
