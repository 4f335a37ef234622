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


def test_a_kernel_killed_by_the_interrupt_leaves_no_asyncio_traceback(caplog, capsys):
    """The ctrl-c case above failed in CI once: asyncio reported papermill's cell task, whose kernel
    had died, as "Task exception was never retrieved" with a traceback after our one line."""
    import asyncio
    import gc
    import logging

    from nbclient.exceptions import DeadKernelError

    from qpdm_lib.book import cli

    def abandoned_task(exc):
        async def cell():
            raise exc

        loop = asyncio.new_event_loop()
        task = loop.create_task(cell())
        loop.run_until_complete(asyncio.sleep(0.01))  # the task fails; nobody awaits it
        loop.close()
        del task
        gc.collect()

    cli.main(["list"])  # installs the filter, as every qpdm command does
    capsys.readouterr()
    try:
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            abandoned_task(DeadKernelError("Kernel died"))
            assert not caplog.records
            abandoned_task(ValueError("a real bug"))  # anything else is still reported
            assert ["never retrieved" in r.getMessage() for r in caplog.records] == [True]
    finally:
        logging.getLogger("asyncio").removeFilter(cli._drop_dead_kernel_reports)


# --- the build's order, provenance and the students' edition -----------------------------------
def test_chapters_that_read_results_run_last_and_every_time(monkeypatch):
    calls = []
    monkeypatch.setattr(
        runner, "toc_chapters", lambda: ["intro", "stats", "data", "ledger", "qubo"]
    )
    monkeypatch.setattr(runner, "run_chapter", lambda c, **kw: calls.append((c, kw["force"])))
    runner.build_book(profile="smoke", html=False, log=lambda m: None)
    assert calls == [("data", False), ("qubo", False), ("ledger", True), ("stats", True)]


def test_results_name_the_commit_and_say_when_it_was_not_clean(monkeypatch, tmp_path):
    found = runner.commit()
    assert len(found["sha"]) == 40 and isinstance(found["dirty"], bool)  # this checkout
    monkeypatch.setattr(runner, "ROOT", tmp_path)  # an installed copy: no checkout of its own
    assert runner.commit() == {"sha": None, "dirty": None}


def test_students_edition_drops_every_solution_and_keeps_the_exercises():
    import nbformat

    v4 = nbformat.v4
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("````{exercise} One\n:label: ex-1\nDo it.\n````"),
            v4.new_markdown_cell("````{solution-start} ex-1\n:class: dropdown\n````\nBecause."),
            v4.new_code_cell("answer = 42"),
            # one cell may close a solution, pose the next exercise and open its solution
            v4.new_markdown_cell(
                "````{solution-end}\n````\n\n````{exercise} Two\n:label: ex-2\nAnd this.\n"
                "````\n\n````{solution-start} ex-2\n:class: dropdown\n````\nSince so."
            ),
            v4.new_code_cell("answer = 43"),
            v4.new_markdown_cell("````{solution-end}\n````"),
            v4.new_code_cell("rec.save()"),
        ]
    )
    kept = [c.source for c in runner.strip_solutions(nb).cells]
    text = "\n".join(kept)
    assert "answer" not in text and "Because" not in text and "Since" not in text
    assert "solution" not in text
    assert kept == [
        "````{exercise} One\n:label: ex-1\nDo it.\n````",
        "````{exercise} Two\n:label: ex-2\nAnd this.\n````",
        "rec.save()",
    ]


def test_students_edition_hides_solutions_and_has_no_launch_buttons(tmp_path):
    import yaml

    runner._stage_config(tmp_path, solutions=False)
    config = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert config["sphinx"]["config"]["hide_solutions"] is True
    assert "launch_buttons" not in config and "students' edition" in config["title"]
    teachers = tmp_path / "teachers"
    teachers.mkdir()
    runner._stage_config(teachers, solutions=True)
    assert (teachers / "_config.yml").read_text() == (runner.ROOT / "_config.yml").read_text()
