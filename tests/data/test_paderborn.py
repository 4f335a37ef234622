"""Paderborn loader: synthetic measurements in the original format, labels, exclusions, errors."""

import numpy as np
import pytest
import scipy.io

from qpdm_lib.data import bearings_synthetic, paderborn
from qpdm_lib.data.cwru import CLASSES
from qpdm_lib.data.source import Source
from qpdm_lib.errors import DataFormatError

from ..helpers import envelope_peak_hz, need_real, peak_hz

NAME = "N15_M07_F10_KA01_1.mat"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("paderborn-synthetic")
    bearings_synthetic.write_paderborn(
        root,
        seed=0,
        bearings=("K001", "KA01", "KI04", "KB23"),
        settings=("N15_M07_F10", "N09_M07_F10"),
        seconds=0.5,
    )
    return Source("paderborn", "synthetic", root)


def test_module_facts():
    assert set(paderborn.CLASSES_PRESENT) <= set(CLASSES)
    assert len(paderborn.BEARINGS) == 32
    damage = {}
    for info in paderborn.BEARINGS.values():
        damage.setdefault(info.damage, []).append(info.code)
    assert len(damage["none"]) == 6 and len(damage["real"]) == 14
    assert damage["artificial"] == [
        "KA01", "KA03", "KA05", "KA06", "KA07", "KA08", "KA09",
        "KI01", "KI03", "KI05", "KI07", "KI08",
    ]  # fmt: skip
    assert paderborn.parse_name("N09_M07_F10_K003_20.mat")["rpm"] == 900
    with pytest.raises(DataFormatError, match="unknown bearing code KX99"):
        paderborn.parse_name("N15_M07_F10_KX99_1.mat")


def test_synthetic_labels_exclusion_and_counts(synthetic):
    keys = paderborn.files(synthetic)
    assert len(keys) == 8 and keys[0] == "paderborn/K001/N15_M07_F10_K001_1.mat"
    w = paderborn.load_windows(synthetic)
    rec = w.records.set_index("name")
    assert len(rec) == 6 and set(rec.bearing) == {"K001", "KA01", "KI04"}
    assert sorted(w.records.attrs["excluded"]) == [
        "paderborn/KB23/N09_M07_F10_KB23_1.mat",
        "paderborn/KB23/N15_M07_F10_KB23_1.mat",
    ]
    assert rec.loc[NAME, "fault"] == "Outer Race" and rec.loc[NAME, "damage"] == "artificial"
    assert rec.loc["N09_M07_F10_KI04_1.mat", "fault"] == "Inner Race"
    assert rec.loc["N09_M07_F10_KI04_1.mat", "damage"] == "real"
    assert rec.loc["N09_M07_F10_KI04_1.mat", "rpm"] == 900
    assert rec.loc["N15_M07_F10_K001_1.mat", "fault"] == "Normal"
    assert (rec.fs_native == 64_000).all() and (rec.load == 1000).all()
    # 32,001 samples at 64 kHz -> 6,001 at 12 kHz -> (6001 - 512) // 256 + 1 windows
    assert (rec.n_windows == 22).all() and w.x.shape == (132, 512)
    for name, fault in (
        ("N09_M07_F10_KA01_1.mat", "Outer Race"),
        ("N15_M07_F10_KI04_1.mat", "Inner Race"),
    ):
        assert set(w.y[w.record == rec.loc[name, "record"]]) == {CLASSES.index(fault)}
    assert rec.loc[NAME, "record"] == 100 * list(paderborn.BEARINGS).index("KA01")


def test_filters(synthetic):
    w = paderborn.load_windows(synthetic, bearings=["KA01"], settings=["N09_M07_F10"])
    assert list(w.records.name) == ["N09_M07_F10_KA01_1.mat"]
    with pytest.raises(ValueError, match="KB23 is excluded"):
        paderborn.load_windows(synthetic, bearings=["KB23"])
    with pytest.raises(ValueError, match="unknown setting"):
        paderborn.load_windows(synthetic, settings=["N12_M07_F10"])


def test_tone_keeps_its_frequency(tmp_path):
    f0 = 1234.5
    t = np.arange(64_001) / 64_000
    path = tmp_path / "paderborn" / "K001" / "N15_M07_F10_K001_3.mat"
    bearings_synthetic.write_paderborn_file(
        path, np.sin(2 * np.pi * f0 * t), rpm=1500, torque_nm=0.7, force_n=1000
    )
    w = paderborn.load_windows(Source("paderborn", "synthetic", tmp_path), length=4096)
    assert w.records.seconds.iloc[0] == pytest.approx(1.0, abs=1e-4)
    assert w.records.n_windows.iloc[0] == (12_001 - 4096) // 2048 + 1
    for x in w.x:
        assert abs(peak_hz(x.astype(float), w.fs) - f0) <= w.fs / 4096


