"""Paderborn University (KAt) bearing data: the original ``.mat`` measurements, cut into windows.

QEML-Net section 4.5 reports zero-shot accuracy on "Paderborn CWT". Facts used here come from the
KAt Bearing DataCenter page (https://mb.uni-paderborn.de/kat/forschung/kat-datacenter/
bearing-datacenter/data-sets-and-download) and Lessmeier et al., "Condition Monitoring of Bearing
Damage in Electromechanical Drive Systems by Using Motor Current Signals of Electric Motors: A
Benchmark Data Set for Data-Driven Classification", PHM Europe 2016 (Tables 4-6), as reproduced in
public loaders (``yanncalec/dpmhm`` ``datasets/paderborn/paderborn.py`` and ``metainfo.csv``;
``hustcxl/Rotating-machine-fault-data-set`` ``doc/Paderborn.md``) and in a public inspection of
``K001.rar`` (one struct per file, channel list and sample counts below):

* **Files.** One ``.rar`` archive per bearing code (``K001.rar`` ...) holding a folder
  ``<code>/`` with 80 ``.mat`` files (4 settings x 20 repetitions of 4 s) and two PDFs. Names are
  ``<setting>_<code>_<repetition>.mat``, e.g. ``N15_M07_F10_KA01_1.mat``. Settings (Table 6):
  ``N15_M07_F10`` (1,500 rpm, 0.7 Nm, 1,000 N), ``N09_M07_F10`` (900 rpm), ``N15_M01_F10``
  (0.1 Nm), ``N15_M07_F04`` (400 N radial force).
* **Inside.** One 1x1 struct named like the file (``N15_M07_F10_KA01_1``) with fields ``Info``,
  ``X``, ``Y`` and ``Description``. ``Y`` is a 1x7 struct array of channels with fields
  ``Name``, ``Data`` (a 1xN row vector) and ``Raster`` (among others): ``force``,
  ``phase_current_1``, ``phase_current_2``, ``speed`` (rpm), ``temp_2_bearing_module``,
  ``torque`` and ``vibration_1``. ``vibration_1`` (accelerometer on the bearing housing) is on
  raster ``HostService`` at 64 kHz, 256,001 samples for 4 s; force, speed and torque are on
  ``Mech_4kHz``. ``X`` holds the time axes of the rasters. Public readers reach the signal as
  ``mat[name]["Y"][0][0][0][6]["Data"]``; here channels are found by ``Name``, not position.
* **Bearing.** Deep-groove ball bearing 6203: 8 balls of 6.75 mm on a 29.05 mm pitch circle,
  contact angle 0 (bearing fact sheet ``K001.pdf``), so BPFO = 3.07 fr and BPFI = 4.93 fr.
* **Bearings.** 6 healthy (``K001``-``K006``), 12 with artificial damage (``KA01``, ``KA03``,
  ``KA05``-``KA09``, ``KI01``, ``KI03``, ``KI05``, ``KI07``, ``KI08``: electrical discharge
  machining, electric engraver or drilling) and 14 with real damage from accelerated lifetime
  tests (``KA04``, ``KA15``, ``KA16``, ``KA22``, ``KA30``, ``KB23``, ``KB24``, ``KB27``, ``KI04``,
  ``KI14``, ``KI16``-``KI18``, ``KI21``: fatigue pitting). ``KA`` = outer ring, ``KI`` = inner
  ring, ``KB`` = both rings.

Labels (8-class taxonomy of :data:`qpdm_lib.data.cwru.CLASSES`): healthy -> ``Normal``, ``KA``
-> ``Outer Race``, ``KI`` -> ``Inner Race``. **``KB`` bearings are excluded**: their damage is on
both rings at once, which no single class of the taxonomy describes, and mapping them to the
"main" damage would put a label on windows that also carry the other ring's signature. They are
listed in ``records.attrs["excluded"]`` when present.

Layout here: ``paderborn/<bearing code>/<file>.mat``, i.e. each archive unpacked into
``paderborn/`` as it comes (``K001.rar`` holds the folder ``K001/``). :func:`files` searches any
depth below ``paderborn/`` (one archive, ``K002``, is reported to nest its files one folder
deeper) and takes bearing and setting from the file name.

Resampling 64,000 -> 12,000 Hz: :func:`scipy.signal.resample_poly` with the exact ratio
``Fraction(12_000, 64_000)`` = up 3 / down 16.

Examples
--------
>>> f = BEARING.frequencies(rpm=1500)
>>> round(f.bpfo, 1), round(f.bpfi, 1)
(76.8, 123.2)
>>> parse_name("N15_M07_F10_KA01_1.mat")["rpm"]
1500
"""

