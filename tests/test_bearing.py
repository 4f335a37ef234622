import pytest

from qpdm_lib.bearing import CWRU_DRIVE_END, Bearing


def test_cwru_multiples_match_the_bearing_data_center():
    # CWRU publishes the drive-end bearing's defect frequencies as multiples of shaft speed:
    # BPFI 5.4152, BPFO 3.5848, FTF 0.39828, and 4.7135 for the ball (which is 2 x BSF), each
    # rounded to five significant digits (FTF differs from the geometry by 3e-5).
    f = CWRU_DRIVE_END.frequencies(rpm=60.0)  # fr = 1 Hz, so frequencies are the multiples
    assert f.bpfi == pytest.approx(5.4152, abs=2e-4)
    assert f.bpfo == pytest.approx(3.5848, abs=2e-4)
    assert f.ftf == pytest.approx(0.39828, abs=5e-5)
    assert 2 * f.bsf == pytest.approx(4.7135, abs=2e-4)


def test_bpfi_plus_bpfo_is_n_times_fr():
    f = CWRU_DRIVE_END.frequencies(rpm=1797)
    assert f.bpfi + f.bpfo == pytest.approx(9 * f.fr)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(n_balls=0, ball_diameter=1, pitch_diameter=2), "n_balls must be >= 1"),
        (dict(n_balls=9, ball_diameter=3, pitch_diameter=2), "ball_diameter < pitch_diameter"),
    ],
)
def test_bad_geometry_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Bearing("x", **kwargs)


def test_bad_rpm_is_named():
    with pytest.raises(ValueError, match="rpm must be > 0, got -5"):
        CWRU_DRIVE_END.frequencies(rpm=-5)
