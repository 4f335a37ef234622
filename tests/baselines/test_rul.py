"""The RUL contract for every model of QAQL Tables 6-7 that is built, and the supervised ones."""

import dataclasses

import numpy as np
import pytest

from qpdm_lib import baselines
from qpdm_lib.baselines import RULInputs
from qpdm_lib.baselines import rul as br

from ..helpers import need_real
from . import problems

NAMES = list(baselines.RUL)
SUPERVISED = list(problems.SUPERVISED_TINY)


def _rmse(a, b) -> float:
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))


def test_every_built_model_has_a_tiny_config():
    assert sorted([*problems.SUPERVISED_TINY, *problems.RL_TINY]) == sorted(NAMES)


@pytest.mark.parametrize("name", SUPERVISED)
def test_supervised_models_read_rul_off_the_degradation_signal(name, rul_problems, rul_fitted):
    train, test, _, _ = rul_problems
    model = rul_fitted(name)
    prediction = model.predict(test.x)
    assert prediction.shape == (len(test),) and prediction.dtype == np.float64
    assert prediction.min() >= 0 and prediction.max() <= problems.CAP  # clipped to the label range
    # the label's spread is 36 cycles; the signal gives RUL to about 2.5 cycles of noise
    assert _rmse(prediction, test.y) < 6.0, f"{name}: RMSE {_rmse(prediction, test.y):.1f}"
    np.testing.assert_array_equal(model.predict(test), prediction)  # RULInputs or array


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_predictions_and_batch_independence(name, rul_problems):
    train, test, walk, _ = rul_problems
    data = train if name in problems.SUPERVISED_TINY else walk
    config = problems.rul_quick(name)
    first = baselines.get(name, family="rul", **config).fit(data, seed=5)
    again = baselines.get(name, family="rul", **config).fit(data, seed=5)
    x = data.x[:50]
    np.testing.assert_array_equal(first.predict(x), again.predict(x))
    # a window's prediction does not depend on the other windows of the batch
    alone = np.concatenate([first.predict(x[k : k + 1]) for k in range(3)])
    np.testing.assert_allclose(alone, first.predict(x)[:3], atol=1e-6)
    assert first.name == name and first.n_parameters() > 0
    assert dataclasses.is_dataclass(first.config) and first.config.__dataclass_params__.frozen


def test_torch_regressors_hold_out_whole_engines(rul_problems, rul_fitted):
    train, _, _, _ = rul_problems
    for name in ("Bi-LSTM", "GRU", "Transformer", "Quantum LSTM"):
        held = rul_fitted(name).validation_groups_
        assert 1 <= len(held) < len(np.unique(train.group))
    tr, val = br.group_split(train.group, 0.2, np.random.default_rng(0))
    assert not set(train.group[tr]) & set(train.group[val])
    assert len(tr) + len(val) == len(train) and len(set(train.group[val])) == 1  # 20 % of 6


@pytest.mark.parametrize(
    ("name", "hand_count"),
    [
        # per direction 4 gates × (8·2 inputs + 8·8 recurrent + 2 biases of 8), head 16 → 1
        ("Bi-LSTM", 2 * 4 * (8 * 2 + 8 * 8 + 2 * 8) + (2 * 8 + 1)),
        ("GRU", 3 * (8 * 2 + 8 * 8 + 2 * 8) + (8 + 1)),
        # embedding 2→8, 5 positions, one layer (attention 4·(8·8+8), feed-forward 8·16+16 +
        # 16·8+8, two LayerNorms), final LayerNorm, head
        ("Transformer", (2 * 8 + 8) + 5 * 8 + (4 * (8 * 8 + 8) + (8 * 16 + 16) + (16 * 8 + 8)
         + 2 * 2 * 8) + 2 * 8 + (8 + 1)),
        # window 5 × 2 flattened: 10 weights + 1 intercept, and the scaler's 10 means and scales
        ("SGD", 10 + 1 + 2 * 10),
    ],
)  # fmt: skip
def test_parameter_counts_by_hand(name, hand_count, rul_fitted):
    assert rul_fitted(name).n_parameters() == hand_count


def test_boosted_trees_count_nodes_and_summarise_windows(rul_fitted):
    model = rul_fitted("Gradient-Boosted Trees")
    nodes = sum(p.nodes.size for stage in model.model_._predictors for p in stage)
    assert model.n_parameters() == nodes and model.model_.n_features_in_ == 4 * 2
    assert model.in_paper is False and baselines.RUL["SGD"].in_paper is True


def test_window_summary_by_hand():
    x = np.array([[[0.0, 5.0], [1.0, 5.0], [5.0, 5.0]]])
    # mean, last, OLS slope over t = -1, 0, 1: (−0 + 0 + 5) / 2, standard deviation
    expected = [2.0, 5.0, 5.0, 5.0, 2.5, 0.0, np.std([0.0, 1.0, 5.0]), 0.0]
    np.testing.assert_allclose(br.window_summary(x)[0], expected)


