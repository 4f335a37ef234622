"""The command line as a reader meets it: what `qpdm data status` says about each file."""

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
