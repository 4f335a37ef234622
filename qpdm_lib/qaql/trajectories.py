"""Trajectories: a dataset as QAQL sees it (QAQL sections 4.1, 4.3 and 4.7).

The paper calls its value function tabular but feeds it continuous windows (17 features x 30
cycles for C-MAPSS, "9 + 6" for the fleet), so some discretisation is implied. :class:`StateCoder`
makes windows discrete with a k-means codebook of window summaries, fitted on training windows
only; :func:`cmapss_trajectories` and :func:`fleet_trajectories` turn a prepared dataset into
states in trajectory order, RUL labels and groups (engines or device segments).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans

__all__ = ["StateCoder", "Trajectories", "cmapss_trajectories", "fleet_trajectories"]


class StateCoder:
    """Discrete states from windows: k-means on (last row, mean, last − first) of each window."""

    def __init__(self, n_states: int, *, seed: int = 0) -> None:
        if n_states < 1:
            raise ValueError(f"n_states must be >= 1, got {n_states}")
        self.n_states = n_states
        self.seed = seed
        self.kmeans: KMeans | None = None

    @staticmethod
    def summary(windows: np.ndarray) -> np.ndarray:
        w = np.asarray(windows, dtype=np.float64)
        if w.ndim != 3:
            raise ValueError(f"windows must be (n, length, features), got shape {w.shape}")
        return np.concatenate([w[:, -1], w.mean(axis=1), w[:, -1] - w[:, 0]], axis=1)

    @staticmethod
    def summary_from_rows(values: np.ndarray, ends: np.ndarray, length: int) -> np.ndarray:
        """:meth:`summary` of the windows ``values[end-length+1 : end+1]`` without building them."""
        v = np.asarray(values, dtype=np.float64)
        csum = np.vstack([np.zeros((1, v.shape[1])), np.cumsum(v, axis=0)])
        ends = np.asarray(ends)
        starts = ends - length + 1
        mean = (csum[ends + 1] - csum[starts]) / length
        return np.concatenate([v[ends], mean, v[ends] - v[starts]], axis=1)

    def fit(
        self, windows: np.ndarray | None = None, *, summary: np.ndarray | None = None
    ) -> StateCoder:
        summary = self.summary(windows) if summary is None else summary
        k = min(self.n_states, len(summary))
        self.kmeans = KMeans(n_clusters=k, n_init=3, random_state=self.seed).fit(summary)
        return self

    def transform(
        self, windows: np.ndarray | None = None, *, summary: np.ndarray | None = None
    ) -> np.ndarray:
        if self.kmeans is None:
            raise RuntimeError("StateCoder.transform called before fit: fit on training windows")
        summary = self.summary(windows) if summary is None else summary
        return self.kmeans.predict(summary).astype(np.int64)


@dataclass
class Trajectories:
    """A dataset as QAQL sees it: discrete states in trajectory order, RUL labels, groups."""

    name: str
    cap: float
    train_states: np.ndarray
    train_rul: np.ndarray
    train_done: np.ndarray  # 1 where the next window belongs to another engine / device segment
    train_group: np.ndarray
    test_states: np.ndarray  # the paper's protocol: every window of held-out engines / devices
    test_rul: np.ndarray
    test_group: np.ndarray
    official_states: np.ndarray | None = None  # C-MAPSS official test set, last window per engine
    official_rul: np.ndarray | None = None


def _ends_of(groups: np.ndarray) -> np.ndarray:
    return np.append(groups[1:] != groups[:-1], True).astype(np.float64)


def _limit_groups(groups: np.ndarray, max_windows: int, seed: int) -> np.ndarray:
    """Mask keeping whole groups, in random order, until about ``max_windows`` windows (0: all)."""
    if not max_windows or len(groups) <= max_windows:
        return np.ones(len(groups), bool)
    order = np.random.default_rng(seed).permutation(np.unique(groups))
    sizes = np.array([np.sum(groups == g) for g in order])
    chosen = order[: max(1, int(np.searchsorted(np.cumsum(sizes), max_windows)) + 1)]
    return np.isin(groups, chosen)


def cmapss_trajectories(
    prepared, *, n_states: int, seed: int = 0, max_train_windows: int = 0
) -> Trajectories:
    """States and labels of a prepared C-MAPSS subset (30-cycle windows, QAQL section 4.3)."""
    from ..data import cmapss

    x_tr, y_tr, u_tr = cmapss.windows(prepared.train, prepared.features)
    keep = _limit_groups(u_tr, max_train_windows, seed)
    x_tr, y_tr, u_tr = x_tr[keep], y_tr[keep], u_tr[keep]
    coder = StateCoder(n_states, seed=seed).fit(x_tr)
    x_te, y_te, u_te = cmapss.windows(prepared.test, prepared.features)
    x_off, y_off, _ = cmapss.last_windows(prepared.official_test, prepared.features)
    return Trajectories(
        name=prepared.subset,
        cap=float(cmapss.RUL_CAP),
        train_states=coder.transform(x_tr),
        train_rul=y_tr,
        train_done=_ends_of(u_tr),
        train_group=u_tr,
        test_states=coder.transform(x_te),
        test_rul=y_te,
        test_group=u_te,
        official_states=coder.transform(x_off),
        official_rul=y_off,
    )


def fleet_trajectories(
    fleet, *, n_states: int, seed: int = 0, max_train_windows: int = 0, length: int | None = None
) -> Trajectories:
    """States and labels of the prepared device fleet (30-day windows, QAQL section 4.3)."""
    from ..data import devices

    table = fleet.table
    length = length or devices.WINDOW_DAYS
    ends = devices.window_index(table, length=length)
    values = table[fleet.features].to_numpy(np.float64)
    summary = StateCoder.summary_from_rows(values, ends, length)
    segment = table["segment"].to_numpy()[ends]
    is_train = table["device"].isin(fleet.train_devices).to_numpy()[ends]
    rul = table["rul"].to_numpy(np.float64)[ends]
    keep = is_train.copy()  # the window budget is spent on training windows only
    keep[is_train] = _limit_groups(segment[is_train], max_train_windows, seed)
    coder = StateCoder(n_states, seed=seed).fit(summary=summary[keep])
    test = ~is_train
    return Trajectories(
        name="device fleet",
        cap=float(devices.RUL_CAP),
        train_states=coder.transform(summary=summary[keep]),
        train_rul=rul[keep],
        train_done=_ends_of(segment[keep]),
        train_group=segment[keep],
        test_states=coder.transform(summary=summary[test]),
        test_rul=rul[test],
        test_group=segment[test],
    )
