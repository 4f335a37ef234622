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