from __future__ import annotations

import re
import warnings
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
    "FS_NATIVE",
    "SETTINGS",
    "BearingInfo",
    "BEARINGS",
    "EXCLUDED_REASON",
    "parse_name",
    "files",
    "read_file",
    "load_windows",
]

DATASET = "paderborn"
CLASSES_PRESENT: tuple[str, ...] = ("Normal", "Inner Race", "Outer Race")

#: Ball bearing 6203 of the KAt test rig (millimetres), from the bearing fact sheets.
BEARING = Bearing("6203 (Paderborn KAt)", n_balls=8, ball_diameter=6.75, pitch_diameter=29.05)
FS_NATIVE = 64_000  # Hz, vibration_1 (raster HostService), from the measuring log
CHANNEL = "vibration_1"

#: Setting code -> (rpm, load torque Nm, radial force N), Lessmeier et al. (2016) Table 6.
SETTINGS: dict[str, tuple[int, float, int]] = {
    "N15_M07_F10": (1500, 0.7, 1000),
    "N09_M07_F10": (900, 0.7, 1000),
    "N15_M01_F10": (1500, 0.1, 1000),
    "N15_M07_F04": (1500, 0.7, 400),
}


class BearingInfo(NamedTuple):
    """One bearing code of the data set."""

    code: str
    component: str  # "none", "outer", "inner" or "inner+outer"
    damage: str  # "none", "artificial" or "real"
    method: str  # how the damage was made
    extent: int  # damage extent level 0-3 (0: healthy)

    @property
    def fault(self) -> str | None:
        """Class in :data:`qpdm_lib.data.cwru.CLASSES`, or None where excluded (``KB``)."""
        return {"none": "Normal", "outer": "Outer Race", "inner": "Inner Race"}.get(self.component)


_EDM, _ENGRAVER, _DRILL, _PITTING = (
    "electrical discharge machining",
    "electric engraver",
    "drilling",
    "fatigue: pitting",
)
_ROWS = [
    *[(f"K00{i}", "none", "none", "", 0) for i in range(1, 7)],
    ("KA01", "outer", "artificial", _EDM, 1),
    ("KA03", "outer", "artificial", _ENGRAVER, 2),
    ("KA04", "outer", "real", _PITTING, 1),
    ("KA05", "outer", "artificial", _ENGRAVER, 1),
    ("KA06", "outer", "artificial", _ENGRAVER, 2),
    ("KA07", "outer", "artificial", _DRILL, 1),
    ("KA08", "outer", "artificial", _DRILL, 2),
    ("KA09", "outer", "artificial", _DRILL, 2),
    ("KA15", "outer", "real", _PITTING, 1),
    ("KA16", "outer", "real", _PITTING, 2),
    ("KA22", "outer", "real", _PITTING, 1),
    ("KA30", "outer", "real", _PITTING, 1),
    ("KB23", "inner+outer", "real", _PITTING, 2),
    ("KB24", "inner+outer", "real", _PITTING, 3),
    ("KB27", "inner+outer", "real", _PITTING, 1),
    ("KI01", "inner", "artificial", _EDM, 1),
    ("KI03", "inner", "artificial", _ENGRAVER, 1),
    ("KI04", "inner", "real", _PITTING, 1),
    ("KI05", "inner", "artificial", _ENGRAVER, 1),
    ("KI07", "inner", "artificial", _ENGRAVER, 2),
    ("KI08", "inner", "artificial", _ENGRAVER, 2),
    ("KI14", "inner", "real", _PITTING, 1),
    ("KI16", "inner", "real", _PITTING, 3),
    ("KI17", "inner", "real", _PITTING, 1),
    ("KI18", "inner", "real", _PITTING, 2),
    ("KI21", "inner", "real", _PITTING, 1),
]
#: Bearing code -> damage description (Lessmeier et al., 2016, Tables 4-6), 32 codes.
BEARINGS: dict[str, BearingInfo] = {r[0]: BearingInfo(*r) for r in _ROWS}
EXCLUDED_REASON = "damage on both rings (KB): no single class of the 8-class taxonomy"

_NAME = re.compile(r"^(N\d{2}_M\d{2}_F\d{2})_(K[A-Z0-9]\d{2})_(\d{1,2})\.mat$")


