"""Preprocessing speed: every CWRU window, vectorised vs a per-window loop (issue: preprocessing).

Both paths compute the same things for each window — the network input image (band-pass, db8
packets, log, resize) and the 26 hand-crafted features — and the script checks that they
agree before timing. The reference is what one writes first: a Python loop calling scipy and
PyWavelets on one window at a time. It is timed on a subset (``--loop-windows``) and reported in
windows per second; the vectorised path runs on every window.

    python benchmarks/preprocess.py [--size 64] [--loop-windows 800]

Uses the real CWRU records when ``QPDM_DATA_DIR`` holds them, else the synthetic stand-ins.
The last line is ``ratio=<vectorised windows/s ÷ loop windows/s>``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pywt
import scipy.ndimage
import scipy.signal
import scipy.stats

from qpdm_lib.bearing import CWRU_DRIVE_END
from qpdm_lib.data import cwru, open_source
from qpdm_lib.qeml import signal as pp

FS = pp.FS


def reference_one(
    x: np.ndarray, rpm: float, size: int, nfft: int = 4096
) -> tuple[np.ndarray, np.ndarray]:
    """One window, step by step, the straightforward way."""
    sos = scipy.signal.butter(4, pp.BAND, btype="bandpass", fs=FS, output="sos")
    low = scipy.signal.butter(4, pp.ENVELOPE_LOWPASS, btype="lowpass", fs=FS, output="sos")
    hann = scipy.signal.get_window("hann", len(x))
    band = scipy.signal.sosfiltfilt(sos, x)  # the Hann window belongs to the FFT steps only
    packet = pywt.WaveletPacket(band, "db8", mode="periodization", maxlevel=4)
    coeffs = np.array([node.data for node in packet.get_level(4, order="freq")])
    small = np.log1p(np.abs(coeffs))
    rows, cols = small.shape
    image = scipy.ndimage.zoom(
        small, (size / rows, size / cols), order=1, grid_mode=True, mode="nearest"
    )

    rms = np.sqrt(np.mean(x**2))
    centred = x - x.mean()
    amp = np.abs(np.fft.rfft(centred * hann, n=nfft)) * 2 / hann.sum()
    amp[0] /= 2
    f = np.fft.rfftfreq(nfft, 1 / FS)
    env = scipy.signal.sosfiltfilt(low, np.abs(scipy.signal.hilbert(band)))
    kin = CWRU_DRIVE_END.frequencies(rpm=rpm)
    t = np.arange(len(x)) / FS
    at = [
        np.abs(np.sum((env - env.mean()) * hann * np.exp(-2j * np.pi * freq * t))) * 2 / hann.sum()
        for freq in (kin.bpfi, kin.bpfo, 2 * kin.bsf)
    ]
    raw_packet = pywt.WaveletPacket(x, "db8", mode="periodization", maxlevel=4)
    energy = np.array([np.sum(node.data**2) for node in raw_packet.get_level(4, order="freq")])
    feats = [
        rms,
        scipy.stats.kurtosis(x, fisher=False),
        np.max(np.abs(x)) / rms,
        scipy.stats.skew(x),
        np.ptp(x),
        f[np.argmax(amp[1:]) + 1],
        np.sum(amp**2 * f) / np.sum(amp**2),
        *at,
        *(energy / energy.sum()),
    ]
    return image, np.array(feats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", type=int, default=64, help="network input size (quick profile: 64)"
    )
    parser.add_argument("--loop-windows", type=int, default=800, help="windows timed in the loop")
    args = parser.parse_args()

    source = open_source("cwru", "auto")
    windows = cwru.load_windows(source)
    rpm = windows.records.set_index("record").rpm.loc[windows.record].to_numpy()
    print(
        f"data: {source.kind}, {len(windows.records)} records, {len(windows)} windows of 512 samples"
    )

    start = time.perf_counter()
    banded = pp.bandpass(windows.x)  # filtered once, for the image and for the features
    images = pp.network_input(windows.x, size=args.size, banded=banded)
    feats = pp.features(windows.x, rpm=rpm, banded=banded).to_numpy()
    vec_s = time.perf_counter() - start
    vec_rate = len(windows) / vec_s

    pick = np.linspace(0, len(windows) - 1, min(args.loop_windows, len(windows))).astype(int)
    start = time.perf_counter()
    ref = [reference_one(windows.x[i].astype(np.float64), rpm[i], args.size) for i in pick]
    loop_s = time.perf_counter() - start
    loop_rate = len(pick) / loop_s

    # the two paths must compute the same numbers before their speeds mean anything
    np.testing.assert_allclose(np.stack([r[0] for r in ref]), images[pick, 0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.stack([r[1] for r in ref]), feats[pick], rtol=1e-6, atol=1e-9)

    print(f"vectorised: {len(windows)} windows in {vec_s:.2f} s = {vec_rate:,.0f} windows/s")
    print(f"per-window loop: {len(pick)} windows in {loop_s:.2f} s = {loop_rate:,.0f} windows/s")
    print(f"whole set by loop would take {len(windows) / loop_rate:.1f} s")
    print(f"ratio={vec_rate / loop_rate:.1f}")


if __name__ == "__main__":
    main()
