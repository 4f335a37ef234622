"""Bearing baselines of QEML-Net Table 3: the shared input bundle and the model contract.

Every bearing baseline is a class with the same shape:

* ``fit(data, split, *, seed) -> self`` learns from ``data`` at ``split.train`` (and uses
  ``split.val`` for early stopping or model selection; ``split.test`` is never read);
* ``predict_proba(data, index) -> (n, 8)`` class probabilities over the unified 8-class taxonomy
  (:data:`qpdm_lib.data.cwru.CLASSES`), zero for every class the training windows never showed;
* ``n_parameters() -> int`` (how each model counts is in its docstring);
* a ``name`` as printed in Table 3 and a frozen ``Config`` dataclass with the model's sizes.

``data`` is one :class:`BearingInputs` holding the raw windows, the hand-crafted features and the
wavelet-packet maps, so each model takes what it needs; every statistic a model fits (scalers,
z-scores) comes from ``split.train`` only.

The models live in :mod:`~qpdm_lib.baselines.bearing_classical` (SVM-RBF, Random Forest, AutoML)
and :mod:`~qpdm_lib.baselines.bearing_deep` (LSTM, 1D-CNN, Transformer, ResNet-50, Hybrid-QNN).

The GNN row is not built. The paper's GNN (Table 3, reference [12]; section 2.2) "builds an
adjacency graph from correlation matrices of sensors" of a multi-sensor array, so that faults can
propagate along the graph's edges. The CWRU windows used here carry one channel, the drive-end
accelerometer, so there is no sensor graph to build. A graph over time segments of one window,
or over the 16 wavelet-packet bands with edges from their correlations, could be fed to a graph
network, but either would be a model of our own invention rather than the one the paper
describes; it would also need a graph library (e.g. PyTorch Geometric) or a hand-written message
passing layer. The fan-end and base accelerometers of the CWRU files would make a three-node
graph, which is closer to the paper's idea, but the loader reads the drive end only and the
normal baselines lack a base channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from ..data.cwru import CLASSES
from ..qeml import signal as pp
from ._torch import finite

__all__ = ["N_CLASSES", "BearingInputs", "BearingModel", "GNN_LEFT_OUT"]

N_CLASSES = len(CLASSES)  # the unified taxonomy of QEML-Net section 3.2

#: Why Table 3's GNN is not in the registry (see the module docstring).
GNN_LEFT_OUT = (
    "the paper's GNN builds its graph from the correlations of a multi-sensor array, and the CWRU "
    "drive-end windows carry one channel, so there is no sensor graph to build"
)


@dataclass(frozen=True, eq=False)
class BearingInputs:
    """Everything a bearing baseline may read, one row per window.

    Examples
    --------
    >>> import numpy as np
    >>> d = BearingInputs(np.zeros((4, 512), np.float32), np.array([0, 1, 2, 3]))
    >>> len(d), d.features is None
    (4, True)
    """

    windows: np.ndarray  # (n, length) float32 raw drive-end windows at 12 kHz
    y: np.ndarray  # (n,) int64 class index into CLASSES
    features: np.ndarray | pd.DataFrame | None = None  # (n, 26) from signal.features
    maps: np.ndarray | None = None  # (n, 16, 32) log wavelet-packet maps from signal.packet_map
    image_size: int = 64  # side of the network image built from the maps (QEML-Net: 224)
    feature_names: tuple[str, ...] = ()  # column names of `features` (taken from a DataFrame)

    def __post_init__(self) -> None:
        windows = np.asarray(self.windows, dtype=np.float32)
        if windows.ndim != 2 or windows.shape[1] < 16:
            raise ValueError(f"windows must be (n, length >= 16), got shape {windows.shape}")
        finite("windows", windows)
        n = len(windows)
        y = np.asarray(self.y)
        if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must be ({n},) integers, got shape {y.shape} of {y.dtype}")
        if n and (y.min() < 0 or y.max() >= N_CLASSES):
            raise ValueError(f"y must index the {N_CLASSES} classes, got {y.min()}..{y.max()}")
        features, names = self.features, tuple(self.feature_names)
        if isinstance(features, pd.DataFrame):
            names = tuple(str(c) for c in features.columns)
            features = features.to_numpy()
        if features is not None:
            features = np.asarray(features, dtype=np.float64)
            if features.ndim != 2 or len(features) != n:
                raise ValueError(f"features must be ({n}, f), got shape {features.shape}")
            finite("features", features)
        maps = self.maps
        if maps is not None:
            maps = np.asarray(maps, dtype=np.float64)
            if maps.ndim != 3 or len(maps) != n:
                raise ValueError(f"maps must be ({n}, bands, steps), got shape {maps.shape}")
            finite("maps", maps)
        if not isinstance(self.image_size, (int, np.integer)) or self.image_size < 8:
            raise ValueError(f"image_size must be an integer >= 8, got {self.image_size!r}")
        for name, value in (("windows", windows), ("y", y.astype(np.int64)), ("features", features),
                            ("maps", maps), ("feature_names", names)):  # fmt: skip
            object.__setattr__(self, name, value)

    def __len__(self) -> int:
        return len(self.y)

    @classmethod
    def from_windows(
        cls, win, *, image_size: int = 64, features: bool = True, maps: bool = True
    ) -> BearingInputs:
        """The bundle of a :class:`qpdm_lib.data.cwru.Windows`: features at each window's own
        shaft speed (:func:`qpdm_lib.qeml.signal.features`) and packet maps
        (:func:`qpdm_lib.qeml.signal.packet_map`); either can be skipped when no model needs it."""
        rpm = win.records.set_index("record")["rpm"].loc[win.record].to_numpy()
        return cls(
            windows=win.x,
            y=win.y,
            features=pp.features(win.x, rpm=rpm) if features else None,
            maps=pp.packet_map(win.x) if maps else None,
            image_size=image_size,
        )

    def require(self, part: str, model: str) -> np.ndarray:
        """``windows``, ``features`` or ``maps``, failing with one line when it was left out."""
        value = getattr(self, part)
        if value is None:
            raise ValueError(
                f"{model} needs data.{part}; build BearingInputs with {part} "
                f"(BearingInputs.from_windows(win, {part}=True))"
            )
        return value


def _index(index, n: int, what: str) -> np.ndarray:
    index = np.asarray(index)
    if index.ndim != 1 or (len(index) and not np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"{what} must be a 1-D array of integer positions, got {index.dtype} "
                         f"of shape {index.shape}")  # fmt: skip
    if len(index) and (index.min() < 0 or index.max() >= n):
        raise ValueError(f"{what} holds positions outside [0, {n}): {index.min()}..{index.max()}")
    return index.astype(np.int64)


class BearingModel:
    """Base class: the fit/predict contract, the class bookkeeping and the input checks.

    Subclasses set ``name`` and ``Config`` and implement ``_fit(data, train, val, seed)`` and
    ``_proba(data, index)`` (probabilities over ``classes_``, the classes seen in training).
    """

    name: ClassVar[str]
    Config: ClassVar[type]
    needs: ClassVar[str]  # "windows", "features" or "maps"
    seeded: ClassVar[bool] = True  # False when the seed changes nothing (one run stands for all)

    def __init__(self, config=None) -> None:
        config = self.Config() if config is None else config
        if not isinstance(config, self.Config):
            raise ValueError(
                f"{self.name} takes a {self.Config.__name__}, got {type(config).__name__}"
            )
        self.config = config
        self.classes_: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.config!r})"

    def fit(self, data: BearingInputs, split, *, seed: int) -> BearingModel:
        """Learn from ``data`` at ``split.train``, using ``split.val`` for selection only."""
        if not isinstance(data, BearingInputs):
            raise ValueError(f"data must be a BearingInputs, got {type(data).__name__}")
        data.require(self.needs, self.name)
        train = _index(split.train, len(data), "split.train")
        val = _index(split.val, len(data), "split.val")
        test = _index(split.test, len(data), "split.test")
        if len(train) < 2 or len(val) < 1:
            raise ValueError(f"need >= 2 training and >= 1 validation windows, got {len(train)} "
                             f"and {len(val)}")  # fmt: skip
        for name, other in (("val", val), ("test", test)):
            if np.intersect1d(train, other).size:
                raise ValueError(f"split.train and split.{name} share windows")
        self.classes_ = np.unique(data.y[train])
        if len(self.classes_) < 2:
            raise ValueError(f"the training windows hold one class only ({self.classes_[0]})")
        self._fit(data, train, val, int(seed))
        return self

    def predict_proba(self, data: BearingInputs, index) -> np.ndarray:
        """(n, 8) probabilities of the windows at ``index``; classes never trained on get 0."""
        if self.classes_ is None:
            raise RuntimeError(f"{self.name}: call fit before predict_proba")
        if not isinstance(data, BearingInputs):
            raise ValueError(f"data must be a BearingInputs, got {type(data).__name__}")
        data.require(self.needs, self.name)
        index = _index(index, len(data), "index")
        out = np.zeros((len(index), N_CLASSES))
        if len(index):
            out[:, self.classes_] = self._proba(data, index)
        return out

    def predict(self, data: BearingInputs, index) -> np.ndarray:
        """Class index (into the taxonomy) of the most probable class."""
        return self.predict_proba(data, index).argmax(axis=1)

    def n_parameters(self) -> int:
        raise NotImplementedError

    # -- for subclasses ------------------------------------------------------------------------
    def _targets(self, y: np.ndarray) -> np.ndarray:
        """Labels as positions 0..K-1 in ``classes_`` (what a K-output network is trained on)."""
        return np.searchsorted(self.classes_, y).astype(np.int64)

    def _fit(self, data: BearingInputs, train: np.ndarray, val: np.ndarray, seed: int) -> None:
        raise NotImplementedError

    def _proba(self, data: BearingInputs, index: np.ndarray) -> np.ndarray:
        raise NotImplementedError
