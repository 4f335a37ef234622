"""The device-failure fleet (QAQL sections 4.1 and 4.3).

The CSV as it is: CRLF line endings, ``M/D/YYYY`` dates, columns ``date, device, failure,
metric1 … metric9``. Preparation follows section 4.3:

1. exact duplicate rows dropped (the real file has one);
2. per device, days reindexed; gaps of fewer than 3 consecutive missing days forward-filled,
   longer gaps left out, so a device's history falls into contiguous *segments*;
3. each sensor min-max scaled per device (removes fixed device offsets);
4. six lightweight features per sensor stream: 7-day rolling mean and standard deviation, 14-day
   OLS slope, daily delta, cumulative count of out-of-band readings (|z| > 3 against the device's
   own past), and the day of the week (one column: it is the same for every sensor);
5. RUL in days from each row to the device's first failure, capped at 90 (healthy devices: 90);
   rows after a device's first failure are dropped;
6. a device-level 80/20 split, stratified on whether the device fails;
7. windows of 30 days, stride 1, never crossing a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from ..errors import DataFormatError
from .source import Source

__all__ = [
    "METRICS",
    "read_csv",
    "clean",
    "past_moments",
    "engineer",
    "SCALINGS",
    "Prepared",
    "prepare",
    "window_index",
]

METRICS = [f"metric{i}" for i in range(1, 10)]
COLUMNS = ["date", "device", "failure", *METRICS]
RUL_CAP = 90  # days; healthy devices carry the cap (section 4.3)
MAX_FILL_GAP = 2  # missing days forward-filled; 3 or more split the history
ROLLING_DAYS = 7  # rolling mean and standard deviation (section 4.3)
SLOPE_DAYS = 14  # OLS slope (section 4.3)
WINDOW_DAYS = 30  # days per window (section 4.3)
SCALINGS = ("device", "causal")  # per-device min-max: whole history (the paper) or so far
OUT_OF_BAND_Z = 3.0


def read_csv(source: Source) -> pd.DataFrame:
    """The CSV as published, with dates parsed (``M/D/YYYY``) and every column checked.

    Malformed rows (a short line, a letter in a counter, a failure flag other than 0/1, a date
    that is not M/D/YYYY) stop with the file's name and the line number, never as NaN.
    """
    path = source.path("pm/predictive_maintenance_dataset.csv")
    try:
        table = pd.read_csv(path, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataFormatError(f"{path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    if list(table.columns) != COLUMNS:
        raise DataFormatError(f"{path}: expected columns {COLUMNS}, found {list(table.columns)}")

    def fail(mask, what: str) -> None:
        row = int(np.flatnonzero(np.asarray(mask))[0])
        values = ", ".join(str(v) for v in table.iloc[row].tolist())
        raise DataFormatError(f"{path}, line {row + 2}: {what} ({values})")  # line 1: header

    counters = table[["failure", *METRICS]]
    if not all(pd.api.types.is_integer_dtype(t) for t in counters.dtypes):
        # a letter, an empty field or a decimal somewhere: find the first such line
        numbers = counters.apply(pd.to_numeric, errors="coerce")
        fail((numbers.isna() | (numbers % 1 != 0)).any(axis=1), "failure and metric1-metric9 "
             "must be whole numbers (a short line, a letter or an empty field)")  # fmt: skip
    if table["device"].isna().any():
        fail(table["device"].isna(), "the device is empty")
    if not table["failure"].isin([0, 1]).all():
        fail(~table["failure"].isin([0, 1]), "failure must be 0 or 1")
    dates = pd.to_datetime(table["date"], format="%m/%d/%Y", errors="coerce")
    if dates.isna().any():
        fail(dates.isna(), "the date is not M/D/YYYY")
    table["date"] = dates
    return table


def _first_failure(table: pd.DataFrame) -> pd.Series:
    """Date of each row's device's first failure (NaT for devices that never fail)."""
    first = table[table["failure"] == 1].groupby("device")["date"].min()
    # reindex, not map: map of an empty datetime Series fails on pandas 3
    return pd.Series(
        first.reindex(table["device"]).to_numpy(), index=table.index, dtype="datetime64[ns]"
    )


def clean(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Drop duplicates, reindex days, fill short gaps, cut histories at long ones."""
    report = {"rows": len(table), "duplicates": int(table.duplicated().sum())}
    table = table.drop_duplicates().sort_values(["device", "date"], ignore_index=True)
    # rows after the first failure of a device are not part of its run to failure
    fail_date = _first_failure(table)
    after = fail_date.notna() & (table["date"] > fail_date)
    report["rows_after_failure"] = int(after.sum())
    table = table[~after]

    spans = table.groupby("device")["date"].agg(["min", "max"])
    n_days = ((spans["max"] - spans["min"]).dt.days + 1).to_numpy()
    full = pd.DataFrame(
        {
            "device": np.repeat(spans.index.to_numpy(), n_days),
            "date": np.concatenate(
                [
                    pd.date_range(a, b, freq="D").to_numpy()
                    for a, b in zip(spans["min"], spans["max"], strict=True)
                ]
            ),
        }
    )
    merged = full.merge(table, on=["device", "date"], how="left", validate="one_to_one")
    missing = merged["metric1"].isna().to_numpy()
    # length of the run of missing days each missing row belongs to
    run_id = np.cumsum(
        np.r_[True, missing[1:] != missing[:-1]]
        | np.r_[True, merged["device"].to_numpy()[1:] != merged["device"].to_numpy()[:-1]]
    )
    run_len = pd.Series(run_id).map(pd.Series(run_id).value_counts()).to_numpy()
    fill = missing & (run_len <= MAX_FILL_GAP)
    drop = missing & ~fill
    report["days_filled"] = int(fill.sum())
    report["days_dropped"] = int(drop.sum())
    cols = ["failure", *METRICS]
    merged[cols] = merged.groupby("device")[cols].ffill()
    # a new segment starts at a device's first row and after every dropped run
    device_change = np.r_[True, merged["device"].to_numpy()[1:] != merged["device"].to_numpy()[:-1]]
    after_drop = np.r_[False, drop[:-1]] & ~drop
    merged["segment"] = np.cumsum(device_change | after_drop)
    merged = merged[~drop].reset_index(drop=True)
    merged[cols] = merged[cols].astype(np.int64)
    report["rows_clean"] = len(merged)
    report["devices"] = int(merged["device"].nunique())
    report["failed_devices"] = int(merged.groupby("device")["failure"].max().sum())
    return merged, report


