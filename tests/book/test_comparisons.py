"""The runs the baselines and significance chapters compare: paired by the stated keys, built on
the same protocol (and so the same run-store keys) as the chapters that train them first."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from qpdm_lib.baselines import runs as br
from qpdm_lib.book import comparisons, profiles
from qpdm_lib.data import open_source
from qpdm_lib.experiments import grid
from qpdm_lib.qaql import runs as qruns
from qpdm_lib.qeml import runs as qeml
from qpdm_lib.qeml.models.qeml_net import VARIANTS

_BEARING_DATA = ("data", "data_seed", "windows_per_record", "image_size", "split_seed")
_RUL_DATA = ("data", "data_seed", "n_states", "summaries", "standardize", "scaling", "pm_devices",
             "max_train_windows")  # fmt: skip


@pytest.fixture(scope="module")
def bcfg():
    return profiles.resolve("baselines", profile="smoke")


@pytest.fixture(scope="module")
def qcfg():
    return profiles.resolve("qaql", profile="smoke", overrides={"data": "synthetic"})


# --------------------------------------------------------------------------- paired


def _bearing_table() -> pd.DataFrame:
    """QEML-Net and LSTM on both splits × 2 folds × seeds 0-1, SVM-RBF once per split and fold
    (seed 0, as its one cell); accuracy = 1000 · model + 100 · split + 10 · fold + seed, so a
    value says where it came from."""
    code = {"QEML-Net": 1, "LSTM": 2, "SVM-RBF": 3}
    rows = [
        {"model": m, "split": kind, "fold": f, "seed": s,
         "accuracy": 1000.0 * code[m] + 100 * (kind == "records") + 10 * f + s}
        for m in code
        for kind in ("windows", "records")
        for f in (0, 1)
        for s in ((0,) if m == "SVM-RBF" else (0, 1))
    ]  # fmt: skip
    # shuffled: the pairing must go by the keys, not by the row order
    return pd.DataFrame(rows).sample(frac=1.0, random_state=3).reset_index(drop=True)


def _bearing_runs(table: pd.DataFrame) -> pd.DataFrame:
    """What :func:`comparisons.bearing_runs` puts together from the two grids' tables."""
    ours = table[table.model == "QEML-Net"].assign(shared_run=False)
    others = br.paired_runs(table[table.model != "QEML-Net"], [0, 1], family="bearing")
    return pd.concat([ours, others], ignore_index=True)


def test_paired_puts_each_models_run_beside_the_others_of_the_same_fold_and_seed():
    runs = _bearing_runs(_bearing_table())
    acc = comparisons.paired(runs[runs.split == "records"], "accuracy", by=["fold", "seed"])
    assert acc.index.names == ["fold", "seed"]
    assert acc.index.tolist() == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert sorted(acc.columns) == ["LSTM", "QEML-Net", "SVM-RBF"]
    for (fold, seed), row in acc.iterrows():
        assert row["QEML-Net"] == 1100 + 10 * fold + seed
        assert row["LSTM"] == 2100 + 10 * fold + seed
        # SVM-RBF's one run of the fold stands for both seeds
        assert row["SVM-RBF"] == 3100 + 10 * fold


def test_a_pairing_some_model_lacks_is_dropped_for_every_model():
    table = _bearing_table()
    lost = (
        (table.model == "LSTM") & (table.split == "windows") & (table.fold == 1) & (table.seed == 0)
    )
    runs = _bearing_runs(table[~lost])
    acc = comparisons.paired(runs[runs.split == "windows"], "accuracy", by=["fold", "seed"])
    assert acc.index.tolist() == [(0, 0), (0, 1), (1, 1)]
    assert not acc.isna().any().any()
    np.testing.assert_array_equal(acc["QEML-Net"], [1000, 1001, 1011])


def test_rul_runs_pair_by_seed_within_a_dataset():
    rows = [
        {"model": m, "dataset": d, "seed": s, "window_RMSE": v + 10 * s + (d == "fleet") * 100}
        for m, v in (("QAQL", 1.0), ("SGD", 2.0))
        for d in ("FD001", "fleet")
        for s in (0, 1, 2)
    ] + [{"model": "Gradient-Boosted Trees", "dataset": d, "seed": 0, "window_RMSE": 5.0}
         for d in ("FD001", "fleet")]  # fmt: skip
    table = pd.DataFrame(rows)
    baselines_part = br.paired_runs(table[table.model != "QAQL"], [0, 1, 2], family="rul")
    runs = pd.concat([table[table.model == "QAQL"], baselines_part], ignore_index=True)
    rmse = comparisons.paired(runs[runs.dataset == "fleet"], "window_RMSE", by=["seed"])
    assert rmse.to_dict("list") == {
        "Gradient-Boosted Trees": [5.0, 5.0, 5.0],
        "QAQL": [101.0, 111.0, 121.0],
        "SGD": [102.0, 112.0, 122.0],
    }


def test_protocol_seeds():
    assert comparisons.protocol_seeds(SimpleNamespace(seed=3, seeds=4)) == [3, 4, 5, 6]
    assert comparisons.protocol_seeds(SimpleNamespace(seed=0, seeds=1)) == [0]


# --------------------------------------------------------------------------- cell builders


