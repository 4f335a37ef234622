"""CWRU bearing data: the original ``.mat`` records, cut into the paper's windows.

QEML-Net section 3.1-3.2: 12 kHz signals, epochs of 512 samples (42.7 ms) with 50 % overlap,
labels in the unified 8-class taxonomy. The loader

* reads each record's drive-end signal, finding the ``*_DE_time`` key instead of assuming it
  (some public copies use keys that do not match the file name),
* checks the stored shaft speed against the record table,
* resamples the normal baseline records from their true 48 kHz to 12 kHz (polyphase, anti-aliased),
* cuts windows and keeps, for each, its record number, so later chapters can split by record.

The Hann taper of section 3.1 is part of preprocessing (:mod:`qpdm_lib.signal`), not of loading.

Why 48 kHz for the normal records: sources disagree, so the data chapter measures it. Read at
48 kHz, record 97 shows the rig's stationary lines at 147.7, 161.7 and 360 Hz that every 12 kHz
fault record shows; read at 12 kHz they would sit at a quarter of those frequencies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import scipy.io
import scipy.signal

from ..errors import DataFormatError

if TYPE_CHECKING:  # the registry imports this table, so no runtime import of source here
    from .source import Source

__all__ = [
    "CLASSES",
    "Record",
    "RECORDS",
    "Windows",
    "read_record",
    "load_windows",
    "sampling_rate_evidence",
]

#: The unified 8-class taxonomy of QEML-Net section 3.2, in this order.
CLASSES: tuple[str, ...] = (
    "Normal",
    "Ball",
    "Inner Race",
    "Outer Race",
    "Roller",
    "Wear",
    "Misalignment",
    "Lubrication",
)

FS = 12_000  # Hz, the paper's common sampling rate
_RPM = {0: 1797, 1: 1772, 2: 1750, 3: 1730}  # nominal shaft speed per motor load (HP)


class Record(NamedTuple):
    """One CWRU drive-end record."""

    number: int
    fault: str  # a name from CLASSES
    size_in: float  # fault diameter in inches (0 for normal)
    load_hp: int  # motor load 0-3 HP
    position: str  # outer-race defect position ("@6", "@3", "@12") or ""
    fs_native: int  # sampling rate of the file

    @property
    def rpm(self) -> int:
        return _RPM[self.load_hp]


# The 12 kHz drive-end catalogue of the CWRU Bearing Data Center ("12k Drive End Bearing Fault
# Data" and "Normal Baseline Data" pages), one entry per record: its file number and the name the
# Center gives it (fault, diameter in mils, @position for outer-race faults, _load in HP). The
# numbers are not always consecutive: the 0.007" outer-race @12:00 records are 156, 158, 159,
# 160 (there is no 157). Normal baselines are 48 kHz files (see the data chapter).
_CATALOGUE: tuple[tuple[int, str], ...] = (
    (97, "Normal_0"), (98, "Normal_1"), (99, "Normal_2"), (100, "Normal_3"),
    (105, "IR007_0"), (106, "IR007_1"), (107, "IR007_2"), (108, "IR007_3"),
    (118, "B007_0"), (119, "B007_1"), (120, "B007_2"), (121, "B007_3"),
    (130, "OR007@6_0"), (131, "OR007@6_1"), (132, "OR007@6_2"), (133, "OR007@6_3"),
    (144, "OR007@3_0"), (145, "OR007@3_1"), (146, "OR007@3_2"), (147, "OR007@3_3"),
    (156, "OR007@12_0"), (158, "OR007@12_1"), (159, "OR007@12_2"), (160, "OR007@12_3"),
    (169, "IR014_0"), (170, "IR014_1"), (171, "IR014_2"), (172, "IR014_3"),
    (185, "B014_0"), (186, "B014_1"), (187, "B014_2"), (188, "B014_3"),
    (197, "OR014@6_0"), (198, "OR014@6_1"), (199, "OR014@6_2"), (200, "OR014@6_3"),
    (209, "IR021_0"), (210, "IR021_1"), (211, "IR021_2"), (212, "IR021_3"),
    (222, "B021_0"), (223, "B021_1"), (224, "B021_2"), (225, "B021_3"),
    (234, "OR021@6_0"), (235, "OR021@6_1"), (236, "OR021@6_2"), (237, "OR021@6_3"),
    (246, "OR021@3_0"), (247, "OR021@3_1"), (248, "OR021@3_2"), (249, "OR021@3_3"),
    (258, "OR021@12_0"), (259, "OR021@12_1"), (260, "OR021@12_2"), (261, "OR021@12_3"),
    (3001, "IR028_0"), (3002, "IR028_1"), (3003, "IR028_2"), (3004, "IR028_3"),
    (3005, "B028_0"), (3006, "B028_1"), (3007, "B028_2"), (3008, "B028_3"),
)  # fmt: skip
_FAULTS = {"Normal": "Normal", "IR": "Inner Race", "B": "Ball", "OR": "Outer Race"}


def _record(number: int, name: str) -> Record:
    """Parse a catalogue name such as ``OR007@12_1`` into a :class:`Record`."""
    code, load = name.rsplit("_", 1)
    if code == "Normal":
        return Record(number, "Normal", 0.0, int(load), "", 48_000)
    kind, mils, position = re.fullmatch(r"(IR|B|OR)(\d{3})(?:@(\d+))?", code).groups()
    return Record(
        number, _FAULTS[kind], int(mils) / 1000, int(load), f"@{position}" if position else "", FS
    )


#: Record number -> metadata, for the 12 kHz drive-end set plus the normal baselines.
RECORDS: dict[int, Record] = {n: _record(n, name) for n, name in _CATALOGUE}


@dataclass(frozen=True)
class Windows:
    """Windows of vibration signal with their labels and provenance."""

    x: np.ndarray  # (n, length) float32 drive-end acceleration in g, at `fs`
    y: np.ndarray  # (n,) int64 index into CLASSES
    record: np.ndarray  # (n,) int64 record number of each window
    start: np.ndarray  # (n,) int64 first sample of the window within its record (at `fs`)
    fs: int
    records: pd.DataFrame  # one row per record used: number, fault, size, load, rpm, n_windows

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, index: np.ndarray) -> Windows:
        """The windows at ``index`` (records table kept whole)."""
        return Windows(
            self.x[index],
            self.y[index],
            self.record[index],
            self.start[index],
            self.fs,
            self.records,
        )


def read_record(source: Source, number: int, *, native: bool = False) -> tuple[np.ndarray, float]:
    """Drive-end signal of record ``number`` and the shaft speed stored in the file.

    The signal is returned at 12 kHz, or at the file's own rate with ``native=True``.
    """
    if number not in RECORDS:
        raise DataFormatError(
            f"CWRU record {number} is not in the record table; known: "
            f"{min(RECORDS)}-{max(RECORDS)} (see qpdm_lib.data.cwru.RECORDS)"
        )
    meta = RECORDS[number]
    path = source.path(f"cwru/{number}.mat")
    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises several types for a damaged file
        raise DataFormatError(
            f"{path}: not a readable MATLAB file ({type(exc).__name__}); delete it and fetch again"
        ) from None
    de_keys = [k for k in mat if k.endswith("_DE_time")]
    if len(de_keys) != 1:
        raise DataFormatError(
            f"{path}: expected one '*_DE_time' variable, found {de_keys or 'none'}"
        )
    signal = np.asarray(mat[de_keys[0]], dtype=np.float64).ravel()
    rpm_keys = [k for k in mat if k.endswith("RPM")]
    rpm = float(np.asarray(mat[rpm_keys[0]]).ravel()[0]) if rpm_keys else float(meta.rpm)
    # The files store the measured speed; 3 % off the nominal speed means a mislabelled file.
    if abs(rpm - meta.rpm) > 0.03 * meta.rpm:
        raise DataFormatError(
            f"{path}: stored shaft speed {rpm:.0f} rpm does not match record {number} "
            f"({meta.load_hp} HP, nominal {meta.rpm} rpm); the file is mislabelled"
        )
    if meta.fs_native != FS and not native:
        # polyphase resampling with its anti-aliasing FIR, 48 kHz -> 12 kHz
        signal = scipy.signal.resample_poly(signal, FS, meta.fs_native)
    return signal, rpm


def load_windows(
    source: Source,
    *,
    records: list[int] | None = None,
    length: int = 512,
    overlap: float = 0.5,
    max_per_record: int = 0,
) -> Windows:
    """Cut the records into windows (QEML-Net section 3.1: 512 samples, 50 % overlap).

    Parameters
    ----------
    source
        Where the files are (real or synthetic), see :func:`qpdm_lib.data.open_source`.
    records
        Record numbers; default: every record present in ``source``.
    length, overlap
        Window length in samples at 12 kHz and fractional overlap in [0, 1).
    max_per_record
        Keep at most this many windows per record, evenly spread over it (0 keeps all).
    """
    if length < 16:
        raise ValueError(f"length must be >= 16 samples, got {length}")
    if not 0 <= overlap < 1:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    if max_per_record < 0:
        raise ValueError(f"max_per_record must be >= 0, got {max_per_record}")
    numbers = sorted(records) if records is not None else source.cwru_records()
    if not numbers:
        raise DataFormatError(f"no CWRU records found in {source.root / 'cwru'}")
    hop = max(1, int(round(length * (1 - overlap))))
    xs, ys, recs, starts, rows = [], [], [], [], []
    for number in numbers:
        signal, rpm = read_record(source, number)
        if len(signal) < length:
            raise DataFormatError(f"CWRU record {number} has {len(signal)} samples < {length}")
        view = np.lib.stride_tricks.sliding_window_view(signal, length)[::hop]
        start = np.arange(len(view)) * hop
        if max_per_record and len(view) > max_per_record:
            keep = np.linspace(0, len(view) - 1, max_per_record).round().astype(int)
            view, start = view[keep], start[keep]
        meta = RECORDS[number]
        xs.append(view.astype(np.float32))
        ys.append(np.full(len(view), CLASSES.index(meta.fault), dtype=np.int64))
        recs.append(np.full(len(view), number, dtype=np.int64))
        starts.append(start.astype(np.int64))
        rows.append(
            {
                "record": number,
                "fault": meta.fault,
                "size_in": meta.size_in,
                "load_hp": meta.load_hp,
                "position": meta.position,
                "rpm": rpm,
                "fs_native": meta.fs_native,
                "seconds": len(signal) / FS,
                "n_windows": len(view),
            }
        )
    return Windows(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        record=np.concatenate(recs),
        start=np.concatenate(starts),
        fs=FS,
        records=pd.DataFrame(rows),
    )


def sampling_rate_evidence(
    source: Source,
    number: int,
    *,
    references: list[int],
    candidates: tuple[int, ...] = (12_000, 24_000, 48_000, 96_000),
    band: tuple[float, float] = (20.0, 1500.0),
) -> pd.DataFrame:
    """Which sampling rate makes record ``number``'s spectrum look like the ``references``?

    The rig's stationary lines (motor, shaft harmonics) are common to all records at one speed, so
    the correct rate aligns them. For each candidate rate, the record's log power spectrum (Welch)
    is correlated with each 12 kHz reference record's over ``band``. Returns a table of Pearson
    correlations, one row per reference, one column per candidate rate.
    """
    raw, _ = read_record(source, number, native=True)
    grid = np.arange(band[0], band[1], 1.0)

    def log_psd(x: np.ndarray, fs: float) -> np.ndarray:
        f, p = scipy.signal.welch(x, fs=fs, nperseg=2**14)
        return np.interp(grid, f, np.log10(p))

    rows = {}
    for ref in references:
        target = log_psd(read_record(source, ref)[0], FS)
        rows[ref] = {fs: float(np.corrcoef(log_psd(raw, fs), target)[0, 1]) for fs in candidates}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "reference record"
    table.columns.name = f"record {number} read at (Hz)"
    return table
