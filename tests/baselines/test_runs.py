"""The baselines as grid cells: what the cells enumerate, what a cell returns and leaves behind,
and how the one run of a model whose seed changes nothing stands for every seed."""

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from qpdm_lib import baselines
from qpdm_lib.baselines import BearingInputs
from qpdm_lib.baselines import runs as br
from qpdm_lib.errors import QPDMError
from qpdm_lib.experiments import grid
from qpdm_lib.metrics import regression_metrics
from qpdm_lib.qaql import runs as qruns
from qpdm_lib.qeml import runs as qeml
from qpdm_lib.qeml import signal as pp

#: A QEML-Net protocol (qpdm_lib.qeml.runs.base_config) with values no size table uses.
PROTOCOL = {"epochs": 3, "patience": 2, "batch_size": 16, "lr": 5e-3, "device": "cpu",
            "depth": "resnet26", "width": 6}  # fmt: skip
BUDGET = ("epochs", "patience", "batch_size", "lr", "device")
CLASSICAL = {"SVM-RBF", "Random Forest", "AutoML"}  # the feature models: no training budget
#: The data of the bearing cells: synthetic CWRU, 8 windows per record (the smoke profile's).
BEARING_BASE = {"data": "synthetic", "data_seed": 0, "windows_per_record": 8, "image_size": 16,
                "split_seed": 0}  # fmt: skip
#: QAQL's data settings for the RUL cells, cut small (qpdm_lib.qaql.runs.base_config).
RUL_BASE = {"data": "synthetic", "data_seed": 0, "n_states": 8, "summaries": "mean+slope",
            "standardize": True, "scaling": "device", "pm_devices": 40,
            "max_train_windows": 500}  # fmt: skip
SIX = ("MSE", "RMSE", "MAE", "MAPE", "RSE", "MBD")  # the metrics the chapter's RUL tables read
TIMINGS = {"train_seconds", "predict_ms_per_window", "latency_ms", "model_ms", "fps"}


def _scores(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in TIMINGS}


# --------------------------------------------------------------------------- sizes and models


@pytest.mark.parametrize("sizes", list(br.SIZES))
def test_every_size_names_every_model_with_a_config_it_accepts(sizes):
    bearing = br.bearing_models(sizes, PROTOCOL)
    rul = br.rul_models(sizes)
    assert set(bearing) == set(baselines.BEARING)
    assert set(rul) == set(baselines.RUL)
    for name, config in bearing.items():
        baselines.get(name, family="bearing", **config)
    for name, config in rul.items():
        baselines.get(name, family="rul", **config)


def test_bearing_models_train_on_qeml_nets_budget_and_backbone():
    models = br.bearing_models("small", PROTOCOL)
    for name, config in models.items():
        if name in CLASSICAL:
            assert not set(BUDGET) & set(config), name
        else:
            assert {k: config[k] for k in BUDGET} == {k: PROTOCOL[k] for k in BUDGET}, name
    for name in ("ResNet-50", "Hybrid-QNN"):  # QEML-Net without CBAM and qubits, same size
        assert models[name]["blocks"] == list(qeml.DEPTHS["resnet26"])
        assert models[name]["width"] == 6
    assert "blocks" not in models["1D-CNN"] and models["LSTM"]["hidden"] == 32  # its own size


def test_model_configs_are_copies():
    br.bearing_models("tiny", PROTOCOL)["LSTM"]["hidden"] = 999
    br.rul_models("tiny")["GRU"]["hidden"] = 999
    assert br.bearing_models("tiny", PROTOCOL)["LSTM"]["hidden"] == 8
    assert br.rul_models("tiny")["GRU"]["hidden"] == 4


@pytest.mark.parametrize(
    "call", [lambda: br.bearing_models("huge", PROTOCOL), lambda: br.rul_models("huge")]
)
def test_bad_sizes_fail_with_one_line_naming_the_choices(call):
    with pytest.raises(
        ValueError, match="sizes must be one of tiny, small, paper, got 'huge'"
    ) as err:
        call()
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- the cells


