import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

from qpdm_lib.data import cwru, open_source
from qpdm_lib.qeml import signal as pp

from ..helpers import need_real

FS = 12_000


def _tone(freq, n=24_000, amp=1.0):
    return amp * np.sin(2 * np.pi * freq * np.arange(n) / FS)


@pytest.mark.parametrize("freq", [150.0, 500.0, 1000.0, 3000.0, 5000.0, 5600.0])
def test_bandpass_gain_matches_scipy_response(freq):
    # forward-backward filtering squares the magnitude response of the 4-section design
    sos = scipy.signal.butter(4, pp.BAND, btype="bandpass", fs=FS, output="sos")
    _, h = scipy.signal.sosfreqz(sos, worN=[freq], fs=FS)
    x = _tone(freq)
    y = pp.bandpass(x)
    mid = slice(6_000, 18_000)  # away from the edges
    gain = np.sqrt(np.mean(y[mid] ** 2) / np.mean(x[mid] ** 2))
    assert gain == pytest.approx(np.abs(h[0]) ** 2, rel=0.02, abs=1e-4)


def test_bandpass_is_zero_phase():
    x = np.zeros(4096)
    x[2000] = 1.0
    y = pp.bandpass(x)
    assert np.argmax(np.abs(y)) == 2000
    np.testing.assert_allclose(y[2000 - 300 : 2000], y[2001:2301][::-1], atol=1e-10)  # symmetric


def test_envelope_recovers_the_modulation():
    t = np.arange(24_000) / FS
    x = (1 + 0.5 * np.cos(2 * np.pi * 97 * t)) * np.cos(2 * np.pi * 3000 * t)
    env = pp.envelope(x)
    mid = slice(2_000, 22_000)
    np.testing.assert_allclose(env[mid], (1 + 0.5 * np.cos(2 * np.pi * 97 * t))[mid], atol=0.01)
    f, amp = pp.envelope_spectrum(env)
    assert f[np.argmax(amp)] == pytest.approx(97, abs=0.5)
    assert amp.max() == pytest.approx(0.5, rel=0.02)  # amplitude-correct spectrum


def test_spectrum_reads_a_sinusoid_amplitude():
    f, amp = pp.spectrum(_tone(1500.0, n=512, amp=2.0))
    assert f[np.argmax(amp)] == 1500.0 and amp.max() == pytest.approx(2.0, rel=1e-6)


def test_wavelet_packet_nodes_are_in_frequency_order():
    width = FS / 2 / 16  # 375 Hz per node
    tones = np.stack([_tone((k + 0.5) * width, n=512) for k in range(16)])
    energies = pp.node_energies(pp.wavelet_packet(tones))
    assert energies.shape == (16, 16)
    np.testing.assert_array_equal(np.argmax(energies, axis=1), np.arange(16))
    np.testing.assert_allclose(energies.sum(axis=1), 1.0)


def test_wavelet_packet_shape_and_energy():
    x = np.random.default_rng(0).normal(size=(3, 512))
    coeffs = pp.wavelet_packet(x)
    assert coeffs.shape == (3, 16, 32)
    # db8 with periodisation is orthogonal: energy is preserved
    np.testing.assert_allclose((coeffs**2).sum(axis=(1, 2)), (x**2).sum(axis=1), rtol=1e-10)


def test_zscore_uses_training_statistics_only():
    rng = np.random.default_rng(1)
    train = rng.normal(5.0, 2.0, size=(200, 3, 8))
    test = rng.normal(50.0, 2.0, size=(20, 3, 8))
    z = pp.ZScore(channel_axis=1).fit(train)
    np.testing.assert_allclose(z.mean_, train.mean(axis=(0, 2)))
    out = z.transform(test)
    expected = (test - train.mean(axis=(0, 2))[None, :, None]) / train.std(axis=(0, 2))[
        None, :, None
    ]
    np.testing.assert_allclose(out, expected)
    assert out.mean() > 10  # test data are not re-centred on their own statistics
    with pytest.raises(RuntimeError, match="fit on the training split first"):
        pp.ZScore().transform(train)
    with pytest.raises(ValueError, match="fitted on 3 channels, got 8"):
        z.transform(np.zeros((2, 8, 3)))


def test_network_input_normalises_bands_before_resizing():
    x = np.random.default_rng(3).normal(size=(40, 512))
    maps = pp.packet_map(x)
    z = pp.ZScore(channel_axis=1).fit(maps[:30])
    img = pp.network_input(x, size=16, zscore=z)
    np.testing.assert_allclose(img, pp.resize_maps(z.transform(maps), 16))
    rows = pp.network_input(x[:30], size=32, zscore=z)[:, 0]
    assert abs(rows.mean()) < 0.1  # training windows come out centred


def test_network_input_shape_and_resize():
    x = np.random.default_rng(2).normal(size=(4, 512))
    img = pp.network_input(x, size=32)
    assert img.shape == (4, 1, 32, 32) and img.dtype == np.float32
    small = np.log1p(np.abs(pp.wavelet_packet(pp.bandpass(x))))  # no taper before filtering
    ref = scipy.ndimage.zoom(small, (1, 2, 1), order=1, grid_mode=True, mode="nearest")
    np.testing.assert_allclose(img[:, 0], ref, rtol=1e-5, atol=1e-6)


