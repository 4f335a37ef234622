"""MFPT loader: synthetic files in the original format, resampling, labels, malformed files."""

import numpy as np
import pytest
import scipy.io

from qpdm_lib.data import bearings_synthetic, mfpt
from qpdm_lib.data.cwru import CLASSES
from qpdm_lib.data.source import Source
from qpdm_lib.errors import DataFormatError

from ..helpers import envelope_peak_hz, need_real, peak_hz


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("mfpt-synthetic")
    bearings_synthetic.write_mfpt(root, seed=0, seconds=0.5)
    return Source("mfpt", "synthetic", root)


def test_module_facts():
    assert set(mfpt.CLASSES_PRESENT) <= set(CLASSES)
    assert len(mfpt.FILES) == 20 and mfpt.DATASET == "mfpt"
    f = mfpt.BEARING.frequencies(rpm=1500)  # documented: BPFO 81.125, BPFI 118.875 Hz
    assert f.bpfo == pytest.approx(81.125, abs=0.01) and f.bpfi == pytest.approx(118.875, abs=0.01)


def test_synthetic_set_labels_and_counts(synthetic):
    assert mfpt.files(synthetic) == list(mfpt.FILES)
    w = mfpt.load_windows(synthetic)
    rec = w.records.set_index("name")
    assert len(rec) == 20 and w.fs == 12_000
    assert rec.fault.value_counts().to_dict() == {"Outer Race": 10, "Inner Race": 7, "Normal": 3}
    assert rec.loc["baseline_1.mat", "fs_native"] == 97_656
    assert rec.loc["InnerRaceFault_vload_1.mat", "fs_native"] == 48_828
    assert (rec.rpm == 1500).all() and np.allclose(rec.seconds, 0.5)
    # 0.5 s at 12 kHz = 6,000 samples: (6000 - 512) // 256 + 1 windows per file
    assert (rec.n_windows == 22).all() and len(w) == 440
    assert w.x.shape == (440, 512) and w.x.dtype == np.float32
    for name, fault in (("baseline_2.mat", "Normal"), ("OuterRaceFault_vload_3.mat", "Outer Race")):
        ys = w.y[w.record == rec.loc[name, "record"]]
        assert set(ys) == {CLASSES.index(fault)}
    first = np.flatnonzero(w.record == 0)[:2]  # 50 % overlap
    np.testing.assert_array_equal(w.x[first[0], 256:], w.x[first[1], :256])


def test_names_and_cap(synthetic):
    w = mfpt.load_windows(
        synthetic, names=["baseline_1.mat", "InnerRaceFault_vload_3.mat"], max_per_record=5
    )
    assert len(w) == 10 and list(w.records.record) == [0, 15]
    with pytest.raises(DataFormatError, match="not MFPT test-rig files"):
        mfpt.load_windows(synthetic, names=["IntermediateSpeedBearing.mat"])


@pytest.mark.parametrize("name", ["baseline_1.mat", "InnerRaceFault_vload_1.mat"])
def test_tone_keeps_its_frequency(tmp_path, name):
    info = mfpt.FILES[name]
    f0 = 1234.5
    t = np.arange(info.fs_native) / info.fs_native  # 1 s at the native rate
    bearings_synthetic.write_mfpt_file(
        tmp_path / "mfpt" / name, np.sin(2 * np.pi * f0 * t), sr=info.fs_native, load=270
    )
    w = mfpt.load_windows(Source("mfpt", "synthetic", tmp_path), length=4096, max_per_record=3)
    assert w.records.seconds.iloc[0] == pytest.approx(1.0)
    assert w.records.n_windows.iloc[0] == 3
    for x in w.x:
        assert abs(peak_hz(x.astype(float), w.fs) - f0) <= w.fs / 4096