def test_bearing_cells_enumerate_model_split_fold_seed():
    models = {n: c for n, c in br.bearing_models("tiny", PROTOCOL).items()
              if n in ("SVM-RBF", "Random Forest", "LSTM")}  # fmt: skip
    base = {**BEARING_BASE, "depth": "resnet26", "epochs": 3}  # network keys stay out of a cell
    cells = br.bearing_cells("b", base=base, models=models, kinds=("windows", "records"),
                             folds=3, seeds=[4, 5], latency_repeats=7)  # fmt: skip
    seen = [(c.config["model"], c.config["split"], c.config["fold"], c.config["seed"])
            for c in cells]  # fmt: skip
    grid_of = {(m, k, f, s) for m in ("Random Forest", "LSTM") for k in ("windows", "records")
               for f in range(3) for s in (4, 5)}  # fmt: skip
    # SVM-RBF's seed changes nothing: one cell per split and fold, on the first seed
    once = {("SVM-RBF", k, f, 4) for k in ("windows", "records") for f in range(3)}
    assert len(seen) == len(set(seen)) == 2 * 12 + 6
    assert set(seen) == grid_of | once
    for cell in cells:
        c = cell.config
        assert cell.experiment == "b"
        assert {k: c[k] for k in BEARING_BASE} == BEARING_BASE
        assert "depth" not in c and "epochs" not in c
        assert c["folds"] == 3 and c["latency_repeats"] == 7
        assert c["model_config"] == models[c["model"]]
        # a torch model asks for its device where the grid looks for a GPU request
        assert c.get("device") == ("cpu" if c["model"] == "LSTM" else None)
        json.dumps(c)  # a cell's config is JSON


def test_rul_cells_enumerate_dataset_model_seed():
    qcfg = SimpleNamespace(data="synthetic", seed=2, n_states=8, pm_devices=40,
                           max_train_windows=500, episodes=3, num_reads=10)  # fmt: skip
    base = qruns.base_config(qcfg)  # as the QAQL cells take theirs
    models = {n: br.rul_models("tiny")[n] for n in ("SGD", "Gradient-Boosted Trees", "GRU")}
    cells = br.rul_cells("r", base=base, datasets=["FD001", "fleet"], models=models,
                         seeds=[2, 3, 4], train_windows=99)  # fmt: skip
    seen = [(c.config["dataset"], c.config["model"], c.config["seed"]) for c in cells]
    expected = {(d, m, s) for d in ("FD001", "fleet") for m in ("SGD", "GRU") for s in (2, 3, 4)}
    expected |= {("FD001", "Gradient-Boosted Trees", 2), ("fleet", "Gradient-Boosted Trees", 2)}
    assert len(seen) == len(set(seen)) == len(expected) and set(seen) == expected
    data_keys = ("data", "data_seed", "n_states", "summaries", "standardize", "scaling",
                 "pm_devices", "max_train_windows")  # fmt: skip
    for cell in cells:
        c = cell.config
        assert {k: c[k] for k in data_keys} == {k: base[k] for k in data_keys}
        assert "episodes" not in c and "num_reads" not in c  # the agent's, not the data's
        assert c["train_windows"] == 99 and c["model_config"] == models[c["model"]]
        json.dumps(c)


def _grid_table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["model", "split", "fold", "seed", "accuracy"])


def test_paired_runs_repeat_the_one_run_of_an_unseeded_model_for_every_seed():
    table = _grid_table([
        ("SVM-RBF", "windows", 0, 4, 90.0), ("SVM-RBF", "records", 0, 4, 70.0),
        ("LSTM", "windows", 0, 4, 80.0), ("LSTM", "windows", 0, 5, 81.0),
        ("LSTM", "records", 0, 4, 60.0), ("LSTM", "records", 0, 5, 61.0),
    ])  # fmt: skip
    out = br.paired_runs(table, [4, 5, 6], family="bearing")
    svm = out[out.model == "SVM-RBF"].sort_values(["split", "seed"])
    assert svm[["split", "seed", "accuracy", "shared_run"]].values.tolist() == [
        ["records", 4, 70.0, False], ["records", 5, 70.0, True], ["records", 6, 70.0, True],
        ["windows", 4, 90.0, False], ["windows", 5, 90.0, True], ["windows", 6, 90.0, True],
    ]  # fmt: skip
    lstm = out[out.model == "LSTM"]
    assert len(lstm) == 4 and not lstm.shared_run.any()  # a seeded model's runs stay as they are
    pd.testing.assert_frame_equal(
        lstm.drop(columns="shared_run").reset_index(drop=True),
        table[table.model == "LSTM"].reset_index(drop=True),
    )


