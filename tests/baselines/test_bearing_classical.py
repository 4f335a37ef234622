import numpy as np
import pytest

from qpdm_lib import baselines
from qpdm_lib.baselines import bearing_classical as bc


def test_svm_counts_support_vectors_dual_coefficients_platt_and_scaler(bearing_fitted):
    model = bearing_fitted("SVM-RBF")
    scaler, calibrated = model.model_.named_steps["scale"], model.model_.named_steps["svc"]
    (fold,) = calibrated.calibrated_classifiers_
    svc = fold.estimator
    n_support, n_features = svc.support_vectors_.shape
    assert n_features == 26
    expected = (
        n_support * 26  # the support vectors
        + n_support * (4 - 1)  # one dual coefficient per support vector and other class
        + 4 * 3 // 2  # one intercept per class pair
        + 2 * 4  # Platt's a and b per class
        + 2 * 26  # the scaler's means and scales
    )
    assert scaler.mean_.size == 26 and model.n_parameters() == expected


def test_forest_counts_nodes(bearing_fitted):
    model = bearing_fitted("Random Forest")
    nodes = [tree.tree_.node_count for tree in model.model_.estimators_]
    assert len(nodes) == 20 and model.n_parameters() == sum(nodes)


def test_automl_keeps_the_best_validation_candidate(bearing_problem, bearing_fitted):
    data, split = bearing_problem
    model = bearing_fitted("AutoML")
    table = model.search_
    assert len(table) == 4 and not table.attrs["cut_by_time_limit"]
    assert set(table["family"]) <= {"random_forest", "extra_trees", "gradient_boosting",
                                    "logistic", "svm", "knn"}  # fmt: skip
    accuracy = (model.model_.predict(data.features[split.val]) == data.y[split.val]).mean()
    assert accuracy == table["val_accuracy"].max() == model.best_["val_accuracy"]


def test_automl_stops_at_its_time_limit(bearing_problem):
    data, split = bearing_problem
    model = baselines.get("AutoML", n_candidates=5, time_limit_s=1e-9).fit(data, split, seed=0)
    assert len(model.search_) == 1 and model.search_.attrs["cut_by_time_limit"]


def test_platt_svc_needs_two_windows_per_class():
    with pytest.raises(ValueError, match="needs >= 2 training windows of every class"):
        bc.platt_svc(np.array([0, 0, 1]))
    assert bc.platt_svc(np.array([0, 0, 1, 1, 1])).cv == 2


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (dict(C=0.0), r"SVMConfig.C must be > 0, got 0.0"),
        (dict(n_estimators=0), r"ForestConfig.n_estimators must be an integer >= 1, got 0"),
        (dict(n_candidates=2.5), r"AutoMLConfig.n_candidates must be an integer >= 1, got 2.5"),
    ],
)
def test_configs_check_their_values(config, message):
    name = {"C": "SVM-RBF", "n_estimators": "Random Forest", "n_candidates": "AutoML"}[
        next(iter(config))
    ]
    with pytest.raises(ValueError, match=message):
        baselines.get(name, **config)
