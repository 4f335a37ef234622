"""Metrics against values computed by hand (pair counting for AUC, counts for F1)."""

import itertools

import numpy as np
import pytest

from qpdm_lib import metrics


def _pair_auc(scores_pos, scores_neg):
    """AUC by counting pairs: P(positive scored above negative) + ½ P(tie)."""
    pairs = list(itertools.product(scores_pos, scores_neg))
    return sum((p > n) + 0.5 * (p == n) for p, n in pairs) / len(pairs)


def test_binary_auc_uses_the_positive_class_column():
    y = np.array([0, 0, 1, 1])
    p1 = np.array([0.1, 0.4, 0.35, 0.8])  # 3 of the 4 (positive, negative) pairs ordered right
    proba = np.column_stack([1 - p1, p1])
    m = metrics.classification_metrics(y, proba)
    assert m["auc"] == pytest.approx(0.75) == pytest.approx(_pair_auc(p1[2:], p1[:2]))


def test_three_class_auc_is_one_vs_rest_by_pair_counting():
    # unequal classes, so one-vs-rest (each class against all others) and one-vs-one (Hand & Till,
    # pairs of classes) differ: 0.403 against 0.323
    y = np.array([0, 0, 0, 0, 1, 2, 2])
    proba = np.array(
        [[0.3, 0.6, 0.1], [0.3, 0.7, 0.0], [0.7, 0.2, 0.1], [0.1, 0.9, 0.0], [0.3, 0.1, 0.6],
         [0.2, 0.8, 0.0], [0.1, 0.7, 0.2]]
    )  # fmt: skip
    ovr = np.mean([_pair_auc(proba[y == k, k], proba[y != k, k]) for k in range(3)])
    ovo = np.mean([
        (_pair_auc(proba[y == a, a], proba[y == b, a]) + _pair_auc(proba[y == b, b], proba[y == a, b])) / 2
        for a, b in itertools.combinations(range(3), 2)
    ])  # fmt: skip
    assert ovr == pytest.approx(0.4028, abs=1e-4) and ovo == pytest.approx(0.3229, abs=1e-4)
    assert metrics.classification_metrics(y, proba)["auc"] == pytest.approx(ovr)


def test_macro_precision_recall_f1_by_hand_with_a_class_never_predicted():
    y = np.array([0, 0, 1, 1, 2, 2])
    pred = np.array([0, 1, 1, 1, 0, 0])  # class 2 is never predicted: its precision counts as 0
    proba = np.eye(3)[pred]
    m = metrics.classification_metrics(y, proba)
    precision = [1 / 3, 2 / 3, 0.0]  # class 0: 1 of 3 predictions right; class 1: 2 of 3
    recall = [1 / 2, 1.0, 0.0]
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in zip(precision, recall, strict=True)]
    assert m["accuracy"] == pytest.approx(3 / 6)
    assert m["precision"] == pytest.approx(np.mean(precision))  # zero_division=1 would give 0.56
    assert m["recall"] == pytest.approx(np.mean(recall))
    assert m["f1"] == pytest.approx(np.mean(f1))
    assert m["confusion"].tolist() == [[1, 1, 0], [0, 2, 0], [2, 0, 0]]


def test_macro_averages_run_over_the_classes_present():
    y = np.array([0, 0, 3, 3])  # 2 of 8 classes present
    proba = np.zeros((4, 8))
    proba[[0, 1, 2, 3], [0, 0, 3, 0]] = 1.0
    m = metrics.classification_metrics(y, proba)
    assert m["recall"] == pytest.approx((1.0 + 0.5) / 2)
    assert m["confusion"].shape == (8, 8)


def test_auc_renormalises_the_mass_of_absent_classes():
    # classes 0 and 2 present, class 1 absent but holding probability: AUC is computed on
    # p2 / (p0 + p2), which orders these windows differently from the raw p2 (1.0 raw, 0.75 here)
    y = np.array([0, 0, 2, 2])
    proba = np.array([[0.1, 0.8, 0.1], [0.9, 0.0, 0.1], [0.7, 0.0, 0.3], [0.05, 0.75, 0.2]])
    renormalised = proba[:, 2] / (proba[:, 0] + proba[:, 2])
    expected = _pair_auc(renormalised[2:], renormalised[:2])
    assert expected == pytest.approx(0.75) and _pair_auc(proba[2:, 2], proba[:2, 2]) == 1.0
    assert metrics.classification_metrics(y, proba)["auc"] == pytest.approx(expected)


def test_auc_of_a_single_class_is_undefined():
    m = metrics.classification_metrics(np.array([1, 1, 1]), np.eye(3)[[1, 1, 0]])
    assert np.isnan(m["auc"]) and m["accuracy"] == pytest.approx(2 / 3)


def test_mape_without_a_nonzero_rul_is_undefined():
    m = metrics.regression_metrics(np.zeros(3), np.array([1.0, 2.0, 3.0]))
    assert np.isnan(m["MAPE"]) and m["MAE"] == pytest.approx(2.0)


def test_regression_metrics_by_hand():
    y = np.array([0.0, 10.0, 20.0])
    p = np.array([5.0, 12.0, 14.0])  # errors 5, 2, -6
    m = metrics.regression_metrics(y, p)
    assert m["MSE"] == pytest.approx((25 + 4 + 36) / 3)
    assert m["RMSE"] == pytest.approx(np.sqrt(65 / 3))
    assert m["MAE"] == pytest.approx(13 / 3)
    assert m["MAPE"] == pytest.approx(100 * (2 / 10 + 6 / 20) / 2)  # the RUL-0 window is left out
    assert m["RSE"] == pytest.approx(65 / 200)
    assert m["MBD"] == pytest.approx(1 / 3)
    nasa = (np.exp(5 / 10) - 1) + (np.exp(2 / 10) - 1) + (np.exp(6 / 13) - 1)
    assert m["NASA"] == pytest.approx(nasa)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="equal-length 1-D arrays"):
        metrics.regression_metrics([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match=r"proba must be \(n, classes\)"):
        metrics.classification_metrics([0, 1], np.ones(2))