@pytest.mark.parametrize("setting", ["N15_M07_F10", "N09_M07_F10"])
def test_outer_race_envelope_peaks_at_bpfo(synthetic, setting):
    w = paderborn.load_windows(synthetic, bearings=["KA01"], settings=[setting], length=4096)
    f = paderborn.BEARING.frequencies(rpm=paderborn.SETTINGS[setting][0])
    peak = envelope_peak_hz(w.x[0].astype(float), w.fs)
    assert abs(peak - f.bpfo) <= w.fs / 4096 < abs(peak - f.bpfi)


def _channel(name, data, raster="HostService"):
    return (name, "Data", np.asarray(data), "", raster)


def _measurement(channels, fields=("Info", "X", "Y", "Description")):
    y = np.zeros(
        (1, len(channels)), dtype=[(k, "O") for k in ("Name", "Type", "Data", "Unit", "Raster")]
    )
    for k, channel in enumerate(channels):
        y[0, k] = channel
    s = np.zeros((1, 1), dtype=[(k, "O") for k in fields])
    s[0, 0] = tuple({"Y": y}.get(k, np.zeros((1, 1))) for k in fields)
    return s


GOOD = [
    _channel("speed", np.full((1, 400), 1500.0), "Mech_4kHz"),
    _channel("vibration_1", np.ones((1, 6400))),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"N15_M07_F10_KA01_2": _measurement(GOOD)}, r"no struct named N15_M07_F10_KA01_1; variables found: \['N15_M07_F10_KA01_2'\]"),
        ({"N15_M07_F10_KA01_1": _measurement(GOOD, ("Info", "X"))}, "is not a 1x1 struct with a field Y"),
        ({"N15_M07_F10_KA01_1": _measurement(GOOD[:1])}, r"has no vibration_1 channel; found \['speed'\]"),
        ({"N15_M07_F10_KA01_1": _measurement([_channel("vibration_1", "text")])}, "vibration_1 Data is not numeric"),
        ({"N15_M07_F10_KA01_1": _measurement([_channel("vibration_1", np.ones((2, 100)))])}, r"Data has shape \(2, 100\)"),
        ({"N15_M07_F10_KA01_1": _measurement([_channel("vibration_1", np.zeros((1, 0)))])}, "vibration_1 Data is empty"),
        (
            {"N15_M07_F10_KA01_1": _measurement([_channel("speed", np.full((1, 40), 900.0)), GOOD[1]])},
            "measured speed 900 rpm contradicts setting N15_M07_F10",
        ),
    ],
)  # fmt: skip
def test_malformed_files_fail_on_one_line(tmp_path, content, message):
    path = tmp_path / NAME
    scipy.io.savemat(path, content)
    with pytest.raises(DataFormatError, match=message) as info:
        paderborn.read_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_bad_names_and_truncated_files(tmp_path):
    for name, message in (
        ("notes.mat", "not a Paderborn file name"),
        ("N15_M07_F10_KX99_1.mat", "unknown bearing"),
    ):
        with pytest.raises(DataFormatError, match=message) as info:
            paderborn.read_file(tmp_path / name)
        assert str(tmp_path / name) in str(info.value)
    path = tmp_path / NAME
    bearings_synthetic.write_paderborn_file(
        path, np.ones(20_001), rpm=1500, torque_nm=0.7, force_n=1000
    )
    path.write_bytes(path.read_bytes()[:-5000])
    with pytest.raises(DataFormatError, match="not a readable MATLAB file") as info:
        paderborn.read_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_unreadable_file_is_skipped_only_on_request(tmp_path):
    for rep in (1, 2):
        path = tmp_path / "paderborn" / "KA01" / f"N15_M07_F10_KA01_{rep}.mat"
        bearings_synthetic.write_paderborn_file(
            path, np.ones(20_001), rpm=1500, torque_nm=0.7, force_n=1000
        )
    path.write_bytes(b"MATLAB 5.0 MAT-file, garbage")
    src = Source("paderborn", "synthetic", tmp_path)
    with pytest.raises(DataFormatError, match="N15_M07_F10_KA01_2.mat: not a readable"):
        paderborn.load_windows(src)
    with pytest.warns(UserWarning, match="skipped"):
        w = paderborn.load_windows(src, skip_unreadable=True)
    assert list(w.records.repetition) == [1]
    assert w.records.attrs["skipped"] == ["paderborn/KA01/N15_M07_F10_KA01_2.mat"]


@need_real("paderborn/K001/N15_M07_F10_K001_1.mat")
def test_real_measurement_has_the_documented_shape(real_data):
    signal, fs, meta = paderborn.read_file(real_data / "paderborn/K001/N15_M07_F10_K001_1.mat")
    assert fs == 64_000 and abs(len(signal) - 256_001) < 64_000 * 0.05  # about 4 s
    assert meta["raster"] == "HostService" and abs(meta["speed_measured"] - 1500) < 30
    w = paderborn.load_windows(
        Source("paderborn", "real", real_data),
        bearings=["K001"],
        settings=["N15_M07_F10"],
        max_per_record=4,
    )
    assert set(w.y) == {CLASSES.index("Normal")}