def test_paired_runs_on_rul_and_bad_family():
    table = pd.DataFrame({"model": ["Gradient-Boosted Trees", "SGD", "SGD"], "dataset": "FD001",
                          "seed": [0, 0, 1], "window_RMSE": [20.0, 30.0, 31.0]})  # fmt: skip
    out = br.paired_runs(table, [0, 1], family="rul")
    gbt = out[out.model == "Gradient-Boosted Trees"]
    assert gbt.seed.tolist() == [0, 1] and gbt.window_RMSE.tolist() == [20.0, 20.0]
    assert gbt.shared_run.tolist() == [False, True]
    assert out[out.model == "SGD"].shared_run.tolist() == [False, False]
    with pytest.raises(ValueError, match="family must be 'bearing' or 'rul', got 'cwru'"):
        br.paired_runs(table, [0, 1], family="cwru")


# --------------------------------------------------------------------------- inputs


def test_feature_inputs_replace_only_the_features(bearing_problem):
    data, _ = bearing_problem
    assert br.feature_inputs(data, "handcrafted") is data
    names = list(data.feature_names)
    expected = {
        "time-domain": data.features[:, [names.index(n) for n in
                                         ("rms", "kurtosis", "crest_factor", "skewness", "peak_to_peak")]],
        "spectrum": np.abs(np.fft.rfft(data.windows.astype(np.float64), axis=1)),
        "raw": data.windows,
    }  # fmt: skip
    for inputs, features in expected.items():
        other = br.feature_inputs(data, inputs)
        np.testing.assert_allclose(other.features, features, rtol=1e-12, err_msg=inputs)
        np.testing.assert_array_equal(other.windows, data.windows)
        np.testing.assert_array_equal(other.y, data.y)
        assert other.maps is data.maps and other.image_size == data.image_size
    assert br.feature_inputs(data, "spectrum").features.shape == (len(data), 257)
    with pytest.raises(ValueError, match="inputs must be one of handcrafted, time-domain, "
                                         "spectrum, raw, got 'wavelet'"):  # fmt: skip
        br.feature_inputs(data, "wavelet")


def test_rul_inputs_cap_keeps_whole_training_engines_and_every_test_window():
    full, test, official = br.rul_inputs("FD001", **RUL_BASE)
    capped, test2, official2 = br.rul_inputs("FD001", **RUL_BASE, train_windows=200)
    assert 200 <= len(capped) < len(full)
    for engine in np.unique(capped.group):  # whole engines, their windows in trajectory order
        mine, all_of = capped.group == engine, full.group == engine
        np.testing.assert_array_equal(capped.y[mine], full.y[all_of])
        np.testing.assert_array_equal(capped.states[mine], full.states[all_of])
    for kept, every in ((test2, test), (official2, official)):  # always all of QAQL's
        np.testing.assert_array_equal(kept.x, every.x)
        np.testing.assert_array_equal(kept.y, every.y)
    traj = qruns.trajectories_for("FD001", **RUL_BASE)
    np.testing.assert_array_equal(full.states, traj.train_states)  # QAQL's k-means codes
    np.testing.assert_array_equal(test.states, traj.test_states)
    np.testing.assert_array_equal(official.y, traj.official_rul)


# --------------------------------------------------------------------------- RUL cells


def _rul_cell(tmp_path, name: str, **config) -> tuple[dict, dict]:
    folder = tmp_path / f"{name}-{len(list(tmp_path.iterdir()))}"
    result = br.rul_cell({**RUL_BASE, "dataset": "FD001", "model": name, "model_config": {},
                          "seed": 0, **config, "_artifacts": str(folder)})  # fmt: skip
    return result, br.load_predictions(folder)


