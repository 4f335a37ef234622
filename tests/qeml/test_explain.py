"""Interpretability helpers: SHAP adds up, Grad-CAM finds a known band, bands and shares by hand."""

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.ensemble import RandomForestClassifier
from torch import nn

from qpdm_lib.data.cwru import Windows
from qpdm_lib.qeml import explain
from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet
from qpdm_lib.qeml.training import evaluate, save_checkpoint

from ..helpers import cwru_like_windows


# --- SHAP -------------------------------------------------------------------------------------
def _feature_data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.normal(size=(n, 4)), columns=["decides", "noise_a", "noise_b", "noise_c"])
    y = (x["decides"] > 0).astype(int).to_numpy() + 2 * (x["decides"] > 1).to_numpy()
    return x, y


def test_feature_shap_adds_up_to_the_output_minus_the_expected_value():
    x, y = _feature_data()
    forest = RandomForestClassifier(n_estimators=20, max_depth=5, random_state=0).fit(x, y)
    shap_result = explain.feature_shap(forest, x.iloc[:50])
    assert shap_result.values.shape == (50, 4, 3)
    total = shap_result.expected[None, :] + shap_result.values.sum(axis=1)
    np.testing.assert_allclose(total, forest.predict_proba(x.iloc[:50]), atol=1e-6)
    assert shap_result.additivity_gap() < 1e-6
    # the known answer: only one feature decides the class
    importance = shap_result.importance(y[:50])
    assert importance.index[0] == "decides" and importance.iloc[0] > 5 * importance.iloc[1]
    assert shap_result.classes == (0, 1, 3)  # labels, not positions: class 3 is output 2
    own = shap_result.of_class(y[:50])
    for i in range(50):
        np.testing.assert_array_equal(own[i], shap_result.values[i, :, [0, 1, 3].index(y[i])])
    with pytest.raises(ValueError, match=r"classes \[2\] are not among"):
        shap_result.of_class(np.full(50, 2))
    with pytest.raises(ValueError, match="one class per window"):
        shap_result.of_class(y[:10])


@pytest.fixture(scope="module")
def small_net():
    torch.manual_seed(0)
    model = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=4)).eval()
    x = np.random.default_rng(1).normal(size=(24, 1, 16, 16)).astype(np.float32)
    return model, x


def _brute_shapley(f, x, background, groups):
    """Shapley values of the groups by the textbook formula, value = mean over the background."""
    players = range(len(groups))

    def value(coalition):
        rows = background.copy()
        for p in coalition:
            rows[:, groups[p]] = x[groups[p]]
        return f(rows).mean(axis=0)

    n = len(groups)
    phi = []
    for p in players:
        others = [q for q in players if q != p]
        total = 0.0
        for size in range(n):
            for coalition in itertools.combinations(others, size):
                weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                total = total + weight * (value((*coalition, p)) - value(coalition))
        phi.append(total)
    return np.stack(phi)  # (players, outputs)


def test_head_shap_is_the_exact_grouped_shapley_value_and_adds_up(small_net):
    model, x = small_net
    z = explain.head_inputs(model, x)
    assert z.shape == (24, 516)
    groups = {"quantum": list(range(4)), "classical": list(range(4, 516))}
    result = explain.head_shap(model, z[:3], z[8:], groups=groups)
    assert result.values.shape == (3, 2, 8) and result.names == ("quantum", "classical")
    assert result.additivity_gap() < 1e-6  # float32 head

    def proba(rows):
        with torch.no_grad():
            return torch.softmax(model.head(torch.as_tensor(rows)), 1).double().numpy()

    # the expected value is the mean output over the background (no player present)
    np.testing.assert_allclose(result.expected, proba(z[8:]).mean(axis=0), atol=1e-12)

    for i in range(3):
        expected = _brute_shapley(proba, z[i], z[8:], list(groups.values()))
        np.testing.assert_allclose(result.values[i], expected, atol=1e-7)
    # the default players: each quantum feature alone, the classical block together
    assert list(explain.head_groups(model)) == [
        "q1 (quantum)", "q2 (quantum)", "q3 (quantum)", "q4 (quantum)", "h (all 512 classical)"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="head inputs"):
        explain.head_shap(model, z[:, :10], z[8:])


# --- Grad-CAM on a model whose answer is known ------------------------------------------------
BAND = slice(5, 8)  # rows 5-7 of 16: not symmetric, so a flipped or transposed map misses it


