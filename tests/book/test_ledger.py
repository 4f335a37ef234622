import dataclasses

import pytest

from qpdm_lib import claims
from qpdm_lib.book import ledger, profiles
from qpdm_lib.book.report import GuardError, Recorder, banner
from qpdm_lib.claims.verdicts import Measurement, verdict
from qpdm_lib.data.source import Source

RMSE = claims.get("qaql.t6.fd001.qaql.rmse")  # 20.86 ± 0.30, scale full, tolerance 3 %


@pytest.mark.parametrize(
    ("measured", "expected"),
    [
        (None, "not yet tested"),
        (Measurement(20.9, profile="full"), "reproduced"),
        (Measurement(26.0, profile="full"), "not reproduced"),
        (Measurement(20.9, profile="quick"), "not comparable"),  # a quick number never tests it
        (Measurement(20.9, profile="full", data_source="synthetic"), "not comparable"),
        (Measurement(20.9, profile="full", comparable=False, remedy="GPU"), "not comparable"),
        (Measurement(None, profile="full", testable=False, remedy="no data"), "not testable here"),
        # outside the tolerance, but the paper's value inside our 95 % interval over 30 runs
        (Measurement(24.0, profile="full", ci=(19.0, 29.0), n=30), "reproduced"),
        (Measurement(24.0, profile="full", ci=(23.0, 25.0), n=30), "not reproduced"),
    ],
)
def test_verdict_rules(measured, expected):
    assert verdict(RMSE, measured)[0] == expected


def test_not_reproduced_says_by_how_much_and_inconsistency_wins():
    name, why = verdict(RMSE, Measurement(26.0, profile="full"))
    assert name == "not reproduced" and "+5.14" in why and "+25 %" in why
    assert verdict(RMSE, Measurement(20.9, profile="full"), inconsistency="MAE > RMSE")[0] == (
        "inconsistent in the paper"
    )


def test_settings_are_adopted_or_not_and_illegible_values_cannot_be_tested():
    lr = claims.get("qaql.t3.agent.learning_rate")
    assert verdict(lr, Measurement(0.1, profile="smoke"))[0] == "adopted"  # a setting has no scale
    assert verdict(lr, Measurement(0.2, profile="smoke"))[0] == "not reproduced"
    buffer = claims.get("qaql.t3.agent.replay_buffer")
    assert buffer.value is None and verdict(buffer, Measurement(10_000.0))[0] == "not testable here"


def test_a_p_below_claim_needs_our_p_below_it():
    p = next(
        c for c in claims.select(tested_by="significance") if c.quantity == "p" and "<" in c.note
    )
    assert verdict(p, Measurement(p.value / 2, profile="full"))[0] == "reproduced"
    assert verdict(p, Measurement(p.value * 2, profile="full"))[0] == "not reproduced"


def test_a_lower_bound_claim_needs_our_smallest_value_above_it():
    cliff = claims.get("qaql.s4.6.cliffs-delta.min")  # every δ "above 0.85"
    assert verdict(cliff, Measurement(1.0, profile="full"))[0] == "reproduced"
    assert verdict(cliff, Measurement(0.80, profile="full"))[0] == "not reproduced"


def test_table_joins_results_restatements_and_checks():
    results = [
        {
            "chapter": "qaql",
            "profile": "full",
            "data_source": "real",
            "claims": [{"id": RMSE.id, "ours": 20.9, "data_source": "real", "n": 1}],
            "checks": [
                {"claims": ["qaql.t6.pm.qaql.mae"], "consistent": False, "finding": "MAE > RMSE"}
            ],
        }
    ]
    table = ledger.table(results).set_index("claim")
    assert table.loc[RMSE.id, "verdict"] == "reproduced"
    restated = next(c.id for c in claims.all_claims().values() if c.restates == RMSE.id)
    assert table.loc[restated, "verdict"] == "reproduced"
    assert f"restates {RMSE.id}" in table.loc[restated, "why"]
    assert table.loc["qaql.t6.pm.qaql.mae", "verdict"] == "inconsistent in the paper"
    assert table.loc["qeml.t3.qeml-net.acc", "verdict"] == "not yet tested"
    assert len(table) == len(claims.all_claims())
    html = ledger.html_table(table.reset_index(), chapters={"qaql"})
    assert f'href="qaql.html#claim-{RMSE.id.replace(".", "-")}"' in html
    assert html.count("<tr ") == len(table)


