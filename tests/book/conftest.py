"""Each chapter runs once per data source per test session; the tests share those runs.

``smoke_synthetic`` executes the whole book in the ``smoke`` profile without real data (every
chapter falls back to its synthetic stand-ins) and ``smoke_real`` with the real data when present.
The contract, value and whole-book tests all read from these two builds, so adding a chapter
adds two executions to the suite, not six. ``smoke_site`` and ``smoke_students_site`` build the
HTML of the synthetic run once each (the instructors' and the students' edition) for the
whole-book and browser tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from ..helpers import REAL_DIR, SKIP_NO_REAL

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]


@dataclass
class Build:
    """A smoke build: where its results are and how to read them."""

    results: Path
    env: dict

    def results_of(self, chapter: str) -> dict:
        return json.loads((self.results / chapter / "smoke.json").read_text(encoding="utf-8"))

    def html_of(self, chapter: str) -> str:
        """All HTML outputs of the chapter's executed notebook, concatenated."""
        nb = nbformat.read(self.results / chapter / "smoke.ipynb", as_version=4)
        return "".join(
            o.get("data", {}).get("text/html", "")
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
        )

    def qpdm(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*QPDM, *args], capture_output=True, text=True, env=self.env)


def _env(tmp: Path, data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        QPDM_OFFLINE="1",
        QPDM_DATA_DIR=str(data_dir),
        QPDM_RESULTS_DIR=str(tmp / "results"),
        QPDM_SYNTHETIC_DIR=str(tmp / "synthetic"),
    )
    env.pop("QPDM_RESULTS_SINK", None)
    return env


def _build(tmp: Path, data_dir: Path) -> Build:
    build = Build(tmp / "results", _env(tmp, data_dir))
    done = build.qpdm("build", "--profile", "smoke", "--no-html")
    assert done.returncode == 0, done.stderr[-3000:]
    return build


@pytest.fixture(scope="session")
def smoke_synthetic(tmp_path_factory) -> Build:
    tmp = tmp_path_factory.mktemp("smoke-synthetic")
    return _build(tmp, tmp / "no-data")


@dataclass
class Site:
    """A built HTML edition of the smoke book and the ``qpdm build`` run that built it."""

    html: Path  # the folder holding index.html
    done: subprocess.CompletedProcess


def _site(build: Build, *flags: str) -> Site:
    done = build.qpdm("build", "--profile", "smoke", *flags)
    assert done.returncode == 0, done.stderr[-3000:]
    folder = "site-students" if "--no-solutions" in flags else "site"
    return Site(build.results.parent / "results-book" / folder / "_build" / "html", done)


@pytest.fixture(scope="session")
def smoke_site(smoke_synthetic) -> Site:
    return _site(smoke_synthetic)


@pytest.fixture(scope="session")
def smoke_students_site(smoke_synthetic, smoke_site) -> Site:
    return _site(smoke_synthetic, "--no-solutions")


@pytest.fixture(scope="session")
def smoke_real(tmp_path_factory) -> Build:
    if REAL_DIR is None:
        pytest.skip(SKIP_NO_REAL)
    return _build(tmp_path_factory.mktemp("smoke-real"), REAL_DIR)