def parse_name(name: str) -> dict:
    """Setting, bearing code, repetition and nominal operating point from a file name."""
    match = _NAME.match(Path(name).name)
    if not match:
        raise DataFormatError(f"{name}: not a Paderborn file name like N15_M07_F10_KA01_1.mat")
    setting, code, rep = match.group(1), match.group(2), int(match.group(3))
    if setting not in SETTINGS:
        raise DataFormatError(f"{name}: unknown setting {setting}; known: {list(SETTINGS)}")
    if code not in BEARINGS:
        raise DataFormatError(f"{name}: unknown bearing code {code}")
    if not 1 <= rep <= 20:
        raise DataFormatError(f"{name}: repetition {rep} outside 1-20")
    rpm, torque, force = SETTINGS[setting]
    return {
        "setting": setting,
        "bearing": code,
        "repetition": rep,
        "rpm": rpm,
        "torque_nm": torque,
        "force_n": force,
    }


def _record_id(meta: dict) -> int:
    """Stable id: 100 x bearing index + 20 x setting index + repetition - 1."""
    return (
        100 * list(BEARINGS).index(meta["bearing"])
        + 20 * list(SETTINGS).index(meta["setting"])
        + meta["repetition"]
        - 1
    )


def files(source: Source) -> list[str]:
    """Keys (``paderborn/...``) of the measurement files present, by bearing, setting, repetition."""
    root = Path(source.root)
    found = []
    for path in (root / DATASET).rglob("*.mat"):
        try:
            meta = parse_name(path.name)
        except DataFormatError:
            continue  # other .mat files are not measurements
        found.append((_record_id(meta), path.relative_to(root).as_posix()))
    return [key for _, key in sorted(found)]


def _text(value: object) -> str:
    arr = np.asarray(value)
    if arr.dtype.kind != "U" or arr.size != 1:
        return ""
    return str(arr.ravel()[0]).strip()


def _vector(entry: np.void, channel: str, path: Path) -> np.ndarray:
    data = np.asarray(entry["Data"])
    if data.dtype.kind not in "biuf":
        raise DataFormatError(
            f"{path}: channel {channel} Data is not numeric (dtype {data.dtype.str})"
        )
    if data.ndim > 2 or (data.ndim == 2 and min(data.shape) > 1):
        raise DataFormatError(
            f"{path}: channel {channel} Data has shape {data.shape}; expected 1xN"
        )
    out = data.astype(np.float64).ravel()
    if out.size == 0:
        raise DataFormatError(f"{path}: channel {channel} Data is empty")
    if not np.isfinite(out).all():
        raise DataFormatError(f"{path}: channel {channel} Data holds NaN/inf")
    return out


def read_file(path: Path) -> tuple[np.ndarray, int, dict]:
    """``vibration_1`` signal, its sampling rate (64 kHz) and metadata of one measurement file.

    Raises :class:`DataFormatError` (one line naming the file) for a bad file name, an unreadable
    file, no struct named like the file, no ``Y`` field or no ``vibration_1`` channel, a
    non-numeric, empty or non-vector signal, or a measured speed that contradicts the setting.
    """
    path = Path(path)
    meta = parse_name(str(path))
    try:
        mat = scipy.io.loadmat(path)
    except Exception as exc:  # scipy raises several types for a damaged file
        raise DataFormatError(
            f"{path}: not a readable MATLAB file ({type(exc).__name__}); unpack it again"
        ) from None
    name = path.stem
    if name not in mat:
        found = sorted(k for k in mat if not k.startswith("__"))
        raise DataFormatError(f"{path}: no struct named {name}; variables found: {found or 'none'}")
    struct = np.asarray(mat[name])
    if "Y" not in (struct.dtype.names or ()) or struct.size != 1:
        raise DataFormatError(
            f"{path}: {name} is not a 1x1 struct with a field Y (fields: "
            f"{list(struct.dtype.names or ())}, size {struct.size})"
        )
    channels = np.asarray(struct.ravel()[0]["Y"])
    fields = channels.dtype.names or ()
    if "Name" not in fields or "Data" not in fields:
        raise DataFormatError(f"{path}: {name}.Y has fields {list(fields)}; expected Name and Data")
    by_name = {_text(entry["Name"]): entry for entry in channels.ravel()}
    if CHANNEL not in by_name:
        raise DataFormatError(f"{path}: {name}.Y has no {CHANNEL} channel; found {sorted(by_name)}")
    entry = by_name[CHANNEL]
    signal = _vector(entry, CHANNEL, path)
    meta["raster"] = _text(entry["Raster"]) if "Raster" in fields else ""
    meta["speed_measured"] = float("nan")
    if "speed" in by_name:
        speed = float(np.mean(_vector(by_name["speed"], "speed", path)))
        meta["speed_measured"] = speed
        if abs(speed - meta["rpm"]) > 0.1 * meta["rpm"]:
            raise DataFormatError(
                f"{path}: measured speed {speed:.0f} rpm contradicts setting {meta['setting']} "
                f"({meta['rpm']} rpm); the file is mislabelled"
            )
    meta["channels"] = sorted(by_name)
    return signal, FS_NATIVE, meta


