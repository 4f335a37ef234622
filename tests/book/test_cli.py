"""The command line as a reader meets it: data status, one-line warnings, progress, no noise."""

import os
import shutil
import subprocess
import sys

from ..helpers import REAL_DIR

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]


def _status(data_dir):
    env = dict(os.environ, QPDM_DATA_DIR=str(data_dir), QPDM_OFFLINE="1")
    return subprocess.run([*QPDM, "data", "status"], capture_output=True, text=True, env=env)


def test_status_tells_verified_from_unverified_and_refused_files(tmp_path):
    (tmp_path / "cwru").mkdir()
    (tmp_path / "cmapss").mkdir()
    (tmp_path / "cwru" / "98.mat").write_bytes(b"no sha256 is pinned for record 98")
    (tmp_path / "cwru" / "97.mat").write_bytes(b"not the original record 97")
    real = REAL_DIR is not None and (REAL_DIR / "cmapss" / "RUL_FD001.txt").is_file()
    if real:
        shutil.copyfile(
            REAL_DIR / "cmapss" / "RUL_FD001.txt", tmp_path / "cmapss" / "RUL_FD001.txt"
        )
    done = _status(tmp_path)
    out = done.stdout
    assert "  cwru: 2 of" in out and "registry files present" in out
    assert "1 present, used unverified (no sha256 pinned in the registry): cwru/98.mat" in out
    assert "1 present but refused (sha256 differs from the registry's): cwru/97.mat" in out
    assert "0 present and verified" in out.split("cmapss")[0]  # neither cwru file is verified
    if real:
        assert "cmapss: 1 of" in out and "1 present and verified" in out.split("cmapss")[1]
    # a refused file is an error: one line, non-zero exit
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "qpdm: error: 1 file(s) differ from their registry sha256: fetch them again"
    ]


def test_status_of_an_empty_folder_succeeds(tmp_path):
    done = _status(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "pm: 0 of 1 registry files present" in done.stdout


def test_a_library_warning_reads_as_one_line(monkeypatch, capsys):
    import signal
    import warnings

    from qpdm_lib.book import cli

    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # restored afterwards
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    assert cli.main(["list"]) == 0
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("cwru/98.mat: no sha256 pinned in the registry", UserWarning, stacklevel=1)
    assert capsys.readouterr().err == (
        "qpdm: warning: cwru/98.mat: no sha256 pinned in the registry\n"
    )


def test_build_shows_progress_and_no_kernel_noise(smoke_site):
    import re

    from qpdm_lib.book import runner

    err = smoke_site.done.stderr
    # which chapter, which cell, how long: the chapters that read results run in every build
    for reader in set(runner.READERS) & set(runner.toc_chapters()):
        assert re.search(rf"^{reader}: cell \d+/\d+, \d+ s", err, re.M), err[-2000:]
        assert re.search(rf"^{reader}: done in [\d.]+ s", err, re.M)
    assert re.search(r"^book built in \d+ s: ", err, re.M)
    # the kernel's chatter and Python's multi-line warning form stay off the reader's terminal
    assert "TCP" not in err and "Kernel" not in err
    assert not re.search(r"\.py:\d+: \w*Warning", err)
