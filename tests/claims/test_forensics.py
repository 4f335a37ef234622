"""qpdm_lib.claims.forensics: each check on a hand-made case with a known answer, then run_all.

Every check function gets one consistent and one inconsistent case computed by hand in the
comments (and, where the fact is a theorem, a few random cases that must never fail it); the last
tests apply :func:`run_all` to the real claims data and pin the findings the chapter reports.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from qpdm_lib import claims
from qpdm_lib import stats as qs
from qpdm_lib.claims import forensics as fx

# --------------------------------------------------------------------------- the result type


def test_check_verdicts_and_missing_values():
    c = fx.mae_le_rmse(None, 3.0, name="x", claims=("a",))
    assert (c.testable, c.consistent, c.verdict, c.inconsistent) == (
        False,
        True,
        "not checkable",
        False,
    )
    assert "MAE" in c.finding and c.finding.startswith("Cannot be checked")
    assert c.claims == ("a",)
    assert fx.mae_le_rmse(3.0, 2.0).verdict == "inconsistent"
    assert fx.mae_le_rmse(2.0, 3.0).verdict == "consistent"
    with pytest.raises(AttributeError):
        c.name = "y"  # frozen


# --------------------------------------------------------------------------- QAQL error tables


def test_mae_le_rmse_two_row_table():
    # errors (1, -1, 2, -2): MAE 1.5, RMSE sqrt(2.5) = 1.58; a row printing MAE 1.70 is impossible
    rows = {"ok": (1.50, 1.58), "bad": (1.70, 1.58)}
    got = {k: fx.mae_le_rmse(mae, rmse).consistent for k, (mae, rmse) in rows.items()}
    assert got == {"ok": True, "bad": False}
    # a tie within rounding (MAE 4.01 printed, RMSE 4.00 printed) is possible
    assert fx.mae_le_rmse(4.01, 4.00).consistent
    assert not fx.mae_le_rmse(4.02, 4.00).consistent


def test_mae_le_rmse_never_fails_on_real_errors():
    rng = np.random.default_rng(0)
    for _ in range(50):
        e = rng.normal(rng.uniform(-3, 3), rng.uniform(0.1, 5), rng.integers(2, 40))
        mae, rmse = round(float(np.abs(e).mean()), 2), round(float(np.sqrt((e**2).mean())), 2)
        assert fx.mae_le_rmse(mae, rmse).consistent


def test_rmse_squared_vs_mse_by_hand():
    # errors (1, 2, 3, 4): MSE 7.5, RMSE 2.7386 -> printed 2.74 and 7.50; 2.74^2 = 7.5076
    ok = fx.rmse_squared_vs_mse(2.74, 7.50)
    assert ok.consistent and ok.recomputed["rmse_squared"] == pytest.approx(7.5076)
    # bound = 2 * 2.74 * 0.005 + 0.005^2 + 0.005 = 0.032425
    assert ok.recomputed["rounding_bound"] == pytest.approx(0.032425)
    bad = fx.rmse_squared_vs_mse(3.00, 7.50)  # 9.00 > 7.50: RMSE above sqrt(MSE) = 2.74
    assert not bad.consistent and "√7.50 = 2.74" in bad.finding


def test_rmse_squared_vs_mse_means_over_runs():
    # two runs with RMSE 2 and 4: mean RMSE 3, mean MSE (4 + 16) / 2 = 10, gap 1 = Var(RMSE)
    free = fx.rmse_squared_vs_mse(3.00, 10.00)
    assert free.consistent and free.recomputed["between_run_sd_min"] == pytest.approx(
        math.sqrt(1 - (2 * 3 * 0.005 + 0.005**2 + 0.005)), rel=1e-9
    )
    assert fx.rmse_squared_vs_mse(3.00, 10.00, rmse_sd=1.41).consistent  # sd of (2, 4) = 1.414
    assert not fx.rmse_squared_vs_mse(3.00, 10.00, rmse_sd=0.50).consistent


def test_rmse_squared_vs_mse_holds_for_means_of_random_runs():
    rng = np.random.default_rng(1)
    for _ in range(30):
        runs = [rng.normal(0, rng.uniform(1, 20), 50) for _ in range(30)]
        mse = [float((e**2).mean()) for e in runs]
        rmse = [math.sqrt(m) for m in mse]
        sd = float(np.std(rmse, ddof=1))
        c = fx.rmse_squared_vs_mse(
            round(np.mean(rmse), 2), round(np.mean(mse), 2), rmse_sd=round(sd, 2)
        )
        assert c.consistent, c.finding


def test_mse_over_rse_by_hand():
    # y = (0, 2, 4, 6): Var = 5; MSE 2.5 -> RSE 0.5 and MSE 10 -> RSE 2: ratio 5 for both
    ok = fx.mse_over_rse({"A": (2.50, 0.50), "B": (10.00, 2.00)})
    assert ok.consistent and ok.recomputed["mse_over_rse"] == {"A": 5.0, "B": 5.0}
    bad = fx.mse_over_rse({"A": (2.50, 0.50), "B": (10.00, 1.00)})
    assert not bad.consistent
    assert (bad.recomputed["min"], bad.recomputed["max"]) == (5.0, 10.0)
    assert not fx.mse_over_rse({"A": (2.5, None), "B": (10.0, 2.0)}).testable


def test_mape_floor_by_hand():
    # RUL <= 100 and MAE 10: every |e|/y >= |e|/100, so MAPE >= 10 %
    assert fx.mape_floor(10.00, 12.00, y_max=100).consistent
    bad = fx.mape_floor(10.00, 8.00, y_max=100)
    assert not bad.consistent and bad.recomputed["mape_floor"] == pytest.approx(10.0)
    assert fx.mape_floor(10.00, 9.99, y_max=100).consistent  # within rounding


def test_fixed_ratios_by_hand():
    base = {"a": 10.00, "b": 20.00, "c": 30.00}
    generated = fx.fixed_ratios(base, {"a": 15.00, "b": 30.00, "c": 45.00})
    assert not generated.consistent and generated.recomputed["common_ratio"] == 1.5
    measured = fx.fixed_ratios(base, {"a": 15.00, "b": 33.00, "c": 41.00})
    assert measured.consistent and "common_ratio" not in measured.recomputed
    assert not fx.fixed_ratios({"a": 1.0}, {"a": 1.5}).testable  # one method proves nothing


# --------------------------------------------------------------------------- QAQL timing, bins


def test_annealing_budget_by_hand():
    # 1000 reads x 20 us = 20 ms of annealing: nothing left of a 20 ms budget
    bad = fx.annealing_budget(1000, 20, 20, stated_access_ms=26)
    assert not bad.consistent and bad.recomputed["annealing_ms"] == pytest.approx(20.0)
    # with 5 us readout per read: 25 ms, inside a 30 ms budget
    ok = fx.annealing_budget(1000, 20, 30, readout_us=5)
    assert ok.consistent and ok.recomputed["qpu_time_lower_bound_ms"] == pytest.approx(25.0)


def test_training_time_by_hand():
    # 1000 windows x 2 episodes x 30 ms = 60 s = 1 min
    ok = fx.training_time({"all": 1000}, 2, 30, 1, 2)
    assert ok.consistent and ok.recomputed["qpu_minutes"] == {"all": 1.0}
    bad = fx.training_time({"all": 1000}, 2, 30, 0.25, 0.5)
    assert not bad.consistent and bad.recomputed["max_calls_in_stated_time"] == 1000
    assert not fx.training_time({"all": None}, 2, 30, 1, 2).testable


def test_slowdown_in_range_by_hand():
    ok = fx.slowdown_in_range(1.4, 11, 13, 7, 9)  # ratios 11/9 = 1.22 .. 13/7 = 1.86
    assert ok.consistent
    assert (ok.recomputed["ratio_low"], ok.recomputed["ratio_high"]) == pytest.approx(
        (11 / 9, 13 / 7)
    )
    assert ok.recomputed["ratio_of_midpoints"] == pytest.approx(1.5)
    assert not fx.slowdown_in_range(2.0, 11, 13, 7, 9).consistent


def test_bin_width_and_floor_by_hand():
    assert fx.bin_width(125, 16, 8).consistent  # 7.8125, "roughly eight"
    assert not fx.bin_width(125, 16, 10).consistent
    # width 12: uniform error on [-6, 6] has variance 144/12 = 12, RMSE sqrt(12) = 3.464
    floor = fx.discretisation_floor(120, 10, 20.0)
    assert floor.consistent and floor.recomputed["rmse_floor"] == pytest.approx(math.sqrt(12))
    assert floor.recomputed["share_of_mse"] == pytest.approx(12 / 400)
    assert not fx.discretisation_floor(120, 10, 2.0).consistent  # RMSE below the floor


def test_bin_floor_is_the_uniform_rmse():
    # truth uniform on [0, 125], prediction the centre of its 16-bin cell
    y = np.linspace(0, 125, 200_001)[:-1]
    w = 125 / 16
    pred = (np.floor(y / w) + 0.5) * w
    rmse = math.sqrt(float(((y - pred) ** 2).mean()))
    assert rmse == pytest.approx(
        fx.discretisation_floor(125, 16, 20.0).recomputed["rmse_floor"], rel=1e-4
    )


# --------------------------------------------------------------------------- QAQL text vs tables


def test_values_backed_by_hand():
    assert fx.values_backed({"FD002": 1.0}, {"FD002": 1.0}).consistent
    bad = fx.values_backed({"FD002": 1.0, "FD003": 2.0}, {"FD002": 1.0, "FD003": None})
    assert not bad.consistent and bad.recomputed["unbacked"] == ["FD003"]
    assert not fx.values_backed({"FD002": None}, {"FD002": None}).testable


def test_cliffs_large_threshold_agrees_with_stats():
    assert fx.cliffs_large_threshold(0.474).consistent
    assert not fx.cliffs_large_threshold(0.85).consistent
    assert qs.cliffs_magnitude(fx.ROMANO_LARGE) == "large"
    assert qs.cliffs_magnitude(fx.ROMANO_LARGE - 1e-4) == "medium"


def test_largest_gain_by_hand():
    # QAQL RMSE sqrt(16) = 4 and sqrt(25) = 5; best baselines 10 and 8: gains 6 (60 %) and 3 (37.5 %)
    mse = {"X": 16.0, "Y": 25.0}
    base = {"X": {"m": 10.0, "n": 12.0}, "Y": {"m": 8.0, "n": 9.0}}
    ok = fx.largest_gain(mse, base, "X")
    assert ok.consistent
    assert ok.recomputed["gain_cycles"] == {"X": 6.0, "Y": 3.0}
    assert ok.recomputed["gain_relative"] == {"X": 0.6, "Y": 0.375}
    assert not fx.largest_gain(mse, base, "Y").consistent
    # absolute and relative readings can disagree: 10 -> 5 (5, 50 %) vs 30 -> 24 (6, 20 %)
    split = fx.largest_gain({"X": 25.0, "Y": 576.0}, {"X": {"m": 10.0}, "Y": {"m": 30.0}}, "Y")
    assert split.consistent and split.recomputed["largest_relative"] == "X"
    assert "relatively it is largest on X" in split.finding


def test_dominates_by_hand():
    full = {"rmse": 10.0, "mape": 12.16, "mbd": -1.0}
    assert fx.dominates(full, {"a": {"rmse": 11.0, "mape": 13.0, "mbd": 2.0}}).consistent
    bad = fx.dominates(full, {"a": {"rmse": 11.0, "mape": 11.92, "mbd": 0.5}})
    assert not bad.consistent  # lower MAPE, and |0.5| < |-1| on the signed bias
    assert bad.recomputed["beaten_on"] == ["a: mape", "a: mbd"]


def test_relative_change_by_hand():
    ok = fx.relative_change(55.0, 100.0, 45)  # 45 % reduction
    assert ok.consistent and ok.recomputed["change_pct"] == pytest.approx(-45.0)
    assert fx.relative_change(134.0, 100.0, 34).consistent  # 34 % increase
    assert not fx.relative_change(55.0, 100.0, 40).consistent


# --------------------------------------------------------------------------- generic arithmetic


def test_difference_by_hand():
    assert fx.difference(87.1, 82.4, 4.7).consistent
    assert fx.difference(87.1, 82.4, 4.8).consistent  # 87.14 - 82.36 = 4.78 rounds to 4.8
    bad = fx.difference(92.8, 88.6, 5.9, others={"p": 94.6, "q": 88.7, "r": 91.0})
    assert not bad.consistent and bad.recomputed["difference"] == pytest.approx(4.2)
    assert bad.recomputed["pairs_giving_stated"] == ["p − q (94.6 − 88.7)"]


def test_range_sum_count_product_by_hand():
    vals = {"a": 94.6, "b": 92.8, "c": 91.4}
    assert fx.range_matches(91.4, 94.6, vals).consistent
    assert not fx.range_matches(92.8, 94.6, vals).consistent
    assert fx.sum_matches({"a": 2, "b": 3}, 5).consistent
    bad = fx.sum_matches({"a": 2, "b": 3}, 7)
    assert not bad.consistent and bad.recomputed["stated_minus_sum"] == 2
    assert fx.count_matches(8, 8).consistent and not fx.count_matches(9, 8).consistent
    assert fx.product_matches({"l": 6, "q": 4, "r": 3}, 72).consistent
    assert not fx.product_matches({"l": 6, "q": 4, "r": 3}, 96).consistent


def test_ratio_matches_by_hand():
    # 512 samples at 12 kHz last 512/12 = 42.667 ms: 42.7 (±0.05) holds, 42.5 does not
    ok = fx.ratio_matches(512, 12, 42.7, what="ms")
    assert ok.consistent and ok.recomputed["ratio"] == pytest.approx(42.6667, abs=1e-4)
    assert not fx.ratio_matches(512, 12, 42.5).consistent
    assert fx.ratio_matches(1, 4, 25, scale=100, stated_decimals=0).consistent  # 100 · 1/4
    assert not fx.ratio_matches(None, 12, 42.7).testable


def test_gains_sum_by_hand():
    # a hand-made ablation: 80.0 -> 84.0 -> 86.5 -> 90.0, gains 4.0 + 2.5 + 3.5 = 10.0 = 90 - 80
    gains = {"a": 4.0, "b": 2.5, "c": 3.5}
    assert fx.gains_sum(gains, 80.0, 90.0).consistent
    # rounding: three gains (±0.05 each) and two ends (±0.05 each) allow 0.25
    assert fx.gains_sum(gains, 80.0, 90.2).consistent
    short = fx.gains_sum(gains, 80.0, 91.5)  # a last row 1.5 above what the gains explain
    assert not short.consistent and short.recomputed["unexplained"] == pytest.approx(1.5)
    assert "belong to no listed component" in short.finding
    assert "claimed twice" in fx.gains_sum(gains, 80.0, 88.0).finding
    assert not fx.gains_sum({"a": None}, 80.0, 90.0).testable


# --------------------------------------------------------------------------- QEML-Net Table 5


def test_p_below_by_hand():
    # t_{0.975, 4} = 2.776: t = 2.776 with df = 4 gives two-sided p = 0.05
    c = fx.p_below(2.776, 5, 0.06)
    assert c.consistent and c.recomputed["p"] == pytest.approx(0.05, abs=1e-4)
    assert c.recomputed["t_needed"] == pytest.approx(st.t.ppf(0.97, 4))
    assert not fx.p_below(2.776, 5, 0.01).consistent
    assert c.recomputed["df"] == 4


def test_dz_from_t_by_hand():
    # d_z = t / sqrt(n): 4.47 / sqrt(5) = 1.999
    assert fx.dz_from_t(4.47, 5, 2.00).consistent
    assert not fx.dz_from_t(4.47, 5, 1.00).consistent
    # and it is what stats computes from paired data: a - b = (2, 3, 4), d_z = 3
    r = qs.paired_t([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    assert fx.dz_from_t(round(r.t, 2), 3, qs.cohens_dz([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])).consistent


def test_ci_implies_t_by_hand():
    # a - b = (2, 3, 4): mean 3, sd 1, n 3, t = 5.196, 95 % CI [0.516, 5.484]
    ok = fx.ci_implies_t(5.196, 0.516, 5.484, 3, ci_decimals=3, t_decimals=3)
    assert ok.consistent and ok.recomputed["t_implied"] == pytest.approx(5.196, abs=0.01)
    assert ok.recomputed["sd"] == pytest.approx(1.0, abs=0.01)
    bad = fx.ci_implies_t(2.0, 0.516, 5.484, 3, ci_decimals=3)
    assert not bad.consistent
    # the half-width the printed t implies: 3 * 4.303 / 2 = 6.45
    assert bad.recomputed["halfwidth_from_t"] == pytest.approx(3 * st.t.ppf(0.975, 2) / 2)


def test_ci_centre_by_hand():
    assert fx.ci_centre(18.4, 19.4, 97.3, 78.4).consistent  # centre 18.9 = 97.3 - 78.4
    assert not fx.ci_centre(18.4, 19.4, 97.3, 80.0).consistent


def test_bonferroni_alpha_by_hand():
    assert fx.bonferroni_alpha(0.05, 10, 0.005).consistent
    bad = fx.bonferroni_alpha(0.05, 9, 0.0083)
    assert not bad.consistent and bad.recomputed["m_implied"] == pytest.approx(6.024, abs=1e-3)


def test_corrected_p_below_by_hand():
    # t = 2.776, df 4: p = 0.05, times m = 2 -> 0.10
    bad = fx.corrected_p_below({"a": 2.776, "b": 20.0}, 5, 2, 0.05)
    assert not bad.consistent
    assert bad.recomputed["p_corrected"]["a"] == pytest.approx(0.1, abs=1e-3)
    assert fx.corrected_p_below({"b": 20.0}, 5, 2, 0.05).consistent


# --------------------------------------------------------------------------- QEML-Net ANOVA


def test_anova_eta_squared_by_hand():
    # F = 10 with df 2 and 12: eta^2 = 20 / (20 + 12) = 0.625
    ok = fx.anova_eta_squared(10, 2, 12, 0.625)
    assert ok.consistent and ok.recomputed["eta_squared"] == pytest.approx(20 / 32)
    assert not fx.anova_eta_squared(10, 2, 12, 0.5).consistent


def test_anova_eta_squared_matches_stats():
    groups = ([1.0, 2.0, 4.0], [3.0, 5.0, 6.0], [7.0, 8.0, 8.5])
    r = qs.one_way_anova(*groups)
    c = fx.anova_eta_squared(
        r.F, r.df_between, r.df_within, r.eta_squared, decimals=6, f_decimals=6
    )
    assert c.consistent and c.recomputed["eta_squared"] == pytest.approx(r.eta_squared)


def test_anova_p_and_df_by_hand():
    # df1 = 2: P(F > f) = (1 + df1 f / df2)^(-df2 / 2) = (1 + 20/12)^(-6) = 0.00277
    c = fx.anova_p(10, 2, 12, 0.01)
    assert c.consistent and c.recomputed["p"] == pytest.approx((1 + 20 / 12) ** -6)
    assert not fx.anova_p(10, 2, 12, 0.001).consistent
    assert fx.anova_df(10, 5, 9, 40).consistent
    assert not fx.anova_df(10, 5, 9, 45).consistent


# --------------------------------------------------------------------------- QEML-Net Table 4


def test_cbam_params_by_hand():
    # C = 32, r = 16: MLP 32 -> 2 -> 32 has 2 * 32 * 2 = 128 weights; 7x7 conv of 2 maps: 98
    assert fx.cbam_params([32], 16, 7) == 226
    assert fx.cbam_params([1024, 2048]) == 131_072 + 524_288 + 2 * 98


def test_param_increment_by_hand():
    ok = fx.param_increment(25.6, 26.0, {"a 400k-weight layer": 400_000})
    assert ok.consistent and ok.recomputed["increment_m"] == pytest.approx(0.4)
    assert not fx.param_increment(26.0, 30.8, {"W_enc 4x512 + 4": 2052}).consistent
    # one fitting reading is enough
    assert fx.param_increment(26.0, 30.8, {"x": 2052, "y": 4_800_000}).consistent
    untestable = fx.param_increment(31.2, 31.4, {"decoder of unstated size": None})
    assert not untestable.testable and "decoder of unstated size" in untestable.finding


def test_fp16_gain_by_hand():
    assert fx.fp16_gain(97.3, 97.3).consistent
    assert fx.fp16_gain(97.3, 97.2).consistent  # a tenth is rounding
    bad = fx.fp16_gain(95.8, 97.3)
    assert not bad.consistent and bad.recomputed["change_pp"] == pytest.approx(1.5)


# --------------------------------------------------------------------------- QEML-Net Tables 1, 3


def test_same_numbers_other_dataset_by_hand():
    row = {"acc": 81.2, "f1": 80.3, "fps": 95.0}
    assert fx.same_numbers_other_dataset(row, "CWRU", row, "CWRU").consistent
    assert fx.same_numbers_other_dataset(row, "MFPT", {**row, "acc": 85.0}, "CWRU").consistent
    assert not fx.same_numbers_other_dataset(row, "MFPT", row, "CWRU").consistent


def test_quoted_not_rerun_by_hand():
    t1 = {"A": {"acc": 80.0, "f1": 79.0}, "B": {"acc": 90.0, "f1": None}}
    assert not fx.quoted_not_rerun(
        t1, {"A": {"acc": 80.0, "f1": 79.0}, "B": {"acc": 90.0}}
    ).consistent
    rerun = fx.quoted_not_rerun(t1, {"A": {"acc": 80.4, "f1": 79.0}, "B": {"acc": 90.0}})
    assert rerun.consistent and rerun.recomputed["identical_numbers"] == 2


def test_is_best_fps_latency_rows_agree_by_hand():
    assert fx.is_best("Q", {"Q": 52, "S": 40}, what="FPS").consistent
    bad = fx.is_best("Q", {"Q": 52, "S": 120, "R": 95}, what="FPS")
    assert not bad.consistent and bad.recomputed["better"] == {"S": 120, "R": 95}
    assert fx.is_best("Q", {"Q": 1.0, "S": 2.0}, higher_is_better=False).consistent
    assert not fx.is_best("Q", {"Q": None, "S": 2.0}).testable
    # 20 ms per frame -> 50 FPS; 30 ms (29.5-30.5) gives 32.8-33.9, not 52
    assert fx.fps_latency(50, 20).consistent and not fx.fps_latency(52, 30).consistent
    assert fx.fps_latency(120, 8).consistent  # 1000/8.5 = 117.6 .. 1000/7.5 = 133.3
    assert fx.rows_agree({"acc": 89.1, "fps": 42}, {"acc": 89.1, "fps": 42}).consistent
    bad = fx.rows_agree({"acc": 89.1, "fps": 42}, {"acc": 82.4, "fps": 42})
    assert not bad.consistent and bad.recomputed == {"differ": ["acc"], "agree": ["fps"]}


def test_f1_le_harmonic_mean_by_hand():
    assert fx.f1_le_harmonic_mean(90.0, 90.0, 90.0).consistent
    assert fx.f1_le_harmonic_mean(92.1, 91.6, 91.9).consistent  # H(92.15, 91.65) = 91.90
    bad = fx.f1_le_harmonic_mean(86.1, 86.4, 86.4)  # H = 86.25, at most 86.30 > 86.35
    assert not bad.consistent and bad.recomputed["harmonic_mean"] == pytest.approx(
        86.2498, abs=1e-3
    )


def test_macro_f1_never_exceeds_harmonic_mean_of_macro_p_and_r():
    rng = np.random.default_rng(2)
    for _ in range(200):
        p, r = rng.uniform(0.05, 1.0, (2, rng.integers(2, 9)))
        f1 = float(np.mean(2 * p * r / (p + r)))
        c = fx.f1_le_harmonic_mean(
            round(100 * p.mean(), 1), round(100 * r.mean(), 1), round(100 * f1, 1)
        )
        assert c.consistent, c.finding


# --------------------------------------------------------------------------- run_all


@pytest.fixture(scope="module")
def checks():
    return fx.run_all(claims)


@pytest.fixture(scope="module")
def by_name(checks):
    return {c.name: c for c in checks}


def test_run_all_names_claims_and_findings(checks):
    names = [c.name for c in checks]
    assert len(names) == len(set(names)) > 150
    known = claims.all_claims()
    for c in checks:
        assert c.claims, c.name
        assert all(cid in known for cid in c.claims), c.name
        assert c.finding and "\n" not in c.finding, c.name
        assert c.testable or c.consistent, c.name
        assert c.name.split(".")[0] in ("qaql", "qeml"), c.name
    assert sum(c.inconsistent for c in checks) > 50
    assert {c.verdict for c in checks} == {"consistent", "inconsistent", "not checkable"}


def test_run_all_pinned_qaql_findings(by_name):
    lstm = by_name["qaql.t7.rmse2_vs_mse.fd001.quantum-lstm"]
    assert not lstm.consistent and lstm.recomputed["sqrt_mse"] == pytest.approx(30.24, abs=5e-3)
    assert "RMSE 31.21 but √914.29 = 30.24" in lstm.finding
    assert not by_name["qaql.t6.mae_le_rmse.fd001.bi-lstm"].consistent
    assert by_name["qaql.t6.mae_le_rmse.fd001.qaql"].consistent
    assert not by_name["qaql.t6.mae_le_rmse.pm.qaql"].consistent  # MAE 12.49 > RMSE 11.23
    for s, ratio in (("fd002", 1.4), ("fd003", 1.05), ("fd004", 1.65)):
        c = by_name[f"qaql.t11.fixed_ratio.{s}"]
        assert not c.consistent and c.recomputed["common_ratio"] == ratio
        assert len(c.recomputed["ratios"]) == 14
    assert not by_name["qaql.t6.mse_over_rse.fd001"].consistent
    assert not by_name["qaql.t8.mape_floor.fd001.without-td"].consistent  # 12.17 < 22.53
    assert by_name["qaql.s4.2.annealing_budget"].recomputed["annealing_ms"] == pytest.approx(20.0)
    train = by_name["qaql.s4.2.training_time"]
    assert not train.consistent
    assert train.recomputed["qpu_calls"]["all 100 training engines"] == 17_731 * 8
    assert by_name["qaql.s4.8.slowdown"].consistent
    floor = by_name["qaql.s4.10.rmse_floor"]
    assert floor.consistent and floor.recomputed["rmse_floor"] == pytest.approx(2.255, abs=1e-3)
    assert not by_name["qaql.abs.mse_without_table.fd002-fd004"].consistent
    assert not by_name["qaql.s4.6.cliffs_threshold"].consistent
    gain = by_name["qaql.s4.7.largest_gain"]
    assert gain.recomputed["largest_absolute"] == "FD004"
    assert gain.recomputed["largest_relative"] == "FD002"
    dom = by_name["qaql.s4.5.dominates.fd001"]
    assert not dom.consistent and "MAPE 11.92 < 12.16" in dom.finding
    assert by_name["qaql.s4.4.reduction.fd001.vs-transformer"].consistent
    assert not by_name["qaql.s4.6.lowest_variance"].testable


def test_run_all_pinned_qeml_findings(by_name):
    gnn = by_name["qeml.t5.p_from_t.vs-gnn"]
    assert not gnn.consistent and gnn.recomputed["p"] == pytest.approx(0.0018, abs=5e-5)
    assert by_name["qeml.t5.p_from_t.vs-transformer"].consistent  # t 8.91: p = 0.00088
    assert by_name["qeml.t5.dz_from_t.vs-svm"].recomputed["d_z"] == pytest.approx(
        22.41 / math.sqrt(5)
    )
    assert not by_name["qeml.t5.ci_implies_t.vs-svm"].consistent
    assert by_name["qeml.t5.ci_centre.vs-svm"].consistent
    assert by_name["qeml.s4.4.bonferroni_alpha"].consistent
    assert not by_name["qeml.t5.bonferroni_threshold"].consistent
    assert not by_name["qeml.t5.comparisons"].consistent
    eta = by_name["qeml.s4.4.anova_eta_squared"]
    assert eta.consistent and eta.recomputed["eta_squared"] == pytest.approx(805.23 / 845.23)
    assert by_name["qeml.t2.samples_sum"].recomputed["sum"] == 51_604
    assert not by_name["qeml.t2.dataset_count"].consistent
    assert not by_name["qeml.t4.params.plus-quantum-encoding"].consistent
    assert not by_name["qeml.t4.params.plus-vqc"].consistent
    assert not by_name["qeml.t4.params.plus-hybrid-loss"].testable
    assert not by_name["qeml.t4.fp16_gain"].consistent
    assert by_name["qeml.s3.4.quantum_params"].recomputed["product"] == 72
    assert not by_name["qeml.s4.2.fastest"].consistent
    assert set(by_name["qeml.s4.2.fastest"].recomputed["better"]) == {
        "SVM-RBF",
        "Random Forest",
        "1D-CNN",
    }
    assert not by_name["qeml.t4.baseline_vs_t3"].consistent
    reused = {
        m: by_name[f"qeml.t1.reused.{m}"].consistent
        for m in ("random-forest", "lstm", "automl", "transformer", "gnn")
    }
    assert reused == {
        "random-forest": False,
        "lstm": False,
        "automl": False,
        "transformer": False,
        "gnn": True,
    }
    assert not by_name["qeml.abs.cross_dataset_range"].consistent
    assert by_name["qeml.concl.cross_dataset_range"].consistent
    ims = by_name["qeml.s4.5.ims_gain"]
    assert not ims.consistent and ims.recomputed["difference"] == pytest.approx(4.2)
    assert all(
        by_name[f"qeml.t4.gain.{r}"].consistent
        for r in ("plus-cbam", "plus-quantum-encoding", "plus-vqc", "plus-hybrid-loss")
    )


def test_run_all_pinned_new_checks(by_name):
    gains = by_name["qeml.t4.gains_sum"]  # 4.7 + 3.5 + 2.6 + 2.6 = 13.4 against 97.3 - 82.4
    assert not gains.consistent and gains.recomputed["unexplained"] == pytest.approx(1.5)
    assert set(gains.claims) == {"qeml.t4.baseline.acc", "qeml.t4.full-trt.acc"}
    window = by_name["qeml.s3.1.window_duration"]
    assert window.consistent and window.recomputed["ratio"] == pytest.approx(512 / 12)


def test_an_inconsistency_marks_the_contradicting_numbers_not_the_inputs(by_name, checks):
    for c in checks:
        assert set(c.marked) <= set(c.claims) and c.marked, c.name
    # Table 11's FDk column is the multiple; the FD001 values it is a multiple of are fine
    ratio = by_name["qaql.t11.fixed_ratio.fd002"]
    assert len(ratio.marked) == 14 and all(m.startswith("qaql.t11.fd002.") for m in ratio.marked)
    # the sentence "lowest on every metric" and the two MAPE cells that contradict it
    assert by_name["qaql.s4.5.dominates.fd001"].marked == (
        "qaql.s4.5.metrics",
        "qaql.t8.fd001.qaql.mape",
        "qaql.t8.fd001.episodes-2.mape",
    )
    # MSE/RSE: the MSE column agrees with RMSE², so the RSE column is what cannot hold
    rse = by_name["qaql.t6.mse_over_rse.fd001"].marked
    assert len(rse) == 8 and all(m.endswith(".rse") for m in rse)
    # reads and annealing time are settings the QUBO chapter adopts; the 20 ms is what fails
    assert by_name["qaql.s4.2.annealing_budget"].marked == ("qaql.s4.2.qpu.qpu_time",)
    assert "qaql.s4.3.fd001.train_windows" not in by_name["qaql.s4.2.training_time"].marked
    assert "qeml.t5.caption.seeds" not in by_name["qeml.t5.dz_from_t.vs-svm"].marked
    assert by_name["qeml.t5.bonferroni_threshold"].marked == tuple(
        f"qeml.t5.{r}.bonf_p"
        for r in ("vs-svm", "vs-rf", "vs-lstm", "vs-1d-cnn", "vs-resnet", "vs-transformer",
                  "vs-gnn", "vs-hybrid-qnn")
    )  # fmt: skip
    # a check without a rule marks every claim it reads
    mae = by_name["qaql.t6.mae_le_rmse.pm.qaql"]
    assert mae.implicated == () and mae.marked == mae.claims


def test_every_check_has_a_family_and_every_family_a_check(checks):
    families = {c.name: fx.family_of(c.name) for c in checks}
    assert set(families.values()) == set(fx.FAMILIES)
    for name, family in families.items():
        assert name.startswith(fx.FAMILIES[family].paper.lower().split("-")[0]), name
    assert families["qaql.t8.mse_over_rse.pm"] == "mse_over_rse"
    assert families["qaql.s4.10.rmse_floor"] == "bins"
    assert families["qeml.t5.bonferroni_threshold"] == "bonferroni"
    assert families["qeml.t4.baseline_vs_t3"] == "t1_t3"
    assert families["qeml.s3.1.window_duration"] == "qeml_text"
    with pytest.raises(KeyError, match="belongs to no family"):
        fx.family_of("other.paper.check")


def test_derived_values_cover_every_derived_claim_the_chapter_tests(checks):
    derived = {
        c.id
        for c in claims.all_claims().values()
        if c.kind == "derived" and c.tested_by == "forensics" and not c.restates
    }
    assert set(fx.DERIVED) == derived
    values = fx.derived_values(checks)
    assert set(values) == derived  # every one of their checks ran
    assert values["qeml.s4.3.plus-cbam.acc_gain"][0] == pytest.approx(4.7)  # 87.1 - 82.4
    assert values["qeml.s4.5.ims.vs-hybrid-qnn.acc_gain"][0] == pytest.approx(4.2)  # not 5.9
    # a reduction is printed positive: (791.68 - 435.28) / 791.68 = 45.02 %
    assert values["qaql.s4.4.fd001.vs-transformer.mse_reduction"][0] == pytest.approx(
        45.018, abs=1e-3
    )
    assert values["qaql.s4.10.bins.resolution"][0] == pytest.approx(125 / 16)
    assert values["qeml.s4.4.anova.variance_explained"][0] == pytest.approx(100 * 805.23 / 845.23)


def test_checks_table(checks):
    table = fx.checks_table(checks)
    assert isinstance(table, pd.DataFrame) and len(table) == len(checks)
    assert list(table.columns[:4]) == ["name", "verdict", "finding", "claims"]
    assert (table.verdict == "inconsistent").sum() == sum(c.inconsistent for c in checks)
    assert fx.checks_table([]).empty
