"""Shared fixtures: an offline, isolated environment for every test, and the real data if present."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import REAL_DIR, SKIP_NO_REAL


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
        pytest.skip(SKIP_NO_REAL)
    monkeypatch.setenv("QPDM_DATA_DIR", str(REAL_DIR))
    return REAL_DIR
