import pytest

from qpdm_lib.book import ledger
from qpdm_lib.data.source import Source
from qpdm_lib.book.report import Recorder, banner


def test_claim_ids_are_unique_and_name_a_paper():
    ids = [c.id for c in ledger.CLAIMS]
    assert len(ids) == len(set(ids))
    assert {c.paper for c in ledger.CLAIMS} == {"QEML-Net", "QAQL"}


def test_status():
    claim = ledger.get_claim("qaql.fd001_rmse")
    assert ledger.status(claim, None, None) == "not yet tested"
    assert ledger.status(claim, 20.9, "synthetic") == "synthetic"
    assert ledger.status(claim, 20.9, "real") == "agrees"
    assert ledger.status(claim, 25.0, "real") == "differs"


def test_table_joins_results():
    results = [
        {
            "chapter": "data",
            "profile": "quick",
            "data_source": "real",
            "claims": [
                {"id": "qaql.pm_rows", "paper": 124494, "ours": 124494.0, "data_source": "real"}
            ],
        }
    ]
    table = ledger.table(results).set_index("claim")
    assert table.loc["qaql.pm_rows", "status"] == "agrees"
    assert table.loc["qaql.pm_rows", "profile"] == "quick"
    assert table.loc["qeml.accuracy", "status"] == "not yet tested"


def test_recorder_refuses_typos_and_nan(monkeypatch, tmp_path):
    rec = Recorder("data", None)
    with pytest.raises(KeyError, match="unknown claim 'qaql.nope'"):
        rec.claim("qaql.nope", 1.0)
    with pytest.raises(ValueError, match="metric 'x' is NaN"):
        rec.metric("x", float("nan"))


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
    rec.claim("qaql.pm_rows", 3, dataset="cmapss")
    payload = rec.save()
    assert sink.is_file() and payload["data_source"] == "synthetic"
    assert payload["claims"][0]["data_source"] == "real"
    assert banner(real) is None
    rec.source(Source("cmapss", "synthetic", tmp_path), label="cmapss FD002")
    assert rec.sources["cmapss"] == "real" and rec.sources["cmapss FD002"] == "synthetic"
