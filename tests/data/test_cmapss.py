import numpy as np
import pandas as pd
import pytest

from qpdm_lib.data import cmapss, open_source
from qpdm_lib.errors import DataFormatError, ParameterError

from ..helpers import need_real


@need_real("cmapss/train_FD001.txt", "cmapss/test_FD001.txt", "cmapss/RUL_FD001.txt")
def test_real_fd001_matches_the_data_readme(real_data):
    src = open_source("cmapss", "real")
    train = cmapss.read_table(src, "FD001", "train")
    test = cmapss.read_table(src, "FD001", "test")
    rul = cmapss.read_rul(src, "FD001")
    assert (len(train), train.unit.nunique()) == (20631, 100)
    assert (len(test), test.unit.nunique()) == (13096, 100)
    assert (len(rul), rul.min(), rul.max()) == (100, 7, 145)
    prepared = cmapss.prepare(src, "FD001", seed=0)
    assert len(prepared.features) == 17  # QAQL Table 3
    # QAQL section 4.3's 17,731 windows are those of all 100 training engines
    x, y, unit = cmapss.windows(prepared.raw_train, prepared.features)
    assert len(x) == 17_731
    assert y.max() == cmapss.RUL_CAP and y.min() == 0


@need_real("cmapss/train_FD003.txt", "cmapss/test_FD003.txt", "cmapss/RUL_FD003.txt")
def test_real_fd003_matches_the_data_readme(real_data):
    src = open_source("cmapss", "real", subset="FD003")
    assert len(cmapss.read_table(src, "FD003", "train")) == 24720
    assert len(cmapss.read_table(src, "FD003", "test")) == 16596
    assert cmapss.read_rul(src, "FD003").min() == 6


def test_piecewise_rul_by_hand():
    table = pd.DataFrame({"unit": [1] * 4 + [2] * 2, "cycle": [1, 2, 3, 4, 1, 2]})
    np.testing.assert_array_equal(cmapss.piecewise_rul(table), [3, 2, 1, 0, 1, 0])
    np.testing.assert_array_equal(cmapss.piecewise_rul(table, cap=2), [2, 2, 1, 0, 1, 0])
    np.testing.assert_array_equal(
        cmapss.piecewise_rul(table, end_rul=np.array([10, 200]), cap=125),
        [13, 12, 11, 10, 125, 125],
    )


def test_split_is_by_engine_and_scaler_sees_training_engines_only():
    prepared = cmapss.prepare(open_source("cmapss", "synthetic"), "FD001", seed=3)
    assert not set(prepared.train.unit) & set(prepared.test.unit)
    assert prepared.train.unit.nunique() == 80
    feats = prepared.train[prepared.features]
    assert np.allclose(feats.min()[feats.max() > 0], 0) and np.allclose(
        feats.max()[feats.max() > 0], 1
    )
    outside = prepared.test[prepared.features]
    assert (outside.min() < 0).any() or (outside.max() > 1).any()  # not refitted on test


def test_windows_never_cross_engines():
    table = pd.DataFrame({"unit": [1] * 5 + [2] * 3, "f": np.arange(8.0), "rul": np.arange(8.0)})
    x, y, unit = cmapss.windows(table, ["f"], length=3)
    assert x.shape == (4, 3, 1)
    np.testing.assert_array_equal(x[:, :, 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4], [5, 6, 7]])
    np.testing.assert_array_equal(y, [2, 3, 4, 7])
    np.testing.assert_array_equal(unit, [1, 1, 1, 2])


def test_last_windows_pad_short_units():
    table = pd.DataFrame(
        {"unit": [1, 1, 2, 2, 2], "f": [1.0, 2, 3, 4, 5], "rul": [9.0, 8, 7, 6, 5]}
    )
    x, y, unit = cmapss.last_windows(table, ["f"], length=3)
    np.testing.assert_array_equal(x[:, :, 0], [[1, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(y, [8, 5])


def test_multi_condition_subsets_use_regimes():
    prepared = cmapss.prepare(open_source("cmapss", "synthetic", subset="FD002"), "FD002")
    assert len(prepared.features) == 14 + 6
    assert prepared.train["regime"].nunique() == 6


def test_bad_subset_and_columns(tmp_path):
    with pytest.raises(ParameterError, match="unknown C-MAPSS subset 'FD007'"):
        open_source("cmapss", "synthetic", subset="FD007")
    (tmp_path / "cmapss").mkdir()
    (tmp_path / "cmapss" / "train_FD001.txt").write_text("1 1 0.1 0.2\n")
    from qpdm_lib.data.source import Source

    with pytest.raises(DataFormatError, match="line 1: expected 26 numbers, found 4"):
        cmapss.read_table(Source("cmapss", "synthetic", tmp_path), "FD001", "train")


def _write_train(tmp_path, text):
    from qpdm_lib.data.source import Source

    (tmp_path / "cmapss").mkdir(exist_ok=True)
    (tmp_path / "cmapss" / "train_FD001.txt").write_text(text)
    return Source("cmapss", "synthetic", tmp_path)


GOOD = " ".join(["1", "1"] + ["0.5"] * 24) + "  \n"


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (" ".join(["1", "2"] + ["0.5"] * 20), r"line 2: expected 26 numbers, found 22"),
        (" ".join(["1", "2", "0.5x"] + ["0.5"] * 23), r"line 2: '0.5x' is not a finite number"),
        (" ".join(["1", "2", "nan"] + ["0.5"] * 23), r"line 2: 'nan' is not a finite number"),
    ],
)
def test_malformed_lines_are_named_with_file_and_line(tmp_path, bad_line, message):
    src = _write_train(tmp_path, GOOD + bad_line + "\n" + GOOD)
    with pytest.raises(DataFormatError, match=message) as info:
        cmapss.read_table(src, "FD001", "train")
    assert "train_FD001.txt" in str(info.value) and "\n" not in str(info.value)


def test_fractional_unit_numbers_and_empty_files_are_refused(tmp_path):
    src = _write_train(tmp_path, GOOD.replace("1 1 ", "1.5 1 ", 1))
    with pytest.raises(DataFormatError, match="whole numbers"):
        cmapss.read_table(src, "FD001", "train")
    src = _write_train(tmp_path, "\n\n")
    with pytest.raises(DataFormatError, match="holds no data lines"):
        cmapss.read_table(src, "FD001", "train")
