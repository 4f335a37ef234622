"""The runner's contract, and every chapter's smoke run checked for values, not only shape."""

import json
import subprocess
import sys

import nbformat
import papermill
import pytest

from qpdm_lib import claims
from qpdm_lib.book import profiles, runner
from qpdm_lib.data import cwru, synthetic
from qpdm_lib.errors import ChapterFailedError

QPDM = [sys.executable, "-m", "qpdm_lib.book.cli"]
EXECUTABLE = [c for c, ch in profiles.CHAPTERS.items() if ch.executable]


def _qpdm(*args, env=None):
    return subprocess.run([*QPDM, *args], capture_output=True, text=True, env=env)


# --- the runner's contract ---------------------------------------------------------------------
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


def test_malformed_pair_unknown_chapter_text_page_and_profile_twice():
    assert "-p takes name=value, got 'seed'" in _qpdm("run", "data", "-p", "seed").stderr
    assert "unknown chapter 'nope'" in _qpdm("run", "nope").stderr
    assert "'intro' is a text page" in _qpdm("run", "intro").stderr
    twice = _qpdm("run", "data", "--profile", "smoke", "-p", "profile=quick")
    assert twice.returncode == 2 and "the profile is given twice" in twice.stderr


def test_papermill_with_bad_parameters_shows_one_line(tmp_path):
    # a reader calling papermill directly gets the same one-line message from the prologue
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
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]  # fmt: skip
    assert errors[0]["traceback"] == [
        "ParameterError: parameter 'pm_devices' must be an int >= 0, got -4"
    ]


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


# --- every chapter, from the session's two smoke builds ----------------------------------------
@pytest.mark.parametrize("chapter_id", EXECUTABLE)
def test_every_chapter_keeps_the_contract(smoke_synthetic, chapter_id):
    results = smoke_synthetic.results_of(chapter_id)
    for key in ("chapter", "profile", "parameters", "data_source", "versions", "metrics", "claims",
                "seeds", "glued", "missing_files", "effective_parameters", "duration_s",
                "commit", "machine"):  # fmt: skip
        assert key in results, key
    if (runner.ROOT / ".git").exists():  # the statistics page names the commit
        assert len(results["commit"]["sha"]) == 40
    assert results["chapter"] == chapter_id and results["profile"] == "smoke"
    assert results["data_source"] in ("real", "synthetic", "none")
    assert all(isinstance(v, float) for v in results["metrics"].values())
    for entry in results["claims"]:
        assert claims.get(entry["id"]).tested_by == chapter_id
    nb = nbformat.read(smoke_synthetic.results / chapter_id / "smoke.ipynb", as_version=4)
    hidden = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])
              or "injected-parameters" in c.metadata.get("tags", [])]  # fmt: skip
    assert hidden and all("remove-cell" in c.metadata["tags"] for c in hidden)
    assert "qpdm-parameters" in smoke_synthetic.html_of(chapter_id)  # the one parameter table


def test_data_chapter_values_on_synthetic_data(smoke_synthetic):
    results = smoke_synthetic.results_of("data")
    m = results["metrics"]
    per_record = profiles.resolve("data", profile="smoke").cwru_windows_per_record
    assert m["cwru.records"] == len(synthetic.CWRU_SET)
    assert m["cwru.windows"] == len(synthetic.CWRU_SET) * per_record
    assert m["cwru.classes_present"] == 4
    assert m["cwru.normal_fs_best_hypothesis"] in (12_000, 24_000, 48_000, 96_000)
    assert m["pm.devices"] == 1169  # the synthetic fleet has the real file's size
    assert results["data_source"] == "synthetic"
    assert smoke_synthetic.html_of("data").count("Synthetic data") == 3  # one banner per dataset


def test_preprocessing_values_on_synthetic_data(smoke_synthetic):
    m = smoke_synthetic.results_of("preprocessing")["metrics"]
    # synthetic records ring at their kinematic frequency by construction: all of them are found
    for fault in ("inner_race", "outer_race"):
        assert m[f"preprocessing.{fault}_records_at_fault_frequency"] == 9
    assert m["preprocessing.inner_race_records_bpfi_over_bpfo"] == 9


