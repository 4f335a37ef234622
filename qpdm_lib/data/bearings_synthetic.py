"""Synthetic stand-ins for MFPT, Paderborn and IMS, written in the data sets' original formats.

The same physics as :func:`qpdm_lib.data.synthetic.bearing_signal` (a train of impacts at the
kinematic fault frequency with 1 % random slip, each ringing a structural resonance, amplitude-
modulated by the load zone: inner race at the shaft rate, rolling element at the cage rate, outer
race not at all; plus shaft harmonics and white noise; McFadden & Smith, 1984; Randall & Antoni,
2011), but for any :class:`~qpdm_lib.bearing.Bearing` (:func:`impact_signal`), so each stand-in
has its own data set's geometry, shaft speed and sampling rate:

* :func:`write_mfpt`: ``mfpt/<name>.mat`` with struct ``bearing`` (``sr``, ``gs``, ``load``,
  ``rate``), NICE bearing at 25 Hz, 97,656 or 48,828 sps as documented;
* :func:`write_paderborn`: ``paderborn/<code>/<setting>_<code>_<rep>.mat`` with the struct named
  like the file and its ``Info``, ``X``, ``Y``, ``Description`` fields; ``Y`` carries the seven
  channels of the originals, ``vibration_1`` at 64 kHz from a 6203 bearing at the setting's speed;
* :func:`write_ims`: ``ims/<n>_test/<timestamp>`` text files of 20,480 rows, 8 or 4 tab-separated
  columns, 20 kHz, Rexnord ZA-2115 at 2,000 rpm; the failing bearings of each test (readme) grow
  their fault over the last 40 % of the files, the others stay healthy.

What is *not* known and is a choice here: resonance frequencies (below 6 kHz so they survive
resampling to 12 kHz), damping, amplitudes, noise levels, the ``Type``/``Unit``/``Info``/
``Description`` contents of the Paderborn structs (the loader does not read them), and the damage
onset in IMS. Signals are shorter than the originals where the format allows (MFPT, Paderborn);
IMS snapshots keep their fixed 20,480 rows, but each test gets only ``files_per_test`` of them,
spread over the real test's duration.

Every file is written with :func:`qpdm_lib._io.atomic_write` into a temporary folder that is
renamed to ``<root>/<dataset>`` at the end, so an interrupted run never leaves half a set (a
writer replaces its data set's folder as a whole).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import scipy.io
import scipy.signal

from .._io import atomic_write
from ..bearing import Bearing

__all__ = [
    "impact_signal",
    "write_mfpt_file",
    "write_mfpt",
    "write_paderborn_file",
    "write_paderborn",
    "write_ims_file",
    "write_ims",
    "PADERBORN_SET",
]

_FAULTS = ("Normal", "Inner Race", "Outer Race", "Ball", "Roller")
#: Bearings written by :func:`write_paderborn` by default: 2 healthy, artificial and real outer-
#: and inner-race damage, and one combined (KB) bearing that the loader must exclude.
PADERBORN_SET: tuple[str, ...] = ("K001", "K002", "KA01", "KA04", "KI01", "KI04", "KB23")


def impact_signal(
    bearing: Bearing,
    fault: str | Sequence[str],
    *,
    rpm: float,
    fs: float,
    n: int,
    amplitude: float,
    rng: np.random.Generator,
    snr_db: float | None = None,
    noise_std: float | None = None,
    resonance_hz: float = 3200.0,
    damping: float = 0.05,
) -> np.ndarray:
    """Acceleration of ``bearing`` with ``fault`` (one class name or several at once).

    ``fault`` names come from ``Normal``, ``Inner Race``, ``Outer Race``, ``Ball`` and ``Roller``
    (ball and roller faults strike at 2 x BSF, modulated at the cage rate). ``amplitude`` is the
    impact amplitude. Noise is white, either at ``snr_db`` relative to the clean signal's power
    (as :func:`~qpdm_lib.data.synthetic.bearing_signal`) or with standard deviation ``noise_std``.
    """
    faults = [fault] if isinstance(fault, str) else list(fault)
    bad = [f for f in faults if f not in _FAULTS]
    if bad or not faults:
        raise ValueError(f"fault must be among {', '.join(_FAULTS)}, got {faults}")
    if not 0 < resonance_hz < fs / 2:
        raise ValueError(f"resonance_hz must be in (0, fs/2), got {resonance_hz} at fs={fs}")
    if (snr_db is None) == (noise_std is None):
        raise ValueError("give exactly one of snr_db and noise_std")
    t = np.arange(n) / fs
    freqs = bearing.frequencies(rpm=rpm)
    phase = rng.uniform(0, 2 * np.pi, 2)
    shaft = 0.03 * np.sin(2 * np.pi * freqs.fr * t + phase[0]) + 0.012 * np.sin(
        4 * np.pi * freqs.fr * t + phase[1]
    )
    th = np.arange(int(0.006 * fs)) / fs  # 6 ms of ringing
    ring = np.exp(-2 * np.pi * damping * resonance_hz * th) * np.sin(2 * np.pi * resonance_hz * th)
    impulses = np.zeros(n)
    for name in faults:
        if name == "Normal":
            continue
        rate = {
            "Inner Race": freqs.bpfi,
            "Outer Race": freqs.bpfo,
            "Ball": 2 * freqs.bsf,
            "Roller": 2 * freqs.bsf,
        }[name]
        period = 1.0 / rate
        k = np.arange(int(n / fs * rate) + 1)
        times = k * period + rng.uniform(0, period) + rng.normal(0.0, 0.01 * period, len(k))
        idx = np.round(times * fs).astype(np.int64)
        idx = idx[(idx >= 0) & (idx < n)]
        turn = rng.uniform(0, 2 * np.pi)
        if name == "Inner Race":  # the defect turns with the shaft through the load zone
            mod = 0.5 * (1 + np.cos(2 * np.pi * freqs.fr * t[idx] + turn))
        elif name in ("Ball", "Roller"):  # the rolling element orbits with the cage
            mod = 0.5 * (1 + np.cos(2 * np.pi * freqs.ftf * t[idx] + turn))
        else:  # an outer-race defect sits still in the load zone
            mod = np.ones(len(idx))
        np.add.at(impulses, idx, amplitude * (0.2 + 0.8 * mod))
    impacts = scipy.signal.fftconvolve(impulses, ring)[:n] if impulses.any() else impulses
    clean = shaft + impacts
    if noise_std is None:
        power = np.mean(impacts**2) if impulses.any() else np.mean(shaft**2)
        noise_std = float(np.sqrt(power / 10 ** (snr_db / 10)))
    return clean + rng.normal(0.0, noise_std, n)


def _write_set(root: Path, name: str, fill: Callable[[Path], list[Path]]) -> list[Path]:
    """Write a data set's folder into a temporary folder, then rename it to ``root/name``."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{name}.tmp-"))
    os.chmod(tmp, 0o755)  # mkdtemp makes it private; the set is an ordinary folder
    try:
        written = fill(tmp)
        target = root / name
        old = root / f".{name}.old-{uuid.uuid4().hex}"
        if target.exists():
            os.rename(target, old)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return [target / p.relative_to(tmp) for p in written]