def load_windows(
    source: Source,
    *,
    bearings: list[str] | None = None,
    settings: list[str] | None = None,
    length: int = 512,
    overlap: float = 0.5,
    max_per_record: int = 0,
    fs: int = 12_000,
    skip_unreadable: bool = False,
) -> Windows:
    """Cut Paderborn measurements into windows of ``vibration_1`` at ``fs``.

    Parameters
    ----------
    source
        Where the files are (real or synthetic).
    bearings, settings
        Bearing codes and setting codes to use; default: all present (``KB`` always excluded).
    length, overlap
        Window length in samples at ``fs`` and fractional overlap in [0, 1).
    max_per_record
        Keep at most this many windows per file, evenly spread over it (0 keeps all).
    fs
        Common sampling rate; 64 kHz is resampled by the exact ratio (3/16 for 12 kHz).
    skip_unreadable
        Skip, with a warning, files that fail with :class:`DataFormatError` instead of raising
        (two public loaders skip ``KA08/N15_M01_F10_KA08_2.mat``, which one of them could not
        load); skipped files are listed in ``records.attrs["skipped"]``.

    ``record`` is ``100 x bearing index + 20 x setting index + repetition - 1`` (bearing index in
    :data:`BEARINGS`, setting index in :data:`SETTINGS`). ``records`` has one row per file:
    record, name, bearing, fault, damage, method, extent, setting, rpm, torque_nm, load,
    load_unit, repetition, fs_native, seconds, n_windows.
    """
    hop = check_window_args(length, overlap, max_per_record, fs)
    for code in bearings or ():
        if code not in BEARINGS:
            raise ValueError(f"unknown bearing code {code!r}; known: {', '.join(BEARINGS)}")
        if BEARINGS[code].fault is None:
            raise ValueError(f"{code} is excluded: {EXCLUDED_REASON}")
    for setting in settings or ():
        if setting not in SETTINGS:
            raise ValueError(f"unknown setting {setting!r}; known: {', '.join(SETTINGS)}")
    keys = files(source)
    if not keys:
        raise DataFormatError(
            f"no Paderborn measurement files found in {Path(source.root) / DATASET}"
        )
    xs, ys, recs, starts, rows, excluded, skipped = [], [], [], [], [], [], []
    for key in keys:
        meta = parse_name(key)
        if bearings is not None and meta["bearing"] not in bearings:
            continue
        if settings is not None and meta["setting"] not in settings:
            continue
        info = BEARINGS[meta["bearing"]]
        if info.fault is None:
            excluded.append(key)
            continue
        path = local_path(source, key)
        try:
            raw, fs_native, meta = read_file(path)
            signal = resample(raw, fs_native, fs)
            view, start = cut(signal, length, hop, max_per_record, str(path))
        except DataFormatError as exc:
            if not skip_unreadable:
                raise
            warnings.warn(f"skipped: {exc}", stacklevel=2)
            skipped.append(key)
            continue
        number = _record_id(meta)
        xs.append(view)
        ys.append(np.full(len(view), CLASSES.index(info.fault), dtype=np.int64))
        recs.append(np.full(len(view), number, dtype=np.int64))
        starts.append(start)
        rows.append(
            {
                "record": number,
                "name": path.name,
                "bearing": info.code,
                "fault": info.fault,
                "damage": info.damage,
                "method": info.method,
                "extent": info.extent,
                "setting": meta["setting"],
                "rpm": meta["rpm"],
                "torque_nm": meta["torque_nm"],
                "load": meta["force_n"],
                "load_unit": "N",
                "repetition": meta["repetition"],
                "fs_native": fs_native,
                "seconds": len(raw) / fs_native,
                "n_windows": len(view),
            }
        )
    if not rows:
        raise DataFormatError(
            f"no usable Paderborn files in {Path(source.root) / DATASET} for bearings={bearings}, "
            f"settings={settings} (excluded {len(excluded)} KB files, skipped {len(skipped)})"
        )
    records = pd.DataFrame(rows)
    records.attrs["excluded"] = {key: EXCLUDED_REASON for key in excluded}
    records.attrs["skipped"] = skipped
    return Windows(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        record=np.concatenate(recs),
        start=np.concatenate(starts),
        fs=int(fs),
        records=records,
    )
