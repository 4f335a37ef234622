"""RUL baselines of QAQL Tables 6, 7 and 11: the input bundle, the contract, the supervised models.

Every RUL baseline has the same shape:

* ``fit(train, *, seed) -> self`` learns from one :class:`RULInputs` (windows in trajectory
  order, their RUL, their engine or device segment);
* ``predict(x) -> (n,)`` RUL predictions for windows ``x`` (an array (n, length, features) or a
  :class:`RULInputs`);
* ``n_parameters() -> int``, a ``name`` as printed in the paper's tables and a frozen ``Config``.

The supervised models here see the 30-cycle windows; the reinforcement learners
(:mod:`~qpdm_lib.baselines.rul_rl`, :mod:`~qpdm_lib.baselines.rul_quantum`) walk the same
windows in trajectory order, with QAQL's action space (16 RUL bins over [0, cap]) and reward
(−(ŷ − y)²). Every model gets the same windows, split and seed as QAQL: build the bundle with
:meth:`RULInputs.from_cmapss`, which cuts exactly the windows
:func:`qpdm_lib.qaql.trajectories.cmapss_trajectories` cuts.

Supervised models here (torch ones train on a validation part of the training *groups*, never of
windows, and stop early on its MSE; targets are scaled by the cap and predictions clipped to
[0, cap], the range of the capped label):

* :class:`BiLSTM` ("Bi-LSTM", Jin et al. 2022): bidirectional LSTM, both directions' final states
  → linear;
* :class:`GRURegressor` ("GRU", Zhang et al. 2022): GRU, final state → linear;
* :class:`TransformerRegressor` ("Transformer", Cao et al. 2024): cycles as tokens, learned
  positions, pre-norm encoder, mean over tokens → linear;
* :class:`SGDLinear` ("SGD", Liu et al. 2020): a linear model on the standardised, flattened
  window, fitted by ``sklearn.linear_model.SGDRegressor``;
* :class:`GradientBoostedTrees` (not in the paper): histogram gradient boosting on the mean, last
  value, OLS slope and standard deviation of each feature, the strong classical reference the
  paper lacks.

Left out of QAQL Table 7, with the reason (:data:`LEFT_OUT`): Quantum Decision Tree, Quantum SGD,
Quantum Eigensolver and Quantum AOA.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import SGDRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from torch import nn

from ..qeml.training import resolve_device
from . import _torch
from ._torch import Training, finite, positive

__all__ = [
    "RULInputs",
    "RULModel",
    "LEFT_OUT",
    "group_split",
    "window_summary",
    "RecurrentConfig",
    "BiLSTM",
    "GRURegressor",
    "RULTransformerConfig",
    "TransformerRegressor",
    "SGDConfig",
    "SGDLinear",
    "BoostingConfig",
    "GradientBoostedTrees",
]

#: QAQL Table 7's quantum baselines that are not built, and why.
LEFT_OUT: dict[str, str] = {
    "Quantum Decision Tree": (
        "Des-q (Kumar et al., 2025) is a fault-tolerant algorithm (QRAM, amplitude estimation) "
        "that speeds up retraining a tree whose predictions equal a classical one's; simulated, "
        "it is a classical regression tree, and the paper gives no circuit"
    ),
    "Quantum SGD": (
        "the paper names neither the model nor the circuit of Gandhudi et al. (2023); every PQC "
        "here is already trained by stochastic gradients, so building it would mean inventing it"
    ),
    "Quantum Eigensolver": (
        "Hossain et al. (2026) use VQE for battery-electrolyte chemistry; the paper does not say "
        "how a ground-state energy becomes an RUL prediction, and there is no standard way"
    ),
    "Quantum AOA": (
        "QAOA (Acampora et al., 2023) samples a cost Hamiltonian; for RUL it would sample QAQL's "
        "own one-hot QUBO, i.e. be a QAQL selector, not an independent baseline"
    ),
}


def _ends_of(group: np.ndarray) -> np.ndarray:
    """1.0 at the last window of each run of equal groups (the next window is another's)."""
    return np.append(group[1:] != group[:-1], True).astype(np.float64)


@dataclass(frozen=True, eq=False)
class RULInputs:
    """Windows in trajectory order with their RUL and groups: what every RUL baseline reads.

    Examples
    --------
    >>> import numpy as np
    >>> d = RULInputs(np.zeros((5, 30, 2), np.float32), np.array([4.0, 3, 2, 1, 0]),
    ...               np.array([7, 7, 7, 9, 9]), cap=125.0)
    >>> d.done.tolist()
    [0.0, 0.0, 1.0, 0.0, 1.0]
    """

    x: np.ndarray  # (n, length, features) float32 windows, in trajectory order
    y: np.ndarray  # (n,) RUL at each window's last cycle
    group: np.ndarray  # (n,) engine or device segment of each window
    cap: float  # RUL cap: 125 cycles (C-MAPSS) or 90 days (fleet); the bins cover [0, cap]
    done: np.ndarray | None = None  # (n,) 1 where the next window is another group's; from group
    states: np.ndarray | None = None  # (n,) optional discrete states (QAQL's k-means codes)

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=np.float32)
        if x.ndim != 3 or 0 in x.shape:
            raise ValueError(f"x must be (windows, length, features), got shape {x.shape}")
        finite("x", x)
        n = len(x)
        y = np.asarray(self.y, dtype=np.float64)
        group = np.asarray(self.group)
        if y.shape != (n,) or group.shape != (n,):
            raise ValueError(f"y and group must be ({n},), got {y.shape} and {group.shape}")
        finite("y", y)
        if y.min() < 0:
            raise ValueError(f"y must be >= 0 (an RUL), got min {y.min()}")
        if not (np.isfinite(self.cap) and self.cap > 0):
            raise ValueError(f"cap must be a positive number, got {self.cap}")
        done = _ends_of(group) if self.done is None else np.asarray(self.done, dtype=np.float64)
        if done.shape != (n,) or not np.isin(done, (0.0, 1.0)).all():
            raise ValueError(f"done must be ({n},) zeros and ones, got shape {done.shape}")
        states = self.states
        if states is not None:
            states = np.asarray(states)
            if (
                states.shape != (n,)
                or not np.issubdtype(states.dtype, np.integer)
                or (states.min() < 0)
            ):
                raise ValueError(f"states must be ({n},) integers >= 0, got {states.shape} "
                                 f"of {states.dtype}")  # fmt: skip
            states = states.astype(np.int64)
        for name, value in (("x", x), ("y", y), ("group", group), ("cap", float(self.cap)),
                            ("done", done), ("states", states)):  # fmt: skip
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, index: np.ndarray) -> RULInputs:
        """The windows at ``index`` (in that order; ``done`` recomputed from the groups)."""
        index = np.asarray(index)
        states = None if self.states is None else self.states[index]
        return RULInputs(self.x[index], self.y[index], self.group[index], self.cap, None, states)

    @classmethod
    def from_cmapss(
        cls, prepared, part: str = "train", *, max_windows: int = 0, seed: int = 0
    ) -> RULInputs:
        """The windows QAQL uses for one part of a prepared C-MAPSS subset.

        ``part="train"`` cuts the training engines' windows and, with ``max_windows``, keeps the
        same whole engines as ``cmapss_trajectories(prepared, max_train_windows=max_windows,
        seed=seed)``; ``"test"`` the held-out engines' (the paper's per-window protocol);
        ``"official"`` the last window of each official test engine.
        """
        from ..data import cmapss
        from ..qaql.trajectories import limit_groups

        if part == "train":
            x, y, unit = cmapss.windows(prepared.train, prepared.features)
            keep = limit_groups(unit, max_windows, seed)
            x, y, unit = x[keep], y[keep], unit[keep]
        elif part == "test":
            x, y, unit = cmapss.windows(prepared.test, prepared.features)
        elif part == "official":
            x, y, unit = cmapss.last_windows(prepared.official_test, prepared.features)
        else:
            raise ValueError(f"part must be 'train', 'test' or 'official', got {part!r}")
        return cls(x, y, unit, float(cmapss.RUL_CAP))

    @classmethod
    def from_fleet(
        cls, fleet, part: str = "train", *, max_windows: int = 0, seed: int = 0
    ) -> RULInputs:
        """The windows QAQL uses for one part of the prepared device fleet.

        The 30-day windows of :func:`qpdm_lib.data.devices.window_index` (never crossing a device
        segment), in the order :func:`qpdm_lib.qaql.trajectories.fleet_trajectories` states them:
        ``part="train"`` the training devices' windows (with ``max_windows``, the same whole
        segments as ``fleet_trajectories(fleet, max_train_windows=max_windows, seed=seed)``),
        ``"test"`` the held-out devices' (the paper's per-window protocol). The group of a
        window is its device segment. Only the windows asked for are built: all of the fleet's
        would take 650 MB.
        """
        from ..data import devices
        from ..qaql.trajectories import limit_groups

        if part not in ("train", "test"):
            raise ValueError(f"part must be 'train' or 'test' (the fleet has no official test "
                             f"set), got {part!r}")  # fmt: skip
        table, length = fleet.table, devices.WINDOW_DAYS
        ends = devices.window_index(table, length=length)
        segment = table["segment"].to_numpy()[ends]
        is_train = table["device"].isin(fleet.train_devices).to_numpy()[ends]
        if part == "train":
            keep = is_train.copy()
            keep[is_train] = limit_groups(segment[is_train], max_windows, seed)
        else:
            keep = ~is_train
        ends = ends[keep]
        values = table[fleet.features].to_numpy(np.float32)
        x = values[ends[:, None] + np.arange(1 - length, 1)]  # (n, length, features)
        y = table["rul"].to_numpy(np.float64)[ends]
        return cls(x, y, segment[keep], float(devices.RUL_CAP))