def test_rul_cell_reports_what_the_chapter_reads_and_stores_its_predictions(tmp_path):
    result, stored = _rul_cell(tmp_path, "SGD")
    _, test, official = br.rul_inputs("FD001", **RUL_BASE)
    keys = {f"{part}_{m}" for part in ("window", "last") for m in (*SIX, "NASA")}
    keys |= {"model", "parameters", "train_seconds", "predict_ms_per_window", "train_windows",
             "test_windows"}  # fmt: skip
    assert set(result) == keys
    assert result["model"] == "SGD" and result["parameters"] > 0
    assert result["test_windows"] == len(test) and result["train_windows"] > 0
    assert set(stored) == {"prediction", "y_test", "official_prediction"}
    np.testing.assert_array_equal(stored["y_test"], test.y)
    # the stored predictions are the ones scored
    for m, v in regression_metrics(test.y, stored["prediction"]).items():
        assert result[f"window_{m}"] == pytest.approx(v)
    assert len(stored["official_prediction"]) == len(official)
    for m, v in regression_metrics(official.y, stored["official_prediction"]).items():
        assert result[f"last_{m}"] == pytest.approx(v)


def test_rul_cell_same_config_same_numbers_and_the_seed_is_used(tmp_path):
    first, first_stored = _rul_cell(tmp_path, "SGD", seed=3)
    again, again_stored = _rul_cell(tmp_path, "SGD", seed=3)
    other, other_stored = _rul_cell(tmp_path, "SGD", seed=4)
    assert _scores(first) == _scores(again)
    np.testing.assert_array_equal(first_stored["prediction"], again_stored["prediction"])
    # SGD shuffles with its seed: another seed, other predictions
    assert not np.array_equal(first_stored["prediction"], other_stored["prediction"])


def test_rul_cell_on_the_fleet_has_no_official_part(tmp_path):
    result, stored = _rul_cell(tmp_path, "Gradient-Boosted Trees", dataset="fleet",
                               model_config={"max_iter": 5})  # fmt: skip
    assert not [k for k in result if k.startswith("last_")]
    assert {f"window_{m}" for m in SIX} <= set(result)
    assert set(stored) == {"prediction", "y_test"}
    traj = qruns.trajectories_for("fleet", **RUL_BASE)
    np.testing.assert_array_equal(stored["y_test"], traj.test_rul)
    assert stored["prediction"].min() >= 0 and stored["prediction"].max() <= traj.cap


def test_rul_grid_reads_back_and_pairs_every_seed(tmp_path):
    models = {"SGD": {}, "Gradient-Boosted Trees": {"max_iter": 5}}
    cells = br.rul_cells("baselines-rul", base=RUL_BASE, datasets=["FD001"], models=models,
                         seeds=[0, 1])  # fmt: skip
    store = grid.RunStore(tmp_path / "runs")
    result = grid.run(cells, br.rul_cell, store=store, code="test", local=True)
    assert result.failed == [] and result.computed == 3
    table = br.paired_runs(result.table(), [0, 1], family="rul")
    assert sorted(zip(table.model, table.seed, table.shared_run, strict=True)) == [
        ("Gradient-Boosted Trees", 0, False), ("Gradient-Boosted Trees", 1, True),
        ("SGD", 0, False), ("SGD", 1, False),
    ]  # fmt: skip
    for k, cell in enumerate(cells):
        stored = br.load_predictions(result.artifacts(k))
        rmse = regression_metrics(stored["y_test"], stored["prediction"])["RMSE"]
        assert result.records[k]["result"]["window_RMSE"] == pytest.approx(rmse), cell.label()
    again = grid.run(cells, br.rul_cell, store=store, code="test", local=True)
    assert again.reused == 3 and again.computed == 0


def test_load_predictions_of_a_folder_without_them_fails_in_one_line(tmp_path):
    with pytest.raises(QPDMError, match="predictions.npz is missing or unreadable") as err:
        br.load_predictions(tmp_path)
    assert str(tmp_path) in str(err.value) and "\n" not in str(err.value)
    (tmp_path / "predictions.npz").write_bytes(b"not a zip file")
    with pytest.raises(QPDMError, match="delete its record to rerun the cell"):
        br.load_predictions(tmp_path)


# --------------------------------------------------------------------------- bearing cells


def _bearing_cell(tmp_path, **config) -> tuple[dict, dict]:
    folder = tmp_path / f"cell-{len(list(tmp_path.iterdir()))}"
    result = br.bearing_cell({**BEARING_BASE, "split": "windows", "folds": 3, "fold": 1,
                              "model": "Random Forest", "model_config": {"n_estimators": 10},
                              "seed": 0, "latency_repeats": 2, **config,
                              "_artifacts": str(folder)})  # fmt: skip
    return result, br.load_predictions(folder)


