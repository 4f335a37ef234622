"""IMS loader: synthetic text snapshots in the original format, the label rule, malformed files."""

import shutil

import numpy as np
import pytest

from qpdm_lib.data import bearings_synthetic, ims
from qpdm_lib.data.cwru import CLASSES
from qpdm_lib.data.source import Source
from qpdm_lib.errors import DataFormatError

from ..helpers import envelope_peak_hz, need_real, peak_hz

STAMP = "2004.02.12.10.32.39"  # first snapshot of test 2


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("ims-synthetic")
    bearings_synthetic.write_ims(root, seed=0, files_per_test=10)
    return Source("ims", "synthetic", root)


def test_module_facts():
    assert set(ims.CLASSES_PRESENT) <= set(CLASSES)
    f = ims.BEARING.frequencies(rpm=ims.RPM)  # readme Table 3: 236, 297, 15 Hz
    assert (round(f.bpfo), round(f.bpfi), round(f.ftf)) == (236, 297, 15)
    assert [t.channels for t in ims.TESTS.values()] == [8, 4, 4]


def test_synthetic_files_follow_the_archive(synthetic):
    keys = ims.files(synthetic)
    assert len(keys) == 30 and keys[10] == f"ims/2nd_test/{STAMP}"
    assert [k.split("/")[1] for k in keys[::10]] == ["1st_test", "2nd_test", "3rd_test"]
    data, fs, meta = ims.read_file(synthetic.root / keys[0])
    assert data.shape == (20_480, 8) and fs == 20_000 and meta["time"].year == 2003


def test_label_rule(synthetic):
    w = ims.load_windows(synthetic)
    rec = w.records
    # first 5 of 10 files: every channel Normal; last file: the failing bearings' channels only
    assert len(rec) == (5 * 8 + 4) + (5 * 4 + 1) + (5 * 4 + 1)
    late = rec[rec.part == "fault"]
    assert sorted(zip(late.test, late.channel, late.fault, strict=True)) == [
        (1, 5, "Inner Race"), (1, 6, "Inner Race"), (1, 7, "Roller"), (1, 8, "Roller"),
        (2, 1, "Outer Race"), (3, 3, "Outer Race"),
    ]  # fmt: skip
    assert (late.name == late.groupby("test").name.transform("max")).all()
    assert set(rec[rec.part == "normal"].fault) == {"Normal"}
    assert (rec.n_windows == (12_288 - 512) // 256 + 1).all()  # 20,480 at 20 kHz -> 12,288
    assert (rec.snapshot == rec.record // 10).all() and (rec.seconds == 1.024).all()
    for row in late.itertuples():
        assert set(w.y[w.record == row.record]) == {CLASSES.index(row.fault)}
    assert sorted(set(w.y)) == sorted(CLASSES.index(c) for c in ims.CLASSES_PRESENT)


def test_fractions_subsampling_and_alias(synthetic, tmp_path):
    w = ims.load_windows(synthetic, tests=(2,), normal_fraction=0.3, fault_fraction=0.2)
    parts = w.records.drop_duplicates("snapshot").part.value_counts().to_dict()
    assert parts == {"normal": 3, "fault": 2}
    w = ims.load_windows(synthetic, tests=(2,), max_files_per_part=2, max_per_record=3)
    assert w.records.drop_duplicates("snapshot").part.value_counts().to_dict() == {
        "normal": 2,
        "fault": 1,
    }
    assert len(w) == 3 * (2 * 4 + 1)
    for bad in (dict(normal_fraction=0.0), dict(normal_fraction=0.6, fault_fraction=0.5)):
        with pytest.raises(ValueError, match="normal_fraction"):
            ims.load_windows(synthetic, **bad)
    # test 3's archive unpacks to 4th_test/txt
    shutil.copytree(synthetic.root / "ims" / "3rd_test", tmp_path / "ims" / "4th_test" / "txt")
    alias = Source("ims", "synthetic", tmp_path)
    assert ims.folder(alias, 3) == tmp_path / "ims" / "4th_test" / "txt"
    assert len(ims.load_windows(alias, tests=(3,)).records) == 21


def test_tone_keeps_its_frequency(tmp_path):
    f0 = 1234.5
    t = np.arange(20_480) / 20_000
    data = np.column_stack([np.sin(2 * np.pi * f0 * t)] + [np.zeros(20_480)] * 3)
    bearings_synthetic.write_ims_file(tmp_path / "ims" / "2nd_test" / STAMP, data)
    w = ims.load_windows(Source("ims", "synthetic", tmp_path), tests=(2,), length=4096)
    tone = w.x[w.record == 2_000_000]  # test 2, file 0, channel 1
    assert len(tone) == (12_288 - 4096) // 2048 + 1
    for x in tone:
        assert abs(peak_hz(x.astype(float), w.fs) - f0) <= w.fs / 4096


def test_outer_race_envelope_peaks_at_bpfo(synthetic):
    w = ims.load_windows(synthetic, tests=(2,), length=4096)
    last = w.records[w.records.part == "fault"].record.iloc[0]
    f = ims.BEARING.frequencies(rpm=ims.RPM)
    peak = envelope_peak_hz(w.x[w.record == last][0].astype(float), w.fs)
    assert abs(peak - f.bpfo) <= w.fs / 4096 < abs(peak - f.bpfi)


def _rows(n=20_480, cols=4):
    return "\n".join("\t".join(["0.012"] * cols) for _ in range(n)) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_rows(cols=5), "5 columns, expected 4"),
        (_rows(n=10_000), "10000 rows, expected 20480"),
        (_rows(n=5) + "0.1\t0.2\tabc\t0.3\n" + _rows(n=5), "text where a number belongs"),
        (_rows(n=100) + "0.1\t0.2\n", "missing or non-finite value in row 101"),
        (_rows(n=3) + "0.1\t0.2\t0.3\t0.4\t0.5\n" + _rows(n=3), "rows of unequal length"),
        ("", "empty file"),
    ],
)
def test_malformed_files_fail_on_one_line(tmp_path, text, message):
    path = tmp_path / "2nd_test" / STAMP
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(DataFormatError, match=message) as info:
        ims.read_file(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_names_and_folders(tmp_path):
    with pytest.raises(DataFormatError, match="named by time"):
        ims.read_file(tmp_path / "readme.txt")
    path = tmp_path / "1st_test" / "2003.10.22.12.06.24"  # test 1 needs 8 columns
    path.parent.mkdir()
    path.write_text(_rows(cols=4))
    with pytest.raises(DataFormatError, match="4 columns, expected 8"):
        ims.read_file(path)
    (tmp_path / "ims" / "2nd_test").mkdir(parents=True)
    (tmp_path / "ims" / "2nd_test" / "notes.txt").write_text("not a snapshot")
    src = Source("ims", "synthetic", tmp_path)
    assert ims.files(src) == []
    with pytest.raises(DataFormatError, match="no IMS snapshots found"):
        ims.load_windows(src)


@need_real(f"ims/2nd_test/{STAMP}")
def test_real_test_2(real_data):
    src = Source("ims", "real", real_data)
    keys = ims.files(src, (2,))
    assert keys[0].endswith(STAMP) and len(keys) <= 984
    data, fs, _ = ims.read_file(real_data / keys[0])
    assert data.shape == (20_480, 4) and fs == 20_000
    w = ims.load_windows(src, tests=(2,), max_files_per_part=3, max_per_record=2)
    assert set(w.records.fault) == {"Normal", "Outer Race"}
