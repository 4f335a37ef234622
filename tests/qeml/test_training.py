import numpy as np
import pytest
import torch

from qpdm_lib import metrics
from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet
from qpdm_lib.qeml.training import (
    TrainConfig,
    load_checkpoint,
    predict_proba,
    save_checkpoint,
    train,
)


def _blobs(n, seed):
    # 4 classes told apart by where a bright patch sits in a 16 x 16 map
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, n)
    x = rng.normal(0, 0.3, (n, 1, 16, 16)).astype(np.float32)
    for k in range(n):
        r, c = divmod(int(y[k]), 2)
        x[k, 0, r * 8 : r * 8 + 8, c * 8 : c * 8 + 8] += 1.5
    return x, y


def test_training_beats_chance_quickly_and_checkpoints_round_trip(tmp_path):
    torch.manual_seed(0)
    x, y = _blobs(256, 0)
    xv, yv = _blobs(128, 1)
    model = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4))
    history = train(model, x, y, xv, yv, TrainConfig(epochs=6, batch_size=32, lr=3e-3, patience=6))
    assert history[-1]["lr"] < history[0]["lr"]  # cosine annealing
    assert {"train_ce", "train_mse", "train_l_q", "train_fidelity", "train_total"} <= set(
        history[0]
    )
    m = metrics.classification_metrics(yv, predict_proba(model, xv), n_classes=8)
    assert m["accuracy"] > 0.6  # chance is 0.25
    path = save_checkpoint(tmp_path / "net.pt", model, config=TrainConfig(), history=history)
    clone = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4))
    meta = load_checkpoint(path, clone)
    np.testing.assert_allclose(predict_proba(clone, xv), predict_proba(model, xv), atol=1e-6)
    assert meta["config"]["epochs"] == 200 and len(meta["history"]) == len(history)


def test_classification_metrics_by_hand():
    y = np.array([0, 0, 1, 2])
    proba = np.zeros((4, 8))
    proba[[0, 1, 2, 3], [0, 1, 1, 2]] = 1.0  # one class-0 window called class 1
    m = metrics.classification_metrics(y, proba)
    assert m["accuracy"] == 0.75
    assert m["recall"] == pytest.approx((0.5 + 1 + 1) / 3)
    assert m["precision"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert m["confusion"][0, 1] == 1 and m["confusion"].shape == (8, 8)
    with pytest.raises(ValueError, match=r"proba must be \(n, classes\) with n = 4"):
        metrics.classification_metrics(y, proba[:3])


def test_training_returns_the_weights_of_the_best_validation_epoch(monkeypatch):
    # validation accuracy falls after epoch 1: the model that comes back must be epoch 1's
    from qpdm_lib.qeml import training

    torch.manual_seed(0)
    x, y = _blobs(64, 0)
    model = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=4, reduction=4))
    scripted = iter([0.9, 0.5, 0.4])
    real_evaluate = training.evaluate

    def fake_evaluate(m, xs, ys=None, **kw):
        proba, fid = real_evaluate(m, xs, ys, **kw)
        accuracy = next(scripted)
        right = int(round(accuracy * len(ys)))  # a probability table with this accuracy
        fake = np.eye(proba.shape[1])[(np.asarray(ys) + (np.arange(len(ys)) >= right)) % 8]
        return fake, fid

    snapshots = {}
    monkeypatch.setattr(training, "evaluate", fake_evaluate)
    history = train(model, x, y, x[:20], y[:20], TrainConfig(epochs=3, batch_size=32, patience=5),
                    log=lambda row: snapshots.setdefault(row["epoch"], {k: v.clone() for k, v in model.state_dict().items()}))  # fmt: skip
    assert [r["best"] for r in history] == [True, False, False]
    for key, value in model.state_dict().items():
        torch.testing.assert_close(value, snapshots[1][key])
    assert any(not torch.equal(snapshots[3][k], snapshots[1][k]) for k in snapshots[1])
