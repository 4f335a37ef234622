"""Train/validation/test splits: the paper's split over windows, and a leakage-free one.

QEML-Net section 3.2 splits *windows* 70/15/15, stratified by class. With 50 % overlap, and with
hundreds of windows cut from each ten-second record, neighbouring windows of one record then sit
on both sides of the split: a test window shares half its samples with a training window. The
leakage-free :func:`record_split` keeps every window of a record on one side.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, train_test_split

__all__ = [
    "Split",
    "stratified_split",
    "record_split",
    "fold_splits",
    "shared_groups",
    "overlapping",
    "leakage",
]


class Split(NamedTuple):
    """Indices of the three parts, and what was done to get them."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    note: str = ""


def _check(fractions: tuple[float, float, float]) -> None:
    if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")


def _cut_in_time(start: np.ndarray, length: int, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut one record's span at the fractions ``at``: each window's block (that of its first
    sample), and whether the window straddles a cut (its samples then fall in two blocks)."""
    first, last = start.min(), start.max() + length
    cuts = first + np.asarray(at) * (last - first)
    block = np.searchsorted(cuts, start, side="right")
    return block, block != np.searchsorted(cuts, start + length - 1, side="right")


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
            k, straddles = _cut_in_time(start[mask], length, np.cumsum(fractions)[:2])
            part[np.flatnonzero(mask)] = np.where(straddles, -1, k)
    note = "whole records per part"
    if by_time:
        note += f"; classes {by_time} have < 3 records and were split in time within each record"
    return Split(*(np.flatnonzero(part == k) for k in range(3)), note)


def fold_splits(
    y: np.ndarray,
    groups: np.ndarray,
    start: np.ndarray,
    *,
    length: int,
    folds: int,
    by_record: bool,
    seed: int = 0,
) -> list[Split]:
    """``folds``-fold stratified cross-validation: fold ``i`` tests, fold ``i + 1`` validates.

    The remaining ``folds - 2`` folds train, so with 5 folds every window is tested once, on a
    60/20/20 partition. ``by_record=False`` is the paper's protocol (QEML-Net section 4.1: 5-fold
    stratified CV over windows, :class:`~sklearn.model_selection.StratifiedKFold`).
    ``by_record=True`` keeps whole records together
    (:class:`~sklearn.model_selection.StratifiedGroupKFold`); a class with fewer records than
    folds has each record cut into ``folds`` consecutive blocks that act as records, and windows
    straddling a block boundary are dropped, so no two folds share a sample.
    """
    if folds < 3:
        raise ValueError(
            f"cross-validation needs folds >= 3 (test, validation, train), got {folds}"
        )
    if not (len(y) == len(groups) == len(start)):
        raise ValueError(
            f"y, groups and start differ in length: {len(y)}, {len(groups)}, {len(start)}"
        )
    y, groups, start = np.asarray(y), np.asarray(groups), np.asarray(start)
    keep = np.ones(len(y), dtype=bool)
    if by_record:
        groups = groups.astype(np.int64) * folds  # room for the blocks of a cut record
        blocked = []
        for cls in np.unique(y):
            records = np.unique(groups[y == cls])
            if len(records) >= folds:
                continue
            blocked.append(int(cls))
            for record in records:
                mask = groups == record
                block, straddles = _cut_in_time(start[mask], length, np.arange(1, folds) / folds)
                groups[np.flatnonzero(mask)] = record + block
                keep[np.flatnonzero(mask)[straddles]] = False
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        note = "whole records per fold"
        if blocked:
            note += f"; classes {blocked} have < {folds} records and were cut in time into blocks"
    else:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        note = "stratified over windows"
    index = np.flatnonzero(keep)
    grouping = {"groups": groups[index]} if by_record else {}
    tests = [index[test] for _, test in splitter.split(index, y[index], **grouping)]
    out = []
    for i in range(folds):
        val = tests[(i + 1) % folds]
        train = np.concatenate([tests[j] for j in range(folds) if j not in (i, (i + 1) % folds)])
        out.append(
            Split(np.sort(train), np.sort(val), np.sort(tests[i]), f"fold {i + 1}/{folds}, {note}")
        )
    return out


def shared_groups(split: Split, groups: np.ndarray) -> float:
    """Fraction of test windows whose record also contributes training windows."""
    if len(split.test) == 0:
        return 0.0
    seen = np.isin(groups[split.test], np.unique(groups[split.train]))
    return float(seen.mean())


def overlapping(split: Split, groups: np.ndarray, start: np.ndarray, *, length: int) -> float:
    """Fraction of test windows that share at least one sample with a training window.

    Two windows of one record overlap when their starts are less than ``length`` apart; with the
    paper's 50 % overlap, a test window whose neighbour trains shares half its samples with it.
    """
    if len(split.test) == 0:
        return 0.0
    train_starts: dict[int, np.ndarray] = {}
    for g in np.unique(groups[split.train]):
        train_starts[int(g)] = np.sort(start[split.train][groups[split.train] == g])
    hits = 0
    for i in split.test:
        s = train_starts.get(int(groups[i]))
        if s is None:
            continue
        k = np.searchsorted(s, start[i])
        near = s[max(k - 1, 0) : k + 1]
        hits += bool(np.any(np.abs(near - start[i]) < length))
    return hits / len(split.test)


def leakage(split: Split, groups: np.ndarray, start: np.ndarray, *, length: int) -> dict:
    """What a split lets the test set see of training: sizes and the two leakage measures.

    The row the data and hybrid-network chapters show for each split: train/val/test windows,
    the percentage of test windows whose record also trains (:func:`shared_groups`) and the
    percentage that share samples with a training window (:func:`overlapping`).
    """
    return {
        "train": len(split.train),
        "val": len(split.val),
        "test": len(split.test),
        "test windows whose record also trains (%)": 100 * shared_groups(split, groups),
        "test windows sharing samples with a training window (%)": 100
        * overlapping(split, groups, start, length=length),
        "note": split.note,
    }
