"""NASA C-MAPSS turbofan data (QAQL sections 4.1, 4.3 and 4.7).

* text files of 26 space-separated columns: unit, cycle, 3 operational settings, 21 sensors;
* piecewise-linear RUL capped at 125 cycles;
* single-condition subsets (FD001, FD003): sensors 1, 5, 6, 10, 16, 18 and 19 dropped, the 3
  settings and 14 sensors (17 features, QAQL Table 3) min-max scaled on the training engines only;
* multi-condition subsets (FD002, FD004): the settings clustered into 6 operating regimes by
  k-means, each sensor min-max scaled per regime (condition-based normalisation), the regime
  appended as a one-hot context (14 + 6 = 20 features);
* an engine-level 80/20 split of the training units (the paper's protocol), and the official test
  set with its true RUL for last-cycle scoring;
* windows of 30 cycles, stride 1, labelled with the RUL of their last cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import MinMaxScaler

from ..errors import DataFormatError
from .source import CMAPSS_SUBSETS, Source

__all__ = [
    "COLUMNS",
    "DROPPED_SENSORS",
    "read_table",
    "read_rul",
    "piecewise_rul",
    "Prepared",
    "prepare",
    "windows",
    "window_count",
    "last_windows",
]

SETTINGS = ["setting_1", "setting_2", "setting_3"]
SENSORS = [f"s_{i}" for i in range(1, 22)]
COLUMNS = ["unit", "cycle", *SETTINGS, *SENSORS]
#: Sensors removed as constant or near-constant on FD001 (QAQL section 4.3).
DROPPED_SENSORS = (1, 5, 6, 10, 16, 18, 19)
KEPT_SENSORS = [f"s_{i}" for i in range(1, 22) if i not in DROPPED_SENSORS]
RUL_CAP = 125  # cycles: piecewise-linear label (section 4.3)
WINDOW = 30  # cycles per window, stride 1 (section 4.3)
N_REGIMES = 6


def _check_subset(subset: str) -> None:
    if subset not in CMAPSS_SUBSETS:
        raise DataFormatError(
            f"unknown C-MAPSS subset {subset!r}; subsets: {', '.join(CMAPSS_SUBSETS)}"
        )


def _numbers(path, n_columns: int) -> np.ndarray:
    """The whitespace-separated numbers of a C-MAPSS text file, checked line by line.

    A line with the wrong number of fields or a field that is not a number stops with the file's
    name, the line number and what was found, instead of a pandas traceback or a silent NaN. The
    file is parsed by pandas' C reader; only a file that fails its checks is read again line by
    line to say where.
    """
    try:
        table = pd.read_csv(path, sep=r"\s+", header=None, engine="c", dtype=np.float64)
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError):
        table = None
    if table is not None and table.shape[1] == n_columns and np.isfinite(table.to_numpy()).all():
        return table.to_numpy()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            fields = line.split()
            if not fields:
                continue  # blank lines (a trailing newline) carry nothing
            if len(fields) != n_columns:
                raise DataFormatError(
                    f"{path}, line {number}: expected {n_columns} numbers, found {len(fields)}"
                )
            bad = [f for f in fields if not _is_number(f) or not np.isfinite(float(f))]
            if bad:
                raise DataFormatError(f"{path}, line {number}: {bad[0]!r} is not a finite number")
    raise DataFormatError(f"{path} holds no data lines")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_table(source: Source, subset: str, part: str) -> pd.DataFrame:
    """The ``train`` or ``test`` file of ``subset`` as a DataFrame with :data:`COLUMNS`."""
    _check_subset(subset)
    if part not in ("train", "test"):
        raise ValueError(f"part must be 'train' or 'test', got {part!r}")
    path = source.path(f"cmapss/{part}_{subset}.txt")
    table = pd.DataFrame(_numbers(path, len(COLUMNS)), columns=COLUMNS)
    units, cycles = table["unit"], table["cycle"]
    if not (np.all(units == units.round()) and np.all(cycles == cycles.round())):
        raise DataFormatError(f"{path}: unit and cycle numbers must be whole numbers")
    table = table.astype({"unit": np.int64, "cycle": np.int64})
    return table.sort_values(["unit", "cycle"], ignore_index=True)


def read_rul(source: Source, subset: str) -> np.ndarray:
    """True RUL after the last test cycle of each test unit (``RUL_FDxxx.txt``)."""
    _check_subset(subset)
    path = source.path(f"cmapss/RUL_{subset}.txt")
    values = _numbers(path, 1)[:, 0]
    if np.any(values < 0) or np.any(values != np.round(values)):
        raise DataFormatError(f"{path}: RUL values must be whole numbers >= 0")
    return values.astype(np.int64)


def piecewise_rul(
    table: pd.DataFrame, *, end_rul: np.ndarray | None = None, cap: int = RUL_CAP
) -> np.ndarray:
    """RUL per row: cycles to the unit's failure, capped at ``cap`` (piecewise linear).

    For training files a unit fails at its last cycle; for test files ``end_rul[k]`` is the true
    RUL after the last cycle of the k-th unit.
    """
    last = table.groupby("unit")["cycle"].transform("max").to_numpy()
    rul = last - table["cycle"].to_numpy()
    if end_rul is not None:
        units = np.sort(table["unit"].unique())
        if len(end_rul) != len(units):
            raise DataFormatError(f"{len(end_rul)} RUL values for {len(units)} test units")
        offset = pd.Series(end_rul, index=units)
        rul = rul + offset.loc[table["unit"]].to_numpy()
    return np.minimum(rul, cap)


@dataclass(frozen=True)
class Prepared:
    """A C-MAPSS subset ready for windowing: scaled features, RUL, splits."""

    subset: str
    features: list[str]  # columns of `train`, `test` and `official_test` fed to models
    train: pd.DataFrame  # 80 % of the training engines (scaler fitted here only)
    test: pd.DataFrame  # the other 20 % of training engines (the paper's per-window protocol)
    official_test: pd.DataFrame  # NASA's test set, RUL from RUL_FDxxx.txt (last-cycle protocol)
    raw_train: pd.DataFrame  # unscaled training file, all engines, with `rul`


def prepare(
    source: Source, subset: str = "FD001", *, train_fraction: float = 0.8, seed: int = 0
) -> Prepared:
    """Load, label, split by engine and scale one subset (QAQL sections 4.3 and 4.7)."""
    if not 0 < train_fraction < 1:
        raise ValueError(f"train_fraction must be in (0, 1), got {train_fraction}")
    raw = read_table(source, subset, "train")
    raw["rul"] = piecewise_rul(raw)
    official = read_table(source, subset, "test")
    official["rul"] = piecewise_rul(official, end_rul=read_rul(source, subset))

    units = np.sort(raw["unit"].unique())
    rng = np.random.default_rng(seed)
    train_units = rng.choice(units, int(round(train_fraction * len(units))), replace=False)
    is_train = raw["unit"].isin(train_units)
    train, test = raw[is_train].copy(), raw[~is_train].copy()

    if subset in ("FD002", "FD004"):
        features = _regime_scale(train, [test, official], seed=seed)
    else:
        features = SETTINGS + KEPT_SENSORS
        scaler = MinMaxScaler().fit(train[features])  # training engines only: no leakage
        for frame in (train, test, official):
            frame[features] = scaler.transform(frame[features])
    return Prepared(subset, features, train, test, official, raw)


def _regime_scale(train: pd.DataFrame, others: list[pd.DataFrame], *, seed: int) -> list[str]:
    """k-means regimes on the settings and per-regime min-max of the sensors, in place."""
    kmeans = KMeans(n_clusters=N_REGIMES, n_init=10, random_state=seed).fit(train[SETTINGS])
    onehot = [f"regime_{k}" for k in range(N_REGIMES)]
    train["regime"] = kmeans.labels_
    for frame in others:
        frame["regime"] = kmeans.predict(frame[SETTINGS])
    for k in range(N_REGIMES):
        scaler = MinMaxScaler().fit(train.loc[train["regime"] == k, KEPT_SENSORS])
        for frame in [train, *others]:
            mask = frame["regime"] == k
            if mask.any():
                frame.loc[mask, KEPT_SENSORS] = scaler.transform(frame.loc[mask, KEPT_SENSORS])
    for frame in [train, *others]:
        for k, name in enumerate(onehot):
            frame[name] = (frame["regime"] == k).astype(float)
    return KEPT_SENSORS + onehot


def windows(
    table: pd.DataFrame, features: list[str], *, length: int = WINDOW
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All windows of ``length`` cycles, stride 1, never crossing units.

    Returns ``(x, y, unit)`` with ``x`` of shape (n, length, n_features) and ``y`` the RUL at
    each window's last cycle. A unit shorter than ``length`` gives no window.
    """
    if length < 1:
        raise ValueError(f"length must be >= 1, got {length}")
    values = table[features].to_numpy(np.float32)
    unit = table["unit"].to_numpy()
    if len(values) < length:
        return np.empty((0, length, len(features)), np.float32), np.empty(0), np.empty(0, int)
    starts = np.flatnonzero(unit[: len(unit) - length + 1] == unit[length - 1 :])
    view = np.lib.stride_tricks.sliding_window_view(values, length, axis=0)  # (n, f, length)
    x = np.ascontiguousarray(view[starts].transpose(0, 2, 1))
    ends = starts + length - 1
    return x, table["rul"].to_numpy()[ends].astype(np.float32), unit[ends]


def window_count(table: pd.DataFrame, *, length: int = WINDOW) -> int:
    """How many windows :func:`windows` cuts from ``table`` (units shorter than ``length`` give
    none), from the units' lengths alone: no features needed."""
    if length < 1:
        raise ValueError(f"length must be >= 1, got {length}")
    lengths = table.groupby("unit").size().to_numpy()
    return int(np.maximum(lengths - length + 1, 0).sum())


def last_windows(
    table: pd.DataFrame, features: list[str], *, length: int = WINDOW
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The last window of every unit (official last-cycle protocol).

    Units shorter than ``length`` are padded at the front with their first row.
    """
    xs, ys, units = [], [], []
    for unit, rows in table.groupby("unit", sort=True):
        values = rows[features].to_numpy(np.float32)
        if len(values) < length:
            values = np.concatenate([np.repeat(values[:1], length - len(values), axis=0), values])
        xs.append(values[-length:])
        ys.append(rows["rul"].iloc[-1])
        units.append(unit)
    return np.stack(xs), np.asarray(ys, np.float32), np.asarray(units)
