import numpy as np
import pandas as pd
import pytest

from qpdm_lib.data import devices, open_source
from qpdm_lib.data.source import Source
from qpdm_lib.errors import DataFormatError

from ..helpers import need_real


@need_real("pm/predictive_maintenance_dataset.csv")
def test_real_file_matches_the_data_readme(real_data):
    src = open_source("pm", "real")
    assert b"\r\n" in src.path("pm/predictive_maintenance_dataset.csv").read_bytes()[:200]
    raw = devices.read_csv(src)
    assert len(raw) == 124_494
    assert raw.device.nunique() == 1_169
    assert raw.groupby("device").failure.max().sum() == 106
    assert raw.duplicated().sum() == 1
    assert (raw.metric7 == raw.metric8).all()


def _table(days_by_device):
    rows = []
    for device, days, fail_day in days_by_device:
        for d in days:
            rows.append(
                {
                    "date": pd.Timestamp("2015-01-01") + pd.Timedelta(days=d),
                    "device": device,
                    "failure": int(d == fail_day),
                    **{m: d for m in devices.METRICS},
                }
            )
    return pd.DataFrame(rows)


def test_short_gaps_are_filled_long_gaps_split_the_history():
    # device A misses days 3-4 (filled) and 8-10 (3 days: dropped, new segment)
    table = _table([("A", [0, 1, 2, 5, 6, 7, 11, 12], None)])
    clean, report = devices.clean(table)
    assert report["days_filled"] == 2 and report["days_dropped"] == 3
    assert list(clean.date.dt.day - 1) == [0, 1, 2, 3, 4, 5, 6, 7, 11, 12]
    assert clean.segment.nunique() == 2
    assert list(clean.metric1) == [0, 1, 2, 2, 2, 5, 6, 7, 11, 12]  # forward-filled values


def test_rows_after_failure_dropped_and_rul_capped():
    table = _table([("A", range(0, 100), 95), ("B", range(0, 40), None)])
    clean, report = devices.clean(table)
    assert report["rows_after_failure"] == 4
    assert clean[clean.device == "A"].date.max() == pd.Timestamp("2015-01-01") + pd.Timedelta(
        days=95
    )


def test_prepare_on_synthetic_fleet():
    fleet = devices.prepare(open_source("pm", "synthetic"), max_devices=120, seed=1)
    table = fleet.table
    assert not set(fleet.train_devices) & set(fleet.test_devices)
    assert table.rul.max() == devices.RUL_CAP and table.rul.min() == 0
    assert len(fleet.features) == 9 + 9 * 5 + 1
    failed = table.groupby("device").failure.max()
    assert failed[fleet.test_devices].sum() >= 1  # stratified: failures on both sides
    ends = devices.window_index(table)
    seg = table.segment.to_numpy()
    assert (seg[ends] == seg[ends - 29]).all()


def test_bad_csv_is_named(tmp_path):
    (tmp_path / "pm").mkdir()
    path = tmp_path / "pm" / "predictive_maintenance_dataset.csv"
    path.write_text("date,device,failure\r\n1/1/2015,A,0\r\n")
    with pytest.raises(DataFormatError, match="expected columns"):
        devices.read_csv(Source("pm", "synthetic", tmp_path))
    header = ",".join(devices.COLUMNS)
    path.write_text(header + "\r\n2015-01-01,A,0," + ",".join(["1"] * 9) + "\r\n")
    with pytest.raises(DataFormatError, match="line 2: the date is not M/D/YYYY"):
        devices.read_csv(Source("pm", "synthetic", tmp_path))


def test_oob_uses_only_the_past():
    table = _table([("A", range(0, 30), None)])
    table.loc[20, devices.METRICS] = 1000  # one spike
    clean, _ = devices.clean(table)
    feats, _ = devices.engineer(clean)
    oob = feats["metric1_oob"].to_numpy()
    assert oob[:20].sum() == 0 and oob[20] == 1  # counted when it happens, not before
    assert np.all(np.diff(oob) >= 0)


def test_past_moments_equal_pandas_expanding_shifted():
    rng = np.random.default_rng(4)
    groups = pd.Series(rng.integers(0, 6, 400))
    x = pd.Series(rng.random(400))
    x[groups == 5] = 0.25  # a constant device: its spread must be exactly zero, not rounding noise
    mean, sd = devices.past_moments(x, groups)
    past = x.groupby(groups)
    ref_mean = past.transform(lambda s: s.expanding().mean().shift())
    ref_sd = past.transform(lambda s: s.expanding().std().shift())
    pd.testing.assert_series_equal(mean, ref_mean, check_names=False, atol=1e-12)
    pd.testing.assert_series_equal(sd, ref_sd, check_names=False, atol=1e-7)
    assert (sd[groups == 5].dropna() < 1e-9).all()


