"""Train/validation/test splits: the paper's split over windows, and a leakage-free one.

QEML-Net section 3.2 splits *windows* 70/15/15, stratified by class. With 50 % overlap, and with
hundreds of windows cut from each ten-second record, neighbouring windows of one record then sit
on both sides of the split: a test window shares half its samples with a training window. The
leakage-free :func:`record_split` keeps every window of a record on one side.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import train_test_split

__all__ = ["Split", "stratified_split", "record_split", "shared_groups"]


class Split(NamedTuple):
    """Indices of the three parts, and what was done to get them."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    note: str = ""


def _check(fractions: tuple[float, float, float]) -> None:
    if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")


def stratified_split(
    y: np.ndarray, *, fractions: tuple[float, float, float] = (0.7, 0.15, 0.15), seed: int = 0
) -> Split:
    """The paper's split: windows shuffled and split 70/15/15, stratified by class."""
    _check(fractions)
    index = np.arange(len(y))
    train, rest = train_test_split(index, train_size=fractions[0], stratify=y, random_state=seed)
    val, test = train_test_split(
        rest,
        train_size=fractions[1] / (fractions[1] + fractions[2]),
        stratify=y[rest],
        random_state=seed,
    )
    return Split(np.sort(train), np.sort(val), np.sort(test), "stratified over windows")


def record_split(
    y: np.ndarray,
    groups: np.ndarray,
    start: np.ndarray,
    *,
    length: int,
    fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
    seed: int = 0,
) -> Split:
    """Every window of a record on one side, per class in proportion to ``fractions``.

    A class with fewer than three records cannot be spread over three parts by record (CWRU's
    shared copy has a single normal record). Its records are cut in time instead: the first 70 %
    of each record trains, the next 15 % validates, the last 15 % tests, and windows that would
    straddle a cut are dropped, so no two parts share a sample. The note names such classes.
    """
    _check(fractions)
    if not (len(y) == len(groups) == len(start)):
        raise ValueError(
            f"y, groups and start differ in length: {len(y)}, {len(groups)}, {len(start)}"
        )
    rng = np.random.default_rng(seed)
    part = np.full(len(y), -1)
    by_time = []
    for cls in np.unique(y):
        records = np.unique(groups[y == cls])
        if len(records) >= 3:
            records = rng.permutation(records)
            n_val = max(1, int(round(fractions[1] * len(records))))
            n_test = max(1, int(round(fractions[2] * len(records))))
            n_train = len(records) - n_val - n_test
            for k, chunk in enumerate(np.split(records, [n_train, n_train + n_val])):
                part[np.isin(groups, chunk) & (y == cls)] = k
            continue
        by_time.append(int(cls))
        for record in records:
            mask = groups == record
            first, last = start[mask].min(), start[mask].max() + length
            cuts = first + np.cumsum(fractions)[:2] * (last - first)
            s = start[mask]
            k = np.searchsorted(cuts, s, side="right")  # part of the window's first sample
            k_end = np.searchsorted(cuts, s + length - 1, side="right")
            part[np.flatnonzero(mask)] = np.where(k == k_end, k, -1)
    note = "whole records per part"
    if by_time:
        note += f"; classes {by_time} have < 3 records and were split in time within each record"
    return Split(*(np.flatnonzero(part == k) for k in range(3)), note)


def shared_groups(split: Split, groups: np.ndarray) -> float:
    """Fraction of test windows whose record also contributes training windows."""
    if len(split.test) == 0:
        return 0.0
    seen = np.isin(groups[split.test], np.unique(groups[split.train]))
    return float(seen.mean())