def test_a_full_run_with_its_sizes_changed_tests_no_full_scale_claim():
    """A shrunk ``full`` run (fewer seeds, a smaller network) is not the papers' experiment."""
    run = {"chapter": "qaql", "profile": "full", "data_source": "real",
           "claims": [{"id": RMSE.id, "ours": 20.9, "data_source": "real", "n": 1}]}  # fmt: skip
    assert ledger.table([run]).set_index("claim").loc[RMSE.id, "verdict"] == "reproduced"
    shrunk = ledger.table([{**run, "resized": {"seeds": 2}}]).set_index("claim").loc[RMSE.id]
    assert shrunk["verdict"] == "not comparable"
    assert shrunk["profile"] == "full, resized (seeds=2)"
    assert "run the full profile" in shrunk["why"]
    # a results file written before runs recorded it: read from its parameters
    sizes = dataclasses.asdict(profiles.resolve("qaql", profile="full"))
    older = {**run, "parameters": {**sizes, "seeds": 2}}
    assert ledger.run_scale(older) == "full, resized (seeds=2)"
    assert ledger.run_scale({**run, "parameters": sizes}) == "full"


def test_resized_names_the_size_parameters_a_run_changed():
    assert profiles.resized(profiles.resolve("baselines", profile="full")) == {}
    cfg = profiles.resolve("baselines", profile="full", overrides={"epochs": "1", "seed": "4"})
    assert profiles.resized(cfg) == {"epochs": 1}  # the seed is no size


def test_recorder_refuses_typos_nan_twice_and_other_chapters_claims():
    rec = Recorder("qaql", None)
    with pytest.raises(KeyError, match="unknown claim 'qaql.nope'"):
        rec.claim("qaql.nope", 1.0)
    with pytest.raises(ValueError, match="metric 'x' is NaN"):
        rec.metric("x", float("nan"))
    with pytest.raises(ValueError, match="tested by chapter 'hybrid-network', not 'qaql'"):
        rec.claim("qeml.t3.qeml-net.acc", 97.0)
    rec.claim("qaql.t3.agent.learning_rate", 0.1)
    with pytest.raises(ValueError, match="recorded twice"):
        rec.claim("qaql.t3.agent.learning_rate", 0.1)
    with pytest.raises(ValueError, match="dataset 'pm' was never opened"):
        rec.claim("qaql.t3.agent.discount", 0.99, dataset="pm")


def test_a_claim_over_several_datasets_is_real_only_when_all_are(tmp_path):
    rec = Recorder("significance", None)
    rec.source(Source("cmapss", "real", tmp_path))
    rec.source(Source("pm", "synthetic", tmp_path, "no files"))
    rec.claim("qaql.s4.6.cliffs-delta.min", 0.9, dataset=("cmapss",))
    rec.claim("qaql.s4.4.vs-transformer.p", 0.01, dataset=("cmapss", "pm"))
    assert [c["data_source"] for c in rec.claims] == ["real", "synthetic"]
    with pytest.raises(ValueError, match="dataset 'cwru' was never opened"):
        rec.claim("qaql.s4.6.seeds", 5, dataset=("cmapss", "cwru"))


def test_a_chapter_without_datasets_has_no_data_source():
    rec = Recorder("qubo", None)
    assert rec.data_source == "none"
    rec.claim("qaql.t3.qubo.variables", 16)
    assert rec.payload()["claims"][0]["data_source"] == "none"
    m = ledger._measurement(rec.payload()["claims"][0], {"profile": "smoke"})
    assert verdict(claims.get("qaql.t3.qubo.variables"), m)[0] == "adopted"


def test_guard_stops_with_the_sentence():
    rec = Recorder("data", None)
    rec.guard(True, "fine")
    with pytest.raises(GuardError, match="the text says 'every record peaks'"):
        rec.guard(False, "every record peaks")


def test_recorder_writes_to_the_sink_and_marks_synthetic(monkeypatch, tmp_path):
    sink = tmp_path / "sink.json"
    monkeypatch.setenv("QPDM_RESULTS_SINK", str(sink))
    rec = Recorder("data", None)
    real, fake = (
        Source("cmapss", "real", tmp_path),
        Source("cwru", "synthetic", tmp_path, "no files"),
    )
    assert rec.source(real) is None
    box = rec.source(fake)
    assert "Synthetic data" in box._repr_html_() and "no files" in box._repr_html_()
    rec.claim("qaql.s4.1.pm.rows", 3, dataset="cmapss")
    payload = rec.save()
    assert sink.is_file() and payload["data_source"] == "synthetic"
    assert payload["claims"][0]["data_source"] == "real"
    assert banner(real) is None
    rec.source(Source("cmapss", "synthetic", tmp_path), label="cmapss FD002")
    assert rec.sources["cmapss"] == "real" and rec.sources["cmapss FD002"] == "synthetic"
    rec.source(Source("cwru", "real", tmp_path, missing=("cwru/106.mat",)), label="cwru-real")
    assert rec.payload()["missing_files"] == {"cwru-real": ["cwru/106.mat"]}


def test_glue_records_keys_once():
    rec = Recorder("data", None)
    assert rec.glue("n", 3) == 3
    with pytest.raises(ValueError, match="glue key 'n' used twice"):
        rec.glue("n", 4)
    assert rec.payload()["glued"] == ["n"]