HEADER = "date,device,failure," + ",".join(devices.METRICS)


def _csv(tmp_path, *lines):
    (tmp_path / "pm").mkdir(exist_ok=True)
    path = tmp_path / "pm" / "predictive_maintenance_dataset.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n")
    return Source("pm", "synthetic", tmp_path)


ROW = "1/1/2015,S1F0,0," + ",".join(["7"] * 9)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("1/2/2015,S1F0,0," + ",".join(["7"] * 8), "line 3: failure and metric1-metric9"),
        ("1/2/2015,S1F0,0,7x," + ",".join(["7"] * 8), "line 3: failure and metric1-metric9"),
        ("1/2/2015,S1F0,0,7.5," + ",".join(["7"] * 8), "line 3: failure and metric1-metric9"),
        ("1/2/2015,S1F0,2," + ",".join(["7"] * 9), "line 3: failure must be 0 or 1"),
        ("2015-01-02,S1F0,0," + ",".join(["7"] * 9), "line 3: the date is not M/D/YYYY"),
        ("1/2/2015,,0," + ",".join(["7"] * 9), "line 3: the device is empty"),
    ],
)
def test_malformed_rows_are_named_with_file_and_line(tmp_path, bad, message):
    src = _csv(tmp_path, ROW, bad, ROW.replace("1/1/", "1/3/"))
    with pytest.raises(DataFormatError, match=message) as info:
        devices.read_csv(src)
    assert "predictive_maintenance_dataset.csv" in str(info.value)


def test_a_well_formed_file_reads_with_integer_counters(tmp_path):
    table = devices.read_csv(_csv(tmp_path, ROW, ROW.replace("1/1/", "1/2/")))
    assert len(table) == 2 and table["metric1"].dtype == np.int64
    assert table["date"].iloc[1] == pd.Timestamp("2015-01-02")


def _fleet_csv(tmp_path, days_by_device):
    """A CSV in the original format: device -> (days reported, day of failure or None)."""
    lines = [HEADER]
    for device, (days, fail_day) in days_by_device.items():
        for d in days:
            date = pd.Timestamp("2015-01-01") + pd.Timedelta(days=d)
            metrics = ",".join(str(d + k) for k in range(9))
            lines.append(
                f"{date.month}/{date.day}/{date.year},{device},{int(d == fail_day)},{metrics}"
            )
    (tmp_path / "pm").mkdir(exist_ok=True)
    (tmp_path / "pm" / "predictive_maintenance_dataset.csv").write_text("\r\n".join(lines) + "\r\n")
    return Source("pm", "synthetic", tmp_path)


def test_rul_labels_of_a_hand_built_fleet(tmp_path):
    failing = {f"F{k}": (range(0, 40 + 30 * k), 30 + 30 * k) for k in range(5)}  # fail on 30..150
    healthy = {f"H{k}": (range(0, 50), None) for k in range(5)}
    fleet = devices.prepare(_fleet_csv(tmp_path, failing | healthy), seed=0)
    table = fleet.table.set_index(["device", "date"])
    for device, (_, fail_day) in (failing | healthy).items():
        rows = table.loc[device]
        day = (rows.index - pd.Timestamp("2015-01-01")).days.to_numpy()
        if fail_day is None:
            expected = np.full(len(day), devices.RUL_CAP)  # healthy: the cap, on every day
        else:
            assert day.max() == fail_day  # days after the first failure are dropped
            expected = np.minimum(fail_day - day, devices.RUL_CAP)
        np.testing.assert_array_equal(rows["rul"].to_numpy(), expected)


def test_engineered_features_by_hand():
    # one device, one segment, metric values 0, 1, 2, ... 19 on consecutive days (min 0, max 19)
    table = _table([("A", range(0, 20), None)])
    clean, _ = devices.clean(table)
    out, names = devices.engineer(clean)
    x = np.arange(20) / 19.0  # per-device min-max
    np.testing.assert_allclose(out["metric1"], x)
    np.testing.assert_allclose(out["metric1_mean7"].iloc[9], x[3:10].mean())  # 7 days, not 6
    np.testing.assert_allclose(out["metric1_std7"].iloc[9], x[3:10].std(ddof=1))
    np.testing.assert_allclose(out["metric1_slope14"].iloc[15], 1 / 19.0)  # OLS slope of a line
    np.testing.assert_allclose(out["metric1_delta"].iloc[1:], 1 / 19.0)
    assert (out["metric1_oob"] == 0).all()  # a straight line never leaves 3 sigma of its past
    assert out["day_of_week"].iloc[0] == pd.Timestamp("2015-01-01").day_of_week / 6.0
    assert len(names) == 9 + 9 * 5 + 1