def test_bearing_cell_scores_the_partitions_test_windows_and_stores_them(tmp_path):
    row, stored = _bearing_cell(tmp_path, split="records")
    win, bundle, _ = br.bearing_inputs("synthetic", 0, 8, 16)
    test = qeml.make_splits(win, "records", folds=3, seed=0)[1].test  # QEML-Net's fold 1
    np.testing.assert_array_equal(stored["test_index"], test)
    np.testing.assert_array_equal(stored["y_test"], bundle.y[test])
    proba = stored["proba"]
    assert proba.shape == (len(test), 8)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    pred = proba.argmax(axis=1)
    assert row["accuracy"] == pytest.approx(100 * np.mean(pred == bundle.y[test]))  # in %
    faults = bundle.y[test] != 0
    assert row["fault_accuracy"] == pytest.approx(
        100 * np.mean(pred[faults] == bundle.y[test][faults])
    )
    assert 0 <= row["auc"] <= 1  # a fraction
    assert {k: row[k] for k in ("model", "split", "fold", "seed", "test_windows")} == {
        "model": "Random Forest", "split": "records", "fold": 1, "seed": 0,
        "test_windows": len(test),
    }  # fmt: skip
    assert row["fps"] == pytest.approx(1e3 / row["latency_ms"]) and row["model_ms"] > 0


def test_bearing_cell_same_config_same_numbers_and_the_seed_is_used(tmp_path):
    first, first_stored = _bearing_cell(tmp_path, seed=1)
    again, again_stored = _bearing_cell(tmp_path, seed=1)
    other, other_stored = _bearing_cell(tmp_path, seed=2)
    assert _scores(first) == _scores(again)
    np.testing.assert_array_equal(first_stored["proba"], again_stored["proba"])
    assert not np.array_equal(first_stored["proba"], other_stored["proba"])


def test_bearing_cell_on_other_inputs_is_not_timed(tmp_path):
    row, stored = _bearing_cell(tmp_path, model="SVM-RBF", model_config={}, inputs="raw")
    assert not {"latency_ms", "model_ms", "fps"} & set(row)
    handcrafted, _ = _bearing_cell(tmp_path, model="SVM-RBF", model_config={})
    assert row["parameters"] != handcrafted["parameters"]  # 512 inputs, not 26


def test_latency_is_timed_from_the_raw_window_through_the_models_own_inputs(
    monkeypatch, bearing_problem
):
    data, split = bearing_problem
    rpm = np.linspace(1700.0, 1800.0, len(data))  # a shaft speed per window
    bundle = BearingInputs(data.windows, data.y, image_size=16,
                           features=pp.features(data.windows, rpm=rpm, fs=12_000))  # fmt: skip
    model = baselines.get("SVM-RBF").fit(bundle, split, seed=0)
    calls = []
    predict = model.predict_proba

    def spy(inputs, index):
        calls.append((inputs, np.asarray(index).copy()))
        return predict(inputs, index)

    monkeypatch.setattr(model, "predict_proba", spy)
    index = split.test[:2]
    out = br.bearing_latency(model, bundle, index, rpm=rpm, fs=12_000, repeats=3)
    assert set(out) == {"latency_ms", "model_ms", "fps"}
    assert out["fps"] == pytest.approx(1e3 / out["latency_ms"]) and out["model_ms"] > 0
    # two warm-up windows, then three timed ones, cycling through the index; each window once
    # from its raw samples, then once from the bundle's precomputed inputs
    assert len(calls) == 2 * 5
    timed = [int(i[0]) for _, i in calls[1::2]]
    assert timed == index[np.arange(5) % 2].tolist()
    for (one, at), i in zip(calls[0::2], timed, strict=True):
        assert len(one) == 1 and at.tolist() == [0] and one.maps is None
        np.testing.assert_array_equal(one.windows[0], bundle.windows[i])
        # the features at this window's own shaft speed: what the model was trained on
        np.testing.assert_allclose(one.features[0], bundle.features[i], rtol=1e-9)
    with pytest.raises(ValueError, match="repeats must be >= 1, got 0"):
        br.bearing_latency(model, bundle, index, rpm=rpm, fs=12_000, repeats=0)
