"""MFPT bearing data: the original ``.mat`` files, cut into the paper's 12 kHz windows.

QEML-Net section 4.5 evaluates the CWRU-trained classifier zero-shot on the Society for Machinery
Failure Prevention Technology (MFPT) "Condition Based Maintenance Fault Database" (Bechhoefer,
2013). Facts used here, from the data set's description on https://www.mfpt.org/fault-data-sets/
(reproduced in the READMEs of public loaders, e.g. ``yanncalec/dpmhm`` ``datasets/mfpt/mfpt.py``
and ``hustcxl/Rotating-machine-fault-data-set`` ``doc/MFPT.md``):

* **Format.** One MATLAB double-precision ``.mat`` file per condition, holding a struct
  ``bearing`` with fields ``sr`` (sampling rate, samples/s), ``gs`` (the acceleration signal in
  g, a column vector), ``load`` (lbs) and ``rate`` (input shaft rate, Hz). Public readers access
  them as ``mat["bearing"]["gs"][0][0]`` and ``mat["bearing"]["sr"][0][0][0]``; the field order
  differs between files, so they are looked up by name. The real-world example files (folder 6)
  carry other fields and are not part of the test-rig set read here.
* **Conditions** (folders of the official zip, under ``MFPT Fault Data Sets/``):

  - ``1 - Three Baseline Conditions``: ``baseline_1..3.mat``, 270 lbs, 97,656 sps, 6 s;
  - ``2 - Three Outer Race Fault Conditions``: ``OuterRaceFault_1..3.mat``, 270 lbs,
    97,656 sps, 6 s;
  - ``3 - Seven More Outer Race Fault Conditions``: ``OuterRaceFault_vload_1..7.mat``, loads
    25, 50, 100, 150, 200, 250, 300 lbs, 48,828 sps, 3 s;
  - ``4 - Seven Inner Race Fault Conditions``: ``InnerRaceFault_vload_1..7.mat``, loads
    0, 50, 100, 150, 200, 250, 300 lbs, 48,828 sps, 3 s;

  input shaft rate 25 Hz throughout. The first upload (Oct 2012) stored a wrong shaft rate (50 Hz);
  corrected files were uploaded on 27 Feb 2013, so a stored ``rate`` far from 25 Hz means an old
  copy and is refused.
* **Bearing.** A NICE bearing: roller diameter 0.235 in, pitch diameter 1.245 in, 8 elements,
  contact angle 0, so at 25 Hz BPFO = 81.1 Hz and BPFI = 118.9 Hz (:data:`BEARING`).

Labels in the 8-class taxonomy of :data:`qpdm_lib.data.cwru.CLASSES`: baseline -> ``Normal``,
outer-race files -> ``Outer Race``, inner-race files -> ``Inner Race``.

Layout here: ``mfpt/<file name>``, flat, because the official folder names contain spaces and the
file names are unique across folders; :data:`FILES` maps each file back to its official folder.

Resampling to the common 12 kHz uses :func:`scipy.signal.resample_poly` with the exact reduced
ratio ``Fraction(fs, fs_native)``: 97,656 -> 12,000 is up 500 / down 4,069 (97,656 = 24 x 4,069)
and 48,828 -> 12,000 is up 1,000 / down 4,069.

Examples
--------
>>> f = BEARING.frequencies(rpm=SHAFT_HZ * 60)
>>> round(f.bpfo, 1), round(f.bpfi, 1)
(81.1, 118.9)
>>> from fractions import Fraction
>>> Fraction(12_000, FS_NATIVE["baseline"]), Fraction(12_000, FS_NATIVE["InnerRaceFault_vload"])
(Fraction(500, 4069), Fraction(1000, 4069))
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd
import scipy.io

from ..bearing import Bearing
from ..errors import DataFormatError
from ._windows import check_window_args, cut, local_path, resample
from .cwru import CLASSES, Windows

if TYPE_CHECKING:
    from .source import Source

__all__ = [
    "DATASET",
    "CLASSES_PRESENT",
    "BEARING",
    "SHAFT_HZ",
    "FS_NATIVE",
    "FileInfo",
    "FILES",
    "files",
    "read_file",
    "load_windows",
]

DATASET = "mfpt"
CLASSES_PRESENT: tuple[str, ...] = ("Normal", "Inner Race", "Outer Race")

#: The NICE bearing of the MFPT test rig (inches), from the MFPT data set description.
BEARING = Bearing("NICE (MFPT test rig)", n_balls=8, ball_diameter=0.235, pitch_diameter=1.245)
SHAFT_HZ = 25.0  # input shaft rate of every test-rig file

#: Sampling rate (samples/s) of each file group, as documented.
FS_NATIVE: dict[str, int] = {
    "baseline": 97_656,
    "OuterRaceFault": 97_656,
    "OuterRaceFault_vload": 48_828,
    "InnerRaceFault_vload": 48_828,
}


class FileInfo(NamedTuple):
    """One MFPT test-rig file as documented."""

    number: int  # record id used in windows (position in FILES)
    name: str  # file name, e.g. "baseline_1.mat"
    folder: str  # folder in the official zip
    group: str  # key of FS_NATIVE
    fault: str  # a name from CLASSES
    fs_native: int  # documented sampling rate
    seconds: float  # documented duration
    load_lbs: float  # documented load; loads of the vload files in the documented order


_GROUPS = (
    ("1 - Three Baseline Conditions", "baseline", "Normal", 6.0, (270,) * 3),
    ("2 - Three Outer Race Fault Conditions", "OuterRaceFault", "Outer Race", 6.0, (270,) * 3),
    (
        "3 - Seven More Outer Race Fault Conditions",
        "OuterRaceFault_vload",
        "Outer Race",
        3.0,
        (25, 50, 100, 150, 200, 250, 300),
    ),
    (
        "4 - Seven Inner Race Fault Conditions",
        "InnerRaceFault_vload",
        "Inner Race",
        3.0,
        (0, 50, 100, 150, 200, 250, 300),
    ),
)


def _table() -> dict[str, FileInfo]:
    rows = []
    for folder, group, fault, seconds, loads in _GROUPS:
        for k, load in enumerate(loads, start=1):
            name = f"{group}_{k}.mat"
            rows.append(
                FileInfo(len(rows), name, folder, group, fault, FS_NATIVE[group], seconds, load)
            )
    return {r.name: r for r in rows}


#: File name -> documentation, for the 20 test-rig files, in the official order.
FILES: dict[str, FileInfo] = _table()


def files(source: Source) -> list[str]:
    """Names of the MFPT test-rig files present in ``source`` (official order)."""
    folder = Path(source.root) / DATASET
    return [name for name in FILES if (folder / name).is_file()]


def _scalar(value: object, field: str, path: Path) -> float:
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf" or arr.size != 1:
        raise DataFormatError(
            f"{path}: field bearing.{field} must be one number, got dtype {arr.dtype.str} "
            f"with {arr.size} elements"
        )
    out = float(arr.ravel()[0])
    if not np.isfinite(out):
        raise DataFormatError(f"{path}: field bearing.{field} is not finite ({out})")
    return out


def read_file(path: Path) -> tuple[np.ndarray, int, dict]:
    """Signal (g), sampling rate (Hz) and metadata of one MFPT ``.mat`` file.

    Raises :class:`DataFormatError` (one line naming the file) when the file is not a readable
    MATLAB file, has no ``bearing`` struct, lacks a field, holds a non-numeric, empty or
    non-vector signal, or stores a shaft rate or sampling rate other than the documented ones.
    """
    path = Path(path)
    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises several types for a damaged file
        raise DataFormatError(
            f"{path}: not a readable MATLAB file ({type(exc).__name__}); delete it and fetch again"
        ) from None
    if "bearing" not in mat:
        found = sorted(k for k in mat if not k.startswith("__"))
        raise DataFormatError(f"{path}: no 'bearing' struct; variables found: {found or 'none'}")
    struct = np.asarray(mat["bearing"])
    names = struct.dtype.names or ()
    missing = [f for f in ("sr", "gs", "load", "rate") if f not in names]
    if missing or struct.size < 1:
        raise DataFormatError(
            f"{path}: struct 'bearing' lacks field(s) {missing or ['(empty struct)']}; "
            f"fields found: {list(names)}"
        )
    rec = struct.ravel()[0]
    gs = np.asarray(rec["gs"])
    if gs.dtype.kind not in "biuf":
        raise DataFormatError(f"{path}: bearing.gs is not numeric (dtype {gs.dtype.str})")
    if gs.ndim > 2 or (gs.ndim == 2 and min(gs.shape) > 1):
        raise DataFormatError(f"{path}: bearing.gs has shape {gs.shape}; expected one vector")
    signal = gs.astype(np.float64).ravel()
    if signal.size == 0:
        raise DataFormatError(f"{path}: bearing.gs is empty")
    if not np.isfinite(signal).all():
        raise DataFormatError(f"{path}: bearing.gs holds {np.sum(~np.isfinite(signal))} NaN/inf")
    sr = _scalar(rec["sr"], "sr", path)
    if sr <= 0 or sr != round(sr):
        raise DataFormatError(f"{path}: bearing.sr = {sr} is not a positive whole rate")
    fs_native = int(round(sr))
    rate = _scalar(rec["rate"], "rate", path)
    if abs(rate - SHAFT_HZ) > 0.03 * SHAFT_HZ:
        raise DataFormatError(
            f"{path}: stored shaft rate {rate:g} Hz, documented {SHAFT_HZ:g} Hz; this looks like "
            "the pre-27-Feb-2013 upload with wrong rates: fetch the current files"
        )
    info = FILES.get(path.name)
    if info is not None and abs(fs_native - info.fs_native) > 0.01 * info.fs_native:
        raise DataFormatError(
            f"{path}: stored sampling rate {fs_native} Hz, documented {info.fs_native} Hz for "
            f"{info.name}; the file is mislabelled"
        )
    meta = {
        "sr": fs_native,
        "load": _scalar(rec["load"], "load", path),
        "rate": rate,
        "fields": list(names),
    }
    return signal, fs_native, meta


def load_windows(
    source: Source,
    *,
    names: list[str] | None = None,
    length: int = 512,
    overlap: float = 0.5,
    max_per_record: int = 0,
    fs: int = 12_000,
) -> Windows:
    """Cut MFPT files into windows at ``fs`` (QEML-Net section 3.1: 512 samples, 50 % overlap).

    Parameters
    ----------
    source
        Where the files are (real or synthetic).
    names
        File names (keys of :data:`FILES`); default: every test-rig file present.
    length, overlap
        Window length in samples at ``fs`` and fractional overlap in [0, 1).
    max_per_record
        Keep at most this many windows per file, evenly spread over it (0 keeps all).
    fs
        Common sampling rate; each file is resampled from its stored ``sr`` by the exact ratio.

    ``record`` is the file's position in :data:`FILES` (0-19); ``records`` has one row per file:
    record, name, folder, fault, load, load_unit, rpm, fs_native, seconds, n_windows.
    """
    hop = check_window_args(length, overlap, max_per_record, fs)
    chosen = list(names) if names is not None else files(source)
    unknown = [n for n in chosen if n not in FILES]
    if unknown:
        raise DataFormatError(f"not MFPT test-rig files: {unknown}; known: {list(FILES)}")
    if not chosen:
        raise DataFormatError(f"no MFPT files found in {Path(source.root) / DATASET}")
    xs, ys, recs, starts, rows = [], [], [], [], []
    for name in chosen:
        info = FILES[name]
        path = local_path(source, f"{DATASET}/{name}")
        raw, fs_native, meta = read_file(path)
        signal = resample(raw, fs_native, fs)
        view, start = cut(signal, length, hop, max_per_record, str(path))
        xs.append(view)
        ys.append(np.full(len(view), CLASSES.index(info.fault), dtype=np.int64))
        recs.append(np.full(len(view), info.number, dtype=np.int64))
        starts.append(start)
        rows.append(
            {
                "record": info.number,
                "name": name,
                "folder": info.folder,
                "fault": info.fault,
                "load": meta["load"],
                "load_unit": "lbs",
                "rpm": meta["rate"] * 60.0,
                "fs_native": fs_native,
                "seconds": len(raw) / fs_native,
                "n_windows": len(view),
            }
        )
    return Windows(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        record=np.concatenate(recs),
        start=np.concatenate(starts),
        fs=int(fs),
        records=pd.DataFrame(rows),
    )
