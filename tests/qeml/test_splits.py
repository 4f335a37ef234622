import numpy as np
import pytest

from qpdm_lib.qeml import splits

from ..helpers import cwru_like_windows


def _windows(records_per_class=(1, 4, 5), per_record=40, hop=256):
    return cwru_like_windows(records_per_class, per_record=per_record, hop=hop)


def test_stratified_split_keeps_class_proportions():
    y, groups, _ = _windows()
    s = splits.stratified_split(y, seed=0)
    assert len(s.train) + len(s.val) + len(s.test) == len(y)
    for part in (s.train, s.val, s.test):
        np.testing.assert_allclose(
            np.bincount(y[part]) / len(part), np.bincount(y) / len(y), atol=0.03
        )
    assert splits.shared_groups(s, groups) == 1.0  # the leakage the paper's split allows


def test_record_split_separates_records_and_cuts_single_records_in_time():
    y, groups, start = _windows()
    s = splits.record_split(y, groups, start, length=512, seed=0)
    for cls in (1, 2):  # classes with >= 3 records: no record on two sides
        sides = [set(groups[p][y[p] == cls]) for p in s[:3]]
        assert not (sides[0] & sides[1] or sides[0] & sides[2] or sides[1] & sides[2])
        assert all(sides)
    # class 0 has one record: split in time, windows sharing samples across a cut dropped
    for a, b in [(s.train, s.val), (s.val, s.test), (s.train, s.test)]:
        sa, sb = start[a][y[a] == 0], start[b][y[b] == 0]
        assert sa.max() + 512 <= sb.min()
    assert "classes [0]" in s.note


@pytest.mark.parametrize("fractions", [(0.5, 0.5), (0.7, 0.2, 0.2), (0.8, 0.3, -0.1)])
def test_bad_fractions(fractions):
    y, groups, start = _windows()
    with pytest.raises(ValueError, match="fractions must be three positive numbers summing to 1"):
        splits.stratified_split(y, fractions=fractions)


def test_record_split_gives_each_part_its_share_of_records():
    y, groups, start = cwru_like_windows((1, 10, 20), per_record=8, hop=256)
    s = splits.record_split(y, groups, start, length=512, seed=0)
    for cls, n_records in ((1, 10), (2, 20)):
        counts = [len(set(groups[p][y[p] == cls])) for p in s[:3]]
        assert sum(counts) == n_records
        # 70/15/15 by record, each part at least one record (rounding to whole records)
        assert counts[0] >= 0.6 * n_records and 1 <= counts[1] <= 0.2 * n_records + 1
        assert 1 <= counts[2] <= 0.2 * n_records + 1
