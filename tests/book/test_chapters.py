"""The runner's contract, and every chapter executed in the smoke profile."""

import json
import subprocess
import sys

import nbformat
import papermill
import pytest

from qpdm_lib.book import profiles, runner
from qpdm_lib.errors import ChapterFailedError

from ..helpers import REAL_DIR

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]


def _qpdm(*args, env=None):
    return subprocess.run([*QPDM, *args], capture_output=True, text=True, env=env)


def test_list_names_every_chapter():
    out = _qpdm("list").stdout
    for chapter_id in profiles.CHAPTERS:
        assert chapter_id in out


def test_bad_parameter_stops_before_execution_with_one_line(tmp_path):
    done = _qpdm("run", "data", "--profile", "smoke", "-p", "seed=minus-one")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "qpdm: error: parameter 'seed' must be an int in [0, 2147483647], got 'minus-one'"
    ]
    assert not (tmp_path / "results").exists()  # nothing executed, nothing written


def test_malformed_pair_and_unknown_chapter():
    assert "-p takes name=value, got 'seed'" in _qpdm("run", "data", "-p", "seed").stderr
    assert "unknown chapter 'nope'" in _qpdm("run", "nope").stderr


def test_papermill_with_bad_parameters_shows_one_line(tmp_path):
    # a reader calling papermill directly gets the same one-line message from the config cell
    with pytest.raises(papermill.PapermillExecutionError) as info:
        papermill.execute_notebook(
            str(profiles.BOOK_DIR / "data.ipynb"),
            str(tmp_path / "out.ipynb"),
            parameters={"profile": "smoke", "pm_devices": -4},
            kernel_name="python3",
            progress_bar=False,
        )
    assert info.value.ename == "ParameterError"
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "error"
    ]
    assert errors[0]["traceback"] == [
        "ParameterError: parameter 'pm_devices' must be an int >= 0, got -4"
    ]


def _run_smoke(chapter_id, *params):
    done = _qpdm("run", chapter_id, "--profile", "smoke", *params)
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip().splitlines()[-1]
    return json.loads(open(path, encoding="utf-8").read()), path


def _html_of(notebook_path):
    """All HTML outputs of an executed notebook, concatenated."""
    nb = nbformat.read(notebook_path, as_version=4)
    return "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


def _check_contract(results, chapter_id):
    for key in (
        "chapter",
        "profile",
        "parameters",
        "data_source",
        "versions",
        "metrics",
        "claims",
        "seeds",
    ):
        assert key in results
    assert results["chapter"] == chapter_id and results["profile"] == "smoke"
    assert results["data_source"] in ("real", "synthetic")
    assert all({"id", "paper", "ours"} <= set(c) for c in results["claims"])
    assert all(isinstance(v, float) for v in results["metrics"].values())


@pytest.mark.skipif(
    REAL_DIR is None, reason="real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data"
)
def test_data_chapter_on_real_data(real_data):
    results, path = _run_smoke("data")
    _check_contract(results, "data")
    assert results["data_source"] == "real"
    assert results["metrics"]["cwru.normal_fs_best_hypothesis"] == 48_000
    claims = {c["id"]: c["ours"] for c in results["claims"]}
    assert claims["qaql.pm_rows"] == 124_494 and claims["qaql.fd001_train_windows"] == 17_731
    # same parameters, same numbers
    again, _ = _run_smoke("data")
    assert again["metrics"] == results["metrics"]


def test_data_chapter_on_synthetic_data_shows_the_banner():
    results, path = _run_smoke("data", "-p", "data=synthetic", "-p", "seed=2")
    _check_contract(results, "data")
    assert results["data_source"] == "synthetic" and results["seeds"] == {"seed": 2}
    html = _html_of(results["notebook"])
    assert html.count("Synthetic data") == 3  # one banner per dataset