def test_hybrid_network_values(smoke_synthetic):
    results = smoke_synthetic.results_of("hybrid-network")
    assert results["metrics"]["circuit.max_abs_difference"] < 1e-10
    ours = {c["id"]: c for c in results["claims"]}
    assert ours["qeml.s3.4.pqc.quantum_params"]["ours"] == 72  # 6 layers x 4 qubits x 3 angles
    assert ours["qeml.s3.5.head.descriptor_dim"]["ours"] == 516
    assert ours["qeml.t3.qeml-net.acc"]["data_source"] == "synthetic"


def test_qubo_values(smoke_synthetic):
    results = smoke_synthetic.results_of("qubo")
    m = results["metrics"]
    assert m["qubo.eq18_max_abs_difference"] < 1e-8 and m["qubo.eq21_max_abs_difference"] < 1e-8
    assert m["qubo.ground_state_is_argmax_fraction"] == 1.0
    assert m["qubo.feasible_gap"] > 0 and m["qubo.exact.lowest_is_argmax"] == 1.0
    assert m["qubo.tight_threshold"] >= 0  # a valid penalty is positive, for every sign of Q
    assert results["data_source"] == "none"  # reads no dataset: no banner, judged on its own


def test_qaql_values(smoke_synthetic):
    m = smoke_synthetic.results_of("qaql")["metrics"]
    assert m["annealer.lowest_is_argmax_fraction"] > 0.9
    assert 0 < m["fd001.greedy.rmse"] < 125 and 0 < m["fleet.greedy.rmse"] < 90


def test_forensics_records_every_check_and_the_ledger_marks_and_links_them(smoke_synthetic):
    from qpdm_lib.book import ledger
    from qpdm_lib.claims import forensics

    results = smoke_synthetic.results_of("forensics")
    checks = forensics.run_all(claims)
    assert [c["name"] for c in results["checks"]] == [c.name for c in checks]
    assert results["metrics"]["forensics.inconsistent"] == sum(c.inconsistent for c in checks)
    page = smoke_synthetic.html_of("forensics")
    assert all(f'<tr id="{c["anchor"]}"' in page for c in results["checks"])
    table = ledger.table(
        [smoke_synthetic.results_of(c) for c in ("forensics", "data", "qaql")]
    ).set_index("claim")
    assert table.loc["qeml.s4.5.ims.vs-hybrid-qnn.acc_gain", "verdict"] == (
        "inconsistent in the paper"  # 92.8 - 88.6 = 4.2, printed 5.9
    )
    assert table.loc["qeml.s4.3.plus-cbam.acc_gain", "verdict"] == "reproduced"
    assert table.loc["qaql.t11.fd002.gru.rmse", "check"] == (
        "forensics#check-qaql-t11-fixed_ratio-fd002"
    )
    assert 'href="forensics.html#check-' in smoke_synthetic.html_of("ledger")


def test_ledger_counts_every_claim_once(smoke_synthetic):
    m = smoke_synthetic.results_of("ledger")["metrics"]
    total = sum(v for k, v in m.items() if k.startswith("claims."))
    assert total == len(claims.all_claims())


def test_real_data_build_records_the_papers_facts(smoke_real):
    data = smoke_real.results_of("data")
    assert data["data_source"] == "real" and data["missing_files"] == {}
    assert data["metrics"]["cwru.normal_fs_best_hypothesis"] == 48_000
    ours = {c["id"]: c["ours"] for c in data["claims"]}
    assert ours["qaql.s4.1.pm.rows"] == 124_494 and ours["qaql.s4.3.fd001.train_windows"] == 17_731
    assert ours["qaql.t3.fd001.state_dim"] == 17
    prep = smoke_real.results_of("preprocessing")["metrics"]
    assert prep["preprocessing.inner_race_records_bpfi_over_bpfo"] >= 1
    qaql = smoke_real.results_of("qaql")
    assert {"qaql.t6.fd001.qaql.rmse", "qaql.t6.pm.qaql.rmse"} <= {c["id"] for c in qaql["claims"]}
    assert qaql["metrics"]["annealer.lowest_is_argmax_fraction"] > 0.95
    hybrid = smoke_real.results_of("hybrid-network")
    assert hybrid["data_source"] == "real"
    assert "smoke profile" in {c["id"]: c for c in hybrid["claims"]}["qeml.t3.qeml-net.acc"]["note"]