def test_features_on_hand_computed_cases():
    tone = _tone(1500.0, n=512, amp=2.0)[None]
    f = pp.features(tone, rpm=1797).iloc[0]
    assert f.rms == pytest.approx(2 / np.sqrt(2), rel=1e-3)
    assert f["kurtosis"] == pytest.approx(1.5, rel=1e-2)  # a sinusoid's Pearson kurtosis
    assert f.crest_factor == pytest.approx(np.sqrt(2), rel=1e-2)
    assert f.peak_to_peak == pytest.approx(4.0, rel=1e-2)
    assert f.fft_peak_hz == pytest.approx(1500, abs=3)
    assert f.spectral_centroid_hz == pytest.approx(1500, rel=0.02)
    centre = pp.features(_tone(4.5 * 375.0, n=512)[None], rpm=1797).iloc[0]  # middle of node 4
    wpd = centre[[c for c in centre.index if c.startswith("wpd_e")]]
    assert wpd.idxmax() == "wpd_e04" and wpd.sum() == pytest.approx(1.0)


def test_envelope_features_point_at_the_fault():
    src = open_source("cwru", "synthetic")
    w = cwru.load_windows(src, records=[105, 130], max_per_record=40)
    feats = pp.features(w.x, rpm=1797)
    inner, outer = feats[w.record == 105], feats[w.record == 130]
    assert (inner.env_bpfi.mean() > inner.env_bpfo.mean()) and (
        outer.env_bpfo.mean() > outer.env_bpfi.mean()
    )


@need_real("cwru/105.mat", "cwru/130.mat", "cwru/197.mat", "cwru/209.mat", "cwru/234.mat")
def test_real_envelope_spectra_peak_at_bpfi_and_bpfo(real_data):
    w = cwru.load_windows(open_source("cwru", "real"))
    table = pp.envelope_peak_table(w, tolerance=0.05).set_index("record")
    races = table[table.fault.isin(["Inner Race", "Outer Race"])]
    clear = races[races.size_in != 0.014]
    assert clear.within_tolerance.all(), clear[["measured_hz", "theoretical_hz"]]
    inner = table[table.fault == "Inner Race"]
    assert (inner.bpfi_over_bpfo > 1).all()  # every inner-race record favours BPFI
    # observed, and stated in the preprocessing chapter: the 0.014" outer-race records
    # (197-199) carry no outer-race signature in their envelope spectra
    assert not table.loc[[197, 198, 199], "within_tolerance"].any()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: pp.bandpass(np.zeros(512), band=(500, 7000)),
            r"band must satisfy 0 < low < high < fs/2, got \(500, 7000\) at fs=12000",
        ),
        (
            lambda: pp.bandpass(np.zeros(20)),
            "windows of 20 samples are not longer than the band-pass filter's transient",
        ),
        (
            lambda: pp.envelope(np.zeros(512), lowpass=6000),
            r"lowpass must be in \(0, fs/2\), got 6000",
        ),
        (
            lambda: pp.wavelet_packet(np.zeros(128), level=4),
            "wavelet-packet level 4 with db8 needs windows of at least 240 samples, got 128",
        ),
        (
            lambda: pp.spectrum(np.zeros(512), nfft=256),
            "nfft must be >= the window length 512, got 256",
        ),
        (lambda: pp.frames(np.zeros(100), length=200), r"length must be in \[1, 100\]"),
        (lambda: pp.network_input(np.zeros((1, 512)), size=4), "size must be >= 8 pixels, got 4"),
        (lambda: pp.features(np.zeros(512), rpm=1797), r"x must be \(windows, samples\)"),
    ],
)
def test_bad_parameters_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _modulated_windows(mod_hz, *, n_windows=40, fault="Inner Race"):
    """Windows of a 3 kHz carrier amplitude-modulated at ``mod_hz``, as one CWRU-like record."""
    import pandas as pd

    from qpdm_lib.data.cwru import Windows

    rng = np.random.default_rng(0)
    t = np.arange(n_windows * 256 + 256) / pp.FS
    signal = (1 + 0.8 * np.cos(2 * np.pi * mod_hz * t)) * np.sin(2 * np.pi * 3000 * t)
    signal += rng.normal(0, 0.5, len(t))  # a noise floor, as in measured records
    x = pp.frames(signal).astype(np.float32)
    records = pd.DataFrame(
        [{"record": 1, "fault": fault, "size_in": 0.007, "load_hp": 0, "rpm": 1797}]
    )
    n = len(x)
    return Windows(x, np.full(n, 2), np.ones(n, int), np.arange(n) * 256, pp.FS, records)


def test_envelope_line_at_the_fault_frequency_is_found():
    bpfi = pp.CWRU_DRIVE_END.frequencies(rpm=1797).bpfi
    row = pp.envelope_peak_table(_modulated_windows(bpfi)).iloc[0]
    assert row.measured_hz == pytest.approx(bpfi, rel=0.03) and row.within_tolerance


def test_a_maximum_on_the_band_edge_is_not_a_line():
    # modulation at 40 Hz: the envelope spectrum falls from 40 Hz through the search band, so its
    # largest value inside 75-400 Hz sits on the band's first bin; that is not a line
    row = pp.envelope_peak_table(_modulated_windows(40.0)).iloc[0]
    assert np.isnan(row.measured_hz) and not row.within_tolerance