@pytest.mark.parametrize("chapter_id", [c for c, ch in profiles.CHAPTERS.items() if ch.executable])
def test_every_chapter_runs_in_smoke_on_synthetic_data(chapter_id):
    params = ["-p", "data=synthetic"] if "data" in profiles.CHAPTERS[chapter_id].params else []
    results, _ = _run_smoke(chapter_id, *params)
    _check_contract(results, chapter_id)


@pytest.mark.skipif(
    REAL_DIR is None, reason="real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data"
)
def test_preprocessing_chapter_on_real_data(real_data):
    results, _ = _run_smoke("preprocessing")
    assert results["data_source"] == "real"
    assert results["metrics"]["preprocessing.inner_race_records_bpfi_over_bpfo"] >= 1


def test_failed_chapter_writes_no_results_and_keeps_old_ones(monkeypatch, tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell('profile = "quick"', metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell('raise ValueError("boom")'),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, book / "ledger.ipynb")
    monkeypatch.setattr(profiles, "BOOK_DIR", book)
    out = tmp_path / "results"
    previous = out / "ledger" / "smoke.json"
    previous.parent.mkdir(parents=True)
    previous.write_text('{"kept": true}')
    with pytest.raises(
        ChapterFailedError, match="chapter 'ledger' failed in cell .*ValueError: boom"
    ):
        runner.run_chapter("ledger", profile="smoke", out_dir=out, log=lambda m: None)
    assert json.loads(previous.read_text()) == {"kept": True}
    assert (out / "ledger" / "smoke.failed.ipynb").is_file()


@pytest.mark.skipif(
    REAL_DIR is None, reason="real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data"
)
def test_qaql_chapter_on_real_data_records_its_claims(real_data):
    results, _ = _run_smoke("qaql")
    assert results["data_source"] == "real"
    claims = {c["id"] for c in results["claims"]}
    assert {"qaql.fd001_rmse", "qaql.pm_rmse", "qaql.fd001_rmse_no_qa"} <= claims
    assert results["metrics"]["annealer.lowest_is_argmax_fraction"] > 0.95


def test_qaql_chapter_falls_back_without_a_qpu_token(monkeypatch, tmp_path):
    monkeypatch.delenv("DWAVE_API_TOKEN", raising=False)
    monkeypatch.setenv("DWAVE_CONFIG_FILE", str(tmp_path / "none.conf"))
    monkeypatch.setenv("HOME", str(tmp_path))
    results, _ = _run_smoke("qaql", "-p", "data=synthetic", "-p", "selectors=greedy,qpu")
    assert results["metrics"]["qpu_fallback"] == 1.0
    html = _html_of(results["notebook"])
    assert "QPU not used" in html and "dwave config create" in html


@pytest.mark.slow
def test_whole_book_builds_in_smoke_and_resumes():
    logs = []
    index = runner.build_book(profile="smoke", log=logs.append)
    assert index.is_file()
    page = (index.parent / "book" / "data.html").read_text(encoding="utf-8")
    assert "What the paper leaves open" in page
    logs.clear()
    runner.build_book(profile="smoke", html=False, log=logs.append)
    assert any("data: results are current, not re-run" in m for m in logs)


@pytest.mark.skipif(
    REAL_DIR is None, reason="real data absent: set QPDM_TEST_DATA_DIR or provide ../shared/data"
)
def test_hybrid_network_chapter_on_real_data_records_its_claims(real_data):
    results, _ = _run_smoke("hybrid-network")
    assert results["data_source"] == "real"
    claims = {c["id"]: c for c in results["claims"]}
    expected = {"accuracy", "precision", "recall", "f1", "auc", "fidelity", "params_m"}
    assert {f"qeml.{k}" for k in expected | {"latency_ms", "fps", "quantum_params"}} <= set(claims)
    assert claims["qeml.quantum_params"]["ours"] == 72
    assert "smoke profile" in claims["qeml.accuracy"]["note"]
    assert results["metrics"]["circuit.max_abs_difference"] < 1e-10
