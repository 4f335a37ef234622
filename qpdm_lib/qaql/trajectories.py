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
from sklearn.preprocessing import StandardScaler

__all__ = [
    "SUMMARIES",
    "DEFAULT_SUMMARY",
    "FIRST_SUMMARY",
    "window_summary",
    "StateCoder",
    "Trajectories",
    "cmapss_trajectories",
    "coded_cmapss",
    "fleet_trajectories",
    "best_bin_floor",
    "limit_groups",
]


#: Window summaries a state can be built from: the window's last row, its mean, its last minus
#: first row ("trend"), its standard deviation and its OLS slope per cycle, feature by feature.
SUMMARIES = ("last", "mean", "trend", "std", "slope")
#: The book's default: level and trend of each feature, standardised before k-means (chosen on
#: FD001 as the best faithful state design; the QAQL chapter's sensitivity table shows the others).
DEFAULT_SUMMARY = ("mean", "slope")
#: The design of the book's first QAQL chapter: last row, mean, trend, not standardised.
FIRST_SUMMARY = ("last", "mean", "trend")


def window_summary(
    values: np.ndarray, ends: np.ndarray, length: int, kinds: tuple[str, ...] = DEFAULT_SUMMARY
) -> np.ndarray:
    """Summaries of the windows ``values[end - length + 1 : end + 1]``, from cumulative sums.

    ``values`` are rows (cycles or days) × features in trajectory order; ``ends`` the last row of
    each window. One column block per kind in ``kinds`` (see :data:`SUMMARIES`), computed
    without building the windows: O(rows × features) whatever the number of windows.
    """
    bad = [k for k in kinds if k not in SUMMARIES]
    if bad or not kinds:
        raise ValueError(f"summaries must be a non-empty subset of {SUMMARIES}, got {kinds}")
    v = np.asarray(values, dtype=np.float64)
    ends = np.asarray(ends, dtype=np.int64)
    starts = ends - length + 1
    if len(ends) and (starts.min() < 0 or ends.max() >= len(v)):
        raise ValueError("every window must lie inside the rows")
    zero = np.zeros((1, v.shape[1]))
    c1 = np.vstack([zero, np.cumsum(v, axis=0)])
    window_sum = c1[ends + 1] - c1[starts]
    mean = window_sum / length
    blocks = {"last": lambda: v[ends], "mean": lambda: mean,
              "trend": lambda: v[ends] - v[starts]}  # fmt: skip
    if "std" in kinds:
        c2 = np.vstack([zero, np.cumsum(v * v, axis=0)])
        var = (c2[ends + 1] - c2[starts]) / length - mean**2
        blocks["std"] = lambda: np.sqrt(np.clip(var, 0.0, None))
    if "slope" in kinds:
        row = np.arange(len(v), dtype=np.float64)[:, None]
        ct = np.vstack([zero, np.cumsum(row * v, axis=0)])
        # Σ_j (j - centre) x_{start+j} with j = 0..length-1, over Σ_j (j - centre)²
        sum_jx = (ct[ends + 1] - ct[starts]) - starts[:, None] * window_sum
        centred = sum_jx - (length - 1) / 2 * window_sum
        blocks["slope"] = lambda: centred / (length * (length**2 - 1) / 12)
    return np.concatenate([blocks[k]() for k in kinds], axis=1)


class StateCoder:
    """Discrete states from window summaries: k-means (fitted on training windows only).

    ``summaries`` names the window summaries (:data:`SUMMARIES`); ``standardize`` scales each
    column to zero mean and unit variance on the training windows first, since k-means measures
    plain Euclidean distances and a slope per cycle is orders of magnitude smaller than a level.
    """

    def __init__(
        self,
        n_states: int,
        *,
        summaries: tuple[str, ...] = DEFAULT_SUMMARY,
        standardize: bool = True,
        seed: int = 0,
    ) -> None:
        if n_states < 1:
            raise ValueError(f"n_states must be >= 1, got {n_states}")
        self.n_states, self.summaries, self.standardize = n_states, tuple(summaries), standardize
        self.seed = seed
        self.kmeans: KMeans | None = None
        self.scaler: StandardScaler | None = None

    def summary(self, windows: np.ndarray) -> np.ndarray:
        """The summaries of built windows (n, length, features)."""
        w = np.asarray(windows, dtype=np.float64)
        if w.ndim != 3:
            raise ValueError(f"windows must be (n, length, features), got shape {w.shape}")
        n, length, f = w.shape
        ends = np.arange(n) * length + length - 1
        return window_summary(w.reshape(n * length, f), ends, length, self.summaries)

    def fit(self, windows=None, *, summary: np.ndarray | None = None) -> StateCoder:
        summary = self.summary(windows) if summary is None else summary
        if self.standardize:
            self.scaler = StandardScaler().fit(summary)
            summary = self.scaler.transform(summary)
        k = min(self.n_states, len(summary))
        self.kmeans = KMeans(n_clusters=k, n_init=3, random_state=self.seed).fit(summary)
        return self

    def transform(self, windows=None, *, summary: np.ndarray | None = None) -> np.ndarray:
        if self.kmeans is None:
            raise RuntimeError("StateCoder.transform called before fit: fit on training windows")
        summary = self.summary(windows) if summary is None else summary
        if self.scaler is not None:
            summary = self.scaler.transform(summary)
        return self.kmeans.predict(summary).astype(np.int64)