def test_bundle_checks_its_inputs():
    x = np.zeros((3, 4, 2), np.float32)
    y, g = np.array([3.0, 2.0, 1.0]), np.array([1, 1, 2])
    cases = [
        (dict(x=np.zeros((3, 4)), y=y, group=g, cap=125.0), r"x must be \(windows, length, features\)"),
        (dict(x=np.full((3, 4, 2), np.nan), y=y, group=g, cap=125.0), "x holds NaN or infinite values"),
        (dict(x=x, y=y[:2], group=g, cap=125.0), r"y and group must be \(3,\)"),
        (dict(x=x, y=-y, group=g, cap=125.0), r"y must be >= 0 \(an RUL\)"),
        (dict(x=x, y=y, group=g, cap=0.0), "cap must be a positive number, got 0.0"),
        (dict(x=x, y=y, group=g, cap=125.0, done=np.array([0, 2, 1])), "done must be"),
        (dict(x=x, y=y, group=g, cap=125.0, states=np.array([0.5, 1, 2])), "states must be"),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message) as err:
            RULInputs(**kwargs)
        assert "\n" not in str(err.value)
    data = RULInputs(x, y, g, 125.0)
    np.testing.assert_array_equal(data.done, [0, 1, 1])
    sub = data.subset(np.array([0, 2]))
    np.testing.assert_array_equal(sub.done, [1, 1])


def test_bundle_from_cmapss_cuts_qaqls_windows():
    from qpdm_lib.data import cmapss, open_source
    from qpdm_lib.qaql.trajectories import limit_groups

    prepared = cmapss.prepare(open_source("cmapss", "synthetic"), "FD001")
    train = RULInputs.from_cmapss(prepared, "train", max_windows=500, seed=1)
    x, y, unit = cmapss.windows(prepared.train, prepared.features)
    keep = limit_groups(unit, 500, 1)
    np.testing.assert_array_equal(train.x, x[keep])
    np.testing.assert_array_equal(train.group, unit[keep])
    assert train.cap == 125.0 and train.x.shape[1] == 30
    official = RULInputs.from_cmapss(prepared, "official")
    assert len(official) == prepared.official_test["unit"].nunique()
    with pytest.raises(ValueError, match="part must be 'train', 'test' or 'official', got 'val'"):
        RULInputs.from_cmapss(prepared, "val")


def test_fit_and_predict_check_their_inputs(rul_problems, rul_fitted):
    train, _, _, _ = rul_problems
    model = baselines.get("SGD")
    with pytest.raises(RuntimeError, match="call fit before predict"):
        model.predict(train.x)
    with pytest.raises(ValueError, match="train must be a RULInputs, got ndarray"):
        model.fit(train.x, seed=0)
    fitted = rul_fitted("GRU")
    with pytest.raises(
        ValueError, match=r"fitted on windows of shape \(n, 5, 2\), got \(4, 5, 3\)"
    ):
        fitted.predict(np.zeros((4, 5, 3), np.float32))
    bad = train.x[:2].copy()
    bad[1, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"x holds NaN or infinite values \(first at row 1\)"):
        fitted.predict(bad)
    assert fitted.predict(train.x[:0]).shape == (0,)
    one_engine = train.subset(np.flatnonzero(train.group == 0))
    with pytest.raises(ValueError, match="need windows of >= 2 groups"):
        baselines.get("GRU", family="rul", epochs=1).fit(one_engine, seed=0)


@pytest.mark.parametrize(
    ("name", "config", "message"),
    [
        ("Bi-LSTM", dict(hidden=0), r"RecurrentConfig.hidden must be an integer >= 1, got 0"),
        ("GRU", dict(val_fraction=1.0), r"val_fraction must be in \(0, 1\), got 1.0"),
        ("SGD", dict(inputs="pixels"), "SGDConfig.inputs must be 'flat' or 'summary'"),
        ("Gradient-Boosted Trees", dict(learning_rate=0), "learning_rate must be > 0"),
    ],
)
def test_configs_check_their_values(name, config, message):
    with pytest.raises(ValueError, match=message):
        baselines.get(name, family="rul", **config)


# --------------------------------------------------------------------------- the device fleet


@pytest.fixture(scope="module")
def small_fleet():
    """The synthetic device fleet cut to 40 devices (about 3,700 training windows)."""
    from qpdm_lib.data import devices, open_source

    return devices.prepare(open_source("pm", "synthetic"), max_devices=40, seed=0)


def _segment_windows(fleet, segments) -> np.ndarray:
    """The 30-day windows of ``segments``, cut segment by segment from the table (not through
    ``window_index``), in table order: every window ends on a day with 29 days of its segment
    before it."""
    from qpdm_lib.data import devices

    table = fleet.table.reset_index(drop=True)
    values = table[fleet.features].to_numpy(np.float32)
    out = []
    for segment, rows in table.groupby("segment", sort=False).indices.items():
        assert np.all(np.diff(rows) == 1), "a segment's days are contiguous rows"
        if segment in segments:
            out += [values[end - devices.WINDOW_DAYS + 1 : end + 1]
                    for end in rows[devices.WINDOW_DAYS - 1 :]]  # fmt: skip
    return np.array(out, np.float32)


