"""Helpers several test modules import: where the real data are, skip markers, window builders.

Real-data tests use ``QPDM_TEST_DATA_DIR``, else ``QPDM_DATA_DIR``, else ``../shared/data`` beside
the repository; when none holds the files they are skipped with the reason. (Fixtures live in
``conftest.py``; plain helpers live here, so a test imports them by name.)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_NO_REAL = "real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data"


def _real_dir() -> Path | None:
    for candidate in (
        os.environ.get("QPDM_TEST_DATA_DIR"),
        os.environ.get("QPDM_DATA_DIR"),
        str(ROOT.parent / "shared" / "data"),
    ):
        if candidate and (
            (Path(candidate) / "MANIFEST.tsv").is_file() or (Path(candidate) / "cwru").is_dir()
        ):
            return Path(candidate).resolve()
    return None


REAL_DIR = _real_dir()


def need_real(*keys: str):
    """Skip marker for tests that need specific real files."""
    missing = REAL_DIR is None or not all((REAL_DIR / k).is_file() for k in keys)
    return pytest.mark.skipif(missing, reason=f"real data absent: needs {', '.join(keys)}")


def cwru_like_windows(records_per_class, *, per_record, hop, first_record=0):
    """Labels, record numbers and start samples of windows cut like CWRU's, one class after another.

    ``records_per_class[c]`` records of class ``c``, each with ``per_record`` windows ``hop``
    samples apart (``hop`` = half the window length gives the paper's 50 % overlap).
    """
    y, groups, start = [], [], []
    number = first_record
    for cls, n in enumerate(records_per_class):
        for _ in range(n):
            y += [cls] * per_record
            groups += [number] * per_record
            start += list(np.arange(per_record) * hop)
            number += 1
    return np.array(y), np.array(groups), np.array(start)


def peak_hz(x, fs, lo=0.0, hi=None):
    """Frequency of the largest Hann-windowed FFT bin of ``x`` in (lo, hi) (default: to fs/2)."""
    spec = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(len(x))))
    f = np.fft.rfftfreq(len(x), 1 / fs)
    band = (f > lo) & (f < (hi or fs / 2))
    return f[band][np.argmax(spec[band])]


def envelope_peak_hz(x, fs, lo=20.0, hi=450.0):
    """Frequency of the largest line of the envelope spectrum (Hilbert envelope) in (lo, hi)."""
    import scipy.signal

    return peak_hz(np.abs(scipy.signal.hilbert(x)), fs, lo, hi)
