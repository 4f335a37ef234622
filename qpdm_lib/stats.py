"""Significance tests and effect sizes of the papers' statistics tables.

What the book's significance, ablation and forensics chapters compute, each function naming the
method it implements and the table that uses it:

* QEML-Net Table 5 (ten methods compared over repeated runs): :func:`paired_t` with its 95 % CI
  of the mean difference (:func:`mean_diff_ci`), :func:`bonferroni` (and :func:`holm`, the
  uniformly more powerful step-down version), Cohen's :func:`cohens_dz` with :func:`dz_ci`, and
  :func:`one_way_anova` with eta squared;
* QAQL Table 9 / §4.6: :func:`wilcoxon_signed_rank` with the matched-pairs rank-biserial
  correlation, and :func:`cliffs_delta` with Romano et al.'s magnitude labels;
* design and forensics: :func:`paired_power`, :func:`min_detectable_dz`, :func:`p_from_t`,
  :func:`t_from_ci`, :func:`wilcoxon_min_p`;
* one call for a whole table of paired comparisons against one method: :func:`paired_family`.

Conventions
-----------
* Paired functions take ``a`` and ``b`` of equal length and work on ``d = a - b``; a positive
  mean difference, t, d_z or rank-biserial correlation means ``a`` is larger.
* Inputs are never cleaned silently: NaN or infinite values, unequal lengths and fewer than two
  pairs raise :class:`ValueError` with one line saying what to do.
* All p-values are two-sided unless a function says otherwise.

>>> r = paired_t([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
>>> round(r.t, 4), r.df, round(r.p, 4)
(5.1962, 2, 0.0351)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize
from scipy import stats as _st

__all__ = [
    "PairedTResult",
    "Interval",
    "AnovaResult",
    "WilcoxonResult",
    "CliffsDeltaResult",
    "ImpliedT",
    "paired_t",
    "mean_diff_ci",
    "mean_ci",
    "cohens_dz",
    "dz_ci",
    "bonferroni",
    "holm",
    "one_way_anova",
    "wilcoxon_signed_rank",
    "cliffs_delta",
    "cliffs_magnitude",
    "paired_power",
    "min_detectable_dz",
    "p_from_t",
    "t_from_ci",
    "PairedComparison",
    "paired_family",
    "wilcoxon_min_p",
]


# --------------------------------------------------------------------------- result types


class PairedTResult(NamedTuple):
    """Result of :func:`paired_t` (Student's paired t-test on ``d = a - b``)."""

    t: float
    df: int
    p: float
    mean_diff: float
    ci_low: float
    ci_high: float
    n: int
    sd_diff: float
    confidence: float


class Interval(NamedTuple):
    """A two-sided confidence interval."""

    low: float
    high: float
    confidence: float


class AnovaResult(NamedTuple):
    """Result of :func:`one_way_anova`."""

    F: float
    df_between: int
    df_within: int
    p: float
    eta_squared: float


class WilcoxonResult(NamedTuple):
    """Result of :func:`wilcoxon_signed_rank`."""

    statistic: float
    p: float
    n: int
    rank_biserial: float


class CliffsDeltaResult(NamedTuple):
    """Result of :func:`cliffs_delta`."""

    delta: float
    magnitude: str


class ImpliedT(NamedTuple):
    """What a printed mean difference and CI imply (see :func:`t_from_ci`)."""

    t: float
    df: int
    p: float
    se: float
    sd: float
    center_offset: float


# --------------------------------------------------------------------------- validation


def _sample(x: ArrayLike, name: str, *, min_size: int = 1) -> np.ndarray:
    """``x`` as a 1-D float array without NaN or infinities, else a one-line ValueError."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {arr.shape}; pass one value per run")
    bad = ~np.isfinite(arr)
    if bad.any():
        kind = "NaN" if np.isnan(arr[bad]).any() else "an infinite value"
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} holds {kind} at index {first} ({int(bad.sum())} non-finite in all); "
            "drop or impute those runs explicitly before testing"
        )
    if arr.size < min_size:
        raise ValueError(f"{name} has {arr.size} values, needs at least {min_size}")
    return arr


def _differences(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """``a - b`` after checking both samples and their pairing."""
    x = _sample(a, "a", min_size=0)
    y = _sample(b, "b", min_size=0)
    if x.size != y.size:
        raise ValueError(
            f"paired samples differ in length: a has {x.size} values, b has {y.size}; "
            "pass one value per pair (same seed / fold) in both"
        )
    if x.size < 2:
        raise ValueError(f"need at least 2 pairs, got {x.size}; collect more runs before testing")
    return x - y


def _level(confidence: float) -> float:
    c = float(confidence)
    if not 0.0 < c < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return c


def _alpha(alpha: float) -> float:
    a = float(alpha)
    if not 0.0 < a < 1.0:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    return a


def _pairs(n: int) -> int:
    if isinstance(n, bool) or int(n) != n or n < 2:
        raise ValueError(f"n must be a whole number of pairs >= 2, got {n!r}")
    return int(n)


# --------------------------------------------------------------------------- paired t


def paired_t(a: ArrayLike, b: ArrayLike, *, confidence: float = 0.95) -> PairedTResult:
    """Student's paired t-test of ``a`` against ``b`` with the CI of the mean difference.

    Implements the paired t-test of QEML-Net Table 5: ``t = mean(d) / (sd(d) / sqrt(n))`` with
    ``d = a - b``, ``sd`` with ``ddof=1``, ``df = n - 1``, two-sided ``p = 2 * P(T_df > |t|)``
    and the interval ``mean(d) ± t_{df, (1 + confidence) / 2} * sd(d) / sqrt(n)``. It agrees
    with :func:`scipy.stats.ttest_rel`.

    Parameters
    ----------
    a, b : array_like, 1-D, equal length
        Paired measurements (e.g. accuracy of two methods on the same seeds or folds).
    confidence : float, keyword-only
        Level of the interval of the mean difference, default 0.95.

    Returns
    -------
    PairedTResult
        ``t``, ``df``, ``p`` (two-sided), ``mean_diff`` (of ``a - b``), ``ci_low``,
        ``ci_high``, ``n`` (pairs), ``sd_diff`` and ``confidence``.

    Raises
    ------
    ValueError
        Unequal lengths, NaN or infinite values, fewer than 2 pairs, or a confidence outside
        (0, 1).

    Notes
    -----
    Zero variance of the differences follows SciPy's ``ttest_rel``: if every difference is 0,
    ``t`` and ``p`` are NaN (the test is undefined) and the interval is ``(0, 0)``; if every
    difference is the same non-zero ``c``, ``t = ±inf``, ``p = 0`` and the interval is
    ``(c, c)``. Differences that are equal only up to rounding (``0.3 - 0.1`` and ``0.2``)
    have a tiny non-zero SD and give a huge finite ``t``.

    Examples
    --------
    >>> r = paired_t([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    >>> r.mean_diff, r.sd_diff, r.n
    (3.0, 1.0, 3)
    >>> round(r.ci_low, 4), round(r.ci_high, 4)
    (0.5159, 5.4841)
    """
    c = _level(confidence)
    d = _differences(a, b)
    n = d.size
    df = n - 1
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    if se == 0.0:
        t = math.nan if mean == 0.0 else math.copysign(math.inf, mean)
        p = math.nan if mean == 0.0 else 0.0
    else:
        t = mean / se
        p = float(2.0 * _st.t.sf(abs(t), df))
    half = float(_st.t.ppf(0.5 + c / 2.0, df)) * se
    return PairedTResult(
        t=t,
        df=df,
        p=p,
        mean_diff=mean,
        ci_low=mean - half,
        ci_high=mean + half,
        n=n,
        sd_diff=sd,
        confidence=c,
    )


def mean_diff_ci(a: ArrayLike, b: ArrayLike, *, confidence: float = 0.95) -> Interval:
    """t-based confidence interval of the paired mean difference ``mean(a - b)``.

    The interval of QEML-Net Table 5, ``mean(d) ± t_{n-1, (1 + confidence) / 2} * sd(d) /
    sqrt(n)``; the same numbers as ``paired_t(a, b).ci_low`` / ``.ci_high``.

    Parameters
    ----------
    a, b : array_like, 1-D, equal length
        Paired measurements.
    confidence : float, keyword-only
        Coverage of the interval, default 0.95.

    Returns
    -------
    Interval
        ``low``, ``high``, ``confidence``.

    Examples
    --------
    >>> lo, hi, _ = mean_diff_ci([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    >>> round(lo, 4), round(hi, 4)
    (0.5159, 5.4841)
    """
    r = paired_t(a, b, confidence=confidence)
    return Interval(r.ci_low, r.ci_high, r.confidence)


def mean_ci(values: ArrayLike, *, confidence: float = 0.95) -> Interval:
    """t-based confidence interval of a mean over independent runs (seeds, folds).

    ``mean ± t_{n-1, (1 + confidence) / 2} · sd / sqrt(n)``; the interval a chapter gives beside
    a claim it measured over several runs. One run gives ``(nan, nan)``: no interval exists.

    Examples
    --------
    >>> lo, hi, _ = mean_ci([1.0, 2.0, 3.0])
    >>> round(lo, 4), round(hi, 4)
    (-0.4841, 4.4841)
    >>> mean_ci([5.0])
    Interval(low=nan, high=nan, confidence=0.95)
    """
    x = _sample(values, "values")
    level = _level(confidence)
    if x.size < 2:
        return Interval(float("nan"), float("nan"), level)
    half = _st.t.ppf((1 + level) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return Interval(float(x.mean() - half), float(x.mean() + half), level)


# --------------------------------------------------------------------------- Cohen's d_z


def cohens_dz(a: ArrayLike, b: ArrayLike) -> float:
    """Cohen's d_z of paired samples: ``mean(d) / sd(d, ddof=1)`` with ``d = a - b``.

    The standardised paired effect size of QEML-Net Table 5 (Cohen 1988; Lakens 2013, eq. 6);
    equals ``t / sqrt(n)`` of :func:`paired_t`. It standardises by the SD of the differences,
    not of the raw scores (that would be d_av, which pingouin's ``cohen`` returns for paired
    data).

    Parameters
    ----------
    a, b : array_like, 1-D, equal length
        Paired measurements.

    Returns
    -------
    float
        d_z. With zero SD of the differences: ``inf`` / ``-inf`` when the mean difference is
        positive / negative, NaN when it is 0 (no effect to standardise).

    Examples
    --------
    >>> cohens_dz([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    3.0
    >>> cohens_dz([2.0, 3.0], [1.0, 2.0])
    inf
    """
    d = _differences(a, b)
    mean = float(d.mean())
    sd = float(d.std(ddof=1))
    if sd == 0.0:
        return math.nan if mean == 0.0 else math.copysign(math.inf, mean)
    return mean / sd


def _nc_at(t_obs: float, df: int, target: float) -> float:
    """Noncentrality ``nc`` with ``nct.cdf(t_obs, df, nc) == target`` (NaN if not bracketed).

    ``nct.cdf(t_obs, df, nc)`` falls monotonically from 1 to 0 as ``nc`` grows, so the root
    is unique; it is bracketed by stepping outwards from ``t_obs`` and then found by Brent's
    method.
    """

    def f(nc: float) -> float:
        return float(_st.nct.cdf(t_obs, df, nc)) - target

    step = 1.0 + 0.5 * abs(t_obs)
    lo, hi = t_obs - step, t_obs + step
    for _ in range(64):
        if f(lo) >= 0.0:
            break
        lo -= step
        step *= 2.0
    else:
        return math.nan
    step = 1.0 + 0.5 * abs(t_obs)
    for _ in range(64):
        if f(hi) <= 0.0:
            break
        hi += step
        step *= 2.0
    else:
        return math.nan
    return float(optimize.brentq(f, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=500))


def dz_ci(a: ArrayLike, b: ArrayLike, *, confidence: float = 0.95) -> Interval:
    """Exact confidence interval of Cohen's d_z by inverting the noncentral t distribution.

    Method (Steiger & Fouladi 1997; Cumming & Finch 2001; what MBESS ``ci.sm`` and JASP do):
    the paired t statistic follows a noncentral t with ``df = n - 1`` and noncentrality
    ``delta = d_z_true * sqrt(n)``. With the observed ``t`` and ``alpha = 1 - confidence``,
    the lower limit is the ``delta_L`` with ``nct.cdf(t, df, delta_L) = 1 - alpha/2`` and the
    upper the ``delta_U`` with ``nct.cdf(t, df, delta_U) = alpha/2``; the interval of d_z is
    ``(delta_L / sqrt(n), delta_U / sqrt(n))``. Each root is bracketed and found with Brent's
    method to 1e-12. Used for the Cohen's d of QEML-Net Table 5.

    This is not pingouin's ``compute_esci`` interval, which uses the large-sample standard
    error ``sqrt(1/n + d^2 / (2n))`` and is too narrow for small ``n``.

    Parameters
    ----------
    a, b : array_like, 1-D, equal length
        Paired measurements.
    confidence : float, keyword-only
        Coverage of the interval, default 0.95.

    Returns
    -------
    Interval
        ``low``, ``high`` (on the d_z scale), ``confidence``. ``(nan, nan)`` when the SD of
        the differences is 0 (``t`` is NaN or infinite, no noncentrality reproduces it), or
        when SciPy's ``nct`` cannot bracket a root (``|t|`` in the hundreds).

    Examples
    --------
    >>> lo, hi, _ = dz_ci([3.0, 5.0, 7.0], [1.0, 2.0, 3.0])
    >>> round(lo, 3), round(hi, 3)
    (0.136, 5.943)
    """
    c = _level(confidence)
    d = _differences(a, b)
    n = d.size
    sd = float(d.std(ddof=1))
    if sd == 0.0:
        return Interval(math.nan, math.nan, c)
    t_obs = float(d.mean()) / (sd / math.sqrt(n))
    alpha = 1.0 - c
    lo = _nc_at(t_obs, n - 1, 1.0 - alpha / 2.0)
    hi = _nc_at(t_obs, n - 1, alpha / 2.0)
    root_n = math.sqrt(n)
    return Interval(lo / root_n, hi / root_n, c)


# --------------------------------------------------------------------------- corrections


def _pvalues(pvalues: ArrayLike) -> np.ndarray:
    p = np.asarray(pvalues, dtype=float)
    if p.ndim != 1:
        raise ValueError(f"pvalues must be a 1-D sequence, got shape {p.shape}")
    if np.isnan(p).any():
        first = int(np.flatnonzero(np.isnan(p))[0])
        raise ValueError(
            f"pvalues holds NaN at index {first}; resolve the undefined test before correcting"
        )
    if ((p < 0.0) | (p > 1.0)).any():
        raise ValueError("pvalues must lie in [0, 1]; pass raw p-values, not percentages or logs")
    return p


def bonferroni(pvalues: ArrayLike) -> np.ndarray:
    """Bonferroni-adjusted p-values ``min(1, m * p_i)``, in the order given.

    The family-wise correction of QEML-Net Table 5 (m comparisons against the proposed model);
    agrees with ``statsmodels.stats.multitest.multipletests(p, method="bonferroni")``.

    Parameters
    ----------
    pvalues : array_like, 1-D
        Raw p-values in [0, 1]; an empty sequence gives an empty array.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, capped at 1, same order and length as the input.

    Examples
    --------
    >>> bonferroni([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.04, 0.16, 0.12, 0.02]
    """
    p = _pvalues(pvalues)
    return np.minimum(1.0, p * p.size)


def holm(pvalues: ArrayLike) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the order given.

    Holm (1979): with ``p_(1) <= ... <= p_(m)`` sorted, the adjusted value of ``p_(i)`` is
    ``max_{j <= i} min(1, (m - j + 1) * p_(j))``. Controls the family-wise error like
    :func:`bonferroni` (QEML-Net Table 5) and rejects at least as much; agrees with
    ``multipletests(p, method="holm")``.

    Parameters
    ----------
    pvalues : array_like, 1-D
        Raw p-values in [0, 1]; an empty sequence gives an empty array.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, capped at 1, same order and length as the input.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).round(12).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p = _pvalues(pvalues)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(1.0, stepped)
    return out


# --------------------------------------------------------------------------- ANOVA


def one_way_anova(*groups: ArrayLike) -> AnovaResult:
    """One-way between-groups ANOVA with eta squared.

    The omnibus test of QEML-Net Table 5 over its ten methods: ``F = (SS_between / (k - 1)) /
    (SS_within / (N - k))`` with ``p = P(F_{k-1, N-k} > F)`` and ``eta^2 = SS_between /
    SS_total`` (for one factor equal to partial eta squared). Agrees with
    :func:`scipy.stats.f_oneway` and pingouin's ``anova`` (``np2``).

    It treats the groups as independent. When every method was run on the same seeds or
    folds, the runs are paired and a repeated-measures ANOVA (or :func:`paired_t` per pair)
    is the matched analysis; this function reproduces what the paper reports.

    Parameters
    ----------
    *groups : array_like, 1-D
        At least two groups (one per method), each non-empty, with more values in total than
        groups.

    Returns
    -------
    AnovaResult
        ``F``, ``df_between`` (k - 1), ``df_within`` (N - k), ``p``, ``eta_squared``.

    Notes
    -----
    Zero within-group variance follows SciPy: if the group means differ, ``F = inf``,
    ``p = 0`` and ``eta_squared = 1``; if all values are equal, ``F``, ``p`` and
    ``eta_squared`` are NaN.

    Examples
    --------
    >>> r = one_way_anova([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    >>> r.F, r.df_between, r.df_within, round(r.eta_squared, 4)
    (13.5, 1, 4, 0.7714)
    """
    if len(groups) < 2:
        raise ValueError(f"one_way_anova needs at least 2 groups, got {len(groups)}")
    arrays = [_sample(g, f"group {i}") for i, g in enumerate(groups)]
    k = len(arrays)
    sizes = np.array([g.size for g in arrays])
    total = int(sizes.sum())
    if total <= k:
        raise ValueError(
            f"{total} values in {k} groups leave no within-group degrees of freedom; "
            "give at least one group two or more values"
        )
    grand = float(np.concatenate(arrays).mean())
    ss_between = float(sum(g.size * (g.mean() - grand) ** 2 for g in arrays))
    ss_within = float(sum(((g - g.mean()) ** 2).sum() for g in arrays))
    df_b, df_w = k - 1, total - k
    ss_total = ss_between + ss_within
    if ss_within == 0.0:
        if ss_between == 0.0:
            return AnovaResult(math.nan, df_b, df_w, math.nan, math.nan)
        return AnovaResult(math.inf, df_b, df_w, 0.0, 1.0)
    f = (ss_between / df_b) / (ss_within / df_w)
    return AnovaResult(
        F=f,
        df_between=df_b,
        df_within=df_w,
        p=float(_st.f.sf(f, df_b, df_w)),
        eta_squared=ss_between / ss_total,
    )


# --------------------------------------------------------------------------- Wilcoxon


def wilcoxon_signed_rank(a: ArrayLike, b: ArrayLike) -> WilcoxonResult:
    """Wilcoxon signed-rank test of paired samples with the matched-pairs rank-biserial r.

    The paired non-parametric test of QAQL Table 9 / §4.6. The test is
    :func:`scipy.stats.wilcoxon` on ``d = a - b`` with its defaults written out:
    ``zero_method="wilcox"`` (zero differences are dropped before ranking, Wilcoxon 1945),
    ``correction=False`` (no continuity correction), ``alternative="two-sided"``,
    ``method="auto"``. In SciPy 1.17 ``"auto"`` means: more than 50 differences → normal
    approximation with tie-corrected variance; otherwise, no ties and no zeros → exact null
    distribution; ties or zeros with at most 13 differences → a permutation test that
    enumerates all sign flips (deterministic); else the normal approximation. Tied ``|d|``
    receive average ranks. Ties and zeros are exact floating-point equalities: differences of
    rounded scores such as ``0.3 - 0.1`` and ``0.2`` are not tied, so round ``a - b`` to the
    printed precision first if that is what the data mean.

    The effect size is the matched-pairs rank-biserial correlation (Kerby 2014),
    ``r = (R+ - R-) / (R+ + R-)`` over the ranks of the non-zero ``|d|``: +1 when every
    non-zero difference favours ``a``, -1 when every one favours ``b``.

    Parameters
    ----------
    a, b : array_like, 1-D, equal length
        Paired measurements.

    Returns
    -------
    WilcoxonResult
        ``statistic`` (SciPy's two-sided statistic, ``min(R+, R-)``), ``p`` (two-sided),
        ``n`` (number of non-zero differences, the effective sample size) and
        ``rank_biserial``.

    Notes
    -----
    If every difference is 0 there is no evidence either way: ``statistic = 0``, ``p = 1``,
    ``n = 0`` and ``rank_biserial`` is NaN (0 / 0), without calling SciPy (whose answer
    then depends on the sample size).

    Examples
    --------
    >>> r = wilcoxon_signed_rank([1.1, 2.2, 3.3, 4.4, 5.5], [1.0, 2.0, 3.0, 4.0, 5.0])
    >>> r.statistic, r.p, r.n, r.rank_biserial
    (0.0, 0.0625, 5, 1.0)
    """
    d = _differences(a, b)
    nonzero = d[d != 0.0]
    n = int(nonzero.size)
    if n == 0:
        return WilcoxonResult(statistic=0.0, p=1.0, n=0, rank_biserial=math.nan)
    res = _st.wilcoxon(
        d,
        zero_method="wilcox",
        correction=False,
        alternative="two-sided",
        method="auto",
    )
    ranks = _st.rankdata(np.abs(nonzero), method="average")
    r_plus = float(ranks[nonzero > 0].sum())
    r_minus = float(ranks[nonzero < 0].sum())
    return WilcoxonResult(
        statistic=float(res.statistic),
        p=float(res.pvalue),
        n=n,
        rank_biserial=(r_plus - r_minus) / (r_plus + r_minus),
    )


# --------------------------------------------------------------------------- Cliff's delta

_CLIFF_THRESHOLDS = ((0.147, "negligible"), (0.33, "small"), (0.474, "medium"))


def cliffs_magnitude(delta: float) -> str:
    """Conventional label of ``|delta|`` (Romano et al. 2006).

    ``negligible`` below 0.147, ``small`` below 0.33, ``medium`` below 0.474, ``large``
    otherwise; the labels of QAQL §4.6.

    Examples
    --------
    >>> cliffs_magnitude(-0.2), cliffs_magnitude(0.474)
    ('small', 'large')
    """
    x = float(delta)
    if math.isnan(x) or abs(x) > 1.0:
        raise ValueError(f"Cliff's delta must lie in [-1, 1], got {delta!r}")
    for bound, label in _CLIFF_THRESHOLDS:
        if abs(x) < bound:
            return label
    return "large"


def cliffs_delta(a: ArrayLike, b: ArrayLike) -> CliffsDeltaResult:
    """Cliff's delta, ``P(a > b) - P(a < b)`` over all ``len(a) * len(b)`` pairs.

    The ordinal effect size of QAQL Table 9 / §4.6 (Cliff 1993): each pair ``(a_i, b_j)``
    scores +1, -1 or 0 (a tie), and delta is their mean, in [-1, 1]. The samples need not be
    paired or of equal length. Computed in O((n + m) log m) by binary search of each ``a_i``
    in the sorted ``b``. Equals ``2 * CLES - 1`` with pingouin's common-language effect size.

    Parameters
    ----------
    a, b : array_like, 1-D
        The two samples, each with at least one value.

    Returns
    -------
    CliffsDeltaResult
        ``delta`` and ``magnitude`` (see :func:`cliffs_magnitude`).

    Examples
    --------
    >>> cliffs_delta([1.0, 2.0, 3.0], [2.0, 2.0, 4.0])
    CliffsDeltaResult(delta=-0.3333333333333333, magnitude='medium')
    """
    x = _sample(a, "a")
    y = np.sort(_sample(b, "b"))
    below = np.searchsorted(y, x, side="left")  # b_j < a_i
    above = y.size - np.searchsorted(y, x, side="right")  # b_j > a_i
    delta = float((below.sum() - above.sum()) / (x.size * y.size))
    return CliffsDeltaResult(delta, cliffs_magnitude(delta))


# --------------------------------------------------------------------------- power


def paired_power(n: int, effect_dz: float, *, alpha: float = 0.05) -> float:
    """Power of a two-sided paired t-test with ``n`` pairs at true effect ``effect_dz``.

    ``P(|T| > t_{n-1, 1 - alpha/2})`` with ``T`` noncentral t, ``df = n - 1``, noncentrality
    ``effect_dz * sqrt(n)``, both rejection tails counted; computed by
    ``statsmodels.stats.power.TTestPower`` (one-sample / paired t). Used to say what the
    number of runs behind QEML-Net Table 5 and QAQL Table 9 could detect.

    Parameters
    ----------
    n : int
        Number of pairs, at least 2.
    effect_dz : float
        True standardised mean difference d_z (sign irrelevant for the two-sided test).
    alpha : float, keyword-only
        Significance level, default 0.05.

    Returns
    -------
    float
        Power in [alpha, 1].

    Examples
    --------
    >>> round(paired_power(34, 0.5), 4)
    0.8078
    """
    from statsmodels.stats.power import TTestPower

    n = _pairs(n)
    al = _alpha(alpha)
    es = float(effect_dz)
    if not math.isfinite(es):
        raise ValueError(f"effect_dz must be a finite number, got {effect_dz!r}")
    es = abs(es)  # the two-sided test is symmetric in the sign of the effect
    power = float(TTestPower().power(effect_size=es, nobs=n, alpha=al, alternative="two-sided"))
    if math.isnan(power):
        # SciPy's nct.cdf returns NaN instead of ~0 far in the lower tail (seen with df <= 3 and
        # noncentrality ~8-40); add the two tails separately, the far one by nct symmetry
        # P(T_nc < -c) = P(T_-nc > c), which SciPy evaluates without NaN.
        upper = TTestPower().power(effect_size=es, nobs=n, alpha=al / 2.0, alternative="larger")
        crit = float(_st.t.isf(al / 2.0, n - 1))
        power = float(upper) + float(_st.nct.sf(crit, n - 1, -es * math.sqrt(n)))
    return float(min(1.0, power))


def min_detectable_dz(n: int, *, power: float = 0.8, alpha: float = 0.05) -> float:
    """Smallest positive d_z a two-sided paired t-test with ``n`` pairs detects with ``power``.

    Solves :func:`paired_power` ``(n, d_z) = power`` for ``d_z``: that power (from
    ``statsmodels.stats.power.TTestPower``) rises monotonically from ``alpha`` at ``d_z = 0``,
    so the root is bracketed and found with Brent's method to 1e-12. (``TTestPower.solve_power``
    agrees to about 1e-6 from n = 5 on, but with statsmodels 0.15 it returns wrong roots when
    the answer is large: 10.0 instead of 74.05 at n = 2, 4.19 instead of 8.76 at n = 3, for
    power 0.9 and alpha 0.01.) The sensitivity analysis for the run
    counts of QEML-Net Table 5 and QAQL Table 9.

    Parameters
    ----------
    n : int
        Number of pairs, at least 2.
    power : float, keyword-only
        Target power, strictly between ``alpha`` and 1; default 0.8.
    alpha : float, keyword-only
        Significance level, default 0.05.

    Returns
    -------
    float
        The minimal detectable d_z (positive; the test is symmetric).

    Examples
    --------
    >>> round(min_detectable_dz(20), 4)
    0.6604
    """

    n = _pairs(n)
    al = _alpha(alpha)
    pw = float(power)
    if not al < pw < 1.0:
        raise ValueError(f"power must lie strictly between alpha={al} and 1, got {power!r}")

    def gap(es: float) -> float:
        return paired_power(n, es, alpha=al) - pw

    hi = 1.0
    while gap(hi) < 0.0:
        hi *= 2.0
        if hi > 1e6:  # pragma: no cover - unreachable for alpha < power < 1
            raise ValueError(f"no d_z reaches power {pw} with n={n}")
    return float(optimize.brentq(gap, 0.0, hi, xtol=1e-12, rtol=1e-12))


# --------------------------------------------------------------------------- forensics


def p_from_t(t: float, df: float, *, two_sided: bool = True) -> float:
    """p-value of a printed t statistic.

    For the forensics chapter, which recomputes a paper's p from its printed t with
    ``df = n - 1`` (paired). Two-sided: ``2 * P(T_df > |t|)``; one-sided: the tail in the
    direction of the observed sign, ``P(T_df > |t|)`` (half the two-sided value), i.e. the
    p of a one-sided test whose direction was predicted correctly.

    Parameters
    ----------
    t : float
        The t statistic (``±inf`` gives 0).
    df : float
        Degrees of freedom, positive.
    two_sided : bool, keyword-only
        Default True.

    Returns
    -------
    float

    Examples
    --------
    >>> round(p_from_t(2.0, 10), 5), round(p_from_t(-2.0, 10, two_sided=False), 5)
    (0.07339, 0.03669)
    """
    tv = float(t)
    dv = float(df)
    if math.isnan(tv):
        raise ValueError("t is NaN; a p-value needs a numeric t statistic")
    if not dv > 0.0 or math.isnan(dv):
        raise ValueError(f"df must be positive, got {df!r}")
    tail = float(_st.t.sf(abs(tv), dv))
    return min(1.0, 2.0 * tail) if two_sided else tail


def t_from_ci(
    mean_diff: float,
    ci_low: float,
    ci_high: float,
    n: int,
    *,
    confidence: float = 0.95,
) -> ImpliedT:
    """The t, p and SD implied by a printed paired mean difference and its t-based CI.

    A t interval is ``mean ± t_crit * sd / sqrt(n)`` with ``t_crit = t_{n-1, (1 +
    confidence) / 2}``, so its half-width gives ``se = half / t_crit``, ``sd = se * sqrt(n)``
    and ``t = mean_diff / se``. The forensics chapter compares this ``t`` and ``p`` with the
    printed ones, and ``center_offset = (ci_low + ci_high) / 2 - mean_diff`` (0 for a t
    interval) flags intervals not centred on the printed mean.

    Parameters
    ----------
    mean_diff : float
        Printed mean difference.
    ci_low, ci_high : float
        Printed interval, ``ci_low < ci_high``.
    n : int
        Number of pairs, at least 2 (``df = n - 1``).
    confidence : float, keyword-only
        Level of the printed interval, default 0.95.

    Returns
    -------
    ImpliedT
        ``t``, ``df``, ``p`` (two-sided), ``se``, ``sd``, ``center_offset``.

    Examples
    --------
    >>> r = t_from_ci(3.0, 0.515862, 5.484138, 3)
    >>> round(r.t, 3), r.df, round(r.sd, 3)
    (5.196, 2, 1.0)
    """
    c = _level(confidence)
    n = _pairs(n)
    m, lo, hi = float(mean_diff), float(ci_low), float(ci_high)
    if not all(math.isfinite(v) for v in (m, lo, hi)):
        raise ValueError("mean_diff, ci_low and ci_high must be finite numbers")
    if not lo < hi:
        raise ValueError(f"ci_low must be below ci_high, got {ci_low!r} and {ci_high!r}")
    df = n - 1
    se = (hi - lo) / 2.0 / float(_st.t.ppf(0.5 + c / 2.0, df))
    t = m / se
    return ImpliedT(
        t=t,
        df=df,
        p=p_from_t(t, df),
        se=se,
        sd=se * math.sqrt(n),
        center_offset=(lo + hi) / 2.0 - m,
    )


# --------------------------------------------------------------------------- families of tests


class PairedComparison(NamedTuple):
    """One row of :func:`paired_family`: a paired t-test with its corrections and effect size."""

    n: int
    mean_diff: float
    sd_diff: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p: float
    p_bonferroni: float
    p_holm: float
    dz: float
    dz_low: float
    dz_high: float


def paired_family(
    reference: ArrayLike, others: dict[str, ArrayLike], *, confidence: float = 0.95
) -> dict[str, PairedComparison]:
    """Paired t-tests of ``reference`` against each of ``others``, corrected as one family.

    The rows of QEML-Net Table 5: for every ``name -> b`` in ``others``, :func:`paired_t` of
    ``reference - b`` (mean and SD of the differences, the ``confidence`` interval of the mean,
    t, df, p), Cohen's d_z
    (:func:`cohens_dz`) with its exact interval (:func:`dz_ci`), and the p-value corrected over
    the ``m = len(others)`` comparisons by :func:`bonferroni` and :func:`holm`. A test that is
    undefined because every difference is 0 (p NaN) enters the corrections as p = 1 (no
    evidence either way) and keeps NaN in its own columns.

    Examples
    --------
    >>> rows = paired_family([5.0, 6.0, 7.0], {"a": [1.0, 2.0, 4.0], "b": [4.0, 6.0, 6.0]})
    >>> round(rows["a"].mean_diff, 4), round(rows["a"].p_bonferroni, 4), rows["a"].df
    (3.6667, 0.0163, 2)
    """
    tests = {name: paired_t(reference, b, confidence=confidence) for name, b in others.items()}
    raw = np.array([r.p for r in tests.values()], dtype=float)
    undefined = np.isnan(raw)
    bonf, hm = bonferroni(np.where(undefined, 1.0, raw)), holm(np.where(undefined, 1.0, raw))
    out = {}
    for k, (name, r) in enumerate(tests.items()):
        interval = dz_ci(reference, others[name], confidence=confidence)
        out[name] = PairedComparison(
            n=r.n, mean_diff=r.mean_diff, sd_diff=r.sd_diff, ci_low=r.ci_low, ci_high=r.ci_high,
            t=r.t, df=r.df,
            p=r.p, p_bonferroni=math.nan if undefined[k] else float(bonf[k]),
            p_holm=math.nan if undefined[k] else float(hm[k]),
            dz=cohens_dz(reference, others[name]), dz_low=interval.low, dz_high=interval.high,
        )  # fmt: skip
    return out


def wilcoxon_min_p(n: int) -> float:
    """Smallest two-sided p the exact Wilcoxon signed-rank test can reach with ``n`` pairs.

    With no ties and no zero differences the exact null distribution puts ``1 / 2**n`` on each
    extreme (every difference of one sign), so ``p >= 2 / 2**n``: 0.0625 at ``n = 5``, which no
    result can bring below 0.05. What the number of runs behind QAQL Table 9 allows at best.

    >>> wilcoxon_min_p(5), wilcoxon_min_p(6)
    (0.0625, 0.03125)
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be an integer >= 1 (pairs), got {n!r}")
    return min(1.0, 2.0 / 2.0 ** int(n))
