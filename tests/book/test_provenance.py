"""The execution statistics page's tables, from results files old and new."""

import pandas as pd

from qpdm_lib.book import provenance

VERSIONS = {"python": "3.11.7", "numpy": "2.4.6"}


def _results(chapter, **extra):
    base = {"chapter": chapter, "title": chapter.title(), "profile": "smoke",
            "data_source": "none", "data_sources": {}, "versions": dict(VERSIONS)}  # fmt: skip
    return base | extra


def test_execution_table_reads_every_field_and_survives_old_results():
    new = _results(
        "data",
        started="2026-11-22T09:06:44",
        duration_s=75.0,
        data_source="synthetic",
        data_sources={"cwru": "real", "pm": "synthetic"},
        missing_files={"cwru": ["cwru/98.mat", "cwru/99.mat"]},
        commit={"sha": "f1e2571aa0c", "dirty": False},
        machine="x86_64, 2 CPU cores",
        grids=[{"cells": 8, "reused": 6}, {"cells": 4, "reused": 0}],
    )
    old = {"chapter": "qubo", "profile": "smoke"}  # written before commits were recorded
    table = provenance.execution_table([new, old])
    row = table.loc["data"]
    assert row.duration == "1 min 15 s" and row.seconds == 75.0
    assert row.datasets == "cwru: real; pm: synthetic" and row.data == "real and synthetic"
    assert row["absent files"] == 2
    assert row.runs == "6 computed, 6 reused" and row.commit == "f1e2571"
    assert row.started == "2026-11-22 09:06:44"
    assert (table.loc["qubo", ["duration", "commit", "machine"]] == "not recorded").all()
    assert table.loc["qubo", "datasets"] == "no dataset" and table.loc["qubo", "data"] == "none"


def test_commit_with_local_changes_says_so():
    assert provenance.commit_text({"sha": "abcdef123", "dirty": True}) == "abcdef1 + local changes"
    assert provenance.commit_text({"sha": None, "dirty": None}) == "not recorded"


def test_data_table_has_one_column_per_dataset():
    table = provenance.data_table(
        [_results("data", data_sources={"cwru": "real", "pm": "synthetic"}), _results("qubo"),
         _results("qaql", data_sources={"cmapss": "real", "pm": "synthetic"})]
    )  # fmt: skip
    assert list(table.index) == ["data", "qubo", "qaql"]
    assert table.loc["qaql", "cmapss"] == "real" and table.loc["data", "cmapss"] == ""
    assert table.loc["qubo"].eq("").all()


def test_versions_collapse_to_one_column_only_when_every_chapter_agrees():
    same = provenance.versions_table([_results("data"), _results("qubo")])
    assert list(same.columns) == ["version"] and same.loc["numpy", "version"] == "2.4.6"
    other = _results("qubo", versions={"python": "3.11.7", "numpy": "2.3.0"})
    differ = provenance.versions_table([_results("data"), other])
    assert list(differ.columns) == ["data", "qubo"]
    assert differ.loc["numpy"].tolist() == ["2.4.6", "2.3.0"]
    assert isinstance(provenance.versions_table([]), pd.DataFrame)


def test_results_follow_the_books_order():
    got = provenance.ordered([_results("ledger"), _results("zeta"), _results("data")],
                             ["data", "qubo", "ledger"])  # fmt: skip
    assert [r["chapter"] for r in got] == ["data", "ledger", "zeta"]