def test_outer_race_envelope_peaks_at_bpfo(synthetic):
    w = mfpt.load_windows(synthetic, names=["OuterRaceFault_vload_4.mat"], length=4096)
    bpfo, bpfi = (mfpt.BEARING.frequencies(rpm=1500)[k] for k in (1, 2))
    f = envelope_peak_hz(w.x[0].astype(float), w.fs)
    assert abs(f - bpfo) <= w.fs / 4096 < abs(f - bpfi)


def _good():
    return {"sr": [[48_828.0]], "gs": np.ones((4096, 1)), "load": [[100.0]], "rate": [[25.0]]}


def _struct(fields):
    s = np.zeros((1, 1), dtype=[(k, "O") for k in fields])
    s[0, 0] = tuple(np.asarray(v) for v in fields.values())
    return s


def _without(key):
    d = _good()
    del d[key]
    return {"bearing": _struct(d)}


def _with(**changes):
    d = _good()
    d.update(changes)
    return {"bearing": _struct(d)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"data": np.ones((10, 1))}, "no 'bearing' struct; variables found: \\['data'\\]"),
        (_without("gs"), r"lacks field\(s\) \['gs'\]"),
        (_without("sr"), r"lacks field\(s\) \['sr'\]"),
        (_with(gs="not a signal"), "bearing.gs is not numeric"),
        (_with(gs=np.ones((100, 2))), r"bearing.gs has shape \(100, 2\)"),
        (_with(gs=np.zeros((0, 1))), "bearing.gs is empty"),
        (_with(sr="fast"), "field bearing.sr must be one number"),
        (_with(rate=[[50.0]]), "stored shaft rate 50 Hz"),
        (_with(sr=[[97_656.0]]), "stored sampling rate 97656 Hz, documented 48828 Hz"),
    ],
)
def test_malformed_files_fail_on_one_line(tmp_path, content, message):
    path = tmp_path / "mfpt" / "InnerRaceFault_vload_2.mat"
    path.parent.mkdir()
    scipy.io.savemat(path, content)
    with pytest.raises(DataFormatError, match=message) as info:
        mfpt.read_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("cut", [0.5, 0.0])
def test_truncated_file_fails_on_one_line(tmp_path, cut):
    path = tmp_path / "baseline_1.mat"
    bearings_synthetic.write_mfpt_file(path, np.ones(50_000), sr=97_656, load=270)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(DataFormatError, match="not a readable MATLAB file") as info:
        mfpt.read_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_empty_source_and_window_arguments(tmp_path, synthetic):
    with pytest.raises(DataFormatError, match="no MFPT files found"):
        mfpt.load_windows(Source("mfpt", "synthetic", tmp_path))
    with pytest.raises(ValueError, match="length must be >= 16"):
        mfpt.load_windows(synthetic, length=8)
    with pytest.raises(ValueError, match=r"overlap must be in \[0, 1\)"):
        mfpt.load_windows(synthetic, overlap=1.0)


def test_writer_replaces_the_set_whole(tmp_path):
    bearings_synthetic.write_mfpt(tmp_path, seconds=0.1, names=["baseline_1.mat"])
    paths = bearings_synthetic.write_mfpt(tmp_path, seconds=0.1, names=["baseline_2.mat"])
    assert paths == [tmp_path / "mfpt" / "baseline_2.mat"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mfpt"]  # no temporary folders left
    assert [p.name for p in (tmp_path / "mfpt").iterdir()] == ["baseline_2.mat"]


@need_real("mfpt/baseline_1.mat", "mfpt/OuterRaceFault_vload_1.mat")
def test_real_files_match_their_documentation(real_data):
    src = Source("mfpt", "real", real_data)
    w = mfpt.load_windows(src, max_per_record=4)
    for row in w.records.itertuples():
        info = mfpt.FILES[row.name]
        assert row.fs_native == info.fs_native and row.rpm == pytest.approx(1500, rel=0.01)
        assert row.seconds == pytest.approx(info.seconds, rel=0.01)
        assert set(w.y[w.record == row.record]) == {CLASSES.index(info.fault)}
