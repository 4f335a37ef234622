"""QEML-Net experiments: folds, leakage measures, cached runs, latency, devices."""

import numpy as np
import pytest
import torch

from qpdm_lib.book import profiles
from qpdm_lib.errors import QPDMError
from qpdm_lib.qeml import runs, splits, training
from qpdm_lib.qeml.models.qeml_net import NetConfig
from qpdm_lib.qeml.training import TrainConfig

from ..helpers import cwru_like_windows

LENGTH = 8


def _windows(records_per_class=(1, 6, 6), per_record=20, hop=4):
    """Overlapping windows like CWRU's (hop = half of LENGTH), one normal record."""
    return cwru_like_windows(records_per_class, per_record=per_record, hop=hop, first_record=100)


def test_window_folds_partition_every_window_stratified():
    y, groups, start = _windows()
    folds = splits.fold_splits(y, groups, start, length=LENGTH, folds=5, by_record=False)
    tested = np.concatenate([f.test for f in folds])
    assert sorted(tested) == list(range(len(y)))  # every window tested exactly once
    for f in folds:
        assert not set(f.train) & set(f.test) and not set(f.val) & set(f.test)
        np.testing.assert_allclose(
            np.bincount(y[f.test]) / len(f.test), np.bincount(y) / len(y), atol=0.03
        )
    # the paper's protocol leaks: neighbours of a test window train
    assert splits.overlapping(folds[0], groups, start, length=LENGTH) > 0.5


def test_record_folds_keep_records_apart_and_cut_the_single_normal_record_in_time():
    y, groups, start = _windows()
    folds = splits.fold_splits(y, groups, start, length=LENGTH, folds=5, by_record=True, seed=3)
    assert "classes [0] have < 5 records" in folds[0].note
    for f in folds:
        assert splits.overlapping(f, groups, start, length=LENGTH) == 0.0  # not one shared sample
        for cls in (1, 2):  # classes with enough records: no record on two sides
            test_records = set(groups[f.test][y[f.test] == cls])
            train_records = set(groups[f.train][y[f.train] == cls])
            assert test_records and not test_records & train_records
        assert (y[f.test] == 0).any()  # every fold tests a block of the normal record
    # straddling windows are dropped, nothing else
    tested = np.concatenate([f.test for f in folds])
    assert len(set(tested)) == len(tested)
    assert set(range(len(y))) - set(tested) <= set(np.flatnonzero(y == 0))


def test_fold_splits_refuses_too_few_folds():
    y, groups, start = _windows()
    with pytest.raises(ValueError, match="folds >= 3"):
        splits.fold_splits(y, groups, start, length=LENGTH, folds=2, by_record=True)


def test_overlapping_by_hand():
    groups = np.array([1, 1, 1, 2])
    start = np.array([0, 4, 16, 0])
    split = splits.Split(train=np.array([0]), val=np.array([], dtype=int), test=np.array([1, 2, 3]))
    # window 1 starts 4 < 8 samples after window 0; window 2 is 16 away; window 3 is another record
    assert splits.overlapping(split, groups, start, length=8) == pytest.approx(1 / 3)


def test_split_images_use_training_statistics_only():
    rng = np.random.default_rng(0)
    maps = rng.normal(3.0, 2.0, (30, 16, 32))
    split = splits.Split(np.arange(20), np.arange(20, 25), np.arange(25, 30))
    train1, *_ = runs.split_images(maps, split, 16)
    maps2 = maps.copy()
    maps2[20:] += 100.0  # changing validation and test windows must not move the statistics
    train2, val2, _ = runs.split_images(maps2, split, 16)
    np.testing.assert_array_equal(train1, train2)
    assert train1.shape == (20, 1, 16, 16) and abs(train1.mean()) < 0.05
    assert val2.mean() > 10  # normalised with the training mean, so the shift shows


class _Win:
    def __init__(self, n_per_class=24):
        rng = np.random.default_rng(1)
        self.y, self.record, self.start = _windows((1, 3, 3), per_record=n_per_class)
        self.x = rng.normal(size=(len(self.y), LENGTH)).astype(np.float32)


def _maps(win):
    rng = np.random.default_rng(2)
    maps = rng.normal(0, 0.3, (len(win.y), 16, 32))
    for k, c in enumerate(win.y):
        maps[k, 4 * c : 4 * c + 4] += 2.0  # each class lights its own bands
    return maps


