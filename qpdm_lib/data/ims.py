"""NASA IMS bearing run-to-failure data: the original text snapshots, labelled and cut into windows.

QEML-Net section 4.5 reports zero-shot accuracy on "IMS Bearing" (its Table 2 lists 984 files,
the size of test 2). Facts used here come from the "Readme Document for IMS Bearing Data" shipped
in NASA's Prognostics Data Repository archive (J. Lee, H. Qiu, G. Yu, J. Lin and Rexnord Technical
Services, 2007), as reproduced in ``hustcxl/Rotating-machine-fault-data-set`` ``doc/IMS.md`` and
``yanncalec/dpmhm`` ``datasets/ims/ims.py`` and ``Charlie5DH/PredictiveMaintenance-and-Vibration-
Resources`` ``Notebooks/Readme.md``, and from a public full inventory of the archive (the IMS notes
of the ``pdmdata`` package: file counts, the ``4th_test/txt`` folder, shapes of every file):

* **Rig.** Four Rexnord ZA-2115 double-row bearings on one shaft at 2,000 rpm, radial load 6,000
  lbs, force-lubricated; each test ran until debris on a magnetic plug signalled failure.
  Bearing: 16 rollers per row of 0.331 in on a 2.815 in pitch circle, contact angle 15.17 deg
  (readme Table 1), so BPFO = 236 Hz, BPFI = 297 Hz, FTF = 15 Hz at 33.3 Hz (readme Table 3).
* **Files.** Each test is a folder of 1-second snapshots, one ASCII file each, named by the
  acquisition time ``YYYY.MM.DD.hh.mm.ss`` (no extension), 20,480 rows, one column per channel,
  tab-separated (read here as any whitespace), "sampling rate set at 20 kHz" (NI DAQ 6062E),
  normally every 10 minutes.

  - test 1 (``1st_test``): 2,156 files, 8 channels, bearing k on channels 2k-1 and 2k (two
    accelerometers per bearing); at the end, inner race defect in bearing 3 and roller element
    defect in bearing 4;
  - test 2 (``2nd_test``): 984 files, 4 channels (bearing k on channel k); outer race failure in
    bearing 1;
  - test 3 (``3rd_test``): 4 channels; outer race failure in bearing 3. The readme says 4,448 files
    ending 4 Apr 2004; the distributed ``3rd_test.rar`` unpacks to ``4th_test/txt`` with 6,324
    files ending 18 Apr 2004. Both folder names are accepted here.

  20,480 points "at 20 kHz" are 1.024 s, not 1 s; the stated 20 kHz is used (:data:`FS_NATIVE`,
  as in the ``pdmdata`` notes; ``dpmhm`` lists 20,480 Hz). At 20.48 kHz every frequency would be
  2.4 % higher. The ``pdmdata`` notes also report that the last two snapshots of test 2 are
  near zero on every channel; they fall in the default fault part, so ``records`` carries each
  channel's ``rms`` to find such snapshots.

**Labels are a choice, not data.** The readme documents only which bearing had failed *at the end*
of each test; no onset is documented. Here, a snapshot's channel is labelled

* with the failing bearing's class (``Inner Race``, ``Roller``, ``Outer Race``) when the file is in
  the last ``fault_fraction`` of the test's files (default 10 %) and the channel belongs to that
  bearing;
* ``Normal`` when the file is in the first ``normal_fraction`` of the files (default 50 %), for
  every bearing;
* otherwise it is unlabelled and dropped: the middle of every bearing's life, and the non-failing
  bearings late in the test (they share the shaft, the debris and the failing neighbour's
  vibration, so "healthy" is not documented for them either).

Layout here: ``ims/<test folder>/<timestamp file>`` as the archives unpack (``1st_test``,
``2nd_test``, ``3rd_test`` or ``4th_test/txt``); the loader reads the files present.

Resampling 20,000 -> 12,000 Hz: :func:`scipy.signal.resample_poly` with the exact ratio
``Fraction(12_000, 20_000)`` = up 3 / down 5.

Examples
--------
>>> f = BEARING.frequencies(rpm=RPM)
>>> round(f.bpfo), round(f.bpfi), round(f.ftf)
(236, 297, 15)
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

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
    "ROWS",
    "RPM",
    "LOAD_LBS",
    "IMSTest",
    "TESTS",
    "folder",
    "files",
    "read_file",
    "load_windows",
]

DATASET = "ims"
CLASSES_PRESENT: tuple[str, ...] = ("Normal", "Inner Race", "Outer Race", "Roller")

#: Rexnord ZA-2115 (inches, rollers per row), readme Table 1.
BEARING = Bearing(
    "Rexnord ZA-2115",
    n_balls=16,
    ball_diameter=0.331,
    pitch_diameter=2.815,
    contact_angle_deg=15.17,
)
FS_NATIVE = 20_000  # Hz, as the readme states
ROWS = 20_480  # points per snapshot
RPM = 2000
LOAD_LBS = 6000


class IMSTest(NamedTuple):
    """One run-to-failure test as documented in the readme."""

    number: int
    folder: str  # folder name of the archive's test
    aliases: tuple[str, ...]  # other folder names the archive unpacks to
    channels: int
    bearing_of_channel: tuple[int, ...]  # bearing (1-4) of channel 1..channels
    failures: dict[int, str]  # bearing -> class at the end of the test
    first: str  # first snapshot (timestamp file name)
    last: str  # last snapshot of the distributed archive
    n_files: int  # files in the distributed archive


TESTS: dict[int, IMSTest] = {
    1: IMSTest(
        1,
        "1st_test",
        (),
        8,
        (1, 1, 2, 2, 3, 3, 4, 4),
        {3: "Inner Race", 4: "Roller"},
        "2003.10.22.12.06.24",
        "2003.11.25.23.39.56",
        2156,
    ),
    2: IMSTest(
        2,
        "2nd_test",
        (),
        4,
        (1, 2, 3, 4),
        {1: "Outer Race"},
        "2004.02.12.10.32.39",
        "2004.02.19.06.22.39",
        984,
    ),
    3: IMSTest(
        3,
        "3rd_test",
        ("4th_test/txt",),
        4,
        (1, 2, 3, 4),
        {3: "Outer Race"},
        "2004.03.04.09.27.46",
        "2004.04.18.02.42.55",
        6324,
    ),
}

_STAMP = re.compile(r"^\d{4}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{2}$")
_FOLDER_CHANNELS = {"1st_test": 8, "2nd_test": 4, "3rd_test": 4, "txt": 4}


def folder(source: Source, test: int) -> Path | None:
    """The folder of ``test`` present under ``<root>/ims`` (official name or alias), or None."""
    spec = TESTS[test]
    for name in (spec.folder, *spec.aliases):
        path = Path(source.root) / DATASET / name
        if path.is_dir():
            return path
    return None


def files(source: Source, tests: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    """Keys (``ims/<folder>/<timestamp>``) of the snapshots present, by test and time."""
    root = Path(source.root)
    keys = []
    for test in tests:
        if test not in TESTS:
            raise ValueError(f"IMS tests are 1, 2 and 3, got {test}")
        where = folder(source, test)
        if where is None:
            continue
        names = sorted(p.name for p in where.iterdir() if _STAMP.match(p.name) and p.is_file())
        keys += [(where / n).relative_to(root).as_posix() for n in names]
    return keys


def read_file(path: Path, *, channels: int | None = None) -> tuple[np.ndarray, int, dict]:
    """Snapshot as an array (20,480, channels), its sampling rate (20 kHz) and metadata.

    ``channels`` defaults to the count of the test the folder belongs to (8 for ``1st_test``,
    4 otherwise; 4 or 8 in an unknown folder). Raises :class:`DataFormatError` (one line naming
    the file) for a name that is not a timestamp, an empty file, rows of unequal length, text
    where a number belongs, missing values, a wrong row count (truncated file) or column count.
    """
    path = Path(path)
    try:
        stamp = datetime.strptime(path.name, "%Y.%m.%d.%H.%M.%S")
    except ValueError:
        raise DataFormatError(
            f"{path}: IMS snapshots are named by time like 2004.02.12.10.32.39"
        ) from None
    try:
        table = pd.read_csv(path, sep=r"\s+", header=None, dtype=np.float64, engine="c")
    except pd.errors.EmptyDataError:
        raise DataFormatError(f"{path}: empty file") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        raise DataFormatError(f"{path}: rows of unequal length ({detail})") from None
    except (ValueError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[0]
        raise DataFormatError(f"{path}: text where a number belongs ({detail})") from None
    except OSError as exc:
        raise DataFormatError(f"{path}: cannot be read ({type(exc).__name__})") from None
    data = table.to_numpy()
    bad = ~np.isfinite(data)
    if bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise DataFormatError(f"{path}: missing or non-finite value in row {row + 1} (truncated?)")
    expected = channels or _FOLDER_CHANNELS.get(path.parent.name)
    if (expected and data.shape[1] != expected) or data.shape[1] not in (4, 8):
        raise DataFormatError(
            f"{path}: {data.shape[1]} columns, expected {expected or '4 or 8'} "
            f"(one per channel of the test)"
        )
    if data.shape[0] != ROWS:
        raise DataFormatError(f"{path}: {data.shape[0]} rows, expected {ROWS} (truncated?)")
    return data, FS_NATIVE, {"time": stamp, "channels": data.shape[1], "rows": data.shape[0]}


def _spread(index: list[int], most: int) -> list[int]:
    if not most or len(index) <= most:
        return index
    keep = np.linspace(0, len(index) - 1, most).round().astype(int)
    return [index[k] for k in keep]


def load_windows(
    source: Source,
    *,
    tests: tuple[int, ...] = (1, 2, 3),
    normal_fraction: float = 0.5,
    fault_fraction: float = 0.1,
    max_files_per_part: int = 0,
    length: int = 512,
    overlap: float = 0.5,
    max_per_record: int = 0,
    fs: int = 12_000,
) -> Windows:
    """Label snapshots by the rule of the module docstring and cut them into windows at ``fs``.

    Parameters
    ----------
    source
        Where the files are (real or synthetic).
    tests
        Which of the three tests to use (those with no folder present are skipped).
    normal_fraction, fault_fraction
        File i of a test's n files (time order) is ``Normal`` for every bearing when
        ``i < normal_fraction * n``, and carries the failing bearings' classes on their channels
        when ``i >= (1 - fault_fraction) * n``. The onset of damage is not documented: these are
        choices, to be varied in a sensitivity check.
    max_files_per_part
        Keep at most this many files of each labelled part of each test, evenly spread in time
        (0 keeps all: the labelled part of all three real tests is about 2.4 GB of float32
        windows of 512).
    length, overlap, max_per_record, fs
        As in :func:`qpdm_lib.data.cwru.load_windows`; ``max_per_record`` counts per channel.

    A file holds 4-8 bearings with different labels and :class:`~qpdm_lib.data.cwru.Windows`
    has no channel field, so here ``record`` is one *channel of one snapshot*:
    ``record = 1,000,000 x test + 10 x file index + channel - 1``; ``record // 10`` identifies
    the snapshot (column ``snapshot``), which is what a grouped split should keep together.
    ``records`` has one row per (snapshot, channel) used: record, snapshot, name, test, channel,
    bearing, fault, part, position, time, load, load_unit, rpm, fs_native, seconds, n_windows,
    rms (of the channel's native signal).
    """
    hop = check_window_args(length, overlap, max_per_record, fs)
    if not (0 < normal_fraction and 0 < fault_fraction and normal_fraction + fault_fraction <= 1):
        raise ValueError(
            "need 0 < normal_fraction, 0 < fault_fraction and their sum <= 1, got "
            f"{normal_fraction} and {fault_fraction}"
        )
    if max_files_per_part < 0:
        raise ValueError(f"max_files_per_part must be >= 0, got {max_files_per_part}")
    unknown = [t for t in tests if t not in TESTS]
    if unknown:
        raise ValueError(f"IMS tests are 1, 2 and 3, got {unknown}")
    xs, ys, recs, starts, rows = [], [], [], [], []
    for test in tests:
        spec = TESTS[test]
        keys = files(source, (test,))
        n = len(keys)
        normal = _spread([i for i in range(n) if i < normal_fraction * n], max_files_per_part)
        fault = _spread([i for i in range(n) if i >= (1 - fault_fraction) * n], max_files_per_part)
        failing = [c for c, b in enumerate(spec.bearing_of_channel) if b in spec.failures]
        plan = [(i, "normal", list(range(spec.channels))) for i in normal]
        plan += [(i, "fault", failing) for i in fault]
        for i, part, channels in plan:
            path = local_path(source, keys[i])
            data, fs_native, meta = read_file(path, channels=spec.channels)
            signal = resample(data[:, channels], fs_native, fs)
            for column, channel in enumerate(channels):
                bearing = spec.bearing_of_channel[channel]
                fault_class = spec.failures[bearing] if part == "fault" else "Normal"
                what = f"{path} channel {channel + 1}"
                view, start = cut(signal[:, column], length, hop, max_per_record, what)
                number = 1_000_000 * test + 10 * i + channel
                xs.append(view)
                ys.append(np.full(len(view), CLASSES.index(fault_class), dtype=np.int64))
                recs.append(np.full(len(view), number, dtype=np.int64))
                starts.append(start)
                rows.append(
                    {
                        "record": number,
                        "snapshot": number // 10,
                        "name": path.name,
                        "test": test,
                        "channel": channel + 1,
                        "bearing": bearing,
                        "fault": fault_class,
                        "part": part,
                        "position": i / max(n - 1, 1),
                        "time": meta["time"],
                        "load": LOAD_LBS,
                        "load_unit": "lbs",
                        "rpm": RPM,
                        "fs_native": fs_native,
                        "seconds": len(data) / fs_native,
                        "n_windows": len(view),
                        "rms": float(np.sqrt(np.mean(data[:, channel] ** 2))),
                    }
                )
    if not rows:
        raise DataFormatError(
            f"no IMS snapshots found in {Path(source.root) / DATASET} for tests {tests}"
        )
    return Windows(
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        record=np.concatenate(recs),
        start=np.concatenate(starts),
        fs=int(fs),
        records=pd.DataFrame(rows),
    )
