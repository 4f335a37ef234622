"""The runner's rough edges: where it writes, concurrent runs, interruptions."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qpdm_lib.book import runner
from qpdm_lib.errors import QPDMError

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]


def test_results_dir_pointing_at_a_file_is_one_line(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("QPDM_RESULTS_DIR", str(tmp_path / "file"))
    with pytest.raises(QPDMError, match="is a file, not a folder"):
        runner.results_dir()
    done = subprocess.run(
        [*QPDM, "run", "qubo", "--profile", "smoke"], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0
    assert "is a file, not a folder" in done.stderr


def test_a_build_writes_beside_the_moved_results_never_into_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("QPDM_RESULTS_DIR", str(tmp_path / "res"))
    assert runner.build_dir() == (tmp_path / "res-book").resolve()
    monkeypatch.setenv("QPDM_BUILD_DIR", str(tmp_path / "elsewhere"))
    assert runner.build_dir() == (tmp_path / "elsewhere").resolve()
    monkeypatch.delenv("QPDM_BUILD_DIR")
    monkeypatch.delenv("QPDM_RESULTS_DIR")
    assert runner.build_dir() == runner.ROOT / "_build"


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    import fcntl

    folder = tmp_path / "qubo"
    folder.mkdir()
    with open(folder / ".smoke.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another run holds the folder
        with pytest.raises(QPDMError, match="another qpdm run is writing 'qubo'"):
            runner.run_chapter("qubo", profile="smoke", out_dir=tmp_path, log=lambda m: None)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_run_says_one_line_and_leaves_nothing_behind(tmp_path, sig):
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"), QPDM_RESULTS_DIR=str(tmp_path / "res"))
    Path(env["TMPDIR"]).mkdir()
    proc = subprocess.Popen([*QPDM, "run", "qubo", "--profile", "smoke"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline and not list(Path(env["TMPDIR"]).glob("qpdm-qubo-*")):
        time.sleep(0.2)  # wait until the chapter is executing
    time.sleep(2)
    os.killpg(proc.pid, sig)  # the whole group, as a terminal's Ctrl-C does
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    lines = [ln for ln in stderr.strip().splitlines() if not ln.startswith("qubo:")]
    assert lines == ["qpdm: interrupted; finished chapters keep their results, re-run to resume"]
    assert not list(Path(env["TMPDIR"]).glob("qpdm-qubo-*"))  # the temporary folder is gone
    assert not (tmp_path / "res" / "qubo" / "smoke.json").exists()
