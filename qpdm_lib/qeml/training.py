"""Training QEML-Net: AdamW, cosine-annealed learning rate, early stopping, safe checkpoints.

Each epoch records accuracy, the compound loss and each of its terms, the learning rate and the
mean quantum fidelity (the quantities of QEML-Net's Figure 2). Checkpoints hold tensors and plain
data only and are read back with ``torch.load(weights_only=True)``, never arbitrary pickle.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .._io import atomic_write
from .._progress import report
from .models.losses import WEIGHTS, compound_loss, fidelity

__all__ = [
    "TrainConfig",
    "train",
    "predict_proba",
    "evaluate",
    "resolve_device",
    "save_checkpoint",
    "load_checkpoint",
]


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 200  # QEML-Net section 4.1
    batch_size: int = 64  # not stated in the paper: our choice
    lr: float = 1e-3  # not stated: AdamW's usual start
    weight_decay: float = 1e-4  # not stated
    patience: int = 30  # early stopping on validation accuracy (epochs without improvement)
    seed: int = 0
    loss_weights: tuple[float, float, float] = WEIGHTS  # 0.55 CE + 0.28 MSE + 0.17 L_Q
    device: str = "cpu"  # "cpu", "cuda" or "auto" (cuda when present)


def resolve_device(name: str) -> torch.device:
    """``auto`` → CUDA when present, else CPU; ``cuda`` without a GPU fails with one line."""
    from ..errors import QPDMError

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise QPDMError("device='cuda' but torch sees no CUDA GPU here; use device='cpu' or 'auto'")
    if name not in ("cpu", "cuda"):
        raise QPDMError(f"device must be 'cpu', 'cuda' or 'auto', got {name!r}")
    return torch.device(name)


def _batches(n: int, size: int, rng: np.random.Generator | None):
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, size):
        yield order[start : start + size]


def _device_of(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


def evaluate(
    model: torch.nn.Module, x: np.ndarray, y: np.ndarray | None = None, *, batch_size: int = 256
) -> tuple[np.ndarray, float]:
    """Class probabilities of ``x`` in evaluation mode, and the mean fidelity |⟨y|ψ⟩|² to the
    true classes ``y`` (NaN without ``y``)."""
    model.eval()
    device = _device_of(model)
    probs, fid = [], []
    with torch.no_grad():
        for idx in _batches(len(x), batch_size, None):
            out = model(torch.as_tensor(x[idx]).to(device))
            probs.append(torch.softmax(out["logits"], dim=1).cpu().numpy())
            if y is not None and "state" in out:
                target = torch.as_tensor(np.asarray(y)[idx], dtype=torch.long, device=device)
                fid.append(fidelity(out["state"], target).cpu().numpy())
    proba = np.concatenate(probs) if probs else np.empty((0, 0))
    return proba, float(np.concatenate(fid).mean()) if fid else float("nan")


def predict_proba(model: torch.nn.Module, x: np.ndarray, *, batch_size: int = 256) -> np.ndarray:
    """Class probabilities of ``x`` in evaluation mode."""
    return evaluate(model, x, batch_size=batch_size)[0]


def train(model, x_train, y_train, x_val, y_val, config: TrainConfig, *, log=None) -> list[dict]:
    """Train in place, restore the best validation state, return the per-epoch history."""
    if len(x_train) < 2:
        raise ValueError(f"need at least 2 training windows, got {len(x_train)}")
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    device = resolve_device(config.device)
    model.to(device)
    optimiser = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, T_max=config.epochs)
    y_train_t = torch.as_tensor(y_train, dtype=torch.long, device=device)
    history, best, best_acc, waited = [], None, -1.0, 0
    for epoch in range(1, config.epochs + 1):
        model.train()
        sums, seen, correct = (
            {"ce": 0.0, "mse": 0.0, "l_q": 0.0, "fidelity": 0.0, "total": 0.0},
            0,
            0,
        )
        for idx in _batches(len(x_train), config.batch_size, rng):
            if len(idx) < 2:  # BatchNorm needs two samples
                continue
            out = model(torch.as_tensor(x_train[idx]).to(device))
            loss, parts = compound_loss(out, y_train_t[idx], weights=config.loss_weights)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            for k in sums:
                sums[k] += parts[k] * len(idx)
            seen += len(idx)
            correct += int((out["logits"].argmax(dim=1) == y_train_t[idx]).sum())
        val_proba, val_fid = evaluate(model, x_val, y_val)
        val_acc = float((val_proba.argmax(axis=1) == np.asarray(y_val)).mean())
        improved = val_acc > best_acc
        row = {"epoch": epoch, "lr": optimiser.param_groups[0]["lr"], "train_accuracy": correct / seen,
               "val_accuracy": val_acc, "val_fidelity": val_fid, "best": improved,
               **{f"train_{k}": v / seen for k, v in sums.items()}}  # fmt: skip
        history.append(row)
        report(f"epoch {epoch}/{config.epochs}: validation accuracy {val_acc:.3f}")
        if log:
            log(row)
        schedule.step()
        if improved:
            best_acc, waited = val_acc, 0
            best = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if waited >= config.patience:
                break
    if best is not None:
        model.load_state_dict(best)
    return history


def save_checkpoint(
    path: Path, model: torch.nn.Module, *, config: object, history: list[dict]
) -> Path:
    """Write weights, config and history atomically (tensors and plain data only)."""
    payload = {
        "state_dict": model.state_dict(),
        "config": dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(config),
        "history": history,
    }
    return atomic_write(Path(path), lambda p: torch.save(payload, p))


def load_checkpoint(path: Path, model: torch.nn.Module) -> dict:
    """Load weights into ``model`` safely (``weights_only=True``); return config and history."""
    payload = torch.load(Path(path), weights_only=True)
    model.load_state_dict(payload["state_dict"])
    return {"config": payload["config"], "history": payload["history"]}