def test_recorder_records_checks_once_with_an_anchor():
    from qpdm_lib.claims import forensics

    rec = Recorder("forensics", None)
    bad = forensics.mae_le_rmse(12.49, 11.23, name="qaql.t6.x", claims=("qaql.t6.pm.qaql.mae",))
    assert rec.check(bad) is bad
    entry = rec.payload()["checks"][0]
    assert entry["anchor"] == "check-qaql-t6-x" and entry["verdict"] == "inconsistent"
    assert entry["claims"] == ["qaql.t6.pm.qaql.mae"] and not entry["consistent"]
    with pytest.raises(ValueError, match="recorded twice"):
        rec.check(bad)
    # only the numbers that contradict each other are marked, not the inputs a check reads
    narrow = forensics.Check("z", ("qaql.t6.pm.qaql.mae", "qaql.s4.1.fd001.rul_cap"), {}, {},
                             False, "f", implicated=("qaql.t6.pm.qaql.mae",))  # fmt: skip
    entry = rec.check(narrow) and rec.payload()["checks"][-1]
    assert entry["claims"] == ["qaql.t6.pm.qaql.mae"] and len(entry["inputs"]) == 2
    with pytest.raises(KeyError, match="unknown claim 'qaql.nope'"):
        rec.check(forensics.mae_le_rmse(1.0, 2.0, name="y", claims=("qaql.nope",)))


def test_an_inconsistent_claim_links_to_the_check_that_found_it():
    check = {"name": "qaql.t6.x", "claims": ["qaql.t6.pm.qaql.mae"], "consistent": False,
             "testable": True, "finding": "MAE > RMSE", "anchor": "check-qaql-t6-x"}  # fmt: skip
    fine = {"name": "y", "claims": ["qaql.t6.pm.qaql.rmse"], "consistent": True,
            "testable": True, "finding": "ok", "anchor": "check-y"}  # fmt: skip
    missing = {"name": "w", "claims": ["qaql.t6.pm.qaql.mse"], "consistent": True,
               "testable": False, "finding": "no value", "anchor": "check-w"}  # fmt: skip
    results = [{"chapter": "forensics", "profile": "smoke", "data_source": "none", "claims": [],
                "checks": [check, fine, missing]}]  # fmt: skip
    table = ledger.table(results)
    rows = table.set_index("claim")
    assert rows.loc["qaql.t6.pm.qaql.mae", "verdict"] == "inconsistent in the paper"
    assert rows.loc["qaql.t6.pm.qaql.mae", "check"] == "forensics#check-qaql-t6-x"
    assert "MAE > RMSE" in rows.loc["qaql.t6.pm.qaql.mae", "why"]
    # section 4.4 prints the same impossible MAE again: it shares the verdict and the link
    assert rows.loc["qaql.s4.4.pm.qaql.mae", "verdict"] == "inconsistent in the paper"
    assert rows.loc["qaql.s4.4.pm.qaql.mae", "check"] == "forensics#check-qaql-t6-x"
    for other in ("qaql.t6.pm.qaql.rmse", "qaql.t6.pm.qaql.mse"):
        assert rows.loc[other, "verdict"] == "not yet tested" and rows.loc[other, "check"] == ""
    page = ledger.html_table(table, chapters={"forensics", "qaql"})
    assert '<a href="forensics.html#check-qaql-t6-x"><strong>inconsistent in the paper' in page
    assert "forensics.html#" not in ledger.html_table(table, chapters={"qaql"})  # no dead link


def test_summary_paragraph_says_what_holds_and_where():
    results = [
        {
            "chapter": "qaql",
            "profile": "full",
            "data_source": "real",
            "claims": [{"id": RMSE.id, "ours": 20.9, "data_source": "real", "n": 1}],
        }
    ]
    text = ledger.summary_sentence(ledger.table(results), "QAQL")
    total = sum(c.paper == "QAQL" for c in claims.all_claims().values())
    assert text.startswith(f"Of QAQL's {total} quantitative claims,")
    restating = sum(c.restates == RMSE.id for c in claims.all_claims().values())
    assert f"What holds: {1 + restating} are reproduced (" in text and "Table 6: 1" in text
    assert "What does not: 0 are not reproduced" in text


def test_open_real_leaves_an_absent_dataset_out_instead_of_opening_a_stand_in(monkeypatch):
    """A ``full`` run on real data that lacks FD002 must stay a real-data run."""
    from types import SimpleNamespace

    rec = Recorder("qaql", SimpleNamespace(data="auto", seed=0))
    assert rec.open_real("cmapss", subset="FD002") is None  # the test data folder is empty
    assert rec.data_source == "none" and "cmapss FD002" in rec.payload()["left_out"]
    assert rec.console == ["cmapss FD002 left out: its real files are absent"]
    asked = Recorder("qaql", SimpleNamespace(data="synthetic", seed=0))
    assert asked.open_real("pm").kind == "synthetic"  # what data=synthetic asks for
