"""Vibration preprocessing of QEML-Net section 3.1, vectorised over windows.

Every function takes an array whose **last axis is time** and any leading axes (windows,
channels); a whole dataset goes through in one call. The steps, in the paper's order:

1. the epochs themselves, 512 samples with 50 % overlap at 12 kHz, come from :func:`frames` or
   :func:`qpdm_lib.data.cwru.load_windows`; the paper's Hann window ("to suppress the spectral
   leakage") is applied where leakage arises, in the Fourier steps (:func:`spectrum`,
   :func:`envelope_spectrum`; :func:`taper` on its own), not before filtering, where it would
   put its bell shape on every envelope;
2. :func:`bandpass` — 4th-order Butterworth band-pass 500-5000 Hz, second-order sections, run
   forwards and backwards (zero phase, so impulses keep their timing);
3. :func:`envelope` — magnitude of the analytic signal (Hilbert transform), low-passed at 500 Hz;
4. :func:`spectrum` / :func:`envelope_spectrum` — one-sided FFT amplitude with a physical
   frequency axis; :func:`wavelet_packet` — Daubechies-8 packets at level 4, the 16 terminal nodes
   in *frequency* order;
5. :class:`ZScore` — normalisation with training statistics only.

:func:`network_input` assembles the time-frequency image fed to the network and :func:`features`
the hand-crafted features used by SHAP and the classical baselines. Bearing kinematics are
re-exported from :mod:`qpdm_lib.bearing`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pywt
import scipy.fft
import scipy.signal
import scipy.stats
from sklearn.preprocessing import StandardScaler

from ..bearing import CWRU_DRIVE_END, Bearing, FaultFrequencies
from ..data.cwru import FS as CWRU_FS

__all__ = [
    "FS",
    "BAND",
    "BAND_ORDER",
    "ENVELOPE_LOWPASS",
    "WAVELET",
    "WAVELET_LEVEL",
    "frames",
    "taper",
    "bandpass",
    "envelope",
    "spectrum",
    "envelope_spectrum",
    "wavelet_packet",
    "node_energies",
    "ZScore",
    "packet_map",
    "resize_maps",
    "network_input",
    "band_zscore",
    "images",
    "features",
    "envelope_peak_table",
    "Bearing",
    "FaultFrequencies",
    "CWRU_DRIVE_END",
]

FS = CWRU_FS  # Hz, QEML-Net section 3.1: every window is at 12 kHz
BAND = (500.0, 5000.0)  # Hz, band-pass of section 3.1
BAND_ORDER = 4  # Butterworth prototype order of the band-pass (section 3.1)
ENVELOPE_LOWPASS = 500.0  # Hz, low-pass after the Hilbert envelope (section 3.1)
WAVELET = "db8"  # Daubechies-8 packets (section 3.1)
WAVELET_LEVEL = 4  # decomposition level: 16 bands (section 3.1)


def frames(x: np.ndarray, *, length: int = 512, overlap: float = 0.5) -> np.ndarray:
    """Cut the last axis of ``x`` into epochs of ``length`` samples with fractional ``overlap``."""
    x = np.asarray(x)
    if not 0 <= overlap < 1:
        raise ValueError(f"overlap must be in [0, 1), got {overlap}")
    if not 1 <= length <= x.shape[-1]:
        raise ValueError(
            f"length must be in [1, {x.shape[-1]}] (the signal's length), got {length}"
        )
    hop = max(1, int(round(length * (1 - overlap))))
    return np.lib.stride_tricks.sliding_window_view(x, length, axis=-1)[..., ::hop, :]


def taper(x: np.ndarray) -> np.ndarray:
    """Multiply each epoch by a Hann window (periodic form, as for spectral analysis)."""
    x = np.asarray(x, dtype=np.float64)
    return x * scipy.signal.get_window("hann", x.shape[-1])


def _check_length(n: int, sos: np.ndarray, what: str) -> None:
    # sosfiltfilt pads each end by this many samples to absorb the filter's transient
    padlen = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
    if n <= padlen:
        raise ValueError(
            f"windows of {n} samples are not longer than the {what} filter's transient "
            f"({padlen} samples of padding); use longer windows or a lower filter order"
        )


def _butter(order: int, cutoff, btype: str, fs: float) -> np.ndarray:
    return scipy.signal.butter(order, cutoff, btype=btype, fs=fs, output="sos")


def bandpass(
    x: np.ndarray, *, fs: float = FS, band: tuple[float, float] = BAND, order: int = BAND_ORDER
) -> np.ndarray:
    """Zero-phase Butterworth band-pass along the last axis (QEML-Net section 3.1, step 1).

    ``order`` is the prototype order: ``scipy.signal.butter(4, band, "bandpass")`` gives 4
    second-order sections, whose forward-backward application doubles the attenuation.
    """
    low, high = band
    if not 0 < low < high < fs / 2:
        raise ValueError(f"band must satisfy 0 < low < high < fs/2, got {band} at fs={fs}")
    if order < 1:
        raise ValueError(f"order must be >= 1, got {order}")
    x = np.asarray(x, dtype=np.float64)
    sos = _butter(order, band, "bandpass", fs)
    _check_length(x.shape[-1], sos, "band-pass")
    # zero-phase filter so fault impulses keep their timing
    return scipy.signal.sosfiltfilt(sos, x, axis=-1)


def envelope(
    x: np.ndarray, *, fs: float = FS, lowpass: float | None = ENVELOPE_LOWPASS, order: int = 4
) -> np.ndarray:
    """Envelope |x + i·H{x}| along the last axis, low-passed at ``lowpass`` Hz (step 2).

    The low-pass keeps the modulation (fault repetition rates up to a few hundred Hz) and drops
    what is left of the carrier.
    """
    x = np.asarray(x, dtype=np.float64)
    env = np.abs(scipy.signal.hilbert(x, axis=-1))
    if lowpass is None:
        return env
    if not 0 < lowpass < fs / 2:
        raise ValueError(f"lowpass must be in (0, fs/2), got {lowpass} at fs={fs}")
    sos = _butter(order, lowpass, "lowpass", fs)
    _check_length(x.shape[-1], sos, "envelope low-pass")
    return scipy.signal.sosfiltfilt(sos, env, axis=-1)


def spectrum(
    x: np.ndarray, *, fs: float = FS, nfft: int | None = None, window: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """One-sided amplitude spectrum along the last axis: ``(frequencies in Hz, amplitude)``.

    With ``window=True`` a Hann taper is applied and amplitudes are corrected for its coherent
    gain, so a sinusoid of amplitude A reads A at its frequency. ``nfft`` zero-pads (finer grid,
    same resolution ``fs / n``).
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    nfft = nfft or n
    if nfft < n:
        raise ValueError(f"nfft must be >= the window length {n}, got {nfft}")
    w = scipy.signal.get_window("hann", n) if window else np.ones(n)
    flat = x.reshape(-1, n)
    amp = np.empty((len(flat), nfft // 2 + 1))
    # scipy's pocketfft, threaded, in chunks: the same numbers as numpy.fft.rfft, but a zero-padded
    # copy of 512 windows fits in cache where one of all 13,000 windows (400 MB) does not
    for start in range(0, len(flat), 512):
        part = flat[start : start + 512] * w
        amp[start : start + 512] = np.abs(scipy.fft.rfft(part, n=nfft, axis=-1, workers=-1))
    amp = amp.reshape(*x.shape[:-1], nfft // 2 + 1) * 2.0 / w.sum()
    amp[..., 0] /= 2.0  # the DC bin is not folded
    return np.fft.rfftfreq(nfft, 1.0 / fs), amp


def envelope_spectrum(
    env: np.ndarray, *, fs: float = FS, nfft: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Amplitude spectrum of an envelope, its mean removed (step 3)."""
    env = np.asarray(env, dtype=np.float64)
    return spectrum(env - env.mean(axis=-1, keepdims=True), fs=fs, nfft=nfft)


def wavelet_packet(
    x: np.ndarray,
    *,
    wavelet: str = WAVELET,
    level: int = WAVELET_LEVEL,
    mode: str = "periodization",
) -> np.ndarray:
    """Wavelet-packet coefficients of the last axis at ``level``, nodes in frequency order.

    Returns an array of shape ``(..., 2**level, n // 2**level)`` (with the default
    ``periodization`` mode): row k holds the coefficients of the k-th lowest frequency band, each
    ``fs / 2**(level+1)`` wide. PyWavelets' natural order (``aa…``, ``aa…d``, …) is *not* frequency
    order, because each high-pass step mirrors the spectrum; ``get_level(order="freq")`` undoes
    that (the Gray-code order).
    """
    x = np.asarray(x, dtype=np.float64)
    w = pywt.Wavelet(wavelet)
    if level < 1:
        raise ValueError(f"level must be >= 1, got {level}")
    if pywt.dwt_max_level(x.shape[-1], w.dec_len) < level:
        need = (w.dec_len - 1) * 2**level
        raise ValueError(
            f"wavelet-packet level {level} with {wavelet} needs windows of at least {need} "
            f"samples, got {x.shape[-1]}"
        )
    packet = pywt.WaveletPacket(x, w, mode=mode, maxlevel=level, axis=-1)
    return np.stack([node.data for node in packet.get_level(level, order="freq")], axis=-2)


def node_energies(coeffs: np.ndarray, *, relative: bool = True) -> np.ndarray:
    """Energy of each wavelet-packet node (sum of squares), optionally as a fraction of the total."""
    energy = np.sum(np.asarray(coeffs) ** 2, axis=-1)
    if relative:
        energy = energy / np.maximum(energy.sum(axis=-1, keepdims=True), np.finfo(float).tiny)
    return energy


@dataclass
class ZScore:
    """Z-score with statistics fitted on training data only (QEML-Net section 3.1, step 4).

    ``channel_axis`` names the axis whose entries get their own mean and standard deviation,
    pooled over every other axis (e.g. one statistic per wavelet-packet node of an image batch).
    Built on :class:`sklearn.preprocessing.StandardScaler`; ``transform`` before ``fit`` fails.

    Examples
    --------
    >>> import numpy as np
    >>> z = ZScore(channel_axis=1).fit(np.array([[0.0, 10.0], [2.0, 30.0]]))
    >>> z.transform(np.array([[1.0, 20.0]])).tolist()
    [[0.0, 0.0]]
    """

    channel_axis: int = -1
    _scaler: StandardScaler | None = None

    def _to_2d(self, x: np.ndarray) -> tuple[np.ndarray, tuple[int, ...]]:
        moved = np.moveaxis(np.asarray(x, dtype=np.float64), self.channel_axis, -1)
        return moved.reshape(-1, moved.shape[-1]), moved.shape

    def fit(self, x: np.ndarray) -> ZScore:
        flat, _ = self._to_2d(x)
        self._scaler = StandardScaler().fit(flat)
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        if self._scaler is None:
            raise RuntimeError(
                "ZScore.transform called before fit: fit on the training split first"
            )
        flat, shape = self._to_2d(x)
        if flat.shape[-1] != self._scaler.n_features_in_:
            raise ValueError(
                f"fitted on {self._scaler.n_features_in_} channels, got {flat.shape[-1]} "
                f"along axis {self.channel_axis}"
            )
        out = self._scaler.transform(flat).reshape(shape)
        return np.moveaxis(out, -1, self.channel_axis)

    def fit_transform(self, x: np.ndarray) -> np.ndarray:
        return self.fit(x).transform(x)

    @property
    def mean_(self) -> np.ndarray:
        return self._scaler.mean_

    @property
    def scale_(self) -> np.ndarray:
        return self._scaler.scale_


def packet_map(
    x: np.ndarray,
    *,
    fs: float = FS,
    band: tuple[float, float] = BAND,
    wavelet: str = WAVELET,
    level: int = WAVELET_LEVEL,
    banded: np.ndarray | None = None,
) -> np.ndarray:
    """log(1 + |c|) of the wavelet packets of each band-passed window: ``(n, 16, 32)``.

    Rows are frequency bands (lowest first), columns time steps. This is the map that
    :func:`network_input` normalises and resizes. ``banded`` is ``bandpass(x)`` when the caller
    already has it (the features need it too), so the windows are filtered once.
    """
    banded = bandpass(x, fs=fs, band=band) if banded is None else banded
    coeffs = wavelet_packet(banded, wavelet=wavelet, level=level)
    return np.log1p(np.abs(coeffs)).reshape(-1, *coeffs.shape[-2:])


def resize_maps(maps: np.ndarray, size: int) -> np.ndarray:
    """Bilinear resize of ``(n, rows, cols)`` maps to ``(n, 1, size, size)`` float32 images.

    The same numbers as ``scipy.ndimage.zoom(order=1, grid_mode=True, mode="nearest")``, computed
    as two large matrix products (columns, then rows) instead of n tiny ones.
    """
    if size < 8:
        raise ValueError(f"size must be >= 8 pixels, got {size}")
    maps = np.asarray(maps, dtype=np.float64)
    n, rows, cols = maps.shape
    across, down = _resize_matrix(cols, size).T, _resize_matrix(rows, size).T
    out = np.empty((n, 1, size, size), dtype=np.float32)
    for start in range(0, n, 1024):  # chunks keep the float64 intermediates small at 224 px
        part = maps[start : start + 1024]
        k = len(part)
        wide = (part.reshape(k * rows, cols) @ across).reshape(k, rows, size)
        tall = (wide.transpose(0, 2, 1).reshape(k * size, rows) @ down).reshape(k, size, size)
        out[start : start + k, 0] = tall.transpose(0, 2, 1)
    return out


def network_input(
    x: np.ndarray,
    *,
    fs: float = FS,
    size: int = 64,
    zscore: ZScore | None = None,
    band: tuple[float, float] = BAND,
    wavelet: str = WAVELET,
    level: int = WAVELET_LEVEL,
    banded: np.ndarray | None = None,
) -> np.ndarray:
    """The time-frequency image of each window: shape ``(n, 1, size, size)``, float32.

    band-pass → db8 wavelet packets at level 4 (16 frequency bands × 32 time steps for
    512 samples) → log(1 + |c|) (:func:`packet_map`) → z-score per frequency band with ``zscore``,
    a :class:`ZScore` (``channel_axis=1``) fitted on the *training* windows' maps → bilinear resize
    to ``size × size`` (:func:`resize_maps`). Without ``zscore`` the map is not normalised.

    Why this image (the paper leaves it open): the band-passed packet map shows *when* each
    resonance band rings, so the impact train and its spacing (BPFI, BPFO) are visible along the
    time axis, which is what a convolutional network can learn from. The envelope and the spectra
    are one-dimensional summaries of the same information; they feed :func:`features`.
    """
    maps = packet_map(x, fs=fs, band=band, wavelet=wavelet, level=level, banded=banded)
    return images(maps, zscore, size)


def band_zscore(train_maps: np.ndarray) -> ZScore:
    """The z-score of section 3.1 step 4 for packet maps: one mean and standard deviation per
    frequency band (axis 1), fitted on the *training* windows' maps only."""
    return ZScore(channel_axis=1).fit(train_maps)


def images(maps: np.ndarray, zscore: ZScore | None, size: int) -> np.ndarray:
    """Network images from packet maps: z-scored with ``zscore`` (a :func:`band_zscore`; ``None``
    leaves the map as it is) and resized to ``(n, 1, size, size)``. Every chapter and the
    training runs build the network's input through this one function."""
    if size < 8:
        raise ValueError(f"size must be >= 8 pixels, got {size}")
    return resize_maps(zscore.transform(maps) if zscore is not None else maps, size)


def _resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Linear-interpolation matrix mapping ``n_in`` pixel centres onto ``n_out`` (edges clamped)."""
    centres = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    left = np.floor(centres).astype(int)
    right = np.minimum(left + 1, n_in - 1)
    frac = centres - left
    matrix = np.zeros((n_out, n_in))
    np.add.at(matrix, (np.arange(n_out), left), 1 - frac)
    np.add.at(matrix, (np.arange(n_out), right), frac)
    return matrix


def features(
    x: np.ndarray,
    *,
    rpm: float | np.ndarray,
    fs: float = FS,
    bearing: Bearing = CWRU_DRIVE_END,
    band: tuple[float, float] = BAND,
    nfft: int = 4096,
    banded: np.ndarray | None = None,
) -> pd.DataFrame:
    """Hand-crafted features per window (rows), used by SHAP and the classical baselines.

    ``banded`` is ``bandpass(x)`` when the caller already has it (:func:`packet_map` needs it
    too), so the windows are filtered once.

    Time domain on the raw window: RMS, kurtosis (Pearson, 3 for a Gaussian), crest factor,
    skewness, peak-to-peak. Spectrum of the tapered window: peak frequency, spectral centroid.
    Envelope spectrum of the band-passed window: amplitude at BPFI, BPFO and 2·BSF for the window's
    shaft speed (a Hann-windowed DFT evaluated at exactly those frequencies). Wavelet packets (db8, level 4) of the raw window: 16 relative node energies.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be (windows, samples), got shape {x.shape}")
    rpm = np.broadcast_to(np.asarray(rpm, dtype=np.float64), (x.shape[0],))
    rms = np.sqrt(np.mean(x**2, axis=-1))
    out = {
        "rms": rms,
        "kurtosis": scipy.stats.kurtosis(x, axis=-1, fisher=False),
        "crest_factor": np.max(np.abs(x), axis=-1) / rms,
        "skewness": scipy.stats.skew(x, axis=-1),
        "peak_to_peak": np.ptp(x, axis=-1),
    }
    f, amp = spectrum(x - x.mean(axis=-1, keepdims=True), fs=fs, nfft=nfft)
    out["fft_peak_hz"] = f[np.argmax(amp[:, 1:], axis=-1) + 1]
    power = amp**2
    out["spectral_centroid_hz"] = (power * f).sum(axis=-1) / power.sum(axis=-1)
    banded = bandpass(x, fs=fs, band=band) if banded is None else banded
    env = envelope(banded, fs=fs)
    env = env - env.mean(axis=-1, keepdims=True)
    hann = scipy.signal.get_window("hann", x.shape[-1])
    t = np.arange(x.shape[-1]) / fs
    kin = bearing.frequencies(rpm=60.0)  # at 1 rev/s: the multiples of shaft frequency
    for name, multiple in (("bpfi", kin.bpfi), ("bpfo", kin.bpfo), ("bsf2", 2 * kin.bsf)):
        target = multiple * rpm / 60.0  # Hz at each window's own shaft speed
        # the envelope spectrum is needed at three frequencies only: a direct DFT at exactly
        # those frequencies is cheaper than a full FFT and has no bin rounding
        kernel = np.exp(-2j * np.pi * target[:, None] * t[None, :]) * hann
        out[f"env_{name}"] = np.abs(np.sum(env * kernel, axis=-1)) * 2.0 / hann.sum()
    energies = node_energies(wavelet_packet(x))
    for k in range(energies.shape[-1]):
        out[f"wpd_e{k:02d}"] = energies[:, k]
    return pd.DataFrame(out)


def envelope_peak_table(
    windows,
    *,
    search: tuple[float, float] = (75.0, 400.0),
    tolerance: float = 0.05,
    prominence: float = 0.5,
    nfft: int = 4096,
    bearing: Bearing = CWRU_DRIVE_END,
) -> pd.DataFrame:
    """Measured envelope-spectrum line of each fault record against its kinematic frequency.

    For every inner-race, outer-race and ball record in ``windows`` (a
    :class:`qpdm_lib.data.cwru.Windows`), the envelope spectra of all its windows are averaged and
    the strongest *line* inside ``search`` Hz is taken: a local maximum strictly inside the band
    (a maximum on the band's edge is the slope of something outside it, not a line) whose
    prominence is at least ``prominence`` times the band's median amplitude
    (:func:`scipy.signal.find_peaks`). A record without such a line gets ``measured_hz`` NaN.
    ``within_tolerance`` tests ``|measured / theoretical - 1| <= tolerance``; ``bpfi_over_bpfo``
    is the amplitude ratio at the two race frequencies, the classic inner-versus-outer decision.
    """
    env = envelope(bandpass(windows.x, fs=windows.fs), fs=windows.fs)
    f, amp = envelope_spectrum(env, fs=windows.fs, nfft=nfft)
    inside = (f >= search[0]) & (f <= search[1])
    rows = []
    for rec in windows.records.itertuples():
        if rec.fault not in ("Inner Race", "Outer Race", "Ball"):
            continue
        mean = amp[windows.record == rec.record].mean(axis=0)
        kin = bearing.frequencies(rpm=rec.rpm)
        expected = {"Inner Race": kin.bpfi, "Outer Race": kin.bpfo, "Ball": 2 * kin.bsf}[rec.fault]
        floor = float(np.median(mean[inside]))
        peaks, props = scipy.signal.find_peaks(mean, prominence=prominence * floor)
        lines = peaks[inside[peaks]]  # local maxima: never the band's first or last bin
        measured = float(f[lines[np.argmax(mean[lines])]]) if len(lines) else float("nan")

        def at(freq: float, mean: np.ndarray = mean) -> float:
            return float(mean[np.argmin(np.abs(f - freq))])

        rows.append(
            {
                "record": rec.record,
                "fault": rec.fault,
                "size_in": rec.size_in,
                "load_hp": rec.load_hp,
                "rpm": rec.rpm,
                "theoretical_hz": expected,
                "measured_hz": measured,
                "ratio": measured / expected,
                "within_tolerance": bool(abs(measured / expected - 1) <= tolerance),
                "bpfi_over_bpfo": at(kin.bpfi) / at(kin.bpfo),
            }
        )
    return pd.DataFrame(rows)