def test_runs_are_cached_and_resume(tmp_path, monkeypatch):
    win = _Win()
    maps = _maps(win)
    net = NetConfig(blocks=(1, 1, 1, 1), width=4, reduction=4)
    config = TrainConfig(epochs=2, batch_size=32, patience=2)
    first = runs.sweep(win, maps, kinds=("windows",), folds=1, seeds=2, size=16, net=net,
                       training=config, cache=tmp_path)  # fmt: skip
    assert [r.seed for r in first] == [0, 1]
    assert first[0].state_dict is not None and first[1].state_dict is None
    assert len(list(tmp_path.glob("windows-*.pt"))) == 2

    def no_training(*args, **kwargs):
        raise AssertionError("a cached run was trained again")

    monkeypatch.setattr(runs, "train", no_training)
    again = runs.sweep(win, maps, kinds=("windows",), folds=1, seeds=2, size=16, net=net,
                       training=config, cache=tmp_path)  # fmt: skip
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a.proba, b.proba)
        assert a.history == b.history and a.row() == b.row()


def test_a_damaged_cache_file_is_recomputed(tmp_path):
    win = _Win()
    maps = _maps(win)
    split = runs.make_splits(win, "records", folds=1, seed=0)[0]
    kwargs = dict(size=16, net=NetConfig(blocks=(1, 1, 1, 1), width=4, reduction=4),
                  training=TrainConfig(epochs=1, batch_size=32), kind="records", cache=tmp_path)  # fmt: skip
    first = runs.run_once(maps, win.y, split, **kwargs)
    (path,) = tmp_path.glob("records-*.pt")
    path.write_bytes(b"not a checkpoint")
    again = runs.run_once(maps, win.y, split, **kwargs)  # same seed: the same numbers
    np.testing.assert_allclose(again.proba, first.proba, atol=1e-6)
    assert path.stat().st_size > 1000


def test_same_parameters_give_the_same_numbers():
    win = _Win()
    maps = _maps(win)
    split = runs.make_splits(win, "windows", folds=1, seed=0)[0]
    kwargs = dict(size=16, net=NetConfig(blocks=(1, 1, 1, 1), width=4, reduction=4),
                  training=TrainConfig(epochs=2, batch_size=32, seed=5))  # fmt: skip
    a = runs.run_once(maps, win.y, split, **kwargs)
    b = runs.run_once(maps, win.y, split, **kwargs)
    np.testing.assert_array_equal(a.proba, b.proba)


def test_make_splits_names_bad_kind():
    with pytest.raises(ValueError, match="split kind must be one of windows, records, got 'time'"):
        runs.make_splits(_Win(), "time", folds=1, seed=0)


def test_latency_is_measured_on_the_inference_path():
    from qpdm_lib.qeml.models.qeml_net import QEMLNet

    model = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=4, reduction=4))
    calls = []
    model.decoder.register_forward_hook(lambda *a: calls.append(1))
    lat = runs.measure_latency(model, 16, repeats=3, warmup=1, batch=4)
    assert lat["ms_per_window"] == pytest.approx(lat["ms_per_pass"] / 4)
    assert lat["windows_per_s"] == pytest.approx(1e3 / lat["ms_per_window"])
    assert not calls  # the decoder is training-only
    with pytest.raises(ValueError, match="repeats and batch must be >= 1"):
        runs.measure_latency(model, 16, repeats=0)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_asking_for_a_gpu_without_one_is_one_clear_line():
    with pytest.raises(QPDMError, match="sees no CUDA GPU here; use device='cpu' or 'auto'"):
        training.resolve_device("cuda")
    assert training.resolve_device("auto").type == "cpu"


def test_profile_depths_are_the_library_depths():
    assert profiles.CHAPTERS["hybrid-network"].params["depth"].choices == tuple(runs.DEPTHS)
    assert runs.DEPTHS["resnet50"] == (3, 4, 6, 3)


