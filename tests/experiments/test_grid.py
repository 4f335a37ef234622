"""The run grid: resumes, never reuses stale results, reports failures, runs on Dask."""

import os
import signal
import subprocess
import sys
import time

import pytest

from qpdm_lib.experiments import grid as g

from .grid_cells import count_lines, square

CODE = "code-v1"


def test_cells_are_computed_once_and_read_back(tmp_path, monkeypatch):
    log = tmp_path / "log.txt"
    monkeypatch.setenv("GRID_TEST_LOG", str(log))
    store = g.RunStore(tmp_path / "store")
    cells = g.grid("sq", x=[1, 2, 3])
    first = g.run(cells, square, store=store, code=CODE, local=True)
    assert first.computed == 3 and [r["result"]["y"] for r in first.records] == [1, 4, 9]
    again = g.run(cells, square, store=store, code=CODE, local=True)
    assert again.computed == 0 and again.reused == 3 and count_lines(log) == 3
    assert again.table()["y"].tolist() == [1, 4, 9]


def test_a_client_factory_is_called_only_when_there_is_work(tmp_path):
    store = g.RunStore(tmp_path / "store")
    cells = g.grid("sq", x=[1, 2])
    g.run(cells, square, store=store, code=CODE, local=True)

    def factory():
        raise AssertionError("a cluster was started for a grid with nothing to compute")

    again = g.run(cells, square, store=store, code=CODE, client=factory)
    assert again.reused == 2 and again.computed == 0


def test_list_results_are_kept_only_when_asked(tmp_path):
    store = g.RunStore(tmp_path / "store")
    result = g.run(g.grid("sq", x=[2]), square, store=store, code=CODE, local=True)
    result.records[0]["result"]["trace"] = [1, 2]
    assert "trace" not in result.table() and result.table(lists=True)["trace"][0] == [1, 2]


def test_a_changed_config_code_or_data_gets_a_new_key(tmp_path):
    store = g.RunStore(tmp_path)
    cell = g.Cell("sq", {"x": 2})
    g.run([cell], square, store=store, code=CODE, local=True)
    assert g.run([cell], square, store=store, code=CODE, local=True).computed == 0
    assert (
        g.run(
            [g.Cell("sq", {"x": 2, "seed": 1})], square, store=store, code=CODE, local=True
        ).computed
        == 1
    )
    assert g.run([cell], square, store=store, code="code-v2", local=True).computed == 1
    assert (
        g.run([cell], square, store=store, code=CODE, data="other-file", local=True).computed == 1
    )


def test_a_failing_cell_is_recorded_and_the_others_finish(tmp_path):
    cells = [g.Cell("sq", {"x": 1}), g.Cell("sq", {"x": 2, "fail": True}), g.Cell("sq", {"x": 3})]
    result = g.run(cells, square, store=g.RunStore(tmp_path), code=CODE, local=True)
    assert [r["status"] for r in result.records] == ["ok", "failed", "ok"]
    assert len(result.failed) == 1 and "cell 2 fails on purpose" in result.failed[0][1]
    assert result.failed[0][0].config == {"x": 2, "fail": True}
    assert result.table()["y"].tolist() == [1, 9]


def test_the_code_hash_follows_the_source():
    assert g.code_hash("qpdm_lib.experiments.grid") == g.code_hash("qpdm_lib.experiments.grid")
    assert g.code_hash("qpdm_lib.experiments") != g.code_hash("qpdm_lib.metrics")


@pytest.mark.slow
def test_on_a_local_dask_cluster_an_interrupted_grid_resumes(tmp_path):
    """Kill the client process mid-way; the rerun computes only the cells that were not stored."""
    log = tmp_path / "log.txt"
    script = f"""
import sys
sys.path.insert(0, {str(os.getcwd())!r})
from qpdm_lib.experiments import grid as g
from tests.experiments.grid_cells import square
cells = g.grid("sq", x=list(range(8)), sleep=[0.6])

client = g.client_for(n_workers=1)
r = g.run(cells, square, store=g.RunStore({str(tmp_path / "store")!r}), code="c", client=client)
print("computed", r.computed, "reused", r.reused)
"""
    env = dict(os.environ, GRID_TEST_LOG=str(log))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline and len(list((tmp_path / "store" / "sq").glob("*.json"))) < 3:
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)  # the client and its workers die mid-grid
    proc.wait()
    stored = len(list((tmp_path / "store" / "sq").glob("*.json")))
    assert 3 <= stored < 8
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"computed {8 - stored} reused {stored}" in done.stdout