# ----------------------------------------------------------------------------------------- MFPT


def write_mfpt_file(
    path: Path, gs: np.ndarray, *, sr: float, load: float, rate: float = 25.0
) -> Path:
    """Write one MFPT-format file: struct ``bearing`` with ``sr``, ``gs`` (column), ``load``, ``rate``."""
    struct = np.zeros((1, 1), dtype=[("sr", "O"), ("gs", "O"), ("load", "O"), ("rate", "O")])
    struct[0, 0] = (
        np.array([[float(sr)]]),
        np.asarray(gs, dtype=np.float64).reshape(-1, 1),
        np.array([[float(load)]]),
        np.array([[float(rate)]]),
    )
    return atomic_write(Path(path), lambda p: scipy.io.savemat(p, {"bearing": struct}))


def write_mfpt(
    root: Path, *, seed: int = 0, seconds: float = 0.5, names: Sequence[str] | None = None
) -> list[Path]:
    """Write synthetic MFPT test-rig files (default: all 20, ``seconds`` long) to ``root/mfpt``."""
    from . import mfpt

    chosen = list(names) if names is not None else list(mfpt.FILES)
    unknown = [n for n in chosen if n not in mfpt.FILES]
    if unknown:
        raise ValueError(f"not MFPT test-rig files: {unknown}")

    def fill(folder: Path) -> list[Path]:
        paths = []
        for name in chosen:
            info = mfpt.FILES[name]
            rng = np.random.default_rng([seed, 11, info.number])
            gs = impact_signal(
                mfpt.BEARING,
                info.fault,
                rpm=mfpt.SHAFT_HZ * 60,
                fs=info.fs_native,
                n=int(round(seconds * info.fs_native)),
                amplitude=0.5 + 1.5 * info.load_lbs / 300,
                rng=rng,
                snr_db=float(rng.uniform(6.0, 12.0)),
                resonance_hz=3000.0,
            )
            paths.append(write_mfpt_file(folder / name, gs, sr=info.fs_native, load=info.load_lbs))
        return paths

    return _write_set(root, mfpt.DATASET, fill)