def test_a_run_reports_the_fidelity_of_the_model_it_evaluates():
    # training restored epoch 2 (the best): the row's fidelities are epoch 2's, not the last's
    history = [
        {"epoch": 1, "best": True, "train_fidelity": 0.4, "val_fidelity": 0.3},
        {"epoch": 2, "best": True, "train_fidelity": 0.7, "val_fidelity": 0.6},
        {"epoch": 3, "best": False, "train_fidelity": 0.9, "val_fidelity": 0.5},
    ]
    y = np.array([0, 0, 1, 2, 3, 3])
    proba = np.eye(8)[[0, 0, 1, 1, 3, 0]]  # normal all right; faults 2 of 4 right
    result = runs.RunResult("windows", 0, 0, history, np.arange(6), y, proba, 0.55, 1.0)
    row = result.row()
    assert row["best_epoch"] == 2 and row["train_fidelity"] == 0.7 and row["val_fidelity"] == 0.6
    assert row["test_fidelity"] == 0.55
    assert row["accuracy"] == pytest.approx(100 * 4 / 6)
    assert row["fault_accuracy"] == pytest.approx(100 * 2 / 4)  # the one normal record left out


def test_ablation_variants_switch_the_layers_table_4_names():
    from qpdm_lib.qeml.models.qeml_net import VARIANTS, QEMLNet, parameter_table

    small = NetConfig(blocks=(1, 1, 1, 1), width=8)
    totals = {v: parameter_table(QEMLNet(small.variant(v))) for v in VARIANTS}
    # + CBAM adds exactly the two CBAM blocks; + encoding adds W_enc (4 x 512 + 4), the head's
    # 4 extra inputs (4 x 256) and the decoder; + VQC adds 6 x 4 x 3 angles; the loss adds nothing
    resnet = QEMLNet(small.variant("resnet"))
    cbam = sum(p.numel() for m in QEMLNet(small).backbone.modules()
               if type(m).__name__ == "CBAM" for p in m.parameters())  # fmt: skip
    assert totals["+cbam"]["total"] - totals["resnet"]["total"] == cbam > 0
    decoder = 4 * 128 + 128 + 128 * 512 + 512
    assert (
        totals["+encoding"]["total"] - totals["+cbam"]["total"] == 4 * 512 + 4 + 4 * 256 + decoder
    )
    assert totals["+vqc"]["total"] - totals["+encoding"]["total"] == 6 * 4 * 3
    assert totals["qeml-net"] == totals["+vqc"]
    x = torch.randn(3, 1, 16, 16)
    assert set(resnet(x)) == {"logits", "h"} and resnet.classify(x).shape == (3, 8)
    with pytest.raises(ValueError, match="unknown variant 'gnn'"):
        small.variant("gnn")


def test_grid_cells_store_their_predictions_and_reuse_them(tmp_path, monkeypatch):
    from qpdm_lib.experiments import grid

    monkeypatch.setenv("QPDM_SYNTHETIC_DIR", str(tmp_path / "synthetic"))
    base = {"data": "synthetic", "windows_per_record": 6, "image_size": 16, "depth": "resnet14",
            "width": 4, "epochs": 1, "patience": 1, "batch_size": 16}  # fmt: skip
    cells = runs.cells("t", base=base, kinds=("windows",), folds=1, seeds=[0],
                       variants=("resnet", "qeml-net"))  # fmt: skip
    store = grid.RunStore(tmp_path / "store")
    first = grid.run(cells, runs.train_cell, store=store, code="c", local=True)
    assert not first.failed and first.computed == 2
    table = first.table()
    assert list(table.variant) == [
        "resnet",
        "qeml-net",
    ] and table.test_fidelity.isna().tolist() == [True, False]
    result = runs.load_result(first.artifacts(1))
    assert result.proba.shape == (table.test_windows[1], 8)
    again = grid.run(cells, runs.train_cell, store=store, code="c", local=True)
    assert (
        again.computed == 0
        and runs.load_result(again.artifacts(1)).proba.tolist() == result.proba.tolist()
    )


def test_inner_split_cross_validates_inside_the_training_part_only():
    from types import SimpleNamespace

    y, groups, start = _windows()
    win = SimpleNamespace(x=np.zeros((len(y), LENGTH)), y=y, record=groups, start=start)
    outer = splits.stratified_split(y, seed=0)
    pool = set(outer.train) | set(outer.val)
    tested = []
    for k in range(3):
        inner = runs.inner_split(win, outer, "windows", folds=3, fold=k, seed=0)
        parts = [set(inner.train), set(inner.val), set(inner.test)]
        assert set().union(*parts) <= pool and not set(outer.test) & set().union(*parts)
        assert not parts[0] & parts[2] and not parts[1] & parts[2]
        tested += list(inner.test)
    assert sorted(tested) == sorted(pool)  # every pooled window is tested once
