"""Generalisation experiments: the unseen-load split, the fine-tuning split, the cross-subset
C-MAPSS windows and codebook, and every cell on synthetic stand-ins."""

import numpy as np
import pytest

from qpdm_lib.data import cwru, open_source
from qpdm_lib.data.cwru import CLASSES
from qpdm_lib.experiments import generalisation as g
from qpdm_lib.qaql import runs as qruns
from qpdm_lib.qeml import splits

NORMAL = CLASSES.index("Normal")
TINY = {"data": "synthetic", "data_seed": 0, "windows_per_record": 8, "image_size": 16,
        "depth": "resnet14", "width": 4, "epochs": 1, "patience": 1, "seed": 0}  # fmt: skip


@pytest.fixture(scope="module")
def win():
    return cwru.load_windows(open_source("cwru", "synthetic"), max_per_record=40)


def _load_of(win):
    return win.records.set_index("record")["load_hp"].loc[win.record].to_numpy()


def test_loads_that_can_be_held_out(win):
    assert g.held_out_loads(win) == [0, 1, 2]  # the normal record sits at load 0 only
    with pytest.raises(ValueError, match=r"load 3 cannot be held out; loads that can: \[0, 1, 2\]"):
        g.load_split(win, 3)


@pytest.mark.parametrize("held_out", [0, 1, 2])
def test_load_split_tests_the_held_out_load_only(win, held_out):
    split = g.load_split(win, held_out)
    load = _load_of(win)
    faults = win.y[split.test] != NORMAL
    assert faults.any() and (load[split.test][faults] == held_out).all()
    assert not (load[split.train] == held_out)[win.y[split.train] != NORMAL].any()
    assert not (load[split.val] == held_out)[win.y[split.val] != NORMAL].any()
    # the single normal record trains, validates and tests in every fold, cut in time
    for part in split:
        if isinstance(part, np.ndarray):
            assert (win.y[part] == NORMAL).any()
    assert "Normal recorded at one load only" in split.note
    assert splits.overlapping(split, win.record, win.start, length=win.x.shape[1]) == 0.0
    assert not set(split.val) & set(split.train)


def test_seen_load_reference_cuts_every_record_in_time(win):
    split = g.load_split(win, None)
    assert set(win.record[split.test]) == set(win.record) == set(win.record[split.train])
    assert splits.overlapping(split, win.record, win.start, length=win.x.shape[1]) == 0.0
    assert split.note == "no load held out: every record cut in time"
    with pytest.raises(ValueError, match="val_fraction"):
        g.load_split(win, None, val_fraction=0.6, test_fraction=0.5)


def test_shared_classes_leave_out_what_cwru_lacks():
    cwru_classes = ("Normal", "Ball", "Inner Race", "Outer Race")
    assert g.shared_classes("mfpt", cwru_classes) == ("Normal", "Inner Race", "Outer Race")
    assert "Roller" not in g.shared_classes("ims", cwru_classes)
    assert g.shared_classes("paderborn", ("Normal", "Ball")) == ("Normal",)
    with pytest.raises(ValueError, match="dataset must be one of mfpt, ims, paderborn"):
        g.shared_classes("cwru", cwru_classes)


@pytest.mark.parametrize("dataset", g.TARGETS)
def test_finetune_split_keeps_units_apart(dataset):
    twin, maps = g.target_windows(dataset, data="synthetic", windows_per_record=10)
    assert len(maps) == len(twin) and set(np.unique(twin.y)) <= {0, 2, 3}  # shared classes only
    units = g.target_units(twin, dataset)
    split = g.finetune_split(twin, units, per_class=6, seed=1)
    labelled = np.concatenate([split.train, split.val])
    assert not set(labelled) & set(split.test) and len(split.val) >= 1
    for cls in np.unique(twin.y):
        mine = labelled[twin.y[labelled] == cls]
        assert 2 <= len(mine) <= 6
        pool = np.unique(units[twin.y == cls])
        if len(pool) >= 2:  # whole units on one side
            assert not set(units[mine]) & set(units[split.test][twin.y[split.test] == cls])
    assert splits.overlapping(
        splits.Split(labelled, split.val, split.test), twin.record, twin.start,
        length=twin.x.shape[1],
    ) == 0.0  # fmt: skip
    with pytest.raises(ValueError, match="per_class must be >= 2"):
        g.finetune_split(twin, units, per_class=1)