# ------------------------------------------------------------------------------------ Paderborn

_Y_FIELDS = [("Name", "O"), ("Type", "O"), ("Data", "O"), ("Unit", "O"), ("Raster", "O")]


def write_paderborn_file(
    path: Path,
    vibration: np.ndarray,
    *,
    rpm: float,
    torque_nm: float,
    force_n: float,
    seed: int = 0,
) -> Path:
    """Write one Paderborn-format measurement with ``vibration`` as ``vibration_1`` (64 kHz).

    The struct is named like the file; ``Y`` holds the seven channels of the originals (force,
    two phase currents, speed, temperature, torque at their rasters) and ``X`` the time axes.
    """
    path = Path(path)
    rng = np.random.default_rng([seed, 29])
    vib = np.asarray(vibration, dtype=np.float64).ravel()
    n = len(vib)
    n_mech = (n - 1) // 16 + 1  # 4 kHz raster beside 64 kHz
    n_temp = max(1, int((n - 1) / 64_000) + 1)
    t_host = np.arange(n) / 64_000
    t_mech = np.arange(n_mech) / 4_000
    t_temp = np.arange(n_temp, dtype=np.float64)
    f_el = rpm / 60 * 4  # 4 pole pairs
    amp = 1.65 * np.sqrt(2)
    current = [
        amp * np.sin(2 * np.pi * f_el * t_host + k * 2 * np.pi / 3) + rng.normal(0, 0.05, n)
        for k in (0, 1)
    ]
    channels = [
        ("force", force_n + rng.normal(0, 5.0, n_mech), "N", "Mech_4kHz"),
        ("phase_current_1", current[0], "A", "HostService"),
        ("phase_current_2", current[1], "A", "HostService"),
        ("speed", rpm + rng.normal(0, 0.3, n_mech), "rpm", "Mech_4kHz"),
        ("temp_2_bearing_module", 45.0 + rng.normal(0, 0.1, n_temp), "degC", "Temp_1Hz"),
        ("torque", torque_nm + rng.normal(0, 0.01, n_mech), "Nm", "Mech_4kHz"),
        ("vibration_1", vib, "m/s^2", "HostService"),
    ]
    y = np.zeros((1, len(channels)), dtype=_Y_FIELDS)
    for k, (name, data, unit, raster) in enumerate(channels):
        y[0, k] = (name, "Data", np.asarray(data, dtype=np.float64)[None, :], unit, raster)
    x = np.zeros((1, 3), dtype=_Y_FIELDS)
    for k, (raster, data) in enumerate(
        (("Mech_4kHz", t_mech), ("HostService", t_host), ("Temp_1Hz", t_temp))
    ):
        x[0, k] = (raster, "Time", data[None, :], "s", raster)
    info = np.zeros((1, 1), dtype=[("Revision", "O"), ("MeasurementID", "O")])
    info[0, 0] = ("synthetic", path.stem)
    description = np.zeros((1, 1), dtype=[("Measurement", "O")])
    description[0, 0] = (f"synthetic stand-in; Length={(n - 1) / 64_000:g}",)
    struct = np.zeros((1, 1), dtype=[("Info", "O"), ("X", "O"), ("Y", "O"), ("Description", "O")])
    struct[0, 0] = (info, x, y, description)
    return atomic_write(path, lambda p: scipy.io.savemat(p, {path.stem: struct}))


