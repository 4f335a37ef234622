"""Torch plumbing shared by the baselines: seeded construction, one plain trainer, prediction.

QEML-Net's own trainer (:func:`qpdm_lib.qeml.training.train`) expects the compound-loss output
dict of :class:`~qpdm_lib.qeml.models.qeml_net.QEMLNet`; the baselines are plain classifiers and
regressors, so they share this simpler one: AdamW, cosine-annealed learning rate, minibatches
shuffled by a seeded generator, early stopping on the validation score and the best weights
restored. Everything random happens inside :func:`seeded`, which forks torch's global generator,
so fitting a baseline neither depends on nor changes the caller's random state.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..qeml.training import resolve_device

__all__ = [
    "Training",
    "finite",
    "positive",
    "seeded",
    "fit",
    "outputs",
    "count_parameters",
    "device_of",
    "Encoder",
]


@dataclass(frozen=True)
class Training:
    """How a torch baseline is trained (QEML-Net section 4.1's schedule; the rest our choice)."""

    epochs: int = 200  # QEML-Net section 4.1 trains for 200 epochs; the baselines get the same
    batch_size: int = 64  # not stated in either paper: our choice
    lr: float = 1e-3  # AdamW's usual start (not stated)
    weight_decay: float = 1e-4  # not stated
    patience: int = 30  # epochs without a better validation score before stopping
    device: str = "cpu"  # "cpu", "cuda" or "auto"

    def __post_init__(self) -> None:
        positive(self, "epochs", "batch_size", "patience")
        if not self.lr > 0 or self.weight_decay < 0:
            raise ValueError(
                f"need lr > 0 and weight_decay >= 0, got {self.lr}, {self.weight_decay}"
            )
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device must be 'cpu', 'cuda' or 'auto', got {self.device!r}")


def finite(name: str, a: np.ndarray) -> None:
    """Fail with one line naming ``name`` and its first row holding NaN or an infinite value."""
    if not np.isfinite(a).all():
        bad = int(np.flatnonzero(~np.isfinite(a.reshape(len(a), -1)).all(axis=1))[0])
        raise ValueError(f"{name} holds NaN or infinite values (first at row {bad})")


def positive(config, *names: str) -> None:
    """Fail with one line when a config field that must be an integer >= 1 is not."""
    for name in names:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(
                f"{type(config).__name__}.{name} must be an integer >= 1, got {value!r}"
            )


@contextlib.contextmanager
def seeded(seed: int, device: torch.device | str = "cpu") -> Iterator[None]:
    """Run the block with torch's generator seeded, restoring the caller's state afterwards."""
    device = torch.device(device)
    devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


def count_parameters(module: nn.Module) -> int:
    """Trainable parameters of a torch module."""
    return int(sum(p.numel() for p in module.parameters() if p.requires_grad))


def device_of(module: nn.Module) -> torch.device:
    return next(module.parameters()).device


def _batches(n: int, size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, size):
        yield order[start : start + size]


def outputs(module: nn.Module, x: np.ndarray, *, batch_size: int = 512) -> np.ndarray:
    """The module's outputs for ``x`` in evaluation mode, without gradients, as float64."""
    module.eval()
    device = device_of(module)
    parts = []
    with torch.no_grad():
        for idx in _batches(len(x), batch_size, None):
            parts.append(module(torch.as_tensor(x[idx]).to(device)).double().cpu().numpy())
    return np.concatenate(parts) if parts else np.empty((0,))


def _score(task: str, out: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Validation score, larger is better: (accuracy, −cross-entropy) or (−MSE, 0)."""
    if task == "classify":
        logits = torch.as_tensor(out)
        target = torch.as_tensor(y, dtype=torch.long)
        ce = float(F.cross_entropy(logits, target))
        return float((out.argmax(axis=1) == y).mean()), -ce
    return -float(np.mean((out.reshape(-1) - y) ** 2)), 0.0


def fit(
    module: nn.Module,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_val: np.ndarray,
    y_val: np.ndarray,
    config: Training,
    *,
    task: str,
    seed: int,
) -> list[dict]:
    """Train ``module`` in place and restore its best validation state; return the history.

    ``task="classify"``: cross-entropy on integer labels, the best epoch is the one with the
    highest validation accuracy, ties broken by the lower validation cross-entropy (on a small
    validation set accuracy saturates early, and the first perfect epoch is rarely the best one).
    ``task="regress"``: mean squared error on a (n,) target, the best epoch has the lowest
    validation MSE. AdamW with cosine annealing over ``config.epochs``; training stops after
    ``config.patience`` epochs without improvement. Call it inside :func:`seeded` (dropout draws
    from torch's generator); the minibatch order comes from ``seed``.
    """
    if task not in ("classify", "regress"):
        raise ValueError(f"task must be 'classify' or 'regress', got {task!r}")
    if len(x_train) < 2 or len(x_val) < 1:
        raise ValueError(
            f"need >= 2 training and >= 1 validation samples, got {len(x_train)} and {len(x_val)}"
        )
    device = resolve_device(config.device)
    module.to(device)
    rng = np.random.default_rng(seed)
    optimiser = torch.optim.AdamW(
        module.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=config.epochs)
    target_dtype = torch.long if task == "classify" else torch.float32
    y_all = torch.as_tensor(np.asarray(y_train), dtype=target_dtype, device=device)
    loss_fn = F.cross_entropy if task == "classify" else F.mse_loss
    history, best, best_score, waited = [], None, None, 0
    for epoch in range(1, config.epochs + 1):
        module.train()
        total, seen = 0.0, 0
        for idx in _batches(len(x_train), config.batch_size, rng):
            if len(idx) < 2:  # BatchNorm needs two samples; a lone leftover is skipped
                continue
            out = module(torch.as_tensor(x_train[idx]).to(device))
            loss = loss_fn(out if task == "classify" else out.reshape(-1), y_all[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        score = _score(task, outputs(module, x_val), np.asarray(y_val))
        improved = best_score is None or score > best_score
        history.append(
            {"epoch": epoch, "lr": optimiser.param_groups[0]["lr"], "train_loss": total / max(seen, 1),
             "val_score": score[0], "best": improved}
        )  # fmt: skip
        schedule.step()
        if improved:
            best_score, waited = score, 0
            best = {k: v.detach().clone() for k, v in module.state_dict().items()}
        else:
            waited += 1
            if waited >= config.patience:
                break
    if best is not None:
        module.load_state_dict(best)
    module.eval()
    return history


class Encoder(nn.Module):
    """Transformer encoder over tokens: (n, t, d_in) → (n, d_model).

    Linear embedding, a learned [CLS] token (``cls=True``) and learned positions, a pre-norm
    ``nn.TransformerEncoder`` with GELU, a final LayerNorm; returns the [CLS] state, or the mean
    over tokens with ``cls=False``.
    """

    def __init__(self, d_in: int, tokens: int, d_model: int, heads: int, layers: int, ff: int,
                 dropout: float, *, cls: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.embed = nn.Linear(d_in, d_model)
        self.cls = nn.Parameter(torch.zeros(1, 1, d_model)) if cls else None
        self.position = nn.Parameter(torch.randn(1, tokens + int(cls), d_model) * 0.02)
        layer = nn.TransformerEncoderLayer(d_model, heads, ff, dropout, activation="gelu",
                                           batch_first=True, norm_first=True)  # fmt: skip
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        h = self.embed(tokens)
        if self.cls is not None:
            h = torch.cat([self.cls.expand(len(h), -1, -1), h], dim=1)
        h = self.norm(self.encoder(h + self.position))
        return h[:, 0] if self.cls is not None else h.mean(dim=1)
