"""The bearing contract, for every model of QEML-Net Table 3 that is built."""

import dataclasses

import numpy as np
import pytest

from qpdm_lib import baselines
from qpdm_lib.baselines import BearingInputs
from qpdm_lib.baselines.bearing import N_CLASSES
from qpdm_lib.qeml.splits import Split

from . import problems

NAMES = list(baselines.BEARING)


def _one_line(excinfo) -> None:
    assert "\n" not in str(excinfo.value)


def test_every_built_model_has_a_tiny_config():
    assert sorted(problems.BEARING_TINY) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_learns_the_tone_problem(name, bearing_problem, bearing_fitted):
    data, split = bearing_problem
    model = bearing_fitted(name)
    proba = model.predict_proba(data, split.test)
    assert proba.shape == (len(split.test), N_CLASSES) == (40, 8)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert (proba >= 0).all()
    absent = np.setdiff1d(np.arange(N_CLASSES), problems.LABELS)
    assert (proba[:, absent] == 0).all()  # classes never trained on get exactly 0
    accuracy = (proba.argmax(axis=1) == data.y[split.test]).mean()
    assert accuracy >= problems.BEARING_ACCURACY[name], f"{name}: test accuracy {accuracy:.2f}"
    np.testing.assert_array_equal(model.predict(data, split.test), proba.argmax(axis=1))
    assert model.name == name and isinstance(model.n_parameters(), int) and model.n_parameters() > 0
    assert dataclasses.is_dataclass(model.config) and model.config.__dataclass_params__.frozen


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_probabilities_and_no_test_leakage(name, bearing_problem):
    data, split = bearing_problem
    config = problems.bearing_quick(name)
    first = baselines.get(name, family="bearing", **config).fit(data, split, seed=3)
    again = baselines.get(name, family="bearing", **config).fit(data, split, seed=3)
    seen = np.concatenate([split.train, split.val])
    np.testing.assert_array_equal(first.predict_proba(data, seen), again.predict_proba(data, seen))
    # the test windows changed beyond recognition: a model that fits any statistic on them
    # (a scaler, a z-score) would now predict the training windows differently
    windows, features, maps = data.windows.copy(), data.features.copy(), data.maps.copy()
    windows[split.test] = windows[split.test] * 50 + 7
    features[split.test] = features[split.test] * 50 + 7
    maps[split.test] = maps[split.test] * 50 + 7
    moved = BearingInputs(windows, data.y, features, maps, data.image_size)
    other = baselines.get(name, family="bearing", **config).fit(moved, split, seed=3)
    np.testing.assert_array_equal(first.predict_proba(data, seen), other.predict_proba(moved, seen))


@pytest.mark.parametrize("name", NAMES)
def test_a_window_is_predicted_alone_as_in_a_batch(name, bearing_problem, bearing_fitted):
    data, split = bearing_problem
    model = bearing_fitted(name)
    batch = model.predict_proba(data, split.test)
    alone = np.vstack([model.predict_proba(data, split.test[k : k + 1]) for k in range(3)])
    np.testing.assert_allclose(alone, batch[:3], atol=1e-6)
    assert model.predict_proba(data, np.array([], dtype=int)).shape == (0, 8)


def test_bundle_checks_its_inputs():
    x = np.zeros((4, 512), np.float32)
    y = np.array([0, 1, 2, 3])
    cases = [
        (dict(windows=np.zeros(512), y=y), r"windows must be \(n, length >= 16\), got shape \(512,\)"),
        (dict(windows=np.where(np.eye(4, 512) > 0, np.nan, 0.0), y=y),
         "windows holds NaN or infinite values"),
        (dict(windows=x, y=np.array([0, 1, 2, 8])), "y must index the 8 classes, got 0..8"),
        (dict(windows=x, y=y.astype(float)), "y must be"),
        (dict(windows=x, y=y, features=np.zeros((3, 26))), r"features must be \(4, f\)"),
        (dict(windows=x, y=y, features=np.full((4, 2), np.inf)), "features holds NaN"),
        (dict(windows=x, y=y, maps=np.zeros((4, 16))), r"maps must be \(4, bands, steps\)"),
        (dict(windows=x, y=y, image_size=4), "image_size must be an integer >= 8, got 4"),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message) as err:
            BearingInputs(**kwargs)
        _one_line(err)


def test_bundle_from_cwru_windows_keeps_names_and_rows():
    from qpdm_lib.data import cwru, open_source

    win = cwru.load_windows(open_source("cwru", "synthetic"), records=[97, 105], max_per_record=4)
    data = BearingInputs.from_windows(win, image_size=16, maps=False)
    assert len(data) == 8 and data.features.shape == (8, 26) and data.maps is None
    assert data.feature_names[:2] == ("rms", "kurtosis")
    with pytest.raises(ValueError, match=r"ResNet-50 needs data.maps; build BearingInputs") as err:
        baselines.get("ResNet-50").fit(data, Split(np.arange(4), np.arange(4, 6), np.arange(6, 8)), seed=0)  # fmt: skip
    _one_line(err)


def test_fit_and_predict_check_their_inputs(bearing_problem):
    data, split = bearing_problem
    model = baselines.get("Random Forest", n_estimators=5)
    with pytest.raises(RuntimeError, match="call fit before predict_proba"):
        model.predict_proba(data, split.test)
    bad = [
        (Split(split.train, split.val, split.train[:3]), "split.train and split.test share windows"),
        (Split(split.train, split.train[:2], split.test), "split.train and split.val share windows"),
        (Split(np.array([0, 10_000]), split.val, split.test), r"split.train holds positions outside \[0, 160\)"),
        (Split(split.train, np.array([], int), split.test), "need >= 2 training and >= 1 validation"),
        (Split(split.train.astype(float), split.val, split.test), "split.train must be a 1-D array of integer"),
        (Split(split.train[data.y[split.train] == 0], split.val, split.test), "the training windows hold one class only"),
    ]  # fmt: skip
    for s, message in bad:
        with pytest.raises(ValueError, match=message) as err:
            model.fit(data, s, seed=0)
        _one_line(err)
    with pytest.raises(ValueError, match="data must be a BearingInputs, got ndarray"):
        model.fit(data.windows, split, seed=0)
    model.fit(data, split, seed=0)
    with pytest.raises(ValueError, match="index holds positions outside") as err:
        model.predict_proba(data, np.array([-1]))
    _one_line(err)