def best_bin_floor(traj: Trajectories, n_bins: int) -> dict:
    """The best any table over these states and bins can do (QAQL §4.10's "floor", made exact).

    For each state, the bin whose centre has the least squared error over the state's training
    windows (the bin nearest their mean RUL); predicting it for every test window gives the
    lowest error a tabular agent with this state design can reach on the training data's terms.
    Returns the table of bins and the per-window (and, for C-MAPSS, last-cycle) metrics.
    """
    from .. import metrics
    from .agent import bin_centres

    centres = bin_centres(n_bins, traj.cap)
    n_states = int(max(traj.train_states.max(), traj.test_states.max())) + 1
    sums = np.zeros((n_states, n_bins))
    for state in np.unique(traj.train_states):
        rul = traj.train_rul[traj.train_states == state]
        sums[state] = ((centres[None, :] - rul[:, None]) ** 2).sum(axis=0)
    seen = np.isin(np.arange(n_states), traj.train_states)
    fallback = int(np.argmin(np.abs(centres - traj.train_rul.mean())))
    bins = np.where(seen, sums.argmin(axis=1), fallback)
    out = {"bins": bins,
           "per_window": metrics.regression_metrics(traj.test_rul, centres[bins[traj.test_states]])}  # fmt: skip
    if traj.official_states is not None:
        out["last_cycle"] = metrics.regression_metrics(
            traj.official_rul, centres[bins[traj.official_states]]
        )
    return out


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


def limit_groups(groups: np.ndarray, max_windows: int, seed: int) -> np.ndarray:
    """Mask keeping whole groups, in random order, until about ``max_windows`` windows (0: all)."""
    if not max_windows or len(groups) <= max_windows:
        return np.ones(len(groups), bool)
    order = np.random.default_rng(seed).permutation(np.unique(groups))
    sizes = np.array([np.sum(groups == g) for g in order])
    chosen = order[: max(1, int(np.searchsorted(np.cumsum(sizes), max_windows)) + 1)]
    return np.isin(groups, chosen)


def cmapss_trajectories(
    prepared,
    *,
    n_states: int,
    seed: int = 0,
    max_train_windows: int = 0,
    summaries: tuple[str, ...] = DEFAULT_SUMMARY,
    standardize: bool = True,
) -> Trajectories:
    """States and labels of a prepared C-MAPSS subset (30-cycle windows, QAQL section 4.3)."""
    from ..data import cmapss

    x_tr, y_tr, u_tr = cmapss.windows(prepared.train, prepared.features)
    keep = limit_groups(u_tr, max_train_windows, seed)
    train = (x_tr[keep], y_tr[keep], u_tr[keep])
    coder = StateCoder(n_states, summaries=summaries, standardize=standardize, seed=seed)
    return coded_cmapss(
        prepared.subset,
        coder.fit(train[0]),
        train,
        cmapss.windows(prepared.test, prepared.features),
        cmapss.last_windows(prepared.official_test, prepared.features),
    )


def coded_cmapss(
    name: str,
    coder: StateCoder,
    train: tuple[np.ndarray, np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray, np.ndarray],
    official: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> Trajectories:
    """C-MAPSS windows ``(x, rul, unit)`` of the training, held-out and official test engines,
    coded by a fitted ``coder``: :func:`cmapss_trajectories`' dataset, and the generalisation
    chapter's when the test engines come from another subset."""
    from ..data import cmapss

    (x_tr, y_tr, u_tr), (x_te, y_te, u_te), (x_off, y_off, _) = train, test, official
    return Trajectories(
        name=name,
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
    fleet,
    *,
    n_states: int,
    seed: int = 0,
    max_train_windows: int = 0,
    length: int | None = None,
    summaries: tuple[str, ...] = DEFAULT_SUMMARY,
    standardize: bool = True,
) -> Trajectories:
    """States and labels of the prepared device fleet (30-day windows, QAQL section 4.3)."""
    from ..data import devices

    table = fleet.table
    length = length or devices.WINDOW_DAYS
    ends = devices.window_index(table, length=length)
    values = table[fleet.features].to_numpy(np.float64)
    summary = window_summary(values, ends, length, summaries)
    segment = table["segment"].to_numpy()[ends]
    is_train = table["device"].isin(fleet.train_devices).to_numpy()[ends]
    rul = table["rul"].to_numpy(np.float64)[ends]
    keep = is_train.copy()  # the window budget is spent on training windows only
    keep[is_train] = limit_groups(segment[is_train], max_train_windows, seed)
    coder = StateCoder(n_states, summaries=summaries, standardize=standardize, seed=seed)
    coder.fit(summary=summary[keep])
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
