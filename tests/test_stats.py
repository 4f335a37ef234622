"""qpdm_lib.stats against independent references: SciPy, statsmodels, pingouin, hand formulas.

Each public function is compared with a reference that does not share its code path where one
exists (pingouin for the t-test, d_z, ANOVA, Wilcoxon effect size, Cliff's delta and power;
statsmodels for the corrections; numerical integration for the noncentral t), and with a small
case computed by hand in the comments.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import integrate
from scipy import stats as st

from qpdm_lib import stats as qs

pg = pytest.importorskip("pingouin")
multitest = pytest.importorskip("statsmodels.stats.multitest")
sm_power = pytest.importorskip("statsmodels.stats.power")

SIZES = [3, 10, 30, 200]
# a = 3, 5, 7 and b = 1, 2, 3: d = 2, 3, 4, mean 3, sd 1, n = 3, df = 2.
A3, B3 = [3.0, 5.0, 7.0], [1.0, 2.0, 3.0]


def paired_data(n: int, seed: int, shift: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Correlated pairs, like two methods scored on the same seeds."""
    rng = np.random.default_rng(seed)
    base = rng.normal(0.8, 0.05, n)
    return base + rng.normal(shift * 0.02, 0.02, n), base + rng.normal(0.0, 0.02, n)


def t2_cdf(t: float) -> float:
    """Student t with 2 df has a closed-form CDF: F(t) = 1/2 + t / (2 sqrt(2 + t^2))."""
    return 0.5 + t / (2.0 * math.sqrt(2.0 + t * t))


def nct_cdf_by_quadrature(t: float, df: int, nc: float) -> float:
    """Noncentral t CDF from its definition T = (Z + nc) / sqrt(V / df), V ~ chi2(df).

    P(T <= t) = E_V[Phi(t sqrt(V / df) - nc)], integrated numerically; shares no code with
    scipy.stats.nct.
    """
    lo, hi = st.chi2.ppf(1e-14, df), st.chi2.isf(1e-14, df)

    def integrand(v: float) -> float:
        return st.chi2.pdf(v, df) * st.norm.cdf(t * math.sqrt(v / df) - nc)

    value, _ = integrate.quad(integrand, lo, hi, limit=400, epsabs=1e-13, epsrel=1e-11)
    return value


def power_by_quadrature(n: int, dz: float, alpha: float) -> float:
    """Two-sided paired-t power from the definition, both tails, by numerical integration."""
    df, nc = n - 1, dz * math.sqrt(n)
    c = st.t.isf(alpha / 2, df)
    lo, hi = st.chi2.ppf(1e-14, df), st.chi2.isf(1e-14, df)

    def integrand(v: float) -> float:
        s = c * math.sqrt(v / df)
        return st.chi2.pdf(v, df) * (st.norm.cdf(nc - s) + st.norm.cdf(-nc - s))

    value, _ = integrate.quad(integrand, lo, hi, limit=400, epsabs=1e-13, epsrel=1e-11)
    return value


# --------------------------------------------------------------------------- paired t


def test_paired_t_by_hand():
    # t = 3 / (1 / sqrt 3) = sqrt 27; with the df = 2 CDF above, p = 2 (1 - F(t)) =
    # 1 - t / sqrt(2 + t^2) = 1 - sqrt(27 / 29). t_crit solves t / sqrt(2 + t^2) = 0.95:
    # t^2 = 2 * 0.95^2 / (1 - 0.95^2) = 18.5128..., so CI = 3 -+ t_crit / sqrt 3 = 3 -+ 2.48414.
    r = qs.paired_t(A3, B3)
    t_crit = math.sqrt(2 * 0.95**2 / (1 - 0.95**2))
    assert r.t == pytest.approx(math.sqrt(27), rel=1e-12)
    assert r.df == 2 and r.n == 3
    assert r.p == pytest.approx(1 - math.sqrt(27 / 29), rel=1e-10)
    assert r.mean_diff == 3.0 and r.sd_diff == 1.0
    assert r.ci_low == pytest.approx(3 - t_crit / math.sqrt(3), rel=1e-10)
    assert r.ci_high == pytest.approx(3 + t_crit / math.sqrt(3), rel=1e-10)
    assert t2_cdf(t_crit) == pytest.approx(0.975)
    assert r.confidence == 0.95


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_paired_t_matches_scipy_ttest_rel(n, confidence):
    a, b = paired_data(n, seed=n)
    r = qs.paired_t(a, b, confidence=confidence)
    ref = st.ttest_rel(a, b)
    ci = ref.confidence_interval(confidence_level=confidence)
    assert r.t == pytest.approx(ref.statistic, rel=1e-10)
    assert r.df == ref.df
    assert r.p == pytest.approx(ref.pvalue, rel=1e-9)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert tuple(qs.mean_diff_ci(a, b, confidence=confidence)) == (
        r.ci_low,
        r.ci_high,
        confidence,
    )