def test_qeml_cells_are_the_ablations_qeml_net_cells(bcfg):
    acfg = profiles.resolve("ablations", profile="smoke")
    ablations = qeml.cells(
        "qeml", base=qeml.base_config(acfg), kinds=tuple(qeml.SPLIT_KINDS), folds=acfg.folds,
        seeds=range(acfg.seed, acfg.seed + acfg.seeds), variants=list(VARIANTS),
    )  # fmt: skip
    theirs = [c for c in ablations if c.config["variant"] == "qeml-net"]
    ours = comparisons.qeml_cells(bcfg)
    assert ours == theirs  # same experiment, same configs: same run-store keys


def test_every_bearing_baseline_cell_has_its_qeml_net_partner(bcfg):
    partners = {
        (c.config["split"], c.config["folds"], c.config["fold"], c.config["seed"]): c.config
        for c in comparisons.qeml_cells(bcfg)
    }
    cells = comparisons.bearing_baseline_cells(bcfg)
    seeds = comparisons.protocol_seeds(bcfg)
    models = br.bearing_models(bcfg.sizes, qeml.base_config(bcfg))
    assert {c.config["model"] for c in cells} == set(models)
    for cell in cells:
        c = cell.config
        partner = partners[(c["split"], c["folds"], c["fold"], c["seed"])]
        assert {k: c[k] for k in _BEARING_DATA} == {k: partner[k] for k in _BEARING_DATA}
        assert c["latency_repeats"] == bcfg.latency_repeats
    for name in models:
        mine = {(c.config["split"], c.config["fold"], c.config["seed"])
                for c in cells if c.config["model"] == name}  # fmt: skip
        used = seeds if br.baselines.BEARING[name].seeded else seeds[:1]
        assert mine == {(k, f, s) for k, _, f, s in partners if s in used}, name


def test_every_rul_baseline_cell_sees_qaqls_data_and_seeds():
    # the baselines chapter's own seeds and window cap differ from QAQL's: QAQL's seeds count
    bcfg = profiles.resolve(
        "baselines", profile="smoke", overrides={"seeds": 4, "train_windows": 123}
    )
    qcfg = profiles.resolve("qaql", profile="smoke", overrides={"seeds": 3, "n_states": 9})
    datasets = ["FD001", "fleet"]
    agents = comparisons.qaql_cells(qcfg, datasets=datasets, selectors=["best-of-n", "greedy"])
    cells = comparisons.rul_baseline_cells(bcfg, qcfg, datasets=datasets)
    qaql_data = {c.config["dataset"]: {k: c.config[k] for k in _RUL_DATA} for c in agents}
    qaql_seeds = sorted({c.config["seed"] for c in agents})
    assert qaql_seeds == comparisons.protocol_seeds(qcfg) == [0, 1, 2]
    for cell in cells:
        c = cell.config
        assert {k: c[k] for k in _RUL_DATA} == qaql_data[c["dataset"]]
        assert c["train_windows"] == 123 and c["n_states"] == 9
    seen = {(c.config["dataset"], c.config["model"], c.config["seed"]) for c in cells}
    expected = {
        (d, name, s)
        for d in datasets
        for name in br.rul_models(bcfg.sizes)
        for s in (qaql_seeds if br.baselines.RUL[name].seeded else qaql_seeds[:1])
    }
    assert seen == expected and len(cells) == len(expected)


class _Recorder:
    """What :func:`comparisons.qaql_datasets` asks of a chapter's recorder: ``open``."""

    def __init__(self, cfg) -> None:
        self.config = cfg

    def open(self, dataset: str, *, subset: str = "FD001"):
        return open_source(dataset, self.config.data, seed=self.config.seed, subset=subset)


def _trained(config: dict) -> dict:
    return {"window_RMSE": 1.0}


def _must_not_train(config: dict) -> dict:
    raise AssertionError(f"trained again: {config}")


def test_qaql_runs_are_read_back_from_the_qaql_chapters_store(tmp_path, qcfg):
    rec = _Recorder(qcfg)
    # the QAQL chapter's main grid, keyed as that chapter keys it (book/qaql.ipynb)
    subsets = qcfg.subsets.split(",")
    sources = {s: rec.open("cmapss", subset=s) for s in subsets}
    sources["fleet"] = rec.open("pm")
    chapter = qruns.cells(
        "qaql", datasets=[*subsets, "fleet"], selectors=qcfg.selectors.split(","),
        seeds=range(qcfg.seed, qcfg.seed + qcfg.seeds), base=qruns.base_config(qcfg),
        keep_predictions=True,
    )  # fmt: skip
    store = grid.RunStore(tmp_path / "runs")
    code = grid.code_hash(*qruns.CODE_MODULES)
    first = grid.run(chapter, _trained, store=store, code=code, data=qruns.data_keys(sources),
                     local=True)  # fmt: skip
    assert first.computed == len(chapter)
    # the comparison chapters' QAQL cells, keyed by qaql_datasets: every one is read back
    datasets, key = comparisons.qaql_datasets(rec, qcfg)
    assert datasets == [*subsets, "fleet"]
    ours = comparisons.qaql_cells(
        qcfg, datasets=datasets, selectors=[comparisons.QAQL_SELECTOR, "greedy"]
    )
    again = grid.run(ours, _must_not_train, store=store, code=code, data=key, local=True)
    assert again.failed == [] and again.reused == len(ours) and again.computed == 0