def test_units_are_physical_bearings():
    twin, _ = g.target_windows("ims", data="synthetic", windows_per_record=2)
    units = g.target_units(twin, "ims")
    rec = twin.records.set_index("record")
    assert (units == 100 * rec["test"].loc[twin.record] + rec["bearing"].loc[twin.record]).all()
    pad, _ = g.target_windows("paderborn", data="synthetic", windows_per_record=2)
    codes = pad.records.set_index("record")["bearing"].loc[pad.record].to_numpy()
    assert len(np.unique(g.target_units(pad, "paderborn"))) == len(np.unique(codes))
    with pytest.raises(ValueError, match="dataset must be one of"):
        g.target_units(twin, "cwru")


def test_cross_windows_share_the_training_side_and_the_held_out_engines():
    same = qruns.trajectories_for("FD001", data="synthetic", n_states=8)
    traj = g.cross_trajectories("FD001", "FD001", data="synthetic", n_states=8)
    for field in ("train_states", "train_rul", "test_states", "test_rul", "official_states"):
        np.testing.assert_array_equal(getattr(traj, field), getattr(same, field))
    other = g.cross_trajectories("FD001", "FD003", data="synthetic", n_states=8)
    np.testing.assert_array_equal(other.train_states, same.train_states)  # one codebook
    own = qruns.trajectories_for("FD003", data="synthetic", n_states=8)
    np.testing.assert_array_equal(other.test_rul, own.test_rul)  # the same held-out engines
    np.testing.assert_array_equal(other.test_group, own.test_group)
    with pytest.raises(ValueError, match="per-regime scaling"):
        g.cross_windows("FD002", "FD001", data="synthetic")


def test_bearing_load_cell_for_qeml_net_and_a_baseline():
    out = g.bearing_load_cell({**TINY, "method": "QEML-Net", "held_out_load": 1})
    assert 0 <= out["accuracy"] <= 100 and out["unseen_load_windows"] > 0
    assert np.asarray(out["confusion"]).sum() == out["test_windows"]
    ref = g.bearing_load_cell({**TINY, "method": "Random Forest", "model": {"n_estimators": 5},
                               "held_out_load": None})  # fmt: skip
    assert ref["unseen_load_windows"] == 0 and ref["fault_accuracy"] > 50


def test_bearing_transfer_cell_scores_targets_and_fine_tunes():
    config = {**TINY, "targets": ["mfpt"], "target_windows_per_record": 6, "finetune_epochs": 1,
              "finetune_per_class": 4}  # fmt: skip
    out = g.bearing_transfer_cell({**config, "method": "QEML-Net"})
    assert out["mfpt_classes"] == "Normal, Inner Race, Outer Race"
    assert out["mfpt_restricted_accuracy"] >= out["mfpt_accuracy"] - 1e-9
    assert out["mfpt_test_windows"] == 20 * 6 and out["mfpt_finetune_windows"] <= 12
    assert 0 <= out["mfpt_finetuned_accuracy"] <= 100 and "cwru_accuracy" in out
    svm = g.bearing_transfer_cell({**config, "method": "SVM-RBF", "targets": ["paderborn"]})
    assert "paderborn_finetuned_accuracy" not in svm and 0 <= svm["paderborn_accuracy"] <= 100


def test_rul_and_qaql_transfer_cells():
    base = {"data": "synthetic", "data_seed": 0, "seed": 0, "train_subset": "FD001"}
    out = g.rul_cell({**base, "method": "Gradient-Boosted Trees", "model": {"max_iter": 10},
                      "test_subsets": ["FD001", "FD003"]})  # fmt: skip
    assert out["FD001.window_RMSE"] > 0 and out["FD003.last_RMSE"] > 0
    assert out["FD003.test_windows"] > 0
    agent = g.qaql_transfer_cell({**base, "test_subset": "FD003", "selector": "greedy",
                                  "n_states": 8, "episodes": 1})  # fmt: skip
    assert 0 < agent["window_RMSE"] < 125 and agent["test_windows"] > 0
