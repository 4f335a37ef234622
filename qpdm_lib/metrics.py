"""Error metrics of QAQL Table 5, and the NASA asymmetric score.

The paper's Table 5 lost its formulas in the published text; these are the standard definitions,
named here so a reviewer can disagree with one:

* MSE = mean(e²), RMSE = √MSE, MAE = mean|e|, with e = ŷ − y;
* MAPE = 100 · mean(|e| / y) over windows with y > 0 (undefined at RUL 0);
* RSE = Σe² / Σ(y − ȳ)² (relative to predicting the mean; 1 = no better than the mean);
* MBD = mean(e) (positive: predictions late, i.e. optimistic);
* NASA score = Σ exp(−e/13) − 1 for e < 0 and exp(e/10) − 1 for e ≥ 0 (Saxena et al., 2008),
  which punishes late predictions harder.

>>> m = regression_metrics([10.0, 20.0], [12.0, 16.0])
>>> m["MSE"], m["MAE"], m["MBD"]
(10.0, 3.0, -1.0)
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "regression_metrics",
    "nasa_score",
    "classification_metrics",
    "METRICS",
    "CONVENTIONS",
    "CLASSIFICATION_CONVENTIONS",
]

METRICS = ("MSE", "RMSE", "MAE", "MAPE", "RSE", "MBD", "NASA")

#: How the RUL metrics are computed, in one sentence a chapter shows beside its tables.
CONVENTIONS = (
    "MSE = mean(e²), RMSE = √MSE and MAE = mean|e| with e = predicted − true RUL; MAPE = "
    "100·mean(|e|/y) over the windows with true RUL y > 0 only (it is undefined at RUL 0, so "
    "those windows are left out); RSE = Σe²/Σ(y − ȳ)² (1 = no better than predicting the mean); "
    "MBD = mean(e), positive when predictions are late; NASA = the asymmetric PHM08 score."
)
#: How the classification metrics are computed (QEML-Net Table 3).
CLASSIFICATION_CONVENTIONS = (
    "Macro precision, recall and F1 average over the classes present in the test set (CWRU holds "
    "4 of the taxonomy's 8); the macro one-vs-rest AUC renormalises the predicted probabilities "
    "over those classes before ranking."
)


def nasa_score(y_true, y_pred) -> float:
    """The PHM08 / C-MAPSS asymmetric scoring function (sum over units or windows)."""
    e = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    return float(np.sum(np.where(e < 0, np.exp(-e / 13.0) - 1, np.exp(e / 10.0) - 1)))


def regression_metrics(y_true, y_pred) -> dict[str, float]:
    """All metrics of :data:`METRICS` for one set of predictions."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    if y.shape != p.shape or y.ndim != 1 or len(y) == 0:
        raise ValueError(
            f"y_true and y_pred must be equal-length 1-D arrays, got {y.shape} and {p.shape}"
        )
    e = p - y
    mse = float(np.mean(e**2))
    positive = y > 0
    spread = float(np.sum((y - y.mean()) ** 2))
    return {
        "MSE": mse,
        "RMSE": float(np.sqrt(mse)),
        "MAE": float(np.mean(np.abs(e))),
        "MAPE": float(100 * np.mean(np.abs(e[positive]) / y[positive]))
        if positive.any()
        else float("nan"),
        "RSE": float(np.sum(e**2) / spread) if spread > 0 else float("nan"),
        "MBD": float(np.mean(e)),
        "NASA": nasa_score(y, p),
    }


def classification_metrics(y_true, proba, *, n_classes: int | None = None) -> dict:
    """Accuracy, macro precision/recall/F1, macro one-vs-rest AUC and the confusion matrix.

    Macro averages run over the classes present in ``y_true`` (CWRU holds 4 of the taxonomy's 8);
    ``proba`` is (n, n_classes) class probabilities. Built on scikit-learn.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    y = np.asarray(y_true)
    p = np.asarray(proba, dtype=float)
    if p.ndim != 2 or len(p) != len(y):
        raise ValueError(f"proba must be (n, classes) with n = {len(y)}, got shape {p.shape}")
    n_classes = n_classes or p.shape[1]
    present = np.unique(y)
    pred = p.argmax(axis=1)
    precision, recall, f1, _ = precision_recall_fscore_support(
        y, pred, labels=present, average="macro", zero_division=0
    )
    if len(present) > 1:
        sub = p[:, present]
        mass = sub.sum(axis=1, keepdims=True)
        if not np.allclose(mass, 1.0, atol=1e-9):  # absent classes carry mass: renormalise
            sub = sub / np.clip(mass, 1e-12, None)
        auc = (
            float(roc_auc_score(y, sub, multi_class="ovr", labels=present))
            if len(present) > 2
            else float(roc_auc_score(y == present[1], sub[:, 1]))
        )
    else:
        auc = float("nan")
    return {
        "accuracy": float(accuracy_score(y, pred)),
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "auc": auc,
        "confusion": confusion_matrix(y, pred, labels=np.arange(n_classes)),
    }