def group_split(
    group: np.ndarray, fraction: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of a training and a validation part with whole groups on each side.

    >>> g = np.array([1, 1, 2, 2, 3, 3])
    >>> tr, val = group_split(g, 0.34, np.random.default_rng(0))
    >>> len(set(g[val])), set(g[tr]) & set(g[val])
    (1, set())
    """
    groups = np.unique(group)
    if len(groups) < 2:
        raise ValueError(
            f"need windows of >= 2 groups (engines or segments) to hold some out, got {len(groups)}"
        )
    n_val = min(len(groups) - 1, max(1, int(round(fraction * len(groups)))))
    val = np.isin(group, rng.choice(groups, n_val, replace=False))
    return np.flatnonzero(~val), np.flatnonzero(val)


def window_summary(x: np.ndarray) -> np.ndarray:
    """Mean, last value, OLS slope and standard deviation of each feature: (n, 4 · features).

    >>> window_summary(np.arange(6.0).reshape(1, 3, 2)).round(3).tolist()
    [[2.0, 3.0, 4.0, 5.0, 2.0, 2.0, 1.633, 1.633]]
    """
    x = np.asarray(x, dtype=np.float64)
    t = np.arange(x.shape[1]) - (x.shape[1] - 1) / 2
    slope = np.einsum("t,ntf->nf", t, x) / max(float(t @ t), 1e-12)
    return np.concatenate([x.mean(axis=1), x[:, -1], slope, x.std(axis=1)], axis=1)


class RULModel:
    """Base class: the fit/predict contract and the input checks.

    Subclasses set ``name`` and ``Config`` and implement ``_fit(train, seed)`` and
    ``_predict(x, data)`` (``data`` is the :class:`RULInputs` when one was given, else None).
    """

    name: ClassVar[str]
    Config: ClassVar[type]
    in_paper: ClassVar[bool] = True  # False for the references the paper does not have
    seeded: ClassVar[bool] = True  # False when the seed changes nothing (one run stands for all)

    def __init__(self, config=None) -> None:
        config = self.Config() if config is None else config
        if not isinstance(config, self.Config):
            raise ValueError(
                f"{self.name} takes a {self.Config.__name__}, got {type(config).__name__}"
            )
        self.config = config
        self.shape_: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    def fit(self, train: RULInputs, *, seed: int) -> RULModel:
        """Learn from the training windows (in trajectory order for the RL models)."""
        if not isinstance(train, RULInputs):
            raise ValueError(f"train must be a RULInputs, got {type(train).__name__}")
        if len(train) < 2:
            raise ValueError(f"need >= 2 training windows, got {len(train)}")
        self.shape_ = train.x.shape[1:]
        self.cap_ = train.cap
        self._fit(train, int(seed))
        return self

    def predict(self, x) -> np.ndarray:
        """RUL predictions (n,) for windows ``x``: an array (n, length, features) or RULInputs."""
        if self.shape_ is None:
            raise RuntimeError(f"{self.name}: call fit before predict")
        data = x if isinstance(x, RULInputs) else None
        windows = data.x if data is not None else np.asarray(x, dtype=np.float32)
        if windows.ndim != 3 or windows.shape[1:] != self.shape_:
            raise ValueError(f"{self.name} was fitted on windows of shape (n, {self.shape_[0]}, "
                             f"{self.shape_[1]}), got {windows.shape}")  # fmt: skip
        finite("x", windows)
        if not len(windows):
            return np.empty(0)
        return np.asarray(self._predict(windows, data), dtype=np.float64)

    def n_parameters(self) -> int:
        raise NotImplementedError

    def _fit(self, train: RULInputs, seed: int) -> None:
        raise NotImplementedError

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        raise NotImplementedError


# -- supervised torch regressors ---------------------------------------------------------------
@dataclass(frozen=True)
class _SupervisedTraining(Training):
    epochs: int = 100  # QAQL gives no schedule for its baselines: our choice
    batch_size: int = 256
    patience: int = 10
    val_fraction: float = 0.2  # of the training groups, held out for early stopping

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.val_fraction < 1:
            raise ValueError(f"val_fraction must be in (0, 1), got {self.val_fraction}")


class _TorchRegressor(RULModel):
    """A torch network on standardised windows, trained with MSE on RUL / cap."""

    def _build(self, n_features: int, length: int) -> nn.Module:
        raise NotImplementedError

    def _fit(self, train: RULInputs, seed: int) -> None:
        c = self.config
        rng = np.random.default_rng(seed)
        part, val = group_split(train.group, c.val_fraction, rng)
        self.validation_groups_ = np.unique(train.group[val])  # held out for early stopping
        x = train.x.astype(np.float64)
        self.mean_ = x.mean(axis=(0, 1))
        self.std_ = np.where(x.std(axis=(0, 1)) > 0, x.std(axis=(0, 1)), 1.0)
        xs = self._scaled(train.x)
        y = (train.y / train.cap).astype(np.float32)
        device = resolve_device(c.device)
        with _torch.seeded(seed, device):
            self.module_ = self._build(train.x.shape[2], train.x.shape[1]).to(device)
            self.history_ = _torch.fit(self.module_, xs[part], y[part], xs[val], y[val], c,
                                       task="regress", seed=seed)  # fmt: skip

    def _scaled(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean_) / self.std_).astype(np.float32)

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        out = _torch.outputs(self.module_, self._scaled(x)).reshape(-1) * self.cap_
        return np.clip(out, 0.0, self.cap_)

    def n_parameters(self) -> int:
        """Trainable parameters of the fitted network."""
        return _torch.count_parameters(self.module_)


@dataclass(frozen=True)
class RecurrentConfig(_SupervisedTraining):
    hidden: int = 64  # units per direction and layer: the papers cited give none, our choice
    layers: int = 2
    dropout: float = 0.2  # between recurrent layers

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "hidden", "layers")


class _BiLSTMNet(nn.Module):
    def __init__(self, c: RecurrentConfig, n_features: int) -> None:
        super().__init__()
        self.rnn = nn.LSTM(n_features, c.hidden, c.layers, batch_first=True, bidirectional=True,
                           dropout=c.dropout if c.layers > 1 else 0.0)  # fmt: skip
        self.head = nn.Linear(2 * c.hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h, _) = self.rnn(x)
        # h[-2]: forward direction after the last cycle; h[-1]: backward after the first
        return self.head(torch.cat([h[-2], h[-1]], dim=1)).squeeze(1)


class BiLSTM(_TorchRegressor):
    """Bidirectional LSTM regressor on the 30-cycle windows (QAQL Table 6, "Bi-LSTM")."""

    name = "Bi-LSTM"
    Config = RecurrentConfig

    def _build(self, n_features: int, length: int) -> nn.Module:
        return _BiLSTMNet(self.config, n_features)


class _GRUNet(nn.Module):
    def __init__(self, c: RecurrentConfig, n_features: int) -> None:
        super().__init__()
        self.rnn = nn.GRU(n_features, c.hidden, c.layers, batch_first=True,
                          dropout=c.dropout if c.layers > 1 else 0.0)  # fmt: skip
        self.head = nn.Linear(c.hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, h = self.rnn(x)
        return self.head(h[-1]).squeeze(1)


class GRURegressor(_TorchRegressor):
    """GRU regressor on the 30-cycle windows (QAQL Table 6, "GRU")."""

    name = "GRU"
    Config = RecurrentConfig

    def _build(self, n_features: int, length: int) -> nn.Module:
        return _GRUNet(self.config, n_features)


@dataclass(frozen=True)
class RULTransformerConfig(_SupervisedTraining):
    d_model: int = 64  # Cao et al. (2024) give no size for C-MAPSS: our choice
    heads: int = 4
    layers: int = 2
    ff: int = 128
    dropout: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "d_model", "heads", "layers", "ff")
        if self.d_model % self.heads:
            raise ValueError(f"d_model={self.d_model} is not a multiple of heads={self.heads}")


class _RULTransformerNet(nn.Module):
    def __init__(self, c: RULTransformerConfig, n_features: int, length: int) -> None:
        super().__init__()
        self.encoder = _torch.Encoder(n_features, length, c.d_model, c.heads, c.layers, c.ff,
                                      c.dropout, cls=False)  # fmt: skip
        self.head = nn.Linear(c.d_model, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x)).squeeze(1)


class TransformerRegressor(_TorchRegressor):
    """Transformer encoder over the window's cycles (QAQL Table 6, "Transformer")."""

    name = "Transformer"
    Config = RULTransformerConfig

    def _build(self, n_features: int, length: int) -> nn.Module:
        return _RULTransformerNet(self.config, n_features, length)


# -- scikit-learn regressors -------------------------------------------------------------------
@dataclass(frozen=True)
class SGDConfig:
    inputs: str = "flat"  # "flat": the whole window (length · features); "summary": window_summary
    alpha: float = 1e-4  # L2 penalty (scikit-learn's default)
    max_iter: int = 1000  # epochs at most (stops earlier when the loss settles, tol=1e-3)
    # standardised inputs clipped to ±clip (None: not clipped). The fleet's features are heavy-
    # tailed (|z| up to ~90 on test windows): unclipped, plain SGD's steps blow up (coefficients
    # of 1e11, RMSE far above the constant predictor's) where the closed-form ridge fit is fine
    clip: float | None = 3.0

    def __post_init__(self) -> None:
        if self.inputs not in ("flat", "summary"):
            raise ValueError(f"SGDConfig.inputs must be 'flat' or 'summary', got {self.inputs!r}")
        positive(self, "max_iter")
        if self.alpha < 0:
            raise ValueError(f"SGDConfig.alpha must be >= 0, got {self.alpha}")
        if self.clip is not None and not self.clip > 0:
            raise ValueError(f"SGDConfig.clip must be > 0 or None, got {self.clip}")


class SGDLinear(RULModel):
    """Linear regression by stochastic gradient descent (QAQL Table 6, "SGD").

    ``StandardScaler`` (training windows) → clipped to ±``clip`` standard deviations →
    ``SGDRegressor`` (squared error, L2) on the flattened window (or its :func:`window_summary`),
    target RUL / cap, prediction clipped to [0, cap]. Liu et al. (2020) is cited without details;
    this is the textbook reading of "SGD", with the clip that keeps it stable on the fleet.
    ``n_parameters``: coefficients + intercept + the scaler's means and scales.
    """

    name = "SGD"
    Config = SGDConfig

    def _inputs(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(len(x), -1) if self.config.inputs == "flat" else window_summary(x)

    def _fit(self, train: RULInputs, seed: int) -> None:
        c = self.config
        sgd = SGDRegressor(alpha=c.alpha, max_iter=c.max_iter, tol=1e-3, random_state=seed)
        bound = np.inf if c.clip is None else c.clip
        clip = FunctionTransformer(np.clip, kw_args={"a_min": -bound, "a_max": bound})
        self.model_ = Pipeline([("scale", StandardScaler()), ("clip", clip), ("sgd", sgd)])
        self.model_.fit(self._inputs(train.x), train.y / train.cap)

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        return np.clip(self.model_.predict(self._inputs(x)) * self.cap_, 0.0, self.cap_)

    def n_parameters(self) -> int:
        scale, sgd = self.model_.named_steps["scale"], self.model_.named_steps["sgd"]
        return int(sgd.coef_.size + sgd.intercept_.size + scale.mean_.size + scale.scale_.size)


@dataclass(frozen=True)
class BoostingConfig:
    max_iter: int = 300  # boosting rounds
    learning_rate: float = 0.05
    max_leaf_nodes: int = 31
    l2_regularization: float = 0.0

    def __post_init__(self) -> None:
        positive(self, "max_iter", "max_leaf_nodes")
        if not self.learning_rate > 0:
            raise ValueError(f"BoostingConfig.learning_rate must be > 0, got {self.learning_rate}")


class GradientBoostedTrees(RULModel):
    """Gradient-boosted trees on window summaries: the strong classical reference (not in QAQL).

    ``HistGradientBoostingRegressor`` on :func:`window_summary` (mean, last value, slope and
    standard deviation of each feature), squared error, no early stopping (scikit-learn's would
    hold out windows, not engines). ``n_parameters``: tree nodes, summed over the rounds.
    """

    name = "Gradient-Boosted Trees"
    Config = BoostingConfig
    in_paper = False
    seeded = False  # no early stopping, no subsampling: the seed is never drawn from

    def _fit(self, train: RULInputs, seed: int) -> None:
        c = self.config
        self.model_ = HistGradientBoostingRegressor(
            max_iter=c.max_iter, learning_rate=c.learning_rate, max_leaf_nodes=c.max_leaf_nodes,
            l2_regularization=c.l2_regularization, early_stopping=False, random_state=seed,
        ).fit(window_summary(train.x), train.y)  # fmt: skip

    def _predict(self, x: np.ndarray, data: RULInputs | None) -> np.ndarray:
        return np.clip(self.model_.predict(window_summary(x)), 0.0, self.cap_)

    def n_parameters(self) -> int:
        # scikit-learn keeps the fitted trees in a private attribute
        return int(sum(p.nodes.size for stage in self.model_._predictors for p in stage))