@pytest.mark.parametrize("n", SIZES)
def test_paired_t_matches_pingouin(n):
    a, b = paired_data(n, seed=100 + n, shift=1.0)
    r = qs.paired_t(a, b)
    ref = pg.ttest(a, b, paired=True).iloc[0]
    assert r.t == pytest.approx(ref["T"], rel=1e-10)
    assert r.df == ref["dof"]
    assert r.p == pytest.approx(ref["p_val"], rel=1e-6)
    # pingouin prints the CI rounded to 2 decimals
    assert (r.ci_low, r.ci_high) == pytest.approx(tuple(ref["CI95"]), abs=0.0051)


def test_paired_t_zero_variance_follows_scipy():
    # all differences 0: undefined t and p (scipy: nan, nan), CI collapses to (0, 0)
    r = qs.paired_t([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert math.isnan(r.t) and math.isnan(r.p)
    assert (r.ci_low, r.ci_high) == (0.0, 0.0)
    # constant non-zero difference c: t = sign(c) inf, p = 0, CI = (c, c)
    r = qs.paired_t([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    assert r.t == -math.inf and r.p == 0.0 and (r.ci_low, r.ci_high) == (-1.0, -1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns about catastrophic cancellation
        ref = st.ttest_rel([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])
    assert qs.paired_t([2.0, 3.0, 4.0], [1.0, 2.0, 3.0])[:3] == (ref.statistic, 2, ref.pvalue)


def test_results_are_frozen():
    r = qs.paired_t(A3, B3)
    with pytest.raises(AttributeError):
        r.t = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------- Cohen's d_z


def test_cohens_dz_by_hand():
    # d = 2, 3, 4: mean 3, sd (ddof=1) = sqrt(((-1)^2 + 0 + 1^2) / 2) = 1, so d_z = 3
    # (ddof=0 would give 3 / sqrt(2/3) = 3.674).
    assert qs.cohens_dz(A3, B3) == 3.0
    assert qs.cohens_dz(B3, A3) == -3.0


@pytest.mark.parametrize("n", SIZES)
def test_cohens_dz_matches_pingouin_and_t(n):
    a, b = paired_data(n, seed=200 + n)
    dz = qs.cohens_dz(a, b)
    assert dz == pytest.approx(pg.compute_effsize(a, b, paired=True, eftype="cohen_dz"), rel=1e-10)
    assert dz == pytest.approx(st.ttest_rel(a, b).statistic / math.sqrt(n), rel=1e-10)


def test_cohens_dz_zero_sd():
    assert qs.cohens_dz([2.0, 3.0], [1.0, 2.0]) == math.inf
    assert qs.cohens_dz([1.0, 2.0], [2.0, 3.0]) == -math.inf
    assert math.isnan(qs.cohens_dz([1.0, 2.0], [1.0, 2.0]))


# --------------------------------------------------------------------------- d_z interval


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_dz_ci_inverts_the_noncentral_t(n, confidence):
    # Definition: the limits are the noncentralities delta with P(T <= t_obs | delta) equal to
    # 1 - alpha/2 (lower) and alpha/2 (upper), divided by sqrt(n). Checked with a CDF computed
    # by quadrature, not with scipy's nct that the implementation uses.
    a, b = paired_data(n, seed=300 + n)
    t_obs = st.ttest_rel(a, b).statistic
    lo, hi, conf = qs.dz_ci(a, b, confidence=confidence)
    alpha = 1 - confidence
    assert conf == confidence
    assert lo < qs.cohens_dz(a, b) < hi
    root = math.sqrt(n)
    assert nct_cdf_by_quadrature(t_obs, n - 1, lo * root) == pytest.approx(1 - alpha / 2, abs=1e-7)
    assert nct_cdf_by_quadrature(t_obs, n - 1, hi * root) == pytest.approx(alpha / 2, abs=1e-7)


def test_dz_ci_hand_case_and_shape():
    # 3 pairs, t = sqrt 27, df = 2: checked as above, plus properties any interval must have.
    lo, hi, _ = qs.dz_ci(A3, B3)
    assert nct_cdf_by_quadrature(math.sqrt(27), 2, lo * math.sqrt(3)) == pytest.approx(0.975)
    assert nct_cdf_by_quadrature(math.sqrt(27), 2, hi * math.sqrt(3)) == pytest.approx(0.025)
    # swapping a and b mirrors the interval
    lo2, hi2, _ = qs.dz_ci(B3, A3)
    assert (lo2, hi2) == pytest.approx((-hi, -lo), rel=1e-9)
    # a 90 % interval lies inside the 95 % one
    lo90, hi90, _ = qs.dz_ci(A3, B3, confidence=0.9)
    assert lo < lo90 < hi90 < hi
    # t = 0 exactly: symmetric about 0
    lo0, hi0, _ = qs.dz_ci([1.0, -1.0, 2.0, -2.0], [0.0, 0.0, 0.0, 0.0])
    assert lo0 == pytest.approx(-hi0, abs=1e-10) and hi0 > 0


def test_dz_ci_approaches_pingouins_large_sample_interval():
    # pingouin's compute_esci uses SE = sqrt(1/n + d^2/(2n)) with a t quantile: an
    # approximation that the exact interval approaches as n grows.
    a, b = paired_data(400, seed=7, shift=0.5)
    dz = qs.cohens_dz(a, b)
    lo, hi, _ = qs.dz_ci(a, b)
    ref = pg.compute_esci(stat=dz, nx=400, ny=400, paired=True, eftype="cohen", decimals=6)
    assert (lo, hi) == pytest.approx(tuple(ref), abs=0.01)


def test_dz_ci_zero_sd_is_nan():
    for a, b in (([2.0, 3.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.0])):
        lo, hi, _ = qs.dz_ci(a, b)
        assert math.isnan(lo) and math.isnan(hi)


@pytest.mark.slow
def test_dz_ci_coverage_by_simulation():
    # 1000 samples of 8 pairs with true d_z = 0.8: a 95 % interval should cover 0.8 in
    # 95 % +- 2.5 % of them (3.6 binomial SE). (pingouin's approximation covers less.)
    rng = np.random.default_rng(2024)
    reps, n, true_dz = 1000, 8, 0.8
    covered = 0
    for _ in range(reps):
        d = rng.normal(true_dz, 1.0, n)
        lo, hi, _ = qs.dz_ci(d, np.zeros(n))
        covered += lo <= true_dz <= hi
    assert abs(covered / reps - 0.95) < 0.025


# --------------------------------------------------------------------------- corrections


def test_corrections_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # Bonferroni: 4p = 0.04, 0.16, 0.12, 0.02
    assert qs.bonferroni(p) == pytest.approx([0.04, 0.16, 0.12, 0.02])
    # Holm, sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04, then the
    # running maximum 0.02, 0.03, 0.06, 0.06, put back in input order:
    assert qs.holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # capped at 1
    assert qs.bonferroni([0.3, 0.6]).tolist() == [0.6, 1.0]
    assert qs.holm([0.6, 0.9]).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("m", [1, 2, 9, 50])
@pytest.mark.parametrize("method", ["bonferroni", "holm"])
def test_corrections_match_statsmodels(m, method):
    rng = np.random.default_rng(m)
    p = rng.uniform(0, 0.2, m) ** 2
    if m > 2:
        p[1] = p[0]  # a tie
        p[-1] = 1.0
    ours = getattr(qs, method)(p)
    ref = multitest.multipletests(p, method=method)[1]
    assert ours.shape == p.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-12)


def test_corrections_empty_and_bad_input():
    for fn in (qs.bonferroni, qs.holm):
        out = fn([])
        assert isinstance(out, np.ndarray) and out.shape == (0,) and out.dtype == float
        with pytest.raises(ValueError, match="pvalues holds NaN at index 1"):
            fn([0.1, float("nan")])
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            fn([0.1, 1.5])
        with pytest.raises(ValueError, match="1-D"):
            fn([[0.1, 0.2]])


# --------------------------------------------------------------------------- ANOVA


def test_anova_by_hand():
    # groups 1,2,3 and 4,5,6: grand mean 3.5, SS_between = 3 (1.5^2) + 3 (1.5^2) = 13.5,
    # SS_within = 2 + 2 = 4, F = (13.5 / 1) / (4 / 4) = 13.5, eta^2 = 13.5 / 17.5.
    # With one numerator df, F = t^2 of the pooled two-sample t with 4 df.
    r = qs.one_way_anova([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    assert (r.F, r.df_between, r.df_within) == (13.5, 1, 4)
    assert r.eta_squared == pytest.approx(13.5 / 17.5)
    assert r.p == pytest.approx(2 * st.t.sf(math.sqrt(13.5), 4), rel=1e-12)


@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna")  # pingouin's
@pytest.mark.parametrize("k", [2, 3, 10])
def test_anova_matches_scipy_and_pingouin(k):
    rng = np.random.default_rng(k)
    groups = [rng.normal(0.8 + 0.01 * j, 0.03, 5 + j % 4) for j in range(k)]
    r = qs.one_way_anova(*groups)
    ref = st.f_oneway(*groups)
    assert r.F == pytest.approx(ref.statistic, rel=1e-10)
    assert r.p == pytest.approx(ref.pvalue, rel=1e-9)
    frame = pd.DataFrame(
        {"y": np.concatenate(groups), "g": np.repeat(np.arange(k), [len(g) for g in groups])}
    )
    row = pg.anova(data=frame, dv="y", between="g").iloc[0]
    assert r.F == pytest.approx(row["F"], rel=1e-8)
    assert r.p == pytest.approx(row["p_unc"], rel=1e-6)
    assert r.eta_squared == pytest.approx(row["np2"], rel=1e-8)
    assert (r.df_between, r.df_within) == (row["ddof1"], row["ddof2"])


def test_anova_degenerate_and_bad_input():
    r = qs.one_way_anova([1.0, 1.0], [2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns about constant input
        ref = st.f_oneway([1.0, 1.0], [2.0, 2.0])
    assert (r.F, r.p, r.eta_squared) == (ref.statistic, ref.pvalue, 1.0) == (math.inf, 0.0, 1.0)
    r = qs.one_way_anova([1.0, 1.0], [1.0, 1.0])
    assert math.isnan(r.F) and math.isnan(r.p) and math.isnan(r.eta_squared)
    with pytest.raises(ValueError, match="at least 2 groups"):
        qs.one_way_anova([1.0, 2.0])
    with pytest.raises(ValueError, match="no within-group degrees of freedom"):
        qs.one_way_anova([1.0], [2.0])
    with pytest.raises(ValueError, match="group 2 holds NaN at index 0"):
        qs.one_way_anova([1.0, 2.0], [3.0, 4.0], [float("nan"), 1.0])
    with pytest.raises(ValueError, match="group 1 has 0 values"):
        qs.one_way_anova([1.0, 2.0], [])


# --------------------------------------------------------------------------- Wilcoxon


def test_wilcoxon_exact_by_hand():
    # 6 non-zero differences, no ties, one negative with the smallest |d| (rank 1):
    # R- = 1, R+ = 20, statistic min = 1. Of the 2^6 = 64 equally likely sign patterns,
    # R- <= 1 occurs for {} and {1}: p = 2 * 2/64 = 0.0625. r = (20 - 1) / 21.
    d = np.array([-0.5, 1.0, 2.0, 3.0, 4.0, 5.0])
    r = qs.wilcoxon_signed_rank(d, np.zeros(6))
    assert (r.statistic, r.n) == (1.0, 6)
    assert r.p == pytest.approx(0.0625)
    assert r.rank_biserial == pytest.approx(19 / 21)


def test_wilcoxon_ties_and_zeros_by_enumeration():
    # d = 0, 1, -1, 2, 3: zero dropped (zero_method="wilcox"), |d| ranks 1.5, 1.5, 3, 4,
    # R+ = 8.5, R- = 1.5, n = 4. Ties and a zero with n <= 13: scipy enumerates all 16 sign
    # flips of the ranks. P(R+ >= 8.5) = 3/16 ({1.5,3,4} twice, {all}), P(R+ <= 8.5) = 15/16,
    # so p = 2 * 3/16 = 0.375; enumerated below as well.
    a = np.array([5.0, 6.0, 4.0, 7.0, 8.0])
    b = np.array([5.0, 5.0, 5.0, 5.0, 5.0])
    r = qs.wilcoxon_signed_rank(a, b)
    ranks = np.array([1.5, 1.5, 3.0, 4.0])
    sums = [ranks[list(s)].sum() for k in range(5) for s in itertools.combinations(range(4), k)]
    p_enum = min(1.0, 2 * min(np.mean(np.array(sums) >= 8.5), np.mean(np.array(sums) <= 8.5)))
    assert r.n == 4 and r.statistic == 1.5
    assert r.p == pytest.approx(p_enum) == pytest.approx(0.375)
    assert r.rank_biserial == pytest.approx((8.5 - 1.5) / 10)


def test_wilcoxon_normal_approximation_by_hand():
    # 80 pairs (> 50: normal approximation), with zeros and ties from rounding.
    # z = (R+ - n(n+1)/4) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48), no continuity correction,
    # n = non-zero differences, t = sizes of tie groups of |d|.
    # Integer scores, so that equal differences are exactly equal in floating point.
    rng = np.random.default_rng(5)
    a = rng.integers(0, 12, 80).astype(float)
    b = rng.integers(0, 10, 80).astype(float)
    d = a - b
    d = d[d != 0]
    n = d.size
    ranks = st.rankdata(np.abs(d))
    r_plus = ranks[d > 0].sum()
    _, ties = np.unique(np.abs(d), return_counts=True)
    var = n * (n + 1) * (2 * n + 1) / 24 - np.sum(ties**3 - ties) / 48
    z = (r_plus - n * (n + 1) / 4) / math.sqrt(var)
    r = qs.wilcoxon_signed_rank(a, b)
    assert r.n == n and n < 80
    assert r.p == pytest.approx(2 * st.norm.sf(abs(z)), rel=1e-8)
    assert r.statistic == pytest.approx(min(r_plus, n * (n + 1) / 2 - r_plus))


@pytest.mark.parametrize("n", [5, 12, 30, 80])
@pytest.mark.parametrize("rounding", [None, 1])
def test_wilcoxon_matches_pingouin(n, rounding):
    a, b = paired_data(n, seed=400 + n, shift=0.5)
    if rounding is not None:  # ties and zeros
        a, b = np.round(a * 50, rounding), np.round(b * 50, rounding)
    r = qs.wilcoxon_signed_rank(a, b)
    ref = pg.wilcoxon(a, b, correction=False).iloc[0]
    assert r.statistic == pytest.approx(ref["W_val"])
    assert r.p == pytest.approx(ref["p_val"], rel=1e-6)
    assert r.rank_biserial == pytest.approx(ref["RBC"], rel=1e-10)
    assert r.n == np.count_nonzero(a - b)


def test_wilcoxon_all_zero_differences():
    r = qs.wilcoxon_signed_rank([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    assert (r.statistic, r.p, r.n) == (0.0, 1.0, 0) and math.isnan(r.rank_biserial)


# --------------------------------------------------------------------------- Cliff's delta


def cliff_brute(a, b) -> float:
    total = 0
    for x in a:
        for y in b:
            total += int(x > y) - int(x < y)
    return total / (len(a) * len(b))


def test_cliffs_delta_by_hand():
    # a = 1, 2, 3 vs b = 2, 2, 4: a=1 loses 3 (-3); a=2 ties twice, loses to 4 (-1);
    # a=3 beats both 2s, loses to 4 (+1). delta = -3/9 = -1/3, |delta| in [0.33, 0.474).
    r = qs.cliffs_delta([1.0, 2.0, 3.0], [2.0, 2.0, 4.0])
    assert r.delta == pytest.approx(-1 / 3) and r.magnitude == "medium"
    assert qs.cliffs_delta([5.0, 6.0], [1.0, 2.0, 3.0]) == (1.0, "large")
    assert qs.cliffs_delta([1.0], [1.0]) == (0.0, "negligible")


@pytest.mark.parametrize(("n", "m"), [(1, 1), (1, 5), (7, 5), (40, 60), (200, 150)])
def test_cliffs_delta_matches_brute_force_and_pingouin(n, m):
    rng = np.random.default_rng(n * 1000 + m)
    a = rng.integers(0, 6, n).astype(float)  # integers: many ties
    b = rng.integers(1, 7, m).astype(float)
    r = qs.cliffs_delta(a, b)
    assert r.delta == pytest.approx(cliff_brute(a, b), abs=1e-12)
    # pingouin's CLES = P(a > b) + P(a = b) / 2, so delta = 2 CLES - 1
    cles = pg.compute_effsize(a, b, eftype="CLES")
    assert r.delta == pytest.approx(2 * cles - 1, abs=1e-12)


def test_cliffs_delta_large_samples_vectorised_reference():
    rng = np.random.default_rng(11)
    a, b = rng.normal(0.2, 1, 1000), np.round(rng.normal(0, 1, 800), 2)
    ref = np.sign(a[:, None] - b[None, :]).mean()
    assert qs.cliffs_delta(a, b).delta == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (0.0, "negligible"),
        (0.1469, "negligible"),
        (0.147, "small"),
        (-0.3299, "small"),
        (0.33, "medium"),
        (0.4739, "medium"),
        (-0.474, "large"),
        (1.0, "large"),
    ],
)
def test_cliffs_magnitude_thresholds(delta, label):
    assert qs.cliffs_magnitude(delta) == label


def test_cliffs_bad_input():
    with pytest.raises(ValueError, match="a has 0 values"):
        qs.cliffs_delta([], [1.0])
    with pytest.raises(ValueError, match="b holds NaN"):
        qs.cliffs_delta([1.0], [float("nan")])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        qs.cliffs_magnitude(1.5)


# --------------------------------------------------------------------------- power


def test_power_textbook_values():
    # G*Power ("difference between two dependent means", two-tailed, alpha .05): 34 pairs
    # give power 0.8078 at d_z = 0.5; 20 pairs detect d_z = 0.6604 with power 0.8.
    assert qs.paired_power(34, 0.5) == pytest.approx(0.8077775, abs=1e-6)
    assert qs.min_detectable_dz(20) == pytest.approx(0.6604417, abs=1e-6)


@pytest.mark.parametrize("n", [2, 3, 10, 50])
@pytest.mark.parametrize("dz", [0.0, 0.3, -0.8, 2.0, 8.0])
def test_paired_power_matches_quadrature_and_pingouin(n, dz):
    power = qs.paired_power(n, dz, alpha=0.05)
    assert power == pytest.approx(power_by_quadrature(n, dz, 0.05), abs=1e-8)
    ref = pg.power_ttest(d=dz, n=n, contrast="paired", alpha=0.05)
    assert power == pytest.approx(ref, abs=1e-8)
    if dz == 0.0:
        assert power == pytest.approx(0.05)


def test_paired_power_survives_scipy_nan_tail():
    # with df = 1, scipy's nct.cdf is NaN far in the lower tail, which makes statsmodels'
    # TTestPower NaN at d_z = 6; the function must still answer.
    with np.errstate(all="ignore"):
        raw = sm_power.TTestPower().power(6.0, 2, 0.05)
    assert math.isnan(raw)
    assert qs.paired_power(2, 6.0) == pytest.approx(power_by_quadrature(2, 6.0, 0.05), abs=1e-8)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 30, 200])
@pytest.mark.parametrize(("power", "alpha"), [(0.8, 0.05), (0.9, 0.01)])
def test_min_detectable_dz_matches_references(n, power, alpha):
    dz = qs.min_detectable_dz(n, power=power, alpha=alpha)
    assert power_by_quadrature(n, dz, alpha) == pytest.approx(power, abs=1e-8)
    if n >= 5:  # statsmodels' solve_power returns wrong roots at n = 2, 3 (see docstring)
        with np.errstate(all="ignore"):
            ref = sm_power.TTestPower().solve_power(
                effect_size=None, nobs=n, alpha=alpha, power=power
            )
        assert dz == pytest.approx(ref, rel=1e-5)
    if n >= 3:  # pingouin's solver returns NaN for n = 2
        ref_pg = pg.power_ttest(n=n, power=power, alpha=alpha, contrast="paired")
        assert dz == pytest.approx(ref_pg, rel=1e-8)


def test_power_bad_input():
    with pytest.raises(ValueError, match="n must be a whole number of pairs >= 2"):
        qs.paired_power(1, 0.5)
    with pytest.raises(ValueError, match="n must be a whole number"):
        qs.min_detectable_dz(10.5)
    with pytest.raises(ValueError, match="alpha must lie strictly between 0 and 1"):
        qs.paired_power(10, 0.5, alpha=0.0)
    with pytest.raises(ValueError, match="power must lie strictly between alpha"):
        qs.min_detectable_dz(10, power=0.04)
    with pytest.raises(ValueError, match="effect_dz must be a finite number"):
        qs.paired_power(10, float("nan"))


# --------------------------------------------------------------------------- forensics


def test_p_from_t_by_hand_and_scipy():
    # df = 2: two-sided p = 1 - t / sqrt(2 + t^2); one-sided is half of it
    for t in (0.5, -2.0, math.sqrt(27)):
        assert qs.p_from_t(t, 2) == pytest.approx(1 - abs(t) / math.sqrt(2 + t * t), rel=1e-12)
        assert qs.p_from_t(t, 2, two_sided=False) == pytest.approx(qs.p_from_t(t, 2) / 2)
    a, b = paired_data(25, seed=9, shift=1.0)
    ref = st.ttest_rel(a, b)
    assert qs.p_from_t(ref.statistic, 24) == pytest.approx(ref.pvalue, rel=1e-10)
    assert qs.p_from_t(0.0, 5) == 1.0
    assert qs.p_from_t(math.inf, 5) == 0.0
    with pytest.raises(ValueError, match="t is NaN"):
        qs.p_from_t(float("nan"), 5)
    with pytest.raises(ValueError, match="df must be positive"):
        qs.p_from_t(2.0, 0)


@pytest.mark.parametrize("n", SIZES)
def test_t_from_ci_recovers_the_test(n):
    a, b = paired_data(n, seed=500 + n, shift=1.0)
    r = qs.paired_t(a, b)
    implied = qs.t_from_ci(r.mean_diff, r.ci_low, r.ci_high, n)
    assert implied.t == pytest.approx(r.t, rel=1e-9)
    assert implied.df == n - 1
    assert implied.p == pytest.approx(r.p, rel=1e-7)
    assert implied.sd == pytest.approx(r.sd_diff, rel=1e-9)
    assert implied.se == pytest.approx(r.sd_diff / math.sqrt(n), rel=1e-9)
    assert implied.center_offset == pytest.approx(0.0, abs=1e-12)


def test_t_from_ci_by_hand_and_bad_input():
    # printed 3.0 [0.5159, 5.4841] with 3 pairs: half-width 2.48414 = 4.30265 * se, se = 0.57735,
    # sd = se sqrt 3 = 1, t = 3 / se = 5.196; an interval centred on 3.1 is off by 0.1.
    r = qs.t_from_ci(3.0, 0.515862, 5.484138, 3)
    assert (r.t, r.sd, r.df) == pytest.approx((math.sqrt(27), 1.0, 2), rel=1e-5)
    assert qs.t_from_ci(3.0, 0.615862, 5.584138, 3).center_offset == pytest.approx(0.1)
    with pytest.raises(ValueError, match="ci_low must be below ci_high"):
        qs.t_from_ci(1.0, 2.0, 1.5, 10)
    with pytest.raises(ValueError, match="n must be a whole number"):
        qs.t_from_ci(1.0, 0.5, 1.5, 1)
    with pytest.raises(ValueError, match="must be finite"):
        qs.t_from_ci(float("nan"), 0.5, 1.5, 10)


# --------------------------------------------------------------------------- bad input

PAIRED = [
    qs.paired_t,
    qs.mean_diff_ci,
    qs.cohens_dz,
    qs.dz_ci,
    qs.wilcoxon_signed_rank,
]


@pytest.mark.parametrize("fn", PAIRED, ids=lambda f: f.__name__)
def test_paired_functions_reject_bad_input_in_one_line(fn):
    def message(a, b) -> str:
        with pytest.raises(ValueError) as info:
            fn(a, b)
        text = str(info.value)
        assert "\n" not in text and type(info.value) is ValueError
        return text

    text = message([1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0])
    assert "a has 5 values" in text and "b has 4" in text
    text = message([1.0, 2.0, 3.0], [1.0, float("nan"), 3.0])
    assert text.startswith("b holds NaN at index 1")
    text = message([float("nan"), 2.0, 3.0], [1.0, 2.0, 3.0])
    assert text.startswith("a holds NaN at index 0")
    assert "infinite" in message([1.0, math.inf], [1.0, 2.0])
    assert "need at least 2 pairs, got 1" in message([1.0], [2.0])
    assert "need at least 2 pairs, got 0" in message([], [])
    assert "must be 1-D" in message([[1.0, 2.0]], [[1.0, 2.0]])


@pytest.mark.parametrize("fn", [qs.paired_t, qs.mean_diff_ci, qs.dz_ci], ids=lambda f: f.__name__)
@pytest.mark.parametrize("confidence", [0.0, 1.0, 95])
def test_confidence_must_be_a_fraction(fn, confidence):
    with pytest.raises(ValueError, match="confidence must lie strictly between 0 and 1"):
        fn(A3, B3, confidence=confidence)


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        qs.paired_t(A3, B3, 0.9)  # type: ignore[misc]
    with pytest.raises(TypeError):
        qs.paired_power(10, 0.5, 0.01)  # type: ignore[misc]


def test_mean_ci_matches_the_t_interval_of_scipy():
    rng = np.random.default_rng(4)
    x = rng.normal(3.0, 2.0, 9)
    lo, hi, _ = qs.mean_ci(x, confidence=0.9)
    ref = st.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=st.sem(x))
    np.testing.assert_allclose([lo, hi], ref, rtol=1e-12)
    assert all(np.isnan(v) for v in qs.mean_ci([2.0])[:2])
    with pytest.raises(ValueError, match="NaN"):
        qs.mean_ci([1.0, float("nan")])


# --------------------------------------------------------------------------- families of tests


@pytest.mark.parametrize("n", [3, 5, 25])
def test_paired_family_is_table_5_row_by_row(n):
    ref, _ = paired_data(n, 0, shift=2.0)
    others = {f"m{k}": paired_data(n, k + 1, shift=k)[1] for k in range(4)}
    rows = qs.paired_family(ref, others)
    assert list(rows) == list(others)
    raw = []
    for name, b in others.items():
        r, t = rows[name], st.ttest_rel(ref, b)
        assert (r.t, r.p) == pytest.approx((t.statistic, t.pvalue), rel=1e-10)
        assert r.df == n - 1 and r.n == n
        assert r.mean_diff == pytest.approx(np.mean(ref - b))
        assert r.sd_diff == pytest.approx(np.std(ref - b, ddof=1))
        assert (r.ci_low, r.ci_high) == pytest.approx(tuple(t.confidence_interval(0.95)), rel=1e-10)
        assert r.dz == pytest.approx(np.mean(ref - b) / np.std(ref - b, ddof=1))
        assert (r.dz_low, r.dz_high) == pytest.approx(tuple(qs.dz_ci(ref, b)[:2]))
        raw.append(t.pvalue)
    for method, field in (("bonferroni", "p_bonferroni"), ("holm", "p_holm")):
        ref_p = multitest.multipletests(raw, method=method)[1]
        np.testing.assert_allclose([getattr(rows[k], field) for k in others], ref_p, rtol=1e-12)


def test_paired_family_undefined_test_counts_as_no_evidence():
    # "same" equals the reference run for run: p is NaN, and it still counts as a comparison
    ref = np.array([1.0, 2.0, 4.0])
    rows = qs.paired_family(ref, {"same": ref.copy(), "lower": ref - [1.0, 1.5, 2.0]})
    assert math.isnan(rows["same"].p) and math.isnan(rows["same"].p_bonferroni)
    assert math.isnan(rows["same"].dz) and math.isnan(rows["same"].dz_low)
    assert rows["lower"].p_bonferroni == pytest.approx(min(1.0, 2 * rows["lower"].p))
    # Holm: sorted (p_lower, 1.0) times (2, 1)
    assert rows["lower"].p_holm == pytest.approx(min(1.0, 2 * rows["lower"].p))


@pytest.mark.parametrize("n", range(1, 13))
def test_wilcoxon_min_p_is_scipys_exact_extreme(n):
    d = np.arange(1.0, n + 1)  # distinct, all positive: the most extreme outcome
    assert qs.wilcoxon_min_p(n) == pytest.approx(st.wilcoxon(d, method="exact").pvalue, rel=1e-12)
    if n > 1:  # our test needs two pairs
        assert qs.wilcoxon_signed_rank(d, np.zeros(n)).p == pytest.approx(qs.wilcoxon_min_p(n))


def test_wilcoxon_min_p_bad_input():
    for bad in (0, -3, 2.5, True, "5"):
        with pytest.raises(ValueError, match="n must be an integer >= 1"):
            qs.wilcoxon_min_p(bad)