class _BandModel(nn.Module):
    """Class 1 is decided by the energy in rows 5-7 alone: a unit whose threshold only the band's
    signal crosses feeds the class-1 logit. ``stride`` lowers the layer's resolution."""

    def __init__(self, stride=1):
        super().__init__()
        self.layer = nn.Conv2d(1, 2, kernel_size=stride, stride=stride)
        with torch.no_grad():
            self.layer.weight.fill_(1.0 / stride**2)
            self.layer.bias.copy_(torch.tensor([-0.5, -0.5]))
        self.relu = nn.ReLU()

    def forward(self, x):
        a = self.relu(self.layer(x))
        score = 10 * a.mean(dim=(1, 2, 3))
        return torch.stack([torch.zeros_like(score), score], dim=1)


def _band_images(n=8, seed=0):
    rng = np.random.default_rng(seed)
    x = 0.1 * rng.normal(size=(n, 1, 16, 16)).astype(np.float32)
    x[:, :, BAND, :] += 1.0  # the band that decides the class
    return x


@pytest.mark.parametrize("stride", [1, 2])
def test_grad_cam_highlights_the_band_that_decides_the_class(stride):
    model = _BandModel(stride)
    x = _band_images()
    maps, native = explain.grad_cam(model, model.layer, x, 1)
    assert native == (16 // stride, 16 // stride) and maps.shape == (8, 16, 16)
    np.testing.assert_allclose(maps.sum(axis=(1, 2)), 1.0)
    mask = np.zeros(16, dtype=bool)
    mask[BAND] = True
    share = explain.band_share(explain.band_profile(maps.mean(0)), mask)
    assert share["area_share"] == pytest.approx(3 / 16)
    assert share["attention_share"] > (0.95 if stride == 1 else 0.6)
    assert share["lift"] > 3
    # the peak sits inside the band, on the band axis (rows), not the time axis
    assert 5 / 16 <= explain.peak_frequency(maps.mean(0)) <= 8 / 16


def test_grad_cam_on_every_stage_of_qeml_net(small_net):
    model, x = small_net
    layers = explain.stages(model)
    assert list(layers) == ["stage 1", "stage 2", "stage 3", "stage 4"]
    maps, native = explain.grad_cam(model.classify, layers["stage 2"], x[:4], [0, 1, 2, 3])
    assert maps.shape == (4, 16, 16) and native == (2, 2)  # 16 px / 8 at stage 2
    with pytest.raises(ValueError, match="images"):
        explain.grad_cam(model.classify, layers["stage 2"], x[0], 0)


# --- the image's frequency axis and the fault bands ----------------------------------------------
def test_row_frequencies_and_band_profile_by_hand():
    np.testing.assert_allclose(explain.row_frequencies(16, fs=12_000)[:2], [187.5, 562.5])
    maps = np.zeros((32, 4))
    maps[0:2] = 1.0  # the two rows of band 0 in a 32-pixel image
    maps[31] = 2.0  # the upper row of band 15
    profile = explain.band_profile(maps)
    assert profile.shape == (16,)
    np.testing.assert_allclose(profile[[0, 15]], [0.5, 0.5])
    assert profile[1:15].sum() == 0
    # a 16-pixel image: one row per band
    np.testing.assert_allclose(explain.band_profile(np.eye(16)), np.full(16, 1 / 16))


def test_harmonic_bands_by_hand():
    # 162.2 Hz (BPFI at 1797 rpm): 162 and 324 Hz in band 0 (0-375 Hz), 487 Hz in band 1
    mask = explain.harmonic_bands(162.2, harmonics=3, fs=12_000)
    assert list(np.flatnonzero(mask)) == [0, 1]
    # two shaft speeds: 40 * 150 = 6000 Hz is at Nyquist and left out
    mask = explain.harmonic_bands([150.0, 160.0], harmonics=40, fs=12_000)
    assert mask.all()
    only_high = explain.harmonic_bands(3300.0, harmonics=1, fs=12_000)
    assert list(np.flatnonzero(only_high)) == [8]  # 0.55 of Nyquist
    with pytest.raises(ValueError, match="harmonics"):
        explain.harmonic_bands(100.0, harmonics=0, fs=12_000)
    with pytest.raises(ValueError, match="> 0 Hz"):
        explain.harmonic_bands([100.0, -1.0], harmonics=1, fs=12_000)


def test_band_share_and_peak_by_hand():
    mask = np.zeros(16, dtype=bool)
    mask[[2, 3]] = True
    uniform = explain.band_share(np.full(16, 1 / 16), mask)
    assert uniform == pytest.approx({"attention_share": 0.125, "area_share": 0.125, "lift": 1.0})
    focused = np.zeros(16)
    focused[3] = 1.0
    assert explain.band_share(focused, mask)["lift"] == pytest.approx(8.0)
    assert math.isnan(explain.band_share(focused, np.zeros(16, dtype=bool))["lift"])
    nothing = explain.band_share(np.zeros(16), mask)  # a Grad-CAM map that is zero everywhere
    assert math.isnan(nothing["attention_share"]) and math.isnan(nothing["lift"])
    assert math.isnan(explain.peak_frequency(np.zeros((16, 4))))
    flat = np.full((16, 4), 1 / 64) * (1 + 1e-8 * np.arange(16))[:, None]  # float32 rounding
    assert math.isnan(explain.peak_frequency(flat))
    flat[12] *= 1.01  # a real peak, however small against the rest
    assert explain.peak_frequency(flat) == pytest.approx(12.5 / 16)
    one = np.zeros((16, 5))
    one[12, 2] = 1.0
    assert explain.peak_frequency(one) == pytest.approx(12.5 / 16)
    with pytest.raises(ValueError, match="shape"):
        explain.band_share(focused, mask[:8])


def test_fault_frequencies_follow_the_bearing():
    f = explain.fault_frequencies(np.array([1797.0, 1730.0]))
    assert f["bpfi"][0] == pytest.approx(162.19, abs=0.01)
    assert f["bpfi"][0] / f["bpfo"][0] == pytest.approx(1.51, abs=0.005)
    assert f["bsf"][1] < f["bsf"][0]


# --- fidelity monitoring ---------------------------------------------------------------------
def test_stable_from_reads_the_history_like_the_paper():
    assert explain.stable_from([0.5, 0.96, 0.94, 0.96, 0.97], level=0.95) == 4
    assert explain.stable_from([0.96, 0.97], level=0.95) == 1
    assert explain.stable_from([0.96, 0.94], level=0.95) is None
    assert explain.stable_from([0.95, 0.96], level=0.95) == 2  # "above" is strict
    assert explain.stable_from([], level=0.95) is None


def test_window_fidelity_averages_to_what_training_reports(small_net):
    model, x = small_net
    y = np.arange(len(x)) % 4
    per_window = explain.window_fidelity(model, x, y)
    assert per_window.shape == (len(x),) and ((per_window >= 0) & (per_window <= 1)).all()
    assert per_window.mean() == pytest.approx(evaluate(model, x, y)[1], abs=1e-6)


# --- the model both chapters use -------------------------------------------------------------
def _tiny_windows():
    y, record, start = cwru_like_windows((1, 2, 2, 2), per_record=12, hop=256)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(len(y), 512)).astype(np.float32)
    records = pd.DataFrame({"record": np.unique(record)})
    maps = rng.normal(size=(len(y), 16, 32)) + y[:, None, None]  # classes separable
    return Windows(x, y, record, start, 12_000, records), maps


