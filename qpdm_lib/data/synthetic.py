"""Physics-based synthetic stand-ins, written in the datasets' original file formats.

On a machine with no data and no internet the book still runs end to end: these generators write
``.mat`` records, C-MAPSS text files and the device-failure CSV that the real loaders then parse,
so exactly the same code path is exercised. Every page fed by them says so in a banner.

* **Bearings** (:func:`bearing_signal`): a train of impacts at the kinematic fault frequency
  (BPFI, BPFO or 2·BSF of the CWRU drive-end bearing, with 1 % random slip), each one ringing a
  structural resonance (decaying sinusoid at 3.2 kHz), amplitude-modulated as the damage passes
  through the load zone (inner race: shaft rate; ball: cage rate FTF; outer race: stationary),
  plus shaft harmonics, in white noise at a chosen SNR (McFadden & Smith, 1984; Randall &
  Antoni, 2011).
* **Engines** (:func:`write_cmapss`): a health index that decays exponentially to failure,
  ``d(t) = (exp(b t/T) - 1)/(exp(b) - 1)``, mapped linearly into the 14 informative sensors with
  FD001-like signs, magnitudes and noise; the 7 uninformative sensors constant; six operating
  regimes for FD002/FD004 and a second fault mode for FD003/FD004 (Saxena et al., 2008).
* **Device fleet** (:func:`write_devices`): daily integer counters per device, rare failures
  announced by rising error counters in the last weeks, gaps of missing days, one duplicated row
  and ``metric8`` equal to ``metric7``, as in the real file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.io
import scipy.signal

from .._io import atomic_write as _atomic_write
from ..bearing import CWRU_DRIVE_END

__all__ = ["bearing_signal", "write_cwru", "write_cmapss", "write_devices", "CWRU_SET"]

#: Records written by :func:`write_cwru`: the same set as the shared real copies.
CWRU_SET: tuple[int, ...] = (97,) + tuple(
    first + load for first in (105, 118, 130, 169, 185, 197, 209, 222, 234) for load in range(3)
)


def bearing_signal(
    fault: str,
    *,
    rpm: float,
    fs: float,
    n: int,
    size_in: float,
    snr_db: float,
    rng: np.random.Generator,
    resonance_hz: float = 3200.0,
    damping: float = 0.05,
) -> np.ndarray:
    """Acceleration (g) of a bearing with ``fault`` ("Normal", "Inner Race", "Outer Race", "Ball")."""
    if fault not in {"Normal", "Inner Race", "Outer Race", "Ball"}:
        raise ValueError(f"fault must be Normal, Inner Race, Outer Race or Ball, got {fault!r}")
    if not 0 < resonance_hz < fs / 2:
        raise ValueError(f"resonance_hz must be in (0, fs/2), got {resonance_hz} at fs={fs}")
    t = np.arange(n) / fs
    freqs = CWRU_DRIVE_END.frequencies(rpm=rpm)
    phase = rng.uniform(0, 2 * np.pi, 3)
    shaft = 0.03 * np.sin(2 * np.pi * freqs.fr * t + phase[0]) + 0.012 * np.sin(
        4 * np.pi * freqs.fr * t + phase[1]
    )
    if fault == "Normal":
        clean = shaft
        power = np.mean(shaft**2)
    else:
        rate = {"Inner Race": freqs.bpfi, "Outer Race": freqs.bpfo, "Ball": 2 * freqs.bsf}[fault]
        period = 1.0 / rate
        k = np.arange(int(n / fs * rate) + 1)
        times = k * period + rng.normal(0.0, 0.01 * period, len(k))  # 1 % slip
        idx = np.round(times * fs).astype(np.int64)
        idx = idx[(idx >= 0) & (idx < n)]
        if fault == "Inner Race":  # the defect turns with the shaft through the load zone
            mod = 0.5 * (1 + np.cos(2 * np.pi * freqs.fr * t[idx] + phase[2]))
        elif fault == "Ball":  # the ball orbits with the cage
            mod = 0.5 * (1 + np.cos(2 * np.pi * freqs.ftf * t[idx] + phase[2]))
        else:  # outer-race defect is fixed in the load zone
            mod = np.ones(len(idx))
        impulses = np.zeros(n)
        impulses[idx] = (0.5 + 40.0 * size_in) * (0.2 + 0.8 * mod)
        th = np.arange(int(0.006 * fs)) / fs  # 6 ms of ringing
        ring = np.exp(-2 * np.pi * damping * resonance_hz * th) * np.sin(
            2 * np.pi * resonance_hz * th
        )
        impacts = scipy.signal.fftconvolve(impulses, ring)[:n]
        power = np.mean(impacts**2)
        clean = shaft + impacts
    noise_std = np.sqrt(power / 10 ** (snr_db / 10))
    return clean + rng.normal(0.0, noise_std, n)


def write_cwru(root: Path, *, seed: int = 0, records: tuple[int, ...] = CWRU_SET) -> list[Path]:
    """Write synthetic CWRU ``.mat`` records (drive end, fan end, RPM) under ``root/cwru``."""
    from .cwru import RECORDS

    paths = []
    for number in records:
        meta = RECORDS[number]
        rng = np.random.default_rng([seed, number])
        # lengths as in the originals: 10 s at 12 kHz for faults, 243,938 samples at 48 kHz for 97
        n = 243_938 if number == 97 else int(rng.integers(121_200, 122_600))
        rpm = meta.rpm - int(rng.integers(0, 4))
        x = bearing_signal(
            meta.fault,
            rpm=rpm,
            fs=meta.fs_native,
            n=n,
            size_in=meta.size_in,
            snr_db=float(rng.uniform(6.0, 12.0)),
            rng=rng,
        )
        fan = 0.4 * x + rng.normal(0.0, 0.02, n)  # the fan-end sensor sees an attenuated copy
        tag = f"X{number:03d}"
        content = {
            f"{tag}_DE_time": x[:, None],
            f"{tag}_FE_time": fan[:, None],
            f"{tag}RPM": np.array([[rpm]]),
        }
        path = root / "cwru" / f"{number}.mat"
        _atomic_write(path, lambda p, c=content: scipy.io.savemat(p, c))
        paths.append(path)
    return paths


# FD001-like sensor levels, end-of-life shifts and noise (sensor number -> value).
_BASE = {1: 518.67, 2: 642.5, 3: 1590.0, 4: 1409.0, 5: 14.62, 6: 21.61, 7: 553.4, 8: 2388.1,
         9: 9065.0, 10: 1.3, 11: 47.5, 12: 521.4, 13: 2388.1, 14: 8143.0, 15: 8.44, 16: 0.03,
         17: 393.0, 18: 2388.0, 19: 100.0, 20: 38.8, 21: 23.3}  # fmt: skip
_SHIFT = {2: 1.2, 3: 30.0, 4: 45.0, 7: -3.5, 8: 0.25, 9: 40.0, 11: 1.1, 12: -3.0, 13: 0.25,
          14: 35.0, 15: 0.12, 17: 5.0, 20: -0.6, 21: -0.35}  # fmt: skip
_NOISE = {2: 0.5, 3: 6.0, 4: 9.0, 7: 0.9, 8: 0.07, 9: 22.0, 11: 0.27, 12: 0.74, 13: 0.07,
          14: 19.0, 15: 0.037, 17: 1.5, 20: 0.18, 21: 0.11}  # fmt: skip
# FD002/FD004 operating regimes: (altitude kft, Mach, throttle) and a sensor-level factor.
_REGIMES = [(0.0, 0.0, 100.0, 1.00), (10.0, 0.25, 100.0, 0.96), (20.0, 0.70, 100.0, 0.90),
            (25.0, 0.62, 60.0, 0.80), (35.0, 0.84, 100.0, 0.85), (42.0, 0.84, 100.0, 0.82)]  # fmt: skip
_UNITS = {"FD001": (100, 100), "FD002": (260, 259), "FD003": (100, 100), "FD004": (248, 249)}
# unit, cycle, 3 settings, then sensors 1-14 with 2 decimals, 15 with 4, 16, 17 and 18 as
# integers where the originals are, 19-20 with 2 and 21 with 4 decimals
_FMT = (
    ["%d", "%d", "%.4f", "%.4f", "%.1f"]
    + ["%.2f"] * 14
    + ["%.4f", "%.2f", "%d", "%d", "%.2f", "%.2f", "%.4f"]
)


def _engine(life: int, *, multi: bool, fault_mode: int, rng: np.random.Generator) -> np.ndarray:
    """Rows (cycle, 3 settings, 21 sensors) of one engine run to failure after ``life`` cycles."""
    t = np.arange(1, life + 1)
    b = rng.uniform(3.0, 6.0)
    health = (np.exp(b * t / life) - 1) / (np.exp(b) - 1) + rng.uniform(0.0, 0.05)
    if multi:
        regime = rng.integers(0, len(_REGIMES), life)
        settings = np.array([_REGIMES[r][:3] for r in regime]) + rng.normal(0, 0.002, (life, 3))
        level = np.array([_REGIMES[r][3] for r in regime])
    else:
        settings = np.column_stack(
            [rng.normal(0, 0.0022, life), rng.normal(0, 0.0003, life), np.full(life, 100.0)]
        )
        level = np.ones(life)
    sensors = np.empty((life, 21))
    for s in range(1, 22):
        shift = _SHIFT.get(s, 0.0)
        if fault_mode == 2 and s in (8, 13, 14, 9):  # fan degradation moves these the other way
            shift = -0.8 * shift
        sensors[:, s - 1] = (
            _BASE[s] * level + shift * health + rng.normal(0, _NOISE.get(s, 0.0), life)
        )
    return np.column_stack([t, settings, sensors])


def write_cmapss(root: Path, *, subset: str = "FD001", seed: int = 0) -> list[Path]:
    """Write synthetic ``train_``, ``test_`` and ``RUL_`` files of a C-MAPSS subset."""
    if subset not in _UNITS:
        raise ValueError(f"subset must be one of {', '.join(_UNITS)}, got {subset!r}")
    rng = np.random.default_rng([seed, int(subset[-1])])
    multi = subset in ("FD002", "FD004")
    two_modes = subset in ("FD003", "FD004")
    n_train, n_test = _UNITS[subset]
    tables: dict[str, list[np.ndarray]] = {"train": [], "test": []}
    ruls = []
    for part, count in (("train", n_train), ("test", n_test)):
        for unit in range(1, count + 1):
            life = int(128 + rng.gamma(3.0, 27.0))  # FD001 train lives span 128-362
            mode = 2 if two_modes and rng.random() < 0.5 else 1
            rows = _engine(life, multi=multi, fault_mode=mode, rng=rng)
            if part == "test":  # the test set stops some time before failure
                cut = int(rng.integers(min(31, life - 1), life))
                ruls.append(life - cut)
                rows = rows[:cut]
            tables[part].append(np.column_stack([np.full(len(rows), unit), rows]))
    paths = []
    for part in ("train", "test"):
        data = np.concatenate(tables[part])
        path = root / "cmapss" / f"{part}_{subset}.txt"
        # original lines end in two spaces
        _atomic_write(
            path, lambda p, d=data: np.savetxt(p, d, fmt=_FMT, delimiter=" ", newline="  \n")
        )
        paths.append(path)
    path = root / "cmapss" / f"RUL_{subset}.txt"
    _atomic_write(path, lambda p: np.savetxt(p, np.array(ruls), fmt="%d", newline=" \n"))
    paths.append(path)
    return paths


def write_devices(
    root: Path, *, seed: int = 0, n_devices: int = 1169, n_failures: int = 106
) -> Path:
    """Write a synthetic device-failure CSV (CRLF, M/D/YYYY dates) under ``root/pm``."""
    if not 0 <= n_failures <= n_devices:
        raise ValueError(f"need 0 <= n_failures <= n_devices, got {n_failures} and {n_devices}")
    rng = np.random.default_rng([seed, 7])
    start = pd.Timestamp("2015-01-01")
    failing = set(rng.choice(n_devices, n_failures, replace=False).tolist())
    frames = []
    for i in range(n_devices):
        length = int(rng.integers(5, 60)) if rng.random() < 0.4 else int(rng.integers(100, 305))
        days = np.arange(length)
        if rng.random() < 0.15 and length > 20:  # drop a short or a long run of days
            gap_at = int(rng.integers(5, length - 10))
            days = np.delete(days, np.arange(gap_at, gap_at + int(rng.choice([1, 2, 5]))))
        n = len(days)
        fails = i in failing
        # error counters rise over the last 3-6 weeks before a failure
        ramp = (
            np.clip((days - (length - rng.integers(20, 45))) / 30.0, 0, None)
            if fails
            else np.zeros(n)
        )
        m7 = rng.poisson(0.02 + 3.0 * ramp)
        frame = pd.DataFrame(
            {
                "date": start + pd.to_timedelta(days, unit="D"),
                "device": f"S1F{i:05X}",
                "failure": np.zeros(n, dtype=int),
                "metric1": rng.integers(0, 244_000_000, n),
                "metric2": rng.poisson(0.05 + 40.0 * ramp) * int(rng.integers(1, 60)),
                "metric3": np.full(n, int(rng.integers(0, 3)) * int(rng.integers(0, 400))),
                "metric4": rng.poisson(0.02 + 2.0 * ramp),
                "metric5": np.full(n, int(rng.integers(1, 99))),
                "metric6": (int(rng.integers(180_000, 320_000)) + 30 * days).astype(np.int64),
                "metric7": m7,
                "metric8": m7,  # identical to metric7 in the real file too
                "metric9": rng.poisson(0.1, n) * int(rng.integers(0, 20)),
            }
        )
        if fails:
            frame.loc[frame.index[-1], "failure"] = 1
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True).sort_values(["date", "device"], kind="stable")
    table = pd.concat([table, table.iloc[[len(table) // 2]]])  # the real file has one duplicate row
    dates = table["date"]
    table["date"] = (
        dates.dt.month.astype(str)
        + "/"
        + dates.dt.day.astype(str)
        + "/"
        + dates.dt.year.astype(str)
    )
    path = root / "pm" / "predictive_maintenance_dataset.csv"
    _atomic_write(path, lambda p: table.to_csv(p, index=False, lineterminator="\r\n"))
    return path