@pytest.mark.slow
def test_whole_book_builds_from_the_session_runs_and_resumes(smoke_site):
    # nothing re-ran but the chapters that read the others' results (ledger, statistics)
    assert "data: results are current, not re-run" in smoke_site.done.stderr
    index = smoke_site.html / "index.html"
    assert index.is_file()
    page = (index.parent / "book" / "data.html").read_text(encoding="utf-8")
    assert "What the paper leaves open" in page and "Synthetic data" in page


# --- parameters: every allowed value runs; a QPU without token falls back loudly -----------------
def test_qaql_falls_back_without_a_qpu_token_and_says_so(smoke_synthetic, tmp_path):
    env = dict(smoke_synthetic.env, HOME=str(tmp_path), DWAVE_CONFIG_FILE=str(tmp_path / "x"))
    env.pop("DWAVE_API_TOKEN", None)
    env["QPDM_RESULTS_DIR"] = str(tmp_path / "results")
    done = _qpdm("run", "qaql", "--profile", "smoke", "-p", "selectors=greedy,qpu",
                 "-p", "max_train_windows=60", "-p", "episodes=1", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "qaql: note: selectors='greedy,qpu' ran as 'greedy,best-of-n'" in done.stderr
    results = json.loads(open(done.stdout.strip().splitlines()[-1]).read())
    assert results["effective_parameters"] == {"selectors": "greedy,best-of-n"}
    assert results["metrics"]["qpu_fallback"] == 1.0


@pytest.mark.parametrize(
    ("chapter_id", "params"),
    [
        ("data", ["data=synthetic", "cmapss_subset=FD004"]),  # six regimes and two fault modes
        (
            "hybrid-network",
            [
                "data=synthetic",
                "depth=resnet26",
                "quantum=pennylane",
                "folds=3",
                "device=cpu",
                "windows_per_record=6",
            ],
        ),  # fmt: skip
        (
            "qaql",
            [
                "data=synthetic",
                f"selectors={','.join(profiles.CHAPTERS['qaql'].params['selectors'].items)}",
                "subsets=FD001,FD002,FD003,FD004",
                "max_train_windows=40",
                "episodes=1",
                "num_reads=20",
                "sa_calls=1",
                "pm_devices=40",
            ],
        ),  # fmt: skip
    ],
    ids=["data", "hybrid-network", "qaql"],
)
def test_every_allowed_value_runs_in_smoke(smoke_synthetic, tmp_path, chapter_id, params):
    env = dict(smoke_synthetic.env, QPDM_RESULTS_DIR=str(tmp_path / "results"))
    args = [a for p in params for a in ("-p", p)]
    done = _qpdm("run", chapter_id, "--profile", "smoke", *args, env=env)
    assert done.returncode == 0, done.stderr[-2000:]


def test_same_parameters_give_identical_metrics(smoke_synthetic, tmp_path):
    env = dict(smoke_synthetic.env, QPDM_RESULTS_DIR=str(tmp_path / "again"))
    done = _qpdm("run", "qubo", "--profile", "smoke", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    again = json.loads(open(done.stdout.strip().splitlines()[-1]).read())
    first = smoke_synthetic.results_of("qubo")
    assert again["metrics"] == first["metrics"]  # the mock QPU is seeded; timings are not metrics
    assert again["claims"] == first["claims"]


def test_cwru_windows_in_the_catalogue():
    assert set(synthetic.CWRU_SET) <= set(cwru.RECORDS)