SETTINGS = SimpleNamespace(
    depth="resnet14", width=4, quantum="torch", epochs=1, batch_size=16, lr=1e-3, patience=1,
    seed=0, device="cpu", folds=1, image_size=16,
)  # fmt: skip


def test_trained_model_uses_a_matching_checkpoint_and_trains_otherwise(tmp_path):
    win, maps = _tiny_windows()
    path = tmp_path / "quick-model.pt"
    first = explain.trained_model(
        win, maps, SETTINGS, checkpoint=path, cache=tmp_path / "runs", data_source="real"
    )
    assert first.origin == "run" and len(list((tmp_path / "runs").iterdir())) == 1
    assert first.x_test.shape[1:] == (1, 16, 16) and len(first.y_test) == len(first.split.test)
    net, training = explain._net_and_training(SETTINGS)
    config = {"net": net, "training": training, "image_size": 16, "split": "windows"}
    import dataclasses

    config = {k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
              for k, v in config.items()}  # fmt: skip
    save_checkpoint(path, first.model, config={**config, "data_source": "real"}, history=[{"e": 1}])
    again = explain.trained_model(
        win, maps, SETTINGS, checkpoint=path, cache=None, data_source="real"
    )
    assert again.origin == "checkpoint" and again.history == [{"e": 1}]
    x = torch.as_tensor(first.x_test[:4])
    with torch.no_grad():
        torch.testing.assert_close(again.model.classify(x), first.model.classify(x))
    # a checkpoint of another data source or size is not used: the cached run is
    other = explain.trained_model(
        win, maps, SETTINGS, checkpoint=path, cache=tmp_path / "runs", data_source="synthetic"
    )
    assert other.origin == "run"
    with pytest.raises(ValueError, match="data_source"):
        explain.trained_model(win, maps, SETTINGS, checkpoint=path, cache=None, data_source="x")
