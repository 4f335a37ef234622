import numpy as np
import pytest
import scipy.signal

from qpdm_lib.bearing import CWRU_DRIVE_END
from qpdm_lib.data import synthetic


@pytest.mark.parametrize(
    ("fault", "attr", "mult"),
    [("Inner Race", "bpfi", 1), ("Outer Race", "bpfo", 1), ("Ball", "bsf", 2)],
)
def test_envelope_spectrum_peaks_at_the_fault_frequency(fault, attr, mult):
    fs, rpm = 12_000, 1797
    x = synthetic.bearing_signal(
        fault, rpm=rpm, fs=fs, n=fs * 4, size_in=0.014, snr_db=6.0, rng=np.random.default_rng(0)
    )
    b, a = scipy.signal.butter(4, [2000, 4500], btype="band", fs=fs)
    env = np.abs(scipy.signal.hilbert(scipy.signal.filtfilt(b, a, x)))
    spec = np.abs(np.fft.rfft(env - env.mean()))
    f = np.fft.rfftfreq(len(env), 1 / fs)
    expected = mult * getattr(CWRU_DRIVE_END.frequencies(rpm=rpm), attr)
    # the strongest envelope line between half and one and a half times the fault frequency is
    # the fault frequency, standing well clear of the floor (harmonics may be as strong)
    band = (f > 0.5 * expected) & (f < 1.5 * expected)
    assert f[band][np.argmax(spec[band])] == pytest.approx(expected, rel=0.02)
    assert spec[band].max() > 10 * np.median(spec[band])


def test_snr_is_as_asked():
    rng = np.random.default_rng(1)
    x = synthetic.bearing_signal(
        "Normal", rpm=1797, fs=12_000, n=120_000, size_in=0.0, snr_db=0.0, rng=rng
    )
    # at 0 dB the noise power equals the shaft tone power, so the total is twice the tone's
    tone_power = 0.03**2 / 2 + 0.012**2 / 2
    assert np.mean(x**2) == pytest.approx(2 * tone_power, rel=0.05)


def test_same_seed_same_files(tmp_path):
    a = synthetic.write_cmapss(tmp_path / "a", subset="FD001", seed=5)
    b = synthetic.write_cmapss(tmp_path / "b", subset="FD001", seed=5)
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def test_bad_arguments():
    with pytest.raises(
        ValueError, match="fault must be Normal, Inner Race, Outer Race or Ball, got 'Cage'"
    ):
        synthetic.bearing_signal(
            "Cage", rpm=1797, fs=12_000, n=10, size_in=0, snr_db=0, rng=np.random.default_rng()
        )
    with pytest.raises(ValueError, match="subset must be one of"):
        synthetic.write_cmapss("unused", subset="FD9")


def test_an_interrupted_synthetic_set_is_written_again(monkeypatch, tmp_path):
    from qpdm_lib.data import open_source

    monkeypatch.setenv("QPDM_SYNTHETIC_DIR", str(tmp_path))
    real_writer = synthetic.write_cwru

    def interrupted(root, *, seed=0):
        real_writer(root, seed=seed, records=(97, 105))  # two files, then the user hits Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(synthetic, "write_cwru", interrupted)
    with pytest.raises(KeyboardInterrupt):
        open_source("cwru", "synthetic", seed=5)
    monkeypatch.setattr(synthetic, "write_cwru", real_writer)
    src = open_source("cwru", "synthetic", seed=5)
    assert src.cwru_records() == sorted(synthetic.CWRU_SET)  # the whole set, not the two files
