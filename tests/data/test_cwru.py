import numpy as np
import pytest
import scipy.io

from qpdm_lib.data import cwru, open_source
from qpdm_lib.data.source import Source
from qpdm_lib.errors import DataFormatError

from ..helpers import need_real


@need_real("cwru/97.mat", "cwru/105.mat")
def test_real_records_give_the_paper_windows(real_data):
    src = open_source("cwru", "real")
    w = cwru.load_windows(src)
    assert len(w.records) == 28
    # data README: fault records ~121-122k samples at 12 kHz; 97.mat 243,938 samples at 48 kHz
    row = w.records.set_index("record")
    assert row.loc[105, "seconds"] * 12_000 == 121_265
    assert row.loc[97, "n_windows"] == (int(np.ceil(243_938 / 4)) - 512) // 256 + 1
    assert row.loc[105, "n_windows"] == (121_265 - 512) // 256 + 1
    assert row.loc[97, "rpm"] == 1796 and row.loc[105, "rpm"] == 1797
    assert w.x.shape == (len(w), 512) and w.x.dtype == np.float32
    assert set(np.unique(w.y)) == {0, 1, 2, 3}
    # windows really are 50 % overlapping slices of the record
    first = np.flatnonzero(w.record == 105)[:2]
    np.testing.assert_array_equal(w.x[first[0], 256:], w.x[first[1], :256])


@need_real("cwru/97.mat", "cwru/105.mat", "cwru/118.mat", "cwru/130.mat")
def test_normal_record_is_48_khz(real_data):
    src = open_source("cwru", "real")
    evidence = cwru.sampling_rate_evidence(src, 97, references=[105, 118, 130])
    assert evidence.mean().idxmax() == 48_000
    assert evidence[48_000].min() > 0.3 > evidence[12_000].abs().max()


def test_synthetic_records_load_and_cap(synthetic_dir):
    src = open_source("cwru", "synthetic")
    w = cwru.load_windows(src, records=[97, 105], max_per_record=10)
    assert len(w) == 20 and list(w.records.record) == [97, 105]
    assert (np.diff(w.start[w.record == 105]) > 0).all()


def _write(tmp_path, number, content):
    (tmp_path / "cwru").mkdir(exist_ok=True)
    scipy.io.savemat(tmp_path / "cwru" / f"{number}.mat", content)
    return Source("cwru", "synthetic", tmp_path)


def test_drive_end_key_is_found_not_assumed(tmp_path):
    # some public copies name the variables after another record
    src = _write(
        tmp_path, 105, {"X999_DE_time": np.zeros((4096, 1)), "X999RPM": np.array([[1797]])}
    )
    signal, rpm = cwru.read_record(src, 105)
    assert len(signal) == 4096 and rpm == 1797


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"X105_FE_time": np.zeros((4096, 1))}, r"expected one '\*_DE_time' variable, found none"),
        (
            {"X105_DE_time": np.zeros((4096, 1)), "X105RPM": np.array([[1500]])},
            "stored shaft speed 1500 rpm does not match record 105",
        ),
    ],
)
def test_bad_records_are_named(tmp_path, content, message):
    src = _write(tmp_path, 105, content)
    with pytest.raises(DataFormatError, match=message):
        cwru.read_record(src, 105)


def test_corrupt_file_and_unknown_record(tmp_path):
    (tmp_path / "cwru").mkdir()
    (tmp_path / "cwru" / "105.mat").write_bytes(b"garbage")
    src = Source("cwru", "synthetic", tmp_path)
    with pytest.raises(DataFormatError, match="not a readable MATLAB file"):
        cwru.read_record(src, 105)
    with pytest.raises(DataFormatError, match="CWRU record 5 is not in the record table"):
        cwru.read_record(src, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [(dict(length=8), "length must be >= 16"), (dict(overlap=1.0), r"overlap must be in \[0, 1\)")],
)
def test_bad_window_parameters(kwargs, message):
    src = open_source("cwru", "synthetic")
    with pytest.raises(ValueError, match=message):
        cwru.load_windows(src, **kwargs)


# The CWRU Bearing Data Center's 12k drive-end and normal-baseline pages, row by row: (fault,
# diameter in inches, outer-race position) -> record numbers at 0, 1, 2 and 3 HP.
CENTER_PAGES = {
    ("Normal", 0.0, ""): (97, 98, 99, 100),
    ("Inner Race", 0.007, ""): (105, 106, 107, 108),
    ("Ball", 0.007, ""): (118, 119, 120, 121),
    ("Outer Race", 0.007, "@6"): (130, 131, 132, 133),
    ("Outer Race", 0.007, "@3"): (144, 145, 146, 147),
    ("Outer Race", 0.007, "@12"): (156, 158, 159, 160),
    ("Inner Race", 0.014, ""): (169, 170, 171, 172),
    ("Ball", 0.014, ""): (185, 186, 187, 188),
    ("Outer Race", 0.014, "@6"): (197, 198, 199, 200),
    ("Inner Race", 0.021, ""): (209, 210, 211, 212),
    ("Ball", 0.021, ""): (222, 223, 224, 225),
    ("Outer Race", 0.021, "@6"): (234, 235, 236, 237),
    ("Outer Race", 0.021, "@3"): (246, 247, 248, 249),
    ("Outer Race", 0.021, "@12"): (258, 259, 260, 261),
    ("Inner Race", 0.028, ""): (3001, 3002, 3003, 3004),
    ("Ball", 0.028, ""): (3005, 3006, 3007, 3008),
}


def test_record_table_matches_the_catalogue_entry_by_entry():
    expected = {
        number: (fault, size, position, load)
        for (fault, size, position), numbers in CENTER_PAGES.items()
        for load, number in enumerate(numbers)
    }
    assert set(cwru.RECORDS) == set(expected)
    for number, (fault, size, position, load) in expected.items():
        record = cwru.RECORDS[number]
        assert (record.fault, record.size_in, record.position, record.load_hp) == (
            fault,
            size,
            position,
            load,
        ), number
        assert record.rpm == {0: 1797, 1: 1772, 2: 1750, 3: 1730}[load]
        assert record.fs_native == (48_000 if fault == "Normal" else 12_000)
    assert 157 not in cwru.RECORDS  # the gap in the @12:00 series


def test_normal_records_are_resampled_from_48_to_12_khz_without_real_data(tmp_path):
    fs_native = cwru.RECORDS[97].fs_native
    t = np.arange(2 * fs_native) / fs_native  # two seconds of a 1 kHz tone at the file's rate
    src = _write(tmp_path, 97, {"X097_DE_time": np.sin(2 * np.pi * 1000 * t)[:, None],
                                "X097RPM": np.array([[1796]])})  # fmt: skip
    signal, _ = cwru.read_record(src, 97)
    assert fs_native == 48_000 and len(signal) == 2 * cwru.FS  # four times fewer samples
    spectrum = np.abs(np.fft.rfft(signal))
    assert np.fft.rfftfreq(len(signal), 1 / cwru.FS)[spectrum.argmax()] == pytest.approx(
        1000, abs=1
    )
    native, _ = cwru.read_record(src, 97, native=True)
    assert len(native) == 2 * fs_native


def test_synthetic_normal_record_has_the_original_length():
    src = open_source("cwru", "synthetic")
    native, _ = cwru.read_record(src, 97, native=True)
    resampled, _ = cwru.read_record(src, 97)
    assert len(native) == 243_938 and len(resampled) == int(np.ceil(243_938 / 4))
