"""The plain trainer shared by the torch baselines."""

import numpy as np
import pytest
import torch
from torch import nn

from qpdm_lib.baselines import _torch


def _problem(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    return x, (x[:, 0] > 0).astype(np.int64), (2 * x[:, 0] - x[:, 1]).astype(np.float32)


def test_seeded_leaves_the_callers_generator_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    with _torch.seeded(7):
        inside = torch.rand(3)
    torch.testing.assert_close(torch.rand(3), expected)
    with _torch.seeded(7):
        torch.testing.assert_close(torch.rand(3), inside)


def test_fit_restores_the_best_validation_epoch():
    x, labels, _ = _problem()
    config = _torch.Training(epochs=8, patience=8, batch_size=16, lr=0.05)
    with _torch.seeded(0):
        net = nn.Linear(3, 2)
        history = _torch.fit(net, x[:48], labels[:48], x[48:], labels[48:], config,
                             task="classify", seed=0)  # fmt: skip
    best = [row for row in history if row["best"]][-1]
    accuracy = (_torch.outputs(net, x[48:]).argmax(axis=1) == labels[48:]).mean()
    assert accuracy == best["val_score"] and not net.training


def test_fit_stops_after_patience_and_regresses():
    x, _, target = _problem()
    config = _torch.Training(epochs=50, patience=2, batch_size=16, lr=0.0001)
    with _torch.seeded(0):
        net = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0))
        history = _torch.fit(net, x[:48], target[:48], x[48:], target[48:], config,
                             task="regress", seed=0)  # fmt: skip
    assert len(history) <= 50 and history[0]["val_score"] <= 0
    config = _torch.Training(epochs=60, patience=60, batch_size=16, lr=0.05)
    with _torch.seeded(0):
        net = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0))
        _torch.fit(net, x[:48], target[:48], x[48:], target[48:], config, task="regress", seed=0)
    assert np.mean((_torch.outputs(net, x[48:]) - target[48:]) ** 2) < 0.01


def test_fit_checks_its_arguments():
    x, labels, _ = _problem(4)
    with pytest.raises(ValueError, match="task must be 'classify' or 'regress', got 'rank'"):
        _torch.fit(nn.Linear(3, 2), x, labels, x, labels, _torch.Training(), task="rank", seed=0)
    with pytest.raises(ValueError, match="need >= 2 training and >= 1 validation samples"):
        _torch.fit(nn.Linear(3, 2), x[:1], labels[:1], x, labels, _torch.Training(),
                   task="classify", seed=0)  # fmt: skip
    with pytest.raises(ValueError, match="Training.epochs must be an integer >= 1, got 0"):
        _torch.Training(epochs=0)