def _check_fleet_windows(fleet, *, max_windows: int, seed: int) -> None:
    from qpdm_lib.qaql.trajectories import fleet_trajectories

    traj = fleet_trajectories(fleet, n_states=4, seed=seed, max_train_windows=max_windows)
    train = RULInputs.from_fleet(fleet, "train", max_windows=max_windows, seed=seed)
    test = RULInputs.from_fleet(fleet, "test")
    for bundle, rul, group in ((train, traj.train_rul, traj.train_group),
                               (test, traj.test_rul, traj.test_group)):  # fmt: skip
        # QAQL's windows, one for one: the same order, RUL labels and segments
        np.testing.assert_array_equal(bundle.y, rul)
        np.testing.assert_array_equal(bundle.group, group)
        np.testing.assert_array_equal(bundle.x, _segment_windows(fleet, set(np.unique(group))))
        assert bundle.x.shape[1:] == (30, len(fleet.features)) and bundle.cap == 90.0
    np.testing.assert_array_equal(train.done, traj.train_done)
    devices_of = fleet.table.groupby("segment")["device"].first()
    assert set(devices_of[np.unique(train.group)]) <= set(fleet.train_devices)
    assert set(devices_of[np.unique(test.group)]) <= set(fleet.test_devices)


def test_bundle_from_fleet_cuts_qaqls_windows(small_fleet):
    _check_fleet_windows(small_fleet, max_windows=0, seed=0)


def test_bundle_from_fleet_keeps_qaqls_segments_under_a_window_budget(small_fleet):
    every = RULInputs.from_fleet(small_fleet, "train")
    for seed in (0, 3):
        _check_fleet_windows(small_fleet, max_windows=1000, seed=seed)
        kept = RULInputs.from_fleet(small_fleet, "train", max_windows=1000, seed=seed)
        assert 1000 <= len(kept) < len(every)  # the budget bites, in whole segments
        for segment in np.unique(kept.group):
            assert np.sum(kept.group == segment) == np.sum(every.group == segment)
    with pytest.raises(ValueError, match="part must be 'train' or 'test' .*got 'official'"):
        RULInputs.from_fleet(small_fleet, "official")


@need_real("pm/predictive_maintenance_dataset.csv")
def test_bundle_from_the_real_fleet_cuts_qaqls_windows(real_data):
    from qpdm_lib.data import devices, open_source

    fleet = devices.prepare(open_source("pm", "real"), max_devices=120, seed=0)
    _check_fleet_windows(fleet, max_windows=3000, seed=0)


# --------------------------------------------------------------------------- SGD's clip


def _heavy_tailed(data: RULInputs, seed: int) -> RULInputs:
    """``data`` with 8 heavy-tailed features beside the degradation signal: in 5 % of windows a
    log-normal spike (σ = 2) held over the window, as the fleet's counters jump; else noise."""
    rng = np.random.default_rng(seed)
    n, length, _ = data.x.shape
    spikes = rng.lognormal(0.0, 2.0, (n, 1, 8)) * (rng.random((n, 1, 8)) < 0.05)
    extra = spikes + 0.01 * rng.normal(size=(n, length, 8))
    return RULInputs(np.concatenate([data.x, extra.astype(np.float32)], axis=2), data.y,
                     data.group, data.cap)  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clipped_sgd_stays_stable_on_heavy_tailed_inputs(seed):
    train = _heavy_tailed(problems.degradation(6, length=10, seed=seed), seed + 10)
    test = _heavy_tailed(problems.degradation(3, length=10, seed=seed + 100), seed + 20)
    constant = _rmse(np.full(len(test), train.y.mean()), test.y)
    clipped = baselines.get("SGD", family="rul").fit(train, seed=0)
    assert clipped.config.clip == 3.0  # the default
    prediction = clipped.predict(test)
    assert np.isfinite(prediction).all()
    assert np.isfinite(clipped.model_.named_steps["sgd"].coef_).all()
    # at least as good as predicting the training mean (here: far better, RUL is in feature 0)
    assert _rmse(prediction, test.y) <= constant
    assert _rmse(prediction, test.y) < 0.25 * constant
    # what the regressor sees: the standardised window, clipped to ±3, or not clipped at all
    seen = clipped.model_[:-1].transform(test.x.reshape(len(test), -1))
    assert np.abs(seen).max() == pytest.approx(3.0)
    free = baselines.get("SGD", family="rul", clip=None).fit(train, seed=0)
    assert free.config.clip is None
    assert np.abs(free.model_[:-1].transform(test.x.reshape(len(test), -1))).max() > 10.0
    assert np.isfinite(free.predict(test)).all()  # allowed, and clipped to [0, cap] at the end


@pytest.mark.parametrize("clip", [0, -1, 0.0, float("nan")])
def test_sgd_clip_must_be_positive_or_none(clip):
    with pytest.raises(ValueError, match=f"SGDConfig.clip must be > 0 or None, got {clip}") as err:
        baselines.get("SGD", family="rul", clip=clip)
    assert "\n" not in str(err.value)