def past_moments(x: pd.Series, groups: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Mean and sample standard deviation of each group's *earlier* values.

    The same numbers as ``expanding().mean().shift()`` and ``expanding().std().shift()`` per
    group (NaN where fewer than one or two values came before), from cumulative sums: one pass
    instead of a Python function per device (feature engineering of the full fleet: 7.4 s → 2.3 s,
    with identical output).
    """
    before = x.groupby(groups).cumcount().astype(float)  # how many values came before
    total = x.groupby(groups).cumsum() - x
    squares = (x * x).groupby(groups).cumsum() - x * x
    mean = total / before.where(before > 0)
    var = (squares - before * mean**2) / (before - 1).where(before > 1)
    return mean, np.sqrt(var.clip(lower=0.0))


def engineer(table: pd.DataFrame, *, scaling: str = "device") -> tuple[pd.DataFrame, list[str]]:
    """Per-device min-max of the sensors plus the six features of section 4.3.

    ``scaling="device"`` is the paper's "min-max normalised on a per-device basis": each device
    scaled by the minimum and maximum of its whole history, so a window also sees numbers from
    the device's future. ``scaling="causal"`` uses the minimum and maximum *so far* (expanding),
    so every value depends on the past only.
    """
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {', '.join(SCALINGS)}, got {scaling!r}")
    out = table[["device", "date", "segment", "failure"]].copy()
    by_device = table.groupby("device")[METRICS]
    if scaling == "device":
        lo, hi = by_device.transform("min"), by_device.transform("max")
    else:
        lo, hi = by_device.cummin(), by_device.cummax()
    scaled = ((table[METRICS] - lo) / (hi - lo).replace(0, 1)).astype(np.float64)
    out[METRICS] = scaled
    seg = out["segment"]
    t = out.groupby("segment").cumcount().astype(float)
    names = list(METRICS)
    for m in METRICS:
        x = scaled[m]
        g = x.groupby(seg)
        out[f"{m}_mean7"] = (
            g.rolling(ROLLING_DAYS, min_periods=1).mean().reset_index(level=0, drop=True)
        )
        out[f"{m}_std7"] = (
            g.rolling(ROLLING_DAYS, min_periods=2).std().reset_index(level=0, drop=True).fillna(0.0)
        )
        # OLS slope over 14 days from rolling moments: cov(t, x) / var(t)
        frame = pd.DataFrame({"t": t, "x": x, "tx": t * x, "tt": t * t})
        r = (
            frame.groupby(seg)
            .rolling(SLOPE_DAYS, min_periods=2)
            .mean()
            .reset_index(level=0, drop=True)
        )
        var_t = r["tt"] - r["t"] ** 2
        out[f"{m}_slope14"] = ((r["tx"] - r["t"] * r["x"]) / var_t.where(var_t > 0)).fillna(0.0)
        out[f"{m}_delta"] = g.diff().fillna(0.0)
        # z-score against the device's own past only (expanding, shifted): no future values
        mu, sd = past_moments(x, out["device"])
        z = ((x - mu) / sd.where(sd > 1e-9)).abs()
        out[f"{m}_oob"] = (z > OUT_OF_BAND_Z).astype(float).groupby(out["device"]).cumsum()
        names += [f"{m}_mean7", f"{m}_std7", f"{m}_slope14", f"{m}_delta", f"{m}_oob"]
    out["day_of_week"] = out["date"].dt.day_of_week / 6.0
    names.append("day_of_week")
    return out, names


@dataclass(frozen=True)
class Prepared:
    """The fleet ready for windowing."""

    table: pd.DataFrame  # engineered rows with `rul`, `device`, `segment`
    features: list[str]
    train_devices: np.ndarray
    test_devices: np.ndarray
    report: dict[str, int]


def prepare(
    source: Source,
    *,
    max_devices: int = 0,
    train_fraction: float = 0.8,
    seed: int = 0,
    scaling: str = "device",
) -> Prepared:
    """Read, clean, engineer, label and split the fleet (QAQL section 4.3).

    ``scaling`` chooses the per-device min-max (see :func:`engineer`): ``"device"``, the paper's
    whole-history scaling, or ``"causal"``, the past-only variant.
    """
    if max_devices < 0:
        raise ValueError(f"max_devices must be >= 0, got {max_devices}")
    raw = read_csv(source)
    if max_devices:
        # keep the failure rate: sample failed and healthy devices in proportion
        failed = raw.groupby("device")["failure"].max()
        _, keep = train_test_split(
            failed.index.to_numpy(),
            test_size=min(max_devices, len(failed) - 2),
            stratify=failed.to_numpy(),
            random_state=seed,
        )
        raw = raw[raw["device"].isin(keep)]
    table, report = clean(raw)
    table, features = engineer(table, scaling=scaling)
    days = (_first_failure(table) - table["date"]).dt.days
    table["rul"] = days.fillna(RUL_CAP).clip(upper=RUL_CAP).astype(np.float32)
    failed = table.groupby("device")["failure"].max()
    train, test = train_test_split(
        failed.index.to_numpy(),
        train_size=train_fraction,
        stratify=failed.to_numpy(),
        random_state=seed,
    )
    return Prepared(table, features, np.sort(train), np.sort(test), report)


def window_index(table: pd.DataFrame, *, length: int = WINDOW_DAYS) -> np.ndarray:
    """Row index of the last day of every ``length``-day window inside one segment.

    The windows themselves are ``table[features].to_numpy()[end - length + 1 : end + 1]``; the
    fleet has ~90k of them, too many to materialise as one array of all features.
    """
    seg = table["segment"].to_numpy()
    if len(seg) < length:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(seg[: len(seg) - length + 1] == seg[length - 1 :]) + length - 1