def write_paderborn(
    root: Path,
    *,
    seed: int = 0,
    bearings: Sequence[str] = PADERBORN_SET,
    settings: Sequence[str] = ("N15_M07_F10", "N09_M07_F10"),
    repetitions: Sequence[int] = (1,),
    seconds: float = 0.5,
) -> list[Path]:
    """Write synthetic Paderborn measurements to ``root/paderborn/<code>/`` (``seconds`` long)."""
    from . import paderborn

    for code in bearings:
        if code not in paderborn.BEARINGS:
            raise ValueError(f"unknown bearing code {code!r}")
    for setting in settings:
        if setting not in paderborn.SETTINGS:
            raise ValueError(f"unknown setting {setting!r}")
    component = {"none": "Normal", "outer": "Outer Race", "inner": "Inner Race"}

    def fill(folder: Path) -> list[Path]:
        paths = []
        for b, code in enumerate(bearings):
            info = paderborn.BEARINGS[code]
            faults = [component[c] for c in info.component.split("+")]
            scale = (0.8 if info.damage == "artificial" else 0.6) * max(info.extent, 1)
            for s, setting in enumerate(settings):
                rpm, torque, force = paderborn.SETTINGS[setting]
                for rep in repetitions:
                    rng = np.random.default_rng([seed, 23, b, s, rep])
                    vib = impact_signal(
                        paderborn.BEARING,
                        faults,
                        rpm=rpm,
                        fs=paderborn.FS_NATIVE,
                        n=int(round(seconds * paderborn.FS_NATIVE)) + 1,
                        amplitude=scale * force / 1000,
                        rng=rng,
                        snr_db=float(rng.uniform(6.0, 12.0)),
                        resonance_hz=3600.0,
                    )
                    name = f"{setting}_{code}_{rep}.mat"
                    paths.append(
                        write_paderborn_file(
                            folder / code / name,
                            vib,
                            rpm=rpm,
                            torque_nm=torque,
                            force_n=force,
                            seed=int(rng.integers(1 << 31)),
                        )
                    )
        return paths

    return _write_set(root, paderborn.DATASET, fill)


# ------------------------------------------------------------------------------------------ IMS


def write_ims_file(path: Path, data: np.ndarray) -> Path:
    """Write one IMS-format snapshot: rows of tab-separated values with 3 decimals, no header."""
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"data must be (rows, channels), got shape {data.shape}")
    return atomic_write(
        Path(path), lambda p: np.savetxt(p, data, fmt="%.3f", delimiter="\t", newline="\n")
    )


def write_ims(
    root: Path, *, seed: int = 0, files_per_test: int = 10, tests: Sequence[int] = (1, 2, 3)
) -> list[Path]:
    """Write ``files_per_test`` synthetic snapshots per test to ``root/ims/<n>_test/``.

    Timestamps start at each real test's first snapshot and are spread evenly to its last one.
    The bearings that failed in the real test carry their fault from 60 % of the files on,
    growing to full amplitude at the end; test 1 has two correlated channels per bearing.
    """
    from . import ims

    if files_per_test < 1:
        raise ValueError(f"files_per_test must be >= 1, got {files_per_test}")
    for test in tests:
        if test not in ims.TESTS:
            raise ValueError(f"IMS tests are 1, 2 and 3, got {test}")

    def fill(folder: Path) -> list[Path]:
        paths = []
        for test in tests:
            spec = ims.TESTS[test]
            first = datetime.strptime(spec.first, "%Y.%m.%d.%H.%M.%S")
            last = datetime.strptime(spec.last, "%Y.%m.%d.%H.%M.%S")
            for k in range(files_per_test):
                p = k / max(files_per_test - 1, 1)
                stamp = first + (last - first) * p
                rng = np.random.default_rng([seed, 31, test, k])
                columns = []
                for bearing in range(1, 5):
                    fault = spec.failures.get(bearing)
                    grade = max(0.0, (p - 0.6) / 0.4) ** 1.5 if fault else 0.0
                    sig = impact_signal(
                        ims.BEARING,
                        fault if grade > 0 else "Normal",
                        rpm=ims.RPM,
                        fs=ims.FS_NATIVE,
                        n=ims.ROWS,
                        amplitude=1.0 * grade,
                        rng=rng,
                        noise_std=0.05,
                        resonance_hz=4000.0,
                    )
                    columns.append(sig)
                    if spec.channels == 8:  # second accelerometer on the same bearing
                        columns.append(0.7 * sig + rng.normal(0, 0.03, ims.ROWS))
                name = stamp.replace(microsecond=0).strftime("%Y.%m.%d.%H.%M.%S")
                path = folder / spec.folder / name
                paths.append(write_ims_file(path, np.column_stack(columns)))
        return paths

    return _write_set(root, ims.DATASET, fill)
