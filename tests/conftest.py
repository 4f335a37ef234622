"""Shared fixtures: an offline, isolated environment for every test, and the real data if present.

Real-data tests use ``QPDM_TEST_DATA_DIR``, else ``QPDM_DATA_DIR``, else ``../shared/data`` beside
the repository; when none holds the files they are skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _real_dir() -> Path | None:
    for candidate in (
        os.environ.get("QPDM_TEST_DATA_DIR"),
        os.environ.get("QPDM_DATA_DIR"),
        str(ROOT.parent / "shared" / "data"),
    ):
        if (
            candidate
            and (Path(candidate) / "MANIFEST.tsv").is_file()
            or (candidate and (Path(candidate) / "cwru").is_dir())
        ):
            return Path(candidate).resolve()
    return None


REAL_DIR = _real_dir()


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("synthetic")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path, synthetic_dir):
    """No network, no user cache, results in a temporary folder."""
    monkeypatch.setenv("QPDM_OFFLINE", "1")
    monkeypatch.setenv("QPDM_SYNTHETIC_DIR", str(synthetic_dir))
    monkeypatch.setenv("QPDM_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("QPDM_DATA_DIR", str(tmp_path / "empty-data"))
    monkeypatch.delenv("QPDM_RESULTS_SINK", raising=False)


@pytest.fixture
def real_data(monkeypatch) -> Path:
    """Point QPDM_DATA_DIR at the real data, or skip."""
    if REAL_DIR is None:
        pytest.skip("real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data")
    monkeypatch.setenv("QPDM_DATA_DIR", str(REAL_DIR))
    return REAL_DIR


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
