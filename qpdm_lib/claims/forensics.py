"""Forensics: the papers' printed numbers checked against each other and against arithmetic.

In the spirit of statcheck (recompute a p-value from the printed test statistic) and the GRIM test
(ask whether a printed mean is possible at all), each function here takes numbers a paper prints,
derives what must follow from them by a mathematical fact (MAE ≤ RMSE, p from t, η² from F, a sum,
a product), and returns a :class:`Check`: the paper's numbers, what we recomputed, whether they are
consistent, and one sentence a reader understands. The functions are pure: they take plain numbers
or small mappings and never read files; :func:`run_all` applies all of them to the claims data
(:mod:`qpdm_lib.claims`) and :func:`checks_table` lays the result out for a chapter.

Rounding
--------
A number printed with ``d`` decimals stands for every true value within ``h = 0.5 · 10^-d`` of
it. A check calls the paper inconsistent only when *no* true values inside those intervals satisfy
the fact; each function says how it propagates the intervals.

Missing numbers
---------------
Where a needed number is illegible or the cell is empty (``None``), the check cannot run: it
returns ``testable=False`` with ``consistent=True`` (nothing contradicts the paper) and a finding
that says so; :attr:`Check.verdict` reads ``"not checkable"``.

>>> c = mae_le_rmse(42.47, 37.44, name="demo")
>>> c.consistent, c.verdict
(False, 'inconsistent')
>>> print(c.finding)
MAE 42.47 exceeds RMSE 37.44, impossible for one set of errors (MAE ≤ RMSE always)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
from scipy import stats as _st

from .. import stats

__all__ = [
    "Check",
    "ROMANO_LARGE",
    "RESNET50_CHANNELS",
    "mae_le_rmse",
    "rmse_squared_vs_mse",
    "mse_over_rse",
    "mape_floor",
    "fixed_ratios",
    "annealing_budget",
    "training_time",
    "slowdown_in_range",
    "bin_width",
    "discretisation_floor",
    "values_backed",
    "cliffs_large_threshold",
    "largest_gain",
    "dominates",
    "relative_change",
    "difference",
    "range_matches",
    "p_below",
    "dz_from_t",
    "ci_implies_t",
    "ci_centre",
    "bonferroni_alpha",
    "count_matches",
    "corrected_p_below",
    "anova_eta_squared",
    "anova_p",
    "anova_df",
    "sum_matches",
    "cbam_params",
    "param_increment",
    "fp16_gain",
    "same_numbers_other_dataset",
    "quoted_not_rerun",
    "is_best",
    "fps_latency",
    "rows_agree",
    "product_matches",
    "f1_le_harmonic_mean",
    "ratio_matches",
    "gains_sum",
    "Family",
    "FAMILIES",
    "family_of",
    "DERIVED",
    "derived_values",
    "run_all",
    "checks_table",
]

#: Romano et al. (2006): |Cliff's δ| ≥ 0.474 is "large" (also :func:`qpdm_lib.stats.cliffs_magnitude`).
ROMANO_LARGE = 0.474

#: Output channels of ResNet-50's four residual stages (torchvision ``layer1``..``layer4``, i.e.
#: He et al.'s conv2_x..conv5_x).
RESNET50_CHANNELS = {"layer1": 256, "layer2": 512, "layer3": 1024, "layer4": 2048}

_EPS = 1e-9


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Check:
    """One forensic check of a paper against itself.

    Attributes
    ----------
    name : str
        Short unique id, e.g. ``"qaql.t6.mae_le_rmse.fd001.bi-lstm"``.
    claims : tuple of str
        Ids of the claims (:mod:`qpdm_lib.claims`) the check concerns.
    paper : dict
        The paper's numbers used (``None`` where it prints none).
    recomputed : dict
        What follows from them.
    consistent : bool
        False when the paper's numbers contradict the fact the check relies on; True when they
        agree or when the check cannot run (see ``testable``).
    finding : str
        One sentence with the numbers.
    testable : bool
        False when a needed number is missing in the paper.
    implicated : tuple of str
        The subset of ``claims`` an inconsistency calls into question (empty: all of them);
        see :attr:`marked`.
    """

    name: str
    claims: tuple[str, ...]
    paper: dict[str, Any]
    recomputed: dict[str, Any]
    consistent: bool
    finding: str
    testable: bool = True
    implicated: tuple[str, ...] = ()

    @property
    def marked(self) -> tuple[str, ...]:
        """The claims an inconsistency calls into question: ``implicated`` where the check
        names them (the printed numbers that contradict each other), else all its ``claims``.

        A check also reads numbers that only serve as inputs (a setting, a reference column):
        those are not contradicted, so the ledger does not mark them.
        """
        return self.implicated or self.claims

    @property
    def verdict(self) -> str:
        """``"consistent"``, ``"inconsistent"`` or ``"not checkable"``."""
        if not self.testable:
            return "not checkable"
        return "consistent" if self.consistent else "inconsistent"

    @property
    def inconsistent(self) -> bool:
        """True when the check ran and the paper's numbers contradict it."""
        return self.testable and not self.consistent


def _half(decimals: int) -> float:
    """Half a unit of the last printed digit."""
    return 0.5 * 10.0 ** (-decimals)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _absent(paper: Mapping[str, Any]) -> list[str]:
    return [k for k, v in paper.items() if _missing(v)]


def _cannot(name: str, claims: Sequence[str], paper: Mapping[str, Any], what: str) -> Check:
    return Check(
        name=name,
        claims=tuple(claims),
        paper=dict(paper),
        recomputed={},
        consistent=True,
        finding=f"Cannot be checked: the paper prints no value for {what}.",
        testable=False,
    )


def _make(
    name: str,
    claims: Sequence[str],
    paper: Mapping[str, Any],
    recomputed: Mapping[str, Any],
    consistent: bool,
    finding: str,
) -> Check:
    return Check(name, tuple(claims), dict(paper), dict(recomputed), bool(consistent), finding)


def _g(x: float) -> str:
    """A printed number as the paper prints it (no trailing zeros, thousands separators)."""
    if float(x).is_integer() and abs(x) >= 1000:
        return f"{int(x):,}"
    return f"{x:g}"


def _p(p: float) -> str:
    return f"{p:.1e}" if p < 1e-4 else f"{p:.4f}"


def _corners(
    fn: Callable[..., float], values: Sequence[float], halves: Sequence[float]
) -> tuple[float, float]:
    """Min and max of ``fn`` over the corners of the rounding box (fn monotone in each input)."""
    outs = [
        fn(*(v + s * h for v, s, h in zip(values, signs, halves, strict=True)))
        for signs in itertools.product((-1.0, 1.0), repeat=len(values))
    ]
    return min(outs), max(outs)


# --------------------------------------------------------------------------- error metrics (QAQL)


def mae_le_rmse(
    mae: float | None,
    rmse: float | None,
    *,
    decimals: int = 2,
    name: str = "mae_le_rmse",
    claims: Sequence[str] = (),
) -> Check:
    """MAE ≤ RMSE for one row of QAQL Tables 6, 7 or 8.

    For any errors ``e_i``, ``mean|e_i| ≤ sqrt(mean e_i²)`` (Cauchy–Schwarz, or the power-mean
    inequality), so MAE ≤ RMSE. The tables print means over 30 runs; the order survives averaging
    because it holds in every run. With both printed to ``decimals``, the row is inconsistent when
    ``MAE − RMSE > 2h``.

    Parameters
    ----------
    mae, rmse : float or None
        The printed MAE and RMSE of one row.
    decimals : int
        Printed decimals of both.

    Returns
    -------
    Check

    Examples
    --------
    >>> mae_le_rmse(14.18, 20.86).consistent
    True
    """
    paper = {"mae": mae, "rmse": rmse}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, " and ".join(miss).upper())
    slack = 2 * _half(decimals)
    excess = mae - rmse
    ok = excess <= slack + _EPS
    rec = {"mae_minus_rmse": round(excess, 10), "rounding_slack": slack}
    d = decimals
    if ok:
        finding = f"MAE {mae:.{d}f} ≤ RMSE {rmse:.{d}f}, as it must be (MAE ≤ RMSE for any errors)"
    else:
        finding = (
            f"MAE {mae:.{d}f} exceeds RMSE {rmse:.{d}f}, impossible for one set of errors "
            "(MAE ≤ RMSE always)"
        )
    return _make(name, claims, paper, rec, ok, finding)


def rmse_squared_vs_mse(
    rmse: float | None,
    mse: float | None,
    *,
    rmse_sd: float | None = None,
    decimals: int = 2,
    sd_decimals: int | None = None,
    name: str = "rmse_squared_vs_mse",
    claims: Sequence[str] = (),
) -> Check:
    """RMSE² against MSE for one row of QAQL Tables 6, 7 or 8.

    For one set of errors RMSE² = MSE. Rounding: the true RMSE lies in ``r ± h`` and the true MSE
    in ``m ± h``, so ``|RMSE² − r²| ≤ 2rh + h²`` and the printed pair is compatible when
    ``|r² − m| ≤ 2rh + h² + h`` (the *bound*). The tables print means over runs, and for means
    ``mean(RMSE)² = mean(MSE) − Var_runs(RMSE) ≤ mean(MSE)`` (Jensen): so

    * ``r² − m > bound`` is impossible (a mean RMSE can never exceed √(mean MSE));
    * ``m − r² > bound`` needs a between-run variance of RMSE of at least ``m − r² − bound``;
      where the paper prints the SD of RMSE (``rmse_sd``), that SD (plus its rounding) must
      reach it, otherwise the gap is possible and reported.

    Parameters
    ----------
    rmse, mse : float or None
        Printed RMSE and MSE.
    rmse_sd : float, optional
        Printed ± (SD over runs) of the RMSE, if any.
    decimals, sd_decimals : int
        Printed decimals of RMSE and MSE, and of the SD (default: ``decimals``).

    Returns
    -------
    Check

    Examples
    --------
    >>> rmse_squared_vs_mse(31.21, 914.29).consistent
    False
    >>> rmse_squared_vs_mse(20.86, 435.28).consistent
    True
    """
    paper = {"rmse": rmse, "mse": mse, "rmse_sd": rmse_sd}
    if miss := _absent({"rmse": rmse, "mse": mse}):
        return _cannot(name, claims, paper, " and ".join(miss).upper())
    h = _half(decimals)
    bound = 2 * rmse * h + h * h + h
    r2 = rmse * rmse
    gap = mse - r2
    rec: dict[str, Any] = {
        "rmse_squared": r2,
        "sqrt_mse": math.sqrt(mse),
        "mse_minus_rmse_squared": gap,
        "rounding_bound": bound,
    }
    d = decimals
    head = f"RMSE {rmse:.{d}f}² = {r2:.2f} against MSE {mse:.{d}f}"
    if gap < -bound - _EPS:
        ok = False
        finding = (
            f"RMSE {rmse:.{d}f} but √{mse:.{d}f} = {math.sqrt(mse):.2f}: RMSE² = {r2:.2f} exceeds "
            f"the MSE by {-gap:.2f} (rounding allows {bound:.2f}); a (mean) RMSE can never exceed "
            "√(mean MSE)"
        )
    elif gap <= bound + _EPS:
        ok = True
        finding = f"{head}: equal within rounding (±{bound:.2f})"
    else:
        need = gap - bound
        sd_min = math.sqrt(need)
        rec["between_run_sd_min"] = sd_min
        if rmse_sd is None:
            ok = True
            finding = (
                f"{head}: MSE exceeds RMSE² by {gap:.2f}, more than rounding (±{bound:.2f}); for "
                f"means over runs this is the between-run variance of RMSE (SD ≥ {sd_min:.2f}), "
                "possible but not printed"
            )
        else:
            sd_max = rmse_sd + _half(decimals if sd_decimals is None else sd_decimals)
            rec["printed_sd_max"] = sd_max
            ok = need <= sd_max * sd_max + _EPS
            verb = "within" if ok else "more than"
            finding = (
                f"{head}: MSE exceeds RMSE² by {gap:.2f}, beyond rounding (±{bound:.2f}) only a "
                f"between-run SD of RMSE ≥ {sd_min:.2f} explains it, {verb} the printed SD "
                f"{rmse_sd:g}"
            )
    return _make(name, claims, paper, rec, ok, finding)


def mse_over_rse(
    rows: Mapping[str, tuple[float | None, float | None]],
    *,
    decimals: int = 2,
    name: str = "mse_over_rse",
    claims: Sequence[str] = (),
) -> Check:
    """MSE/RSE must be the same for every row of one table and dataset (QAQL Tables 6, 7, 8).

    The relative squared error is ``RSE = Σ(y − ŷ)² / Σ(y − ȳ)² = MSE / Var(y)`` (population
    variance of the test labels), so ``MSE / RSE = Var(y_test)`` depends on the test set only, not
    on the method (RSE printed ×100 divides it by 100, still one constant). Each row's ratio lies
    in ``[(m − h)/(r + h), (m + h)/(r − h)]``; the rows agree within rounding when those intervals
    share a point. (Caveat: if every seed redraws the engine split, the mean MSE over mean RSE is a
    weighted mean of the splits' variances and may differ slightly between methods.)

    Parameters
    ----------
    rows : mapping of label to (MSE, RSE)
        The rows of one table and dataset.
    decimals : int
        Printed decimals of MSE and RSE.

    Returns
    -------
    Check
    """
    paper = {k: {"mse": m, "rse": r} for k, (m, r) in rows.items()}
    full = {k: (m, r) for k, (m, r) in rows.items() if not _missing(m) and not _missing(r)}
    if len(full) < 2:
        return _cannot(name, claims, paper, "MSE and RSE of at least two rows")
    h = _half(decimals)
    ratios = {k: m / r for k, (m, r) in full.items()}
    lows = {k: (m - h) / (r + h) for k, (m, r) in full.items()}
    highs = {k: (m + h) / (r - h) for k, (m, r) in full.items()}
    lo, hi = max(lows.values()), min(highs.values())
    ok = lo <= hi + _EPS
    kmin = min(ratios, key=ratios.__getitem__)
    kmax = max(ratios, key=ratios.__getitem__)
    slack = max(highs[k] - ratios[k] for k in full)
    rec = {
        "mse_over_rse": {k: round(v, 4) for k, v in ratios.items()},
        "min": ratios[kmin],
        "max": ratios[kmax],
        "max_over_min": ratios[kmax] / ratios[kmin],
        "rounding_halfwidth": slack,
    }
    if ok:
        finding = (
            f"MSE/RSE agrees across the {len(full)} rows at {(lo + hi) / 2:.3f} within rounding, "
            "as one test set's label variance must"
        )
    else:
        finding = (
            f"MSE/RSE, which is Var(y_test) if RSE = MSE/Var(y_test), ranges from "
            f"{ratios[kmin]:.2f} ({kmin}) to {ratios[kmax]:.2f} ({kmax}) across {len(full)} rows "
            f"of one test set; it must be one number (rounding allows ±{slack:.2g})"
        )
    return _make(name, claims, paper, rec, ok, finding)


def mape_floor(
    mae: float | None,
    mape: float | None,
    *,
    y_max: float,
    decimals: int = 2,
    name: str = "mape_floor",
    claims: Sequence[str] = (),
) -> Check:
    """MAPE ≥ 100·MAE / y_max when every true label is at most ``y_max`` (QAQL FD001 rows).

    ``MAPE = mean(|e_i| / y_i) · 100`` and ``y_i ≤ y_max`` give ``|e_i| / y_i ≥ |e_i| / y_max``
    term by term, hence ``MAPE ≥ 100 · MAE / y_max``. On FD001 the RUL is capped at 125 cycles
    (QAQL §4.1, §4.3). Assumes both metrics average the same windows; windows with RUL 0 make
    MAPE infinite and must be dropped or offset, which the paper does not say (dropping the few
    end-of-life windows cannot move MAPE by whole points). Rounding: inconsistent when
    ``mape + h < 100 · (mae − h) / y_max``.

    Parameters
    ----------
    mae, mape : float or None
        Printed MAE and MAPE (in %).
    y_max : float
        Largest possible true label (the RUL cap).

    Returns
    -------
    Check
    """
    paper = {"mae": mae, "mape": mape, "y_max": y_max}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, " and ".join(miss).upper())
    h = _half(decimals)
    floor = 100.0 * mae / y_max
    ok = mape + h >= 100.0 * (mae - h) / y_max - _EPS
    rec = {"mape_floor": floor}
    cap = _g(y_max)
    if ok:
        finding = (
            f"MAPE {mape:.{decimals}f} % ≥ 100·MAE/{cap} = {floor:.2f} %, as it must be when "
            f"every true RUL ≤ {cap}"
        )
    else:
        finding = (
            f"MAPE {mape:.{decimals}f} % is below 100·MAE/{cap} = {floor:.2f} % (MAE "
            f"{mae:.{decimals}f}): with every true RUL ≤ {cap}, |error|/RUL ≥ |error|/{cap} for "
            "each window, so MAPE cannot be that small"
        )
    return _make(name, claims, paper, rec, ok, finding)


def fixed_ratios(
    base: Mapping[str, float | None],
    other: Mapping[str, float | None],
    *,
    base_label: str = "FD001",
    other_label: str = "FD002",
    decimals: int = 2,
    min_rows: int = 3,
    name: str = "fixed_ratios",
    claims: Sequence[str] = (),
) -> Check:
    """Whether every method's ``other`` value is one fixed multiple of its ``base`` (QAQL Table 11).

    Independently trained models degrade differently from one C-MAPSS subset to another, so the
    ratios ``RMSE_FDk / RMSE_FD001`` of 14 baselines scatter. If instead every ratio is
    compatible, within the rounding of the printed values (``[(o − h)/(b + h), (o + h)/(b − h)]``
    for each method), with one common constant, the column was computed from FD001, not measured:
    the check is then *inconsistent* (with the claim that the numbers are measurements).

    Parameters
    ----------
    base, other : mapping of method to value
        E.g. FD001 RMSE (Tables 6/7) and FD002 RMSE (Table 11) per baseline.
    min_rows : int
        Fewest methods for which a common ratio is evidence (default 3).

    Returns
    -------
    Check
    """
    paper = {k: {base_label: base.get(k), other_label: other.get(k)} for k in other}
    pairs = {
        k: (base[k], other[k])
        for k in other
        if k in base and not _missing(base[k]) and not _missing(other[k])
    }
    if len(pairs) < min_rows:
        return _cannot(name, claims, paper, f"{min_rows} methods in both columns")
    h = _half(decimals)
    ratios = {k: o / b for k, (b, o) in pairs.items()}
    lo = max((o - h) / (b + h) for b, o in pairs.values())
    hi = min((o + h) / (b - h) for b, o in pairs.values())
    common = lo <= hi + _EPS
    rec: dict[str, Any] = {
        "ratios": {k: round(v, 4) for k, v in ratios.items()},
        "min": min(ratios.values()),
        "max": max(ratios.values()),
    }
    rmin, rmax = rec["min"], rec["max"]
    if common:
        const = _shortest(lo, hi)
        rec["common_ratio"] = const
        finding = (
            f"All {len(pairs)} methods' {other_label}/{base_label} ratios lie in "
            f"{rmin:.4f}–{rmax:.4f}, every one compatible with exactly {const:g} × {base_label} "
            "given rounding: independently trained models do not degrade by one factor to four "
            f"digits, so the {other_label} column looks computed from {base_label}, not measured"
        )
    else:
        finding = (
            f"The {other_label}/{base_label} ratios vary from {rmin:.4f} to {rmax:.4f}, more than "
            "rounding allows, as independent measurements would"
        )
    return _make(name, claims, paper, rec, not common, finding)


def _shortest(lo: float, hi: float) -> float:
    """The number with fewest decimals in ``[lo, hi]``."""
    for d in range(7):
        c = round((lo + hi) / 2, d)
        if lo - _EPS <= c <= hi + _EPS:
            return c
    return (lo + hi) / 2


# --------------------------------------------------------------------------- QAQL timing (§4.2)


def annealing_budget(
    num_reads: float | None,
    anneal_us: float | None,
    stated_qpu_ms: float | None,
    *,
    stated_access_ms: float | None = None,
    readout_us: float = 0.0,
    delay_us: float = 0.0,
    programming_ms: float = 0.0,
    name: str = "annealing_budget",
    claims: Sequence[str] = (),
) -> Check:
    """QPU time per update against the annealing time of its reads (QAQL §4.2, Table 3).

    A D-Wave QPU access runs the reads one after another: ``programming + num_reads · (anneal +
    readout + delay)`` (D-Wave's QPU timing model). Annealing alone therefore takes
    ``num_reads · anneal`` and the QPU time that includes programming, sampling and readout must
    be strictly larger (readout of every sample takes time). ``readout_us``, ``delay_us`` and
    ``programming_ms`` default to 0, which makes the recomputed figure a lower bound.

    Parameters
    ----------
    num_reads, anneal_us : float or None
        Reads per QUBO and annealing time per read (µs).
    stated_qpu_ms : float or None
        The stated QPU time per update "including programming, sampling and readout" (ms).
    stated_access_ms : float, optional
        The stated end-to-end access time per update (ms), reported alongside.

    Returns
    -------
    Check
    """
    paper = {
        "num_reads": num_reads,
        "annealing_time_us": anneal_us,
        "qpu_time_ms": stated_qpu_ms,
        "access_time_ms": stated_access_ms,
    }
    if miss := _absent({k: paper[k] for k in ("num_reads", "annealing_time_us", "qpu_time_ms")}):
        return _cannot(name, claims, paper, ", ".join(miss))
    anneal_ms = num_reads * anneal_us / 1000.0
    lower = anneal_ms + num_reads * (readout_us + delay_us) / 1000.0 + programming_ms
    ok = lower < stated_qpu_ms - _EPS
    rec = {"annealing_ms": anneal_ms, "qpu_time_lower_bound_ms": lower}
    head = f"{_g(num_reads)} reads × {anneal_us:g} µs = {anneal_ms:g} ms of annealing alone"
    if ok:
        finding = f"{head}, below the stated ~{stated_qpu_ms:g} ms of QPU time per update"
    else:
        tail = (
            f"; {stated_access_ms:g} ms end-to-end leaves {stated_access_ms - anneal_ms:g} ms "
            "for all of those and the network round trip"
            if not _missing(stated_access_ms)
            else ""
        )
        finding = (
            f"{head}: already the whole ~{stated_qpu_ms:g} ms said to cover QPU programming, "
            f"sampling and readout, although programming and the readout after each of the "
            f"{_g(num_reads)} anneals come on top{tail}"
        )
    return _make(name, claims, paper, rec, ok, finding)


def training_time(
    windows: Mapping[str, float | None],
    episodes: float | None,
    ms_per_update: float | None,
    stated_min_low: float | None,
    stated_min_high: float | None,
    *,
    calls_per_window: float = 1.0,
    name: str = "training_time",
    claims: Sequence[str] = (),
) -> Check:
    """QPU calls of the stated protocol × time per call against the stated training time (QAQL §4.2).

    QAQL issues one QUBO per Q-value update (§4.2) and learns from every training window in each
    of its episodes (Table 3), so a run makes ``windows × episodes × calls_per_window`` QPU calls,
    each taking the stated access time. A product above the stated wall-clock time, which
    "includes all annealing calls", is impossible.

    Parameters
    ----------
    windows : mapping of label to count
        Training windows under one or more readings (all training engines, the 80 % split).
    episodes, ms_per_update : float or None
        Episodes per run and QPU access time per update (ms).
    stated_min_low, stated_min_high : float or None
        The stated training time (minutes).

    Returns
    -------
    Check
    """
    paper = {
        "windows": dict(windows),
        "episodes": episodes,
        "ms_per_update": ms_per_update,
        "train_min_low": stated_min_low,
        "train_min_high": stated_min_high,
    }
    scalars = {k: paper[k] for k in ("episodes", "ms_per_update", "train_min_high")}
    known = {k: w for k, w in windows.items() if not _missing(w)}
    if (miss := _absent(scalars)) or not known:
        return _cannot(name, claims, paper, ", ".join(miss) or "the number of training windows")
    calls = {k: w * episodes * calls_per_window for k, w in known.items()}
    minutes = {k: c * ms_per_update / 60000.0 for k, c in calls.items()}
    max_calls = stated_min_high * 60000.0 / ms_per_update
    ok = min(minutes.values()) <= stated_min_high + _EPS
    rec = {
        "qpu_calls": {k: round(v) for k, v in calls.items()},
        "qpu_minutes": {k: round(v, 1) for k, v in minutes.items()},
        "max_calls_in_stated_time": round(max_calls),
        "calls_per_window_episode_allowed": max_calls / (max(known.values()) * episodes),
    }
    parts = "; ".join(
        f"{k}: {_g(round(known[k]))} × {episodes:g} = {_g(round(calls[k]))} calls × "
        f"{ms_per_update:g} ms = {minutes[k]:.1f} min"
        for k in known
    )
    stated = (
        f"{stated_min_low:g} to {stated_min_high:g}"
        if not _missing(stated_min_low)
        else f"{stated_min_high:g}"
    )
    if ok:
        finding = f"QPU time of the protocol ({parts}) fits the stated {stated} min"
    else:
        finding = (
            f"One QPU call per window and episode gives {parts} of QPU access alone, against "
            f"'{stated} minutes including all annealing calls'; {stated_min_high:g} min allow at "
            f"most {_g(round(max_calls))} calls"
        )
    return _make(name, claims, paper, rec, ok, finding)


def slowdown_in_range(
    stated: float | None,
    slow_low: float | None,
    slow_high: float | None,
    fast_low: float | None,
    fast_high: float | None,
    *,
    name: str = "slowdown_in_range",
    claims: Sequence[str] = (),
) -> Check:
    """A stated slowdown factor against the ratio of two stated time ranges (QAQL §4.2, §4.8).

    Times in ``[a, b]`` and ``[c, d]`` have ratios in ``[a/d, b/c]``; the stated factor must lie
    in that interval (the ratio of the midpoints is reported too).

    Returns
    -------
    Check

    Examples
    --------
    >>> slowdown_in_range(1.4, 11, 13, 7, 9).consistent
    True
    """
    paper = {
        "stated": stated,
        "slow_low": slow_low,
        "slow_high": slow_high,
        "fast_low": fast_low,
        "fast_high": fast_high,
    }
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    lo, hi = slow_low / fast_high, slow_high / fast_low
    mid = (slow_low + slow_high) / (fast_low + fast_high)
    ok = lo - _EPS <= stated <= hi + _EPS
    rec = {"ratio_low": lo, "ratio_high": hi, "ratio_of_midpoints": mid}
    where = "inside" if ok else "outside"
    finding = (
        f"{slow_low:g}–{slow_high:g} against {fast_low:g}–{fast_high:g} gives ratios "
        f"{lo:.2f}–{hi:.2f} (midpoints {mid:.2f}); the stated {stated:g} lies {where}"
    )
    return _make(name, claims, paper, rec, ok, finding)


# --------------------------------------------------------------------------- QAQL §4.10 bins


def bin_width(
    cap: float | None,
    bins: float | None,
    stated: float | None,
    *,
    tolerance: float = 0.5,
    name: str = "bin_width",
    claims: Sequence[str] = (),
) -> Check:
    """The width of ``bins`` uniform bins over ``[0, cap]`` against a stated width (QAQL §4.10).

    ``width = cap / bins``; "roughly eight cycles" is read as the nearest whole number, so the
    default tolerance is 0.5.

    Returns
    -------
    Check

    Examples
    --------
    >>> bin_width(125, 16, 8).recomputed["width"]
    7.8125
    """
    paper = {"cap": cap, "bins": bins, "stated_width": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    width = cap / bins
    ok = abs(width - stated) <= tolerance + _EPS
    verb = "matches" if ok else "does not match"
    finding = f"{_g(cap)}/{_g(bins)} = {width:.2f} per bin, which {verb} the stated ~{stated:g}"
    return _make(name, claims, paper, {"width": width}, ok, finding)


def discretisation_floor(
    cap: float | None,
    bins: float | None,
    rmse: float | None,
    *,
    literature: tuple[float | None, float | None] = (None, None),
    name: str = "discretisation_floor",
    claims: Sequence[str] = (),
) -> Check:
    """The RMSE floor that uniform bins set, against the RMSE they are said to limit (QAQL §4.10).

    Predicting the centre of a bin of width ``w`` when the truth is uniform inside it leaves an
    error uniform on ``[−w/2, w/2]``, whose RMSE is ``w/√12`` (variance of a uniform). That is
    the floor a perfect bin classifier reaches; other errors add in quadrature, so the bins
    account for ``(w²/12) / RMSE²`` of the MSE. The statement "sets a floor" holds when the
    floor is below the RMSE; the finding says how much of the gap to the literature it explains.

    Returns
    -------
    Check

    Examples
    --------
    >>> round(discretisation_floor(125, 16, 20.86).recomputed["rmse_floor"], 2)
    2.26
    """
    paper = {"cap": cap, "bins": bins, "rmse": rmse}
    lit_low, lit_high = literature
    if not _missing(lit_low):
        paper["literature_low"] = lit_low
    if not _missing(lit_high):
        paper["literature_high"] = lit_high
    if miss := _absent({"cap": cap, "bins": bins, "rmse": rmse}):
        return _cannot(name, claims, paper, ", ".join(miss))
    width = cap / bins
    floor = width / math.sqrt(12.0)
    share = floor * floor / (rmse * rmse)
    ok = floor <= rmse + _EPS
    rec = {"bin_width": width, "rmse_floor": floor, "share_of_mse": share}
    lit = ""
    if not _missing(lit_low):
        band = f"{lit_low:g}–{lit_high:g}" if not _missing(lit_high) else f"{lit_low:g}"
        lit = f" and the literature's {band}"
    finding = (
        f"Bins of {_g(cap)}/{_g(bins)} = {width:.2f} with bin-centre predictions cost "
        f"{width:.2f}/√12 = {floor:.2f} RMSE, {share:.1%} of the MSE at RMSE {rmse:g}: a true "
        f"floor, but far below {rmse:g}{lit}, so it cannot explain the gap"
    )
    return _make(name, claims, paper, rec, ok, finding)


# --------------------------------------------------------------------------- QAQL text vs tables


def values_backed(
    stated: Mapping[str, float | None],
    backing: Mapping[str, float | None],
    *,
    stated_where: str = "abstract",
    backing_where: str = "the tables",
    stated_sd: Mapping[str, float | None] | None = None,
    name: str = "values_backed",
    claims: Sequence[str] = (),
) -> Check:
    """Every number a summary states has a counterpart in the tables (QAQL abstract vs Table 10).

    Not a mathematical identity but a reporting one: a result printed in the abstract must be
    printed where the results are (here Table 10, the six metrics on FD002–FD004, and Table 11's
    QAQL row). A label whose stated value exists while its table cell is empty fails.

    Returns
    -------
    Check
    """
    paper = {
        "stated": dict(stated),
        "backing": dict(backing),
        **({"stated_sd": dict(stated_sd)} if stated_sd else {}),
    }
    present = [k for k, v in stated.items() if not _missing(v)]
    if not present:
        return _cannot(name, claims, paper, f"the {stated_where} values")
    unbacked = [k for k in present if _missing(backing.get(k))]
    ok = not unbacked
    sd = stated_sd or {}

    def show(k: str) -> str:
        s = sd.get(k)
        return f"{k} {stated[k]:g}" + (f" ± {s:g}" if not _missing(s) else "")

    if ok:
        finding = (
            f"every {stated_where} value ({', '.join(map(show, present))}) is in {backing_where}"
        )
    else:
        finding = (
            f"The {stated_where} prints {', '.join(map(show, unbacked))} but {backing_where} "
            "leave these cells empty: nothing in the paper backs them"
        )
    return _make(name, claims, paper, {"unbacked": unbacked}, ok, finding)


def cliffs_large_threshold(
    stated: float | None,
    *,
    name: str = "cliffs_large_threshold",
    claims: Sequence[str] = (),
) -> Check:
    """A stated "threshold for large effects" of Cliff's δ against Romano et al. (QAQL §4.6).

    Romano et al. (2006) call ``|δ| ≥ 0.474`` large (0.147 small, 0.33 medium), the labels of
    :func:`qpdm_lib.stats.cliffs_magnitude`; a stated threshold must equal 0.474 to three
    decimals.

    Returns
    -------
    Check

    Examples
    --------
    >>> cliffs_large_threshold(0.85).consistent
    False
    """
    paper = {"stated_threshold": stated}
    if _missing(stated):
        return _cannot(name, claims, paper, "the threshold")
    ok = abs(stated - ROMANO_LARGE) < 5e-4
    rec = {"romano_large": ROMANO_LARGE, "label_of_stated": stats.cliffs_magnitude(stated)}
    if ok:
        finding = f"{stated:g} is the conventional threshold for a large Cliff's δ"
    else:
        finding = (
            f"{stated:g} is not the threshold for a 'large' Cliff's δ; the convention is "
            f"{ROMANO_LARGE} (Romano et al. 2006), so δ above {stated:g} is large, but the "
            "threshold is misquoted"
        )
    return _make(name, claims, paper, rec, ok, finding)


def largest_gain(
    qaql_mse: Mapping[str, float | None],
    baselines: Mapping[str, Mapping[str, float | None]],
    claimed: str,
    *,
    name: str = "largest_gain",
    claims: Sequence[str] = (),
) -> Check:
    """Where QAQL's gain over the strongest baseline is largest (QAQL §4.7, abstract, Table 11).

    Table 11's QAQL row is empty, so QAQL's RMSE comes from the abstract's MSE: for means over
    runs ``mean(RMSE) ≤ √mean(MSE)`` (Jensen), so ``√MSE`` is an upper bound of QAQL's RMSE and
    the gains computed from it are lower bounds. The gain is measured against the lowest baseline
    RMSE of each subset, in cycles (absolute) and as a share of the baseline (relative); the
    claim holds when the claimed subset has the largest absolute gain, and the finding says
    whether the relative reading agrees.

    Parameters
    ----------
    qaql_mse : mapping of subset to MSE
    baselines : mapping of subset to {method: RMSE}
    claimed : str
        The subset said to gain most.

    Returns
    -------
    Check
    """
    paper = {"qaql_mse": dict(qaql_mse), "baselines": {k: dict(v) for k, v in baselines.items()}}
    subsets = [
        s
        for s in qaql_mse
        if not _missing(qaql_mse[s]) and any(not _missing(v) for v in baselines.get(s, {}).values())
    ]
    if claimed not in subsets or len(subsets) < 2:
        return _cannot(
            name, claims, paper, f"QAQL and the baselines on {claimed} and another subset"
        )
    qaql_rmse = {s: math.sqrt(qaql_mse[s]) for s in subsets}
    best = {}
    for s in subsets:
        known = {m: v for m, v in baselines[s].items() if not _missing(v)}
        best[s] = min(known.items(), key=lambda kv: kv[1])
    absolute = {s: best[s][1] - qaql_rmse[s] for s in subsets}
    relative = {s: absolute[s] / best[s][1] for s in subsets}
    top_abs = max(absolute, key=absolute.__getitem__)
    top_rel = max(relative, key=relative.__getitem__)
    ok = top_abs == claimed
    rec = {
        "qaql_rmse_upper": {s: round(v, 2) for s, v in qaql_rmse.items()},
        "best_baseline": {s: best[s][0] for s in subsets},
        "gain_cycles": {s: round(v, 2) for s, v in absolute.items()},
        "gain_relative": {s: round(v, 4) for s, v in relative.items()},
        "largest_absolute": top_abs,
        "largest_relative": top_rel,
    }
    gains = ", ".join(f"{s} {absolute[s]:.2f} ({relative[s]:.1%})" for s in subsets)
    rel = (
        "and relatively too"
        if top_rel == claimed
        else f"but relatively it is largest on {top_rel} ({relative[top_rel]:.1%})"
    )
    if ok:
        finding = (
            f"QAQL's RMSE (≤ √MSE of the abstract) beats the best baseline by {gains}: largest "
            f"on {claimed} in cycles, {rel}"
        )
    else:
        finding = (
            f"QAQL's RMSE (≤ √MSE of the abstract) beats the best baseline by {gains}: largest "
            f"on {top_abs} in cycles, not {claimed}"
        )
    return _make(name, claims, paper, rec, ok, finding)


def dominates(
    best: Mapping[str, float | None],
    others: Mapping[str, Mapping[str, float | None]],
    *,
    abs_metrics: Sequence[str] = ("mbd",),
    best_label: str = "QAQL",
    name: str = "dominates",
    claims: Sequence[str] = (),
) -> Check:
    """Whether one row is lowest on every error metric against the other rows (QAQL Tables 6–8).

    For error metrics lower is better (for a signed bias such as MBD, lower ``|value|``); a row
    "dominates" when no other row is lower on any metric. Printed values are compared as printed.

    Parameters
    ----------
    best : mapping of metric to value
        The row said to dominate.
    others : mapping of row label to {metric: value}

    Returns
    -------
    Check

    Examples
    --------
    >>> dominates({"mape": 12.16}, {"episodes = 2": {"mape": 11.92}}).consistent
    False
    """
    paper = {"best": dict(best), "others": {k: dict(v) for k, v in others.items()}}
    metrics = [m for m, v in best.items() if not _missing(v)]
    if not metrics or not others:
        return _cannot(name, claims, paper, f"{best_label}'s row")

    def key(metric: str, v: float) -> float:
        return abs(v) if metric in abs_metrics else v

    beaten = [
        (label, m, row[m])
        for label, row in others.items()
        for m in metrics
        if not _missing(row.get(m)) and key(m, row[m]) < key(m, best[m])
    ]
    ok = not beaten
    rec = {"beaten_on": [f"{label}: {m}" for label, m, _ in beaten]}
    if ok:
        finding = (
            f"{best_label} is lowest on all {len(metrics)} metrics against all {len(others)} "
            "other rows"
        )
    else:
        finding = f"{best_label} does not dominate: " + "; ".join(
            f"'{label}' has {m.upper()} {v:g} < {best[m]:g}" for label, m, v in beaten
        )
    return _make(name, claims, paper, rec, ok, finding)


def relative_change(
    new: float | None,
    old: float | None,
    stated_pct: float | None,
    *,
    decimals: int = 2,
    stated_decimals: int = 0,
    name: str = "relative_change",
    claims: Sequence[str] = (),
) -> Check:
    """A stated percentage change against ``100 · (new − old) / old`` (QAQL §4.4, §4.5).

    The magnitude of the change is compared (a "45 % reduction" is −45 %). Rounding: the change
    is evaluated at the corners of the inputs' rounding box and the stated percentage, printed to
    ``stated_decimals``, must fall in that range widened by its own half unit.

    Returns
    -------
    Check

    Examples
    --------
    >>> round(relative_change(435.28, 791.68, 45).recomputed["change_pct"], 2)
    -45.02
    """
    paper = {"new": new, "old": old, "stated_pct": stated_pct}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h, hs = _half(decimals), _half(stated_decimals)
    pct = 100.0 * (new - old) / old
    lo, hi = _corners(lambda n, o: abs(100.0 * (n - o) / o), [new, old], [h, h])
    ok = lo - hs - _EPS <= stated_pct <= hi + hs + _EPS
    kind = "reduction" if pct < 0 else "increase"
    verb = "matching" if ok else "not"
    finding = (
        f"{_g(old)} → {_g(new)} is a {abs(pct):.1f} % {kind}, {verb} the stated {stated_pct:g} %"
    )
    return _make(name, claims, paper, {"change_pct": pct}, ok, finding)


# --------------------------------------------------------------------------- generic arithmetic


def difference(
    a: float | None,
    b: float | None,
    stated: float | None,
    *,
    decimals: int = 1,
    stated_decimals: int | None = None,
    labels: tuple[str, str] = ("a", "b"),
    others: Mapping[str, float | None] | None = None,
    name: str = "difference",
    claims: Sequence[str] = (),
) -> Check:
    """A stated gain against the difference of the two values it compares (QEML-Net §4.2–§4.5).

    ``a − b`` of values printed to ``decimals`` is known to ``±2h``, and the stated difference
    to its own ``±h``; they are consistent when ``|stated − (a − b)| ≤ 2h + h_stated``. When they
    are not and ``others`` is given, the finding names the pairs of printed values whose printed
    difference is exactly the stated number (where it may have come from).

    Returns
    -------
    Check

    Examples
    --------
    >>> difference(87.1, 82.4, 4.7).consistent
    True
    """
    paper = {labels[0]: a, labels[1]: b, "stated": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h = _half(decimals)
    hs = _half(decimals if stated_decimals is None else stated_decimals)
    diff = a - b
    ok = abs(stated - diff) <= 2 * h + hs + _EPS
    rec: dict[str, Any] = {"difference": round(diff, 10)}
    finding = f"{labels[0]} {a:g} − {labels[1]} {b:g} = {diff:.{decimals}f}"
    if ok:
        finding += f", matching the stated {stated:g}"
    else:
        finding += f", not the stated {stated:g}"
        if others:
            vals = {k: v for k, v in others.items() if not _missing(v)}
            hits = [
                f"{x} − {y} ({vals[x]:g} − {vals[y]:g})"
                for x, y in itertools.permutations(vals, 2)
                if abs(vals[x] - vals[y] - stated) <= 1e-6
            ]
            rec["pairs_giving_stated"] = hits
            if hits:
                finding += f"; {stated:g} is instead " + " or ".join(hits)
    return _make(name, claims, paper, rec, ok, finding)


def range_matches(
    low: float | None,
    high: float | None,
    values: Mapping[str, float | None],
    *,
    decimals: int = 1,
    name: str = "range_matches",
    claims: Sequence[str] = (),
) -> Check:
    """A stated range against the extremes of the values it summarises (QEML-Net §4.4, §4.5).

    Both are printed with the same precision, so the ends must equal the extreme values as
    printed (QEML-Net abstract and conclusion vs §4.5; §4.4's Cohen's d range vs Table 5).

    Returns
    -------
    Check

    Examples
    --------
    >>> range_matches(92.8, 94.6, {"MFPT": 94.6, "IMS": 92.8, "Paderborn": 91.4}).consistent
    False
    """
    known = {k: v for k, v in values.items() if not _missing(v)}
    paper = {"low": low, "high": high, "values": dict(values)}
    if _missing(low) or _missing(high) or not known:
        return _cannot(name, claims, paper, "the range or its values")
    kmin = min(known, key=known.__getitem__)
    kmax = max(known, key=known.__getitem__)
    ok = (
        round(known[kmin] - low, decimals + 3) == 0 and round(known[kmax] - high, decimals + 3) == 0
    )
    rec = {"min": known[kmin], "max": known[kmax], "argmin": kmin, "argmax": kmax}
    verb = "matches" if ok else "does not match"
    finding = (
        f"The stated range {low:g}–{high:g} {verb} the values, which run from {known[kmin]:g} "
        f"({kmin}) to {known[kmax]:g} ({kmax})"
    )
    return _make(name, claims, paper, rec, ok, finding)


def sum_matches(
    parts: Mapping[str, float | None],
    total: float | None,
    *,
    what: str = "samples",
    name: str = "sum_matches",
    claims: Sequence[str] = (),
) -> Check:
    """A stated total against the sum of its listed parts (QEML-Net Table 2).

    A benchmark built from datasets holds exactly the sum of their sizes (counts: no rounding).

    Returns
    -------
    Check

    Examples
    --------
    >>> sum_matches({"a": 2, "b": 3}, 5).consistent
    True
    """
    paper = {"parts": dict(parts), "total": total}
    missing = [k for k, v in parts.items() if _missing(v)]
    if missing or _missing(total):
        return _cannot(name, claims, paper, ", ".join(missing) or "the total")
    s = sum(parts.values())
    ok = abs(s - total) <= _EPS
    rec = {"sum": s, "stated_minus_sum": total - s}
    listed = " + ".join(_g(v) for v in parts.values())
    if ok:
        finding = f"The {len(parts)} parts sum to the stated {_g(total)} {what}"
    else:
        finding = (
            f"The {len(parts)} listed parts ({', '.join(parts)}) sum to {listed} = {_g(s)}, "
            f"{_g(abs(total - s))} {'short of' if s < total else 'above'} the stated "
            f"{_g(total)} {what}"
        )
    return _make(name, claims, paper, rec, ok, finding)


def count_matches(
    stated: float | None,
    counted: int,
    *,
    what: str = "items",
    listed: Sequence[str] = (),
    name: str = "count_matches",
    claims: Sequence[str] = (),
) -> Check:
    """A stated count against the number of items the paper lists (QEML-Net Tables 2, 5).

    "Six datasets" or "nine comparisons" must match the rows the paper prints for them.

    Returns
    -------
    Check

    Examples
    --------
    >>> count_matches(9, 8, what="comparisons").consistent
    False
    """
    paper = {"stated": stated, "listed": list(listed)}
    if _missing(stated):
        return _cannot(name, claims, paper, f"the number of {what}")
    ok = int(round(stated)) == counted
    names = f" ({', '.join(listed)})" if listed else ""
    if ok:
        finding = f"The stated {stated:g} {what} match the {counted} listed{names}"
    else:
        finding = f"The paper states {stated:g} {what} but lists {counted}{names}"
    return _make(name, claims, paper, {"counted": counted}, ok, finding)


def product_matches(
    factors: Mapping[str, float | None],
    stated: float | None,
    *,
    what: str = "",
    name: str = "product_matches",
    claims: Sequence[str] = (),
) -> Check:
    """A stated count against the product of the sizes that make it up (QEML-Net §3.4).

    A circuit of ``L`` layers applying ``R`` parameterised rotations to each of ``Q`` qubits has
    ``L · Q · R`` rotation angles.

    Returns
    -------
    Check

    Examples
    --------
    >>> product_matches({"layers": 6, "qubits": 4, "rotations": 3}, 96).recomputed["product"]
    72
    """
    paper = {**dict(factors), "stated": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    prod = math.prod(factors.values())
    prod = int(prod) if float(prod).is_integer() else prod
    ok = abs(prod - stated) <= _EPS
    expr = " × ".join(f"{v:g} {k}" for k, v in factors.items())
    verb = "matches" if ok else "does not match"
    finding = f"{expr} = {_g(prod)}, which {verb} the stated {_g(stated)} {what}".rstrip()
    return _make(name, claims, paper, {"product": prod}, ok, finding)


# --------------------------------------------------------------------------- QEML-Net Table 5


def p_below(
    t: float | None,
    n: int | None,
    bound: float | None,
    *,
    decimals: int = 2,
    name: str = "p_below",
    claims: Sequence[str] = (),
) -> Check:
    """A printed "p < bound" against the p of the printed paired t (QEML-Net Table 5).

    A paired t-test over ``n`` pairs has ``df = n − 1``; the two-sided p is ``2 · P(T_df > |t|)``
    (:func:`qpdm_lib.stats.p_from_t`). The printed t is known to ``±h``, so the claim is
    consistent when ``p(|t| + h) < bound``; the finding gives the |t| that p < bound needs.

    Returns
    -------
    Check

    Examples
    --------
    >>> round(p_below(2.776, 5, 0.05).recomputed["p"], 4)
    0.05
    """
    paper = {"t": t, "n": n, "p_bound": bound}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    df = n - 1
    p = stats.p_from_t(t, df)
    p_min = stats.p_from_t(abs(t) + _half(decimals), df)
    t_needed = float(_st.t.isf(bound / 2.0, df))
    ok = p_min < bound
    rec = {"df": df, "p": p, "t_needed": t_needed}
    if ok:
        finding = f"t = {t:g} with df = {df} gives two-sided p = {_p(p)} < {bound:g}"
    else:
        finding = (
            f"t = {t:g} with df = {df} gives two-sided p = {_p(p)}, not < {bound:g} "
            f"(that needs |t| > {t_needed:.2f} at df = {df})"
        )
    return _make(name, claims, paper, rec, ok, finding)


def dz_from_t(
    t: float | None,
    n: int | None,
    stated_d: float | None,
    *,
    decimals: int = 2,
    name: str = "dz_from_t",
    claims: Sequence[str] = (),
) -> Check:
    """A printed Cohen's d against ``d_z = t / √n`` of the printed paired t (QEML-Net Table 5).

    For a paired test ``t = mean(d) / (sd(d)/√n)`` and ``d_z = mean(d)/sd(d)`` (Lakens 2013,
    eq. 6; :func:`qpdm_lib.stats.cohens_dz`), so ``d_z = t/√n`` exactly. Rounding: the printed t
    (±h) moves d_z by ``h/√n`` and the printed d is known to ``±h``.

    Returns
    -------
    Check

    Examples
    --------
    >>> round(dz_from_t(22.41, 5, 3.91).recomputed["d_z"], 2)
    10.02
    """
    paper = {"t": t, "n": n, "d": stated_d}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h = _half(decimals)
    dz = t / math.sqrt(n)
    ok = abs(dz - stated_d) <= h + h / math.sqrt(n) + _EPS
    rec = {"d_z": dz, "t_over_d": t / stated_d if stated_d else math.nan}
    head = f"d_z = t/√n = {t:g}/√{n} = {dz:.2f}"
    if ok:
        finding = f"{head}, matching the printed d = {stated_d:g}"
    else:
        finding = f"{head}, not the printed d = {stated_d:g} (which is t/{t / stated_d:.2f})"
    return _make(name, claims, paper, rec, ok, finding)


def ci_implies_t(
    t: float | None,
    ci_low: float | None,
    ci_high: float | None,
    n: int | None,
    *,
    ci_decimals: int = 1,
    t_decimals: int = 2,
    confidence: float = 0.95,
    name: str = "ci_implies_t",
    claims: Sequence[str] = (),
) -> Check:
    """The t implied by a printed paired-t CI against the printed t (QEML-Net Table 5).

    A paired t interval is ``mean ± t_{n−1, 0.975} · sd/√n`` and ``t = mean / (sd/√n)``, so
    ``t = t_crit · (lo + hi) / (hi − lo)`` (:func:`qpdm_lib.stats.t_from_ci` with the mean at the
    centre). That expression is monotone in each end, so its range over the ends' rounding
    (``±h``) is taken at the corners; the printed t (``±h_t``) must meet that range. The finding
    also gives the half-width the printed t implies, ``mean · t_crit / t``.

    Returns
    -------
    Check

    Examples
    --------
    >>> c = ci_implies_t(5.196, 0.516, 5.484, 3, ci_decimals=3, t_decimals=3)
    >>> c.consistent, round(c.recomputed["t_implied"], 2)
    (True, 5.2)
    """
    paper = {"t": t, "ci_low": ci_low, "ci_high": ci_high, "n": n}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h, ht = _half(ci_decimals), _half(t_decimals)
    mid = (ci_low + ci_high) / 2.0
    implied = stats.t_from_ci(mid, ci_low, ci_high, n, confidence=confidence)
    tcrit = float(_st.t.ppf(0.5 + confidence / 2.0, n - 1))

    def t_of(lo: float, hi: float) -> float:
        return tcrit * (lo + hi) / (hi - lo) if hi > lo else math.inf

    tmin, tmax = _corners(t_of, [ci_low, ci_high], [h, h])
    ok = tmin - _EPS <= t + ht and t - ht <= tmax + _EPS
    half = (ci_high - ci_low) / 2.0
    half_from_t = mid * tcrit / t
    rec = {
        "t_crit": tcrit,
        "se": implied.se,
        "sd": implied.sd,
        "t_implied": implied.t,
        "t_implied_min": tmin,
        "t_implied_max": tmax,
        "halfwidth_from_t": half_from_t,
    }
    d = ci_decimals
    head = (
        f"CI [{ci_low:.{d}f}, {ci_high:.{d}f}] with n = {n} (t crit {tcrit:.3f}) implies SE "
        f"{implied.se:.3f} and t = {implied.t:.1f} (rounding: {tmin:.1f}–{tmax:.1f})"
    )
    if ok:
        finding = f"{head}, matching the printed t = {t:g}"
    else:
        finding = (
            f"{head}, not the printed t = {t:g}; that t implies a half-width of "
            f"{half_from_t:.2f}, not {half:.{d + 1}f}"
        )
    return _make(name, claims, paper, rec, ok, finding)


def ci_centre(
    ci_low: float | None,
    ci_high: float | None,
    a: float | None,
    b: float | None,
    *,
    decimals: int = 1,
    labels: tuple[str, str] = ("a", "b"),
    name: str = "ci_centre",
    claims: Sequence[str] = (),
) -> Check:
    """The centre of a printed t interval against the difference of two means (QEML-Net Table 5).

    A t interval is symmetric about the mean difference, so its centre ``(lo + hi)/2`` is the mean
    difference of the compared methods (QEML-Net Table 5 vs Table 3). Rounding: the centre is
    known to ``±h`` and the difference of two printed means to ``±2h``.

    Returns
    -------
    Check

    Examples
    --------
    >>> ci_centre(18.4, 19.4, 97.3, 78.4).consistent
    True
    """
    paper = {"ci_low": ci_low, "ci_high": ci_high, labels[0]: a, labels[1]: b}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h = _half(decimals)
    mid = (ci_low + ci_high) / 2.0
    diff = a - b
    ok = abs(mid - diff) <= 3 * h + _EPS
    rec = {"centre": mid, "difference": round(diff, 10)}
    verb = "equals" if ok else "differs from"
    finding = (
        f"The CI [{ci_low:.{decimals}f}, {ci_high:.{decimals}f}] is centred on "
        f"{mid:.{decimals + 1}f}, which {verb} "
        f"{labels[0]} − {labels[1]} = {a:g} − {b:g} = {diff:.{decimals}f}"
    )
    return _make(name, claims, paper, rec, ok, finding)


def bonferroni_alpha(
    alpha: float | None,
    m: float | None,
    stated: float | None,
    *,
    stated_decimals: int = 4,
    name: str = "bonferroni_alpha",
    claims: Sequence[str] = (),
) -> Check:
    """A printed Bonferroni level against ``alpha / m`` (QEML-Net §4.4, Table 5).

    Bonferroni tests each of ``m`` comparisons at ``alpha/m``. The printed level is known to
    ``±h`` of its last digit; the finding gives the ``m`` the printed level implies.

    Returns
    -------
    Check

    Examples
    --------
    >>> bonferroni_alpha(0.05, 9, 0.0056).consistent
    True
    >>> round(bonferroni_alpha(0.05, 9, 0.0083).recomputed["m_implied"], 1)
    6.0
    """
    paper = {"alpha": alpha, "m": m, "stated_level": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    level = alpha / m
    ok = abs(level - stated) <= _half(stated_decimals) + _EPS
    rec = {"level": level, "m_implied": alpha / stated}
    if ok:
        finding = f"{alpha:g}/{m:g} = {level:.5f}, matching the printed {stated:g}"
    else:
        finding = (
            f"{alpha:g}/{m:g} = {level:.5f}, not the printed {stated:g}, which is "
            f"{alpha:g}/{alpha / stated:.2f}"
        )
    return _make(name, claims, paper, rec, ok, finding)


def corrected_p_below(
    ts: Mapping[str, float | None],
    n: int | None,
    m: int | None,
    bound: float | None,
    *,
    name: str = "corrected_p_below",
    claims: Sequence[str] = (),
) -> Check:
    """ "All comparisons p < bound, Bonferroni corrected" against the printed t (QEML-Net Table 5).

    Each comparison's two-sided p comes from its printed t with ``df = n − 1``
    (:func:`qpdm_lib.stats.p_from_t`), and the Bonferroni-corrected p is ``min(1, m · p)``
    (:func:`qpdm_lib.stats.bonferroni` with the stated ``m``). All must be below ``bound``.

    Returns
    -------
    Check
    """
    paper = {"t": dict(ts), "n": n, "m": m, "p_bound": bound}
    known = {k: v for k, v in ts.items() if not _missing(v)}
    if _missing(n) or _missing(m) or _missing(bound) or not known:
        return _cannot(name, claims, paper, "the t values, n or m")
    adj = {k: min(1.0, m * stats.p_from_t(t, n - 1)) for k, t in known.items()}
    over = {k: p for k, p in adj.items() if p >= bound}
    ok = not over
    rec = {"p_corrected": {k: float(f"{p:.3g}") for k, p in adj.items()}}
    if ok:
        finding = (
            f"All {len(adj)} Bonferroni-corrected (×{m:g}) p from the printed t with df = "
            f"{n - 1} are < {bound:g}"
        )
    else:
        finding = (
            f"Bonferroni-corrected (×{m:g}) p from the printed t with df = {n - 1} reach "
            f"{bound:g} or more for {len(over)} of {len(adj)} comparisons: "
            + ", ".join(f"{k} {_p(p)}" for k, p in over.items())
        )
    return _make(name, claims, paper, rec, ok, finding)


# --------------------------------------------------------------------------- QEML-Net §4.4 ANOVA


def anova_eta_squared(
    F: float | None,
    df1: float | None,
    df2: float | None,
    stated: float | None,
    *,
    decimals: int = 3,
    f_decimals: int = 2,
    name: str = "anova_eta_squared",
    claims: Sequence[str] = (),
) -> Check:
    """A printed η² against the η² of the printed F and degrees of freedom (QEML-Net §4.4).

    For a one-way ANOVA ``F = (SS_b/df1)/(SS_w/df2)`` and ``η² = SS_b/(SS_b + SS_w)``, hence
    ``η² = F·df1 / (F·df1 + df2)``. Rounding of F (``±h_F``) and of η² (``±h``) is allowed.

    Returns
    -------
    Check

    Examples
    --------
    >>> anova_eta_squared(10, 2, 12, 0.625).recomputed["eta_squared"]
    0.625
    """
    paper = {"F": F, "df1": df1, "df2": df2, "eta_squared": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    eta = F * df1 / (F * df1 + df2)
    lo, hi = _corners(lambda f: f * df1 / (f * df1 + df2), [F], [_half(f_decimals)])
    h = _half(decimals)
    ok = lo - h - _EPS <= stated <= hi + h + _EPS
    verb = "matching" if ok else "not"
    finding = (
        f"η² = F·df1/(F·df1 + df2) = {F:g}·{df1:g}/({F:g}·{df1:g} + {df2:g}) = {eta:.4f}, "
        f"{verb} the printed {stated:g}"
    )
    return _make(name, claims, paper, {"eta_squared": eta}, ok, finding)


def anova_p(
    F: float | None,
    df1: float | None,
    df2: float | None,
    bound: float | None,
    *,
    name: str = "anova_p",
    claims: Sequence[str] = (),
) -> Check:
    """A printed "p < bound" against the p of F(df1, df2) (QEML-Net §4.4).

    ``p = P(F_{df1, df2} > F)``, the upper tail of the F distribution.

    Returns
    -------
    Check
    """
    paper = {"F": F, "df1": df1, "df2": df2, "p_bound": bound}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    p = float(_st.f.sf(F, df1, df2))
    ok = p < bound
    verb = "<" if ok else "≥"
    finding = f"F({df1:g}, {df2:g}) = {F:g} gives p = {p:.1e} {verb} {bound:g}"
    return _make(name, claims, paper, {"p": p}, ok, finding)


def anova_df(
    groups: float | None,
    per_group: float | None,
    df1: float | None,
    df2: float | None,
    *,
    name: str = "anova_df",
    claims: Sequence[str] = (),
) -> Check:
    """Printed ANOVA degrees of freedom against the design (QEML-Net §4.4).

    ``k`` groups of ``n`` values give ``df1 = k − 1`` and ``df2 = k·n − k``.

    Returns
    -------
    Check

    Examples
    --------
    >>> anova_df(10, 5, 9, 40).consistent
    True
    """
    paper = {"groups": groups, "per_group": per_group, "df1": df1, "df2": df2}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    e1, e2 = groups - 1, groups * per_group - groups
    ok = e1 == df1 and e2 == df2
    verb = "matching" if ok else "not"
    finding = (
        f"{groups:g} methods × {per_group:g} seeds give F({e1:g}, {e2:g}), {verb} the printed "
        f"F({df1:g}, {df2:g})"
    )
    return _make(name, claims, paper, {"df1": e1, "df2": e2}, ok, finding)


# --------------------------------------------------------------------------- QEML-Net Table 4


def cbam_params(channels: Sequence[int], reduction: int = 16, kernel: int = 7) -> int:
    """Weights of CBAM modules (Woo et al. 2018) after feature maps with ``channels`` channels.

    Each module has a channel gate, a shared MLP ``C → C/r → C`` (``2·C²/r`` weights), and a
    spatial gate, one ``k × k`` convolution of the 2 pooled maps to 1 (``2·k²`` weights);
    biases (a few thousand) are left out.

    Examples
    --------
    >>> cbam_params([32], reduction=16, kernel=7)
    226
    """
    return int(sum(2 * c * c // reduction + 2 * kernel * kernel for c in channels))


def param_increment(
    before_m: float | None,
    after_m: float | None,
    readings: Mapping[str, float | None],
    *,
    component: str = "",
    decimals: int = 1,
    name: str = "param_increment",
    claims: Sequence[str] = (),
) -> Check:
    """A row's parameter increment (millions) against the size of what it adds (QEML-Net Table 4).

    Adding a layer adds exactly its weights. The two printed counts are each known to ``±h``
    million, so the increment is known to ``±2h``; the row is consistent when the size of the
    added part, under at least one reading of the paper's description (``readings``: label to
    number of parameters), lies within that.

    Parameters
    ----------
    before_m, after_m : float or None
        Printed parameter counts (M) of the previous row and of this row.
    readings : mapping of label to parameters (None where the paper gives no size)

    Returns
    -------
    Check

    Examples
    --------
    >>> param_increment(26.0, 30.8, {"W_enc 4×512 + 4": 2052}).consistent
    False
    """
    paper = {"before_m": before_m, "after_m": after_m}
    known = {k: v for k, v in readings.items() if not _missing(v)}
    if _absent(paper) or not known:
        what = "the parameter counts" if _absent(paper) else ", ".join(readings) or "its size"
        return _cannot(name, claims, {**paper, "readings": dict(readings)}, what)
    inc = after_m - before_m
    tol = 2 * _half(decimals)
    fits = {k: abs(inc - v / 1e6) <= tol + _EPS for k, v in known.items()}
    ok = any(fits.values())
    rec = {"increment_m": round(inc, 10), "expected_params": known, "fits": fits}

    def mega(v: float) -> str:
        return "< 0.001 M" if 0 < v < 500 else f"{v / 1e6:.3f} M"

    sizes = "; ".join(f"{k}: {_g(v)} parameters ({mega(v)})" for k, v in known.items())
    what = f"'{component}'" if component else "The row"
    verb = "matching" if ok else "but"
    d = decimals
    finding = (
        f"{what} adds {after_m:.{d}f} − {before_m:.{d}f} = {inc:.{d}f} M parameters, {verb} {sizes}"
    )
    return _make(name, claims, paper, rec, ok, finding)


def fp16_gain(
    acc_before: float | None,
    acc_after: float | None,
    *,
    decimals: int = 1,
    name: str = "fp16_gain",
    claims: Sequence[str] = (),
) -> Check:
    """Accuracy change from a TensorRT FP16 engine of the same weights (QEML-Net Table 4, §4.3).

    Converting the same trained weights to FP16 can only perturb the logits by rounding: accuracy
    stays the same up to a handful of flipped borderline samples, and lower precision has no
    mechanism to make it systematically better. A change beyond the printed rounding (``2h``)
    contradicts "no accuracy loss" in the other direction: a gain that cannot come from FP16.

    Returns
    -------
    Check

    Examples
    --------
    >>> fp16_gain(95.8, 97.3).consistent
    False
    """
    paper = {"acc_before": acc_before, "acc_after": acc_after}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    change = acc_after - acc_before
    ok = abs(change) <= 2 * _half(decimals) + _EPS
    rec = {"change_pp": round(change, 10)}
    if ok:
        finding = f"FP16 leaves accuracy at {acc_after:g} (was {acc_before:g}), as expected"
    else:
        finding = (
            f"The TensorRT FP16 row changes accuracy from {acc_before:g} to {acc_after:g} "
            f"({change:+.{decimals}f} pp) 'with no accuracy loss'; an FP16 engine of the same "
            "weights cannot gain that except by noise"
        )
    return _make(name, claims, paper, rec, ok, finding)


# --------------------------------------------------------------------------- QEML-Net Tables 1, 3


def same_numbers_other_dataset(
    t1_row: Mapping[str, float | None],
    t1_dataset: str,
    t3_row: Mapping[str, float | None],
    t3_dataset: str,
    *,
    method: str = "",
    name: str = "same_numbers_other_dataset",
    claims: Sequence[str] = (),
) -> Check:
    """A method's numbers in two tables that name different datasets (QEML-Net Tables 1 and 3).

    A method scored on two datasets gives two sets of scores; three identical numbers
    (accuracy, F1, FPS to 0.1) under two dataset names mean one set of numbers is relabelled.

    Returns
    -------
    Check
    """
    paper = {
        "table1_dataset": t1_dataset,
        "table1": dict(t1_row),
        "table3_dataset": t3_dataset,
        "table3": dict(t3_row),
    }
    shared = [
        k for k in t1_row if k in t3_row and not _missing(t1_row[k]) and not _missing(t3_row[k])
    ]
    if not shared:
        return _cannot(name, claims, paper, f"{method}'s numbers in both tables")
    same = all(abs(t1_row[k] - t3_row[k]) <= _EPS for k in shared)
    other = t1_dataset.strip().lower() != t3_dataset.strip().lower()
    ok = not (same and other)
    vals = ", ".join(f"{k} {t3_row[k]:g}" for k in shared)
    rec = {"shared": shared, "identical": same, "datasets_differ": other}
    who = f"{method}: " if method else ""
    if not ok:
        finding = (
            f"{who}Table 1 names {t1_dataset} and Table 3 reports {t3_dataset}, yet both print "
            f"{vals}: one set of numbers stands for two datasets"
        )
    elif same:
        finding = f"{who}Table 3 repeats Table 1's {t1_dataset} numbers ({vals}), same dataset"
    else:
        finding = f"{who}the two tables print different numbers for {t1_dataset} and {t3_dataset}"
    return _make(name, claims, paper, rec, ok, finding)


def quoted_not_rerun(
    t1_rows: Mapping[str, Mapping[str, float | None]],
    t3_rows: Mapping[str, Mapping[str, float | None]],
    *,
    seeds: float | None = None,
    name: str = "quoted_not_rerun",
    claims: Sequence[str] = (),
) -> Check:
    """Whether a results table's baselines are the literature's numbers (QEML-Net Tables 1, 3, 5).

    Re-running a baseline under one's own protocol and seeds gives new numbers; means over seeds
    that repeat every published value to 0.1 pp (and FPS on other hardware to the frame) say the
    baselines were quoted, not run. Then the paired t-tests of Table 5, which pair each
    baseline's per-seed accuracies with QEML-Net's, have no data behind them: the check fails when
    every shared number is identical.

    Returns
    -------
    Check
    """
    paper = {
        "table1": {k: dict(v) for k, v in t1_rows.items()},
        "table3": {k: dict(v) for k, v in t3_rows.items()},
        "seeds": seeds,
    }
    pairs = [
        (m, k)
        for m in t3_rows
        if m in t1_rows
        for k in t3_rows[m]
        if k in t1_rows[m] and not _missing(t1_rows[m][k]) and not _missing(t3_rows[m][k])
    ]
    if not pairs:
        return _cannot(name, claims, paper, "baseline numbers in both tables")
    equal = [(m, k) for m, k in pairs if abs(t1_rows[m][k] - t3_rows[m][k]) <= _EPS]
    methods = sorted({m for m, _ in pairs})
    ok = len(equal) < len(pairs)
    rec = {"shared_numbers": len(pairs), "identical_numbers": len(equal), "methods": len(methods)}
    if ok:
        finding = (
            f"{len(pairs) - len(equal)} of {len(pairs)} shared baseline numbers differ from the "
            "literature table, as re-run baselines would"
        )
    else:
        runs = f" over {seeds:g} seeds" if not _missing(seeds) else ""
        finding = (
            f"All {len(pairs)} numbers the two tables share for {len(methods)} baselines are "
            "identical: the baselines were quoted from the literature, not re-run, yet Table 5 "
            f"reports paired t-tests{runs} against each, which need per-seed runs of every baseline"
        )
    return _make(name, claims, paper, rec, ok, finding)


def is_best(
    subject: str,
    column: Mapping[str, float | None],
    *,
    higher_is_better: bool = True,
    what: str = "",
    name: str = "is_best",
    claims: Sequence[str] = (),
) -> Check:
    """Whether ``subject`` has the best value of a table column (QEML-Net §4.2, QAQL §4.6).

    "The fastest amongst all the methods" or "the lowest variance" is true when no other row of
    the column is higher (lower); ties are allowed.

    Returns
    -------
    Check

    Examples
    --------
    >>> is_best("QEML-Net", {"QEML-Net": 52, "SVM": 120}, what="FPS").consistent
    False
    """
    paper = {"column": dict(column), "subject": subject}
    known = {k: v for k, v in column.items() if not _missing(v)}
    if subject not in known or len(known) < 2:
        return _cannot(name, claims, paper, f"{subject} and the others' {what or 'values'}")
    mine = known[subject]
    if higher_is_better:
        better = {k: v for k, v in known.items() if v > mine}
    else:
        better = {k: v for k, v in known.items() if v < mine}
    ok = not better
    word = "highest" if higher_is_better else "lowest"
    unit = f" {what}" if what else ""
    rec = {"better": better}
    if ok:
        finding = f"{subject}'s {mine:g}{unit} is the {word} of the {len(known)} rows"
    else:
        order = sorted(better.items(), key=lambda kv: kv[1], reverse=higher_is_better)
        finding = f"{subject}'s {mine:g}{unit} is not the {word}: " + ", ".join(
            f"{k} {v:g}" for k, v in order
        )
    return _make(name, claims, paper, rec, ok, finding)


def fps_latency(
    fps: float | None,
    latency_ms: float | None,
    *,
    decimals: int = 0,
    name: str = "fps_latency",
    claims: Sequence[str] = (),
) -> Check:
    """A printed FPS against ``1000 / latency`` of the same row (QEML-Net Table 3).

    Frames processed one at a time take ``latency`` each, so ``FPS · latency_ms = 1000``. Both
    are printed to ``decimals`` (``±h``): consistent when ``(f − h)(l − h) ≤ 1000 ≤ (f + h)(l + h)``.

    Returns
    -------
    Check

    Examples
    --------
    >>> fps_latency(52, 19).consistent
    True
    """
    paper = {"fps": fps, "latency_ms": latency_ms}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h = _half(decimals)
    lo, hi = (fps - h) * (latency_ms - h), (fps + h) * (latency_ms + h)
    ok = lo - _EPS <= 1000.0 <= hi + _EPS
    implied = 1000.0 / latency_ms
    span = (
        f" ({1000.0 / (latency_ms + h):.1f}–{1000.0 / (latency_ms - h):.1f} over the latency's "
        "rounding)"
        if latency_ms > h
        else ""
    )
    verb = "agrees with" if ok else "does not match"
    finding = (
        f"1000/{latency_ms:g} ms = {implied:.1f} FPS{span}, which {verb} the printed {fps:g} FPS"
    )
    rec = {"fps_from_latency": implied, "product": fps * latency_ms}
    return _make(name, claims, paper, rec, ok, finding)


def rows_agree(
    row_a: Mapping[str, float | None],
    row_b: Mapping[str, float | None],
    *,
    label_a: str = "a",
    label_b: str = "b",
    decimals: int = 1,
    name: str = "rows_agree",
    claims: Sequence[str] = (),
) -> Check:
    """Two printings of the same model on the same benchmark must agree (QEML-Net Tables 3, 4).

    One model trained and scored once has one accuracy: two rows that name the same model,
    benchmark and size may differ only by rounding (``2h``) in each shared field.

    Returns
    -------
    Check

    Examples
    --------
    >>> rows_agree({"acc": 89.1}, {"acc": 82.4}).consistent
    False
    """
    paper = {label_a: dict(row_a), label_b: dict(row_b)}
    shared = [k for k in row_a if k in row_b and not _missing(row_a[k]) and not _missing(row_b[k])]
    if not shared:
        return _cannot(name, claims, paper, "a shared field")
    tol = 2 * _half(decimals)
    differ = [k for k in shared if abs(row_a[k] - row_b[k]) > tol + _EPS]
    same = [k for k in shared if k not in differ]
    ok = not differ
    rec = {"differ": differ, "agree": same}
    if ok:
        finding = f"{label_a} and {label_b} agree on " + ", ".join(
            f"{k} {row_a[k]:g}" for k in same
        )
    else:
        finding = (
            f"{label_a} and {label_b} print "
            + ", ".join(f"{k} {row_a[k]:g} vs {row_b[k]:g}" for k in differ)
            + (
                " for the same model and benchmark (they agree on "
                + ", ".join(f"{k} {row_a[k]:g}" for k in same)
                + ")"
                if same
                else ""
            )
        )
    return _make(name, claims, paper, rec, ok, finding)


def f1_le_harmonic_mean(
    precision: float | None,
    recall: float | None,
    f1: float | None,
    *,
    decimals: int = 1,
    name: str = "f1_le_harmonic_mean",
    claims: Sequence[str] = (),
) -> Check:
    """Macro-F1 ≤ harmonic mean of macro-precision and macro-recall (QEML-Net Table 3).

    The harmonic mean ``H(p, r) = 2pr/(p + r)`` is concave on the positive quadrant, so by Jensen
    the mean of the per-class F1 ``= H(p_c, r_c)`` is at most ``H(mean p_c, mean r_c)``: macro-F1 ≤
    H(macro-P, macro-R), with equality when F1 is computed from the averages; the same holds for
    weighted averages, and micro averaging makes all three equal. Rounding: consistent when
    ``f1 − h ≤ H(p + h, r + h)``.

    Returns
    -------
    Check

    Examples
    --------
    >>> f1_le_harmonic_mean(86.1, 86.4, 86.4).consistent
    False
    """
    paper = {"precision": precision, "recall": recall, "f1": f1}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    h = _half(decimals)

    def hm(p: float, r: float) -> float:
        return 2 * p * r / (p + r)

    hmean = hm(precision, recall)
    ok = f1 - h <= hm(precision + h, recall + h) + _EPS
    rec = {"harmonic_mean": hmean}
    if ok:
        finding = (
            f"F1 {f1:g} ≤ H(P {precision:g}, R {recall:g}) = {hmean:.2f} within rounding, as "
            "macro-F1 must be"
        )
    else:
        finding = (
            f"F1 {f1:g} exceeds the harmonic mean of P {precision:g} and R {recall:g}, "
            f"{hmean:.2f} (at most {hm(precision + h, recall + h):.2f} with rounding): macro-F1 "
            "can never exceed H(macro-P, macro-R)"
        )
    return _make(name, claims, paper, rec, ok, finding)


def ratio_matches(
    numerator: float | None,
    denominator: float | None,
    stated: float | None,
    *,
    scale: float = 1.0,
    stated_decimals: int = 1,
    what: str = "",
    name: str = "ratio_matches",
    claims: Sequence[str] = (),
) -> Check:
    """A stated quantity against ``scale · numerator / denominator`` of two settings (QEML-Net §3.1).

    A window of ``N`` samples at ``f`` kHz lasts ``N / f`` ms. The inputs are exact settings; the
    stated value, printed to ``stated_decimals``, must lie within its own half unit.

    Returns
    -------
    Check

    Examples
    --------
    >>> round(ratio_matches(512, 12, 42.7).recomputed["ratio"], 3)
    42.667
    """
    paper = {"numerator": numerator, "denominator": denominator, "stated": stated}
    if miss := _absent(paper):
        return _cannot(name, claims, paper, ", ".join(miss))
    value = scale * numerator / denominator
    ok = abs(value - stated) <= _half(stated_decimals) + _EPS
    verb = "matching" if ok else "not"
    unit = f" {what}" if what else ""
    head = (
        f"{_g(numerator)}/{_g(denominator)}"
        if scale == 1
        else (f"{scale:g} · {_g(numerator)}/{_g(denominator)}")
    )
    finding = f"{head} = {value:.3f}{unit}, {verb} the stated {stated:g}{unit}"
    return _make(name, claims, paper, {"ratio": value}, ok, finding)


def gains_sum(
    gains: Mapping[str, float | None],
    start: float | None,
    end: float | None,
    *,
    decimals: int = 1,
    labels: tuple[str, str] = ("start", "end"),
    name: str = "gains_sum",
    claims: Sequence[str] = (),
) -> Check:
    """Stepwise gains of an ablation against the whole climb they are said to explain (QEML-Net §4.3).

    When each component's gain is "its contribution to the final performance", the gains of the
    successive rows add up to ``end − start``. Every printed number carries ``±h``, so they are
    consistent when ``|Σ gains − (end − start)| ≤ k·h + 2h`` for ``k`` gains. A shortfall is
    accuracy that no listed component explains.

    Parameters
    ----------
    gains : mapping of component to stated gain (pp)
    start, end : float or None
        The first row's and the final row's value.

    Returns
    -------
    Check

    Examples
    --------
    >>> gains_sum({"a": 4.7, "b": 3.5}, 82.4, 90.6).consistent
    True
    """
    paper = {"gains": dict(gains), labels[0]: start, labels[1]: end}
    missing = [k for k, v in gains.items() if _missing(v)]
    if missing or _missing(start) or _missing(end):
        return _cannot(name, claims, paper, ", ".join(missing) or "the first or last row")
    total = sum(gains.values())
    climb = end - start
    h = _half(decimals)
    ok = abs(total - climb) <= len(gains) * h + 2 * h + _EPS
    rec = {"sum_of_gains": round(total, 10), "climb": round(climb, 10),
           "unexplained": round(climb - total, 10)}  # fmt: skip
    listed = ", ".join(f"{v:+g}" for v in gains.values())
    head = (
        f"The {len(gains)} stated gains ({listed}) sum to {total:.{decimals}f} pp; "
        f"{labels[0]} {start:g} → {labels[1]} {end:g} is {climb:.{decimals}f} pp"
    )
    if ok:
        finding = f"{head}: the components account for the whole climb"
    else:
        finding = (
            f"{head}: {abs(climb - total):.{decimals}f} pp of the final value "
            f"{'belong to no listed component' if climb > total else 'are claimed twice'}"
        )
    return _make(name, claims, paper, rec, ok, finding)


# --------------------------------------------------------------------------- run_all


class _Book:
    """Read access to the claims module by id; unknown ids fail loudly."""

    def __init__(self, claims_module: Any) -> None:
        self._all = claims_module.all_claims()

    def v(self, cid: str) -> float | None:
        return self._all[cid].value

    def pm(self, cid: str) -> float | None:
        return self._all[cid].pm

    def claim(self, cid: str) -> Any:
        return self._all[cid]

    def label(self, cid: str) -> str:
        """The row a claim belongs to, as the paper names it (variant, else method)."""
        c = self._all[cid]
        return c.variant or c.method

    def has(self, cid: str) -> bool:
        return cid in self._all

    def methods(self, prefix: str, suffix: str) -> list[str]:
        """Middle parts of the ids ``prefix + X + suffix``, in reading order."""
        out = []
        for cid in self._all:
            if cid.startswith(prefix) and cid.endswith(suffix):
                mid = cid[len(prefix) : len(cid) - len(suffix)]
                if mid and "." not in mid and mid not in out:
                    out.append(mid)
        return out


_ERROR_METRICS = ("mse", "rmse", "mae", "mape", "rse", "mbd")
_QAQL_TABLES = ("t6", "t7", "t8")
_QAQL_SETS = ("fd001", "pm")


def _qaql_error_tables(b: _Book) -> list[Check]:
    out: list[Check] = []
    cap = b.v("qaql.s4.1.fd001.rul_cap")
    for t in _QAQL_TABLES:
        for ds in _QAQL_SETS:
            rows = b.methods(f"qaql.{t}.{ds}.", ".mse")
            for m in rows:
                p = f"qaql.{t}.{ds}.{m}"
                out.append(
                    mae_le_rmse(
                        b.v(f"{p}.mae"),
                        b.v(f"{p}.rmse"),
                        name=f"qaql.{t}.mae_le_rmse.{ds}.{m}",
                        claims=(f"{p}.mae", f"{p}.rmse"),
                    )
                )
                out.append(
                    rmse_squared_vs_mse(
                        b.v(f"{p}.rmse"),
                        b.v(f"{p}.mse"),
                        rmse_sd=b.pm(f"{p}.rmse"),
                        name=f"qaql.{t}.rmse2_vs_mse.{ds}.{m}",
                        claims=(f"{p}.rmse", f"{p}.mse"),
                    )
                )
                if ds == "fd001":
                    out.append(
                        mape_floor(
                            b.v(f"{p}.mae"),
                            b.v(f"{p}.mape"),
                            y_max=cap,
                            name=f"qaql.{t}.mape_floor.{ds}.{m}",
                            claims=(f"{p}.mae", f"{p}.mape", "qaql.s4.1.fd001.rul_cap"),
                        )
                    )
            ids = [f"qaql.{t}.{ds}.{m}.{q}" for m in rows for q in ("mse", "rse")]
            out.append(
                mse_over_rse(
                    {
                        b.label(f"qaql.{t}.{ds}.{m}.mse"): (
                            b.v(f"qaql.{t}.{ds}.{m}.mse"),
                            b.v(f"qaql.{t}.{ds}.{m}.rse"),
                        )
                        for m in rows
                    },
                    name=f"qaql.{t}.mse_over_rse.{ds}",
                    claims=ids,
                )
            )
    return out


def _fd001_rmse_id(b: _Book, method: str) -> str:
    for t in ("t6", "t7"):
        cid = f"qaql.{t}.fd001.{method}.rmse"
        if b.has(cid):
            return cid
    raise KeyError(f"no FD001 RMSE for {method!r} in QAQL Tables 6/7")


def _qaql_table11(b: _Book) -> list[Check]:
    out = []
    methods = [m for m in b.methods("qaql.t11.fd002.", ".rmse") if m != "qaql"]
    base_ids = {m: _fd001_rmse_id(b, m) for m in methods}
    base = {m: b.v(cid) for m, cid in base_ids.items()}
    for s in ("fd002", "fd003", "fd004"):
        other = {m: b.v(f"qaql.t11.{s}.{m}.rmse") for m in methods}
        out.append(
            fixed_ratios(
                base,
                other,
                base_label="FD001",
                other_label=s.upper(),
                name=f"qaql.t11.fixed_ratio.{s}",
                claims=[*base_ids.values(), *(f"qaql.t11.{s}.{m}.rmse" for m in methods)],
            )
        )
    return out


def _qaql_timing(b: _Book) -> list[Check]:
    out = [
        annealing_budget(
            b.v("qaql.s4.2.qpu.num_reads"),
            b.v("qaql.s4.2.qpu.annealing_time"),
            b.v("qaql.s4.2.qpu.qpu_time"),
            stated_access_ms=b.v("qaql.s4.2.qpu.access_time"),
            name="qaql.s4.2.annealing_budget",
            claims=(
                "qaql.s4.2.qpu.num_reads",
                "qaql.s4.2.qpu.annealing_time",
                "qaql.s4.2.qpu.qpu_time",
                "qaql.s4.2.qpu.access_time",
                "qaql.abs.qpu.annealing_time",
                "qaql.t3.qpu.num_reads",
            ),
        )
    ]
    windows = b.v("qaql.s4.3.fd001.train_windows")
    share = b.v("qaql.s4.3.split.train")
    out.append(
        training_time(
            {
                "all 100 training engines": windows,
                f"{share:g} % engine split": None if _missing(windows) else windows * share / 100,
            },
            b.v("qaql.t3.agent.episodes"),
            b.v("qaql.s4.2.qpu.access_time"),
            b.v("qaql.s4.2.qaql.train_min_low"),
            b.v("qaql.s4.2.qaql.train_min_high"),
            name="qaql.s4.2.training_time",
            claims=(
                "qaql.s4.3.fd001.train_windows",
                "qaql.s4.3.split.train",
                "qaql.t3.agent.episodes",
                "qaql.s4.2.qpu.access_time",
                "qaql.s4.2.qaql.train_min_low",
                "qaql.s4.2.qaql.train_min_high",
            ),
        )
    )
    out.append(
        slowdown_in_range(
            b.v("qaql.s4.8.vs-transformer.slowdown"),
            b.v("qaql.s4.2.qaql.train_min_low"),
            b.v("qaql.s4.2.qaql.train_min_high"),
            b.v("qaql.s4.2.transformer.train_min_low"),
            b.v("qaql.s4.2.transformer.train_min_high"),
            name="qaql.s4.8.slowdown",
            claims=(
                "qaql.s4.8.vs-transformer.slowdown",
                "qaql.s4.2.qaql.train_min_low",
                "qaql.s4.2.qaql.train_min_high",
                "qaql.s4.2.transformer.train_min_low",
                "qaql.s4.2.transformer.train_min_high",
            ),
        )
    )
    return out


def _qaql_text(b: _Book) -> list[Check]:
    out = [
        bin_width(
            b.v("qaql.s4.1.fd001.rul_cap"),
            b.v("qaql.s4.10.agent.bins"),
            b.v("qaql.s4.10.bins.resolution"),
            name="qaql.s4.10.bin_width",
            claims=(
                "qaql.s4.1.fd001.rul_cap",
                "qaql.s4.10.agent.bins",
                "qaql.s4.10.bins.resolution",
            ),
        ),
        discretisation_floor(
            b.v("qaql.s4.1.fd001.rul_cap"),
            b.v("qaql.s4.10.agent.bins"),
            b.v("qaql.s4.10.fd001.qaql.rmse"),
            literature=(
                b.v("qaql.s4.10.literature.rmse_low"),
                b.v("qaql.s4.10.literature.rmse_high"),
            ),
            name="qaql.s4.10.rmse_floor",
            claims=(
                "qaql.s4.1.fd001.rul_cap",
                "qaql.s4.10.agent.bins",
                "qaql.s4.10.fd001.qaql.rmse",
                "qaql.s4.10.literature.rmse_low",
                "qaql.s4.10.literature.rmse_high",
            ),
        ),
    ]
    subsets = ("fd002", "fd003", "fd004")
    out.append(
        values_backed(
            {s.upper(): b.v(f"qaql.abs.{s}.qaql.mse") for s in subsets},
            {s.upper(): b.v(f"qaql.t10.{s}.qaql.mse") for s in subsets},
            stated_sd={s.upper(): b.pm(f"qaql.abs.{s}.qaql.mse") for s in subsets},
            stated_where="abstract (QAQL MSE)",
            backing_where="Table 10 and Table 11's QAQL row",
            name="qaql.abs.mse_without_table.fd002-fd004",
            claims=[
                *(f"qaql.abs.{s}.qaql.mse" for s in subsets),
                *(f"qaql.t10.{s}.qaql.mse" for s in subsets),
                *(f"qaql.t11.{s}.qaql.rmse" for s in subsets),
            ],
        )
    )
    out.append(
        cliffs_large_threshold(
            b.v("qaql.s4.6.cliffs-delta.min"),
            name="qaql.s4.6.cliffs_threshold",
            claims=("qaql.s4.6.cliffs-delta.min",),
        )
    )
    all_sets = ("fd001", *subsets)
    methods = [m for m in b.methods("qaql.t11.fd002.", ".rmse") if m != "qaql"]
    baselines: dict[str, dict[str, float | None]] = {
        "FD001": {m: b.v(_fd001_rmse_id(b, m)) for m in methods}
    }
    for s in subsets:
        baselines[s.upper()] = {m: b.v(f"qaql.t11.{s}.{m}.rmse") for m in methods}
    out.append(
        largest_gain(
            {s.upper(): b.v(f"qaql.abs.{s}.qaql.mse") for s in all_sets},
            baselines,
            "FD004",
            name="qaql.s4.7.largest_gain",
            claims=[
                *(f"qaql.abs.{s}.qaql.mse" for s in all_sets),
                *(_fd001_rmse_id(b, m) for m in methods),
                *(f"qaql.t11.{s}.{m}.rmse" for s in subsets for m in methods),
            ],
        )
    )
    for ds in _QAQL_SETS:
        variants = [m for m in b.methods(f"qaql.t8.{ds}.", ".mse") if m != "qaql"]
        out.append(
            dominates(
                {q: b.v(f"qaql.t8.{ds}.qaql.{q}") for q in _ERROR_METRICS},
                {
                    b.label(f"qaql.t8.{ds}.{v}.mse"): {
                        q: b.v(f"qaql.t8.{ds}.{v}.{q}") for q in _ERROR_METRICS
                    }
                    for v in variants
                },
                best_label="full QAQL",
                name=f"qaql.s4.5.dominates.{ds}",
                claims=[
                    "qaql.s4.5.metrics",
                    *(f"qaql.t8.{ds}.{v}.{q}" for v in ["qaql", *variants] for q in _ERROR_METRICS),
                ],
            )
        )
    for ds in _QAQL_SETS:
        rows = {
            (t, m): {q: b.v(f"qaql.{t}.{ds}.{m}.{q}") for q in _ERROR_METRICS}
            for t in ("t6", "t7")
            for m in b.methods(f"qaql.{t}.{ds}.", ".mse")
            if m != "qaql"
        }
        out.append(
            dominates(
                {q: b.v(f"qaql.t6.{ds}.qaql.{q}") for q in _ERROR_METRICS},
                {b.label(f"qaql.{t}.{ds}.{m}.mse"): row for (t, m), row in rows.items()},
                name=f"qaql.abs.dominates.{ds}",
                claims=[
                    "qaql.abs.metrics",
                    *(f"qaql.t6.{ds}.qaql.{q}" for q in _ERROR_METRICS),
                    *(f"qaql.{t}.{ds}.{m}.{q}" for (t, m) in rows for q in _ERROR_METRICS),
                ],
            )
        )
    changes = [
        (
            "qaql.s4.4.reduction.fd001.vs-transformer",
            "qaql.s4.4.fd001.vs-transformer.mse_reduction",
            "qaql.t6.fd001.qaql.mse",
            "qaql.t6.fd001.transformer.mse",
        ),
        (
            "qaql.s4.4.reduction.fd001.vs-quantum-vql",
            "qaql.s4.4.fd001.vs-quantum-vql.mse_reduction",
            "qaql.t7.fd001.qaql.mse",
            "qaql.t7.fd001.quantum-vql.mse",
        ),
        (
            "qaql.s4.4.reduction.pm.vs-quantum-vql",
            "qaql.s4.4.pm.vs-quantum-vql.mse_reduction",
            "qaql.t7.pm.qaql.mse",
            "qaql.t7.pm.quantum-vql.mse",
        ),
        (
            "qaql.s4.5.degradation.fd001.without-qa",
            "qaql.s4.5.fd001.without-qa.rmse_degradation",
            "qaql.t8.fd001.without-qa.rmse",
            "qaql.t8.fd001.qaql.rmse",
        ),
    ]
    for name, stated, new, old in changes:
        out.append(
            relative_change(b.v(new), b.v(old), b.v(stated), name=name, claims=(stated, new, old))
        )
    sd_ids = [
        f"qaql.t9.{ds}.{m}.rmse_sd"
        for m in ("transformer", "quantum-vql", "qaql")
        for ds in _QAQL_SETS
    ]
    out.append(
        is_best(
            "QAQL",
            {
                "QAQL": b.v("qaql.t9.fd001.qaql.rmse_sd"),
                "Quantum VQL": b.v("qaql.t9.fd001.quantum-vql.rmse_sd"),
            },
            higher_is_better=False,
            what="RMSE SD",
            name="qaql.s4.6.lowest_variance",
            claims=sd_ids,
        )
    )
    return out


_T5 = {
    "vs-svm": "svm-rbf",
    "vs-rf": "random-forest",
    "vs-lstm": "lstm",
    "vs-1d-cnn": "1d-cnn",
    "vs-resnet": "resnet-50",
    "vs-transformer": "transformer",
    "vs-gnn": "gnn",
    "vs-hybrid-qnn": "hybrid-qnn",
}


def _qeml_table5(b: _Book) -> list[Check]:
    out = []
    n = b.v("qeml.t5.caption.seeds")
    n = None if _missing(n) else int(n)
    for row, method in _T5.items():
        p = f"qeml.t5.{row}"
        t = b.v(f"{p}.t")
        out.append(
            p_below(
                t,
                n,
                b.v(f"{p}.p"),
                name=f"qeml.t5.p_from_t.{row}",
                claims=(f"{p}.t", f"{p}.p", "qeml.t5.caption.seeds"),
            )
        )
        out.append(
            dz_from_t(
                t,
                n,
                b.v(f"{p}.d"),
                name=f"qeml.t5.dz_from_t.{row}",
                claims=(f"{p}.t", f"{p}.d", "qeml.t5.caption.seeds"),
            )
        )
        out.append(
            ci_implies_t(
                t,
                b.v(f"{p}.ci_low"),
                b.v(f"{p}.ci_high"),
                n,
                name=f"qeml.t5.ci_implies_t.{row}",
                claims=(f"{p}.t", f"{p}.ci_low", f"{p}.ci_high", "qeml.t5.caption.seeds"),
            )
        )
        out.append(
            ci_centre(
                b.v(f"{p}.ci_low"),
                b.v(f"{p}.ci_high"),
                b.v("qeml.t3.qeml-net.acc"),
                b.v(f"qeml.t3.{method}.acc"),
                labels=("QEML-Net", b.claim(f"qeml.t3.{method}.acc").method),
                name=f"qeml.t5.ci_centre.{row}",
                claims=(
                    f"{p}.ci_low",
                    f"{p}.ci_high",
                    "qeml.t3.qeml-net.acc",
                    f"qeml.t3.{method}.acc",
                ),
            )
        )
    alpha = b.v("qeml.s4.4.bonferroni.alpha")
    m = b.v("qeml.s4.4.bonferroni.comparisons")
    out.append(
        bonferroni_alpha(
            alpha,
            m,
            b.v("qeml.s4.4.bonferroni.alpha_corrected"),
            name="qeml.s4.4.bonferroni_alpha",
            claims=(
                "qeml.s4.4.bonferroni.alpha",
                "qeml.s4.4.bonferroni.comparisons",
                "qeml.s4.4.bonferroni.alpha_corrected",
            ),
        )
    )
    out.append(
        bonferroni_alpha(
            alpha,
            m,
            b.v("qeml.t5.vs-svm.bonf_p"),
            name="qeml.t5.bonferroni_threshold",
            claims=(
                "qeml.s4.4.bonferroni.alpha",
                "qeml.s4.4.bonferroni.comparisons",
                *(f"qeml.t5.{r}.bonf_p" for r in _T5),
            ),
        )
    )
    out.append(
        count_matches(
            m,
            len(_T5),
            what="comparisons (Table 5 rows)",
            listed=[b.claim(f"qeml.t3.{mm}.acc").method for mm in _T5.values()],
            name="qeml.t5.comparisons",
            claims=("qeml.s4.4.bonferroni.comparisons", "qeml.contrib.baselines.methods"),
        )
    )
    out.append(
        corrected_p_below(
            {b.claim(f"qeml.t3.{mm}.acc").method: b.v(f"qeml.t5.{r}.t") for r, mm in _T5.items()},
            n,
            None if _missing(m) else int(m),
            b.v("qeml.t5.caption.p"),
            name="qeml.t5.caption_corrected_p",
            claims=(
                "qeml.t5.caption.p",
                "qeml.abs.vs-baselines.p",
                "qeml.fig3.vs-baselines.p",
                "qeml.concl.vs-baselines.p",
                "qeml.s4.4.bonferroni.comparisons",
                "qeml.t5.caption.seeds",
                *(f"qeml.t5.{r}.t" for r in _T5),
            ),
        )
    )
    out.append(
        range_matches(
            b.v("qeml.s4.4.cohens-d.min"),
            b.v("qeml.s4.4.cohens-d.max"),
            {b.claim(f"qeml.t3.{mm}.acc").method: b.v(f"qeml.t5.{r}.d") for r, mm in _T5.items()},
            decimals=2,
            name="qeml.s4.4.cohens_d_range",
            claims=(
                "qeml.s4.4.cohens-d.min",
                "qeml.s4.4.cohens-d.max",
                *(f"qeml.t5.{r}.d" for r in _T5),
            ),
        )
    )
    anova = ("qeml.s4.4.anova.f", "qeml.s4.4.anova.df1", "qeml.s4.4.anova.df2")
    F, df1, df2 = (b.v(c) for c in anova)
    out.append(
        anova_eta_squared(
            F,
            df1,
            df2,
            b.v("qeml.s4.4.anova.eta2"),
            name="qeml.s4.4.anova_eta_squared",
            claims=(*anova, "qeml.s4.4.anova.eta2", "qeml.s4.4.anova.variance_explained"),
        )
    )
    out.append(
        anova_p(
            F,
            df1,
            df2,
            b.v("qeml.s4.4.anova.p"),
            name="qeml.s4.4.anova_p",
            claims=(*anova, "qeml.s4.4.anova.p"),
        )  # fmt: skip
    )
    out.append(
        anova_df(
            b.v("qeml.s4.4.anova.groups"),
            b.v("qeml.s4.4.seeds"),
            df1,
            df2,
            name="qeml.s4.4.anova_df",
            claims=(
                "qeml.s4.4.anova.groups",
                "qeml.s4.4.seeds",
                "qeml.s4.4.anova.df1",
                "qeml.s4.4.anova.df2",
            ),
        )
    )
    return out


_T2 = ("cwru", "mfpt", "ims", "paderborn", "pronostia")


def _qeml_table2(b: _Book) -> list[Check]:
    def label(d: str) -> str:
        c = b.claim(f"qeml.t2.{d}.samples")
        return f"{c.dataset} ({_g(c.value)} {c.unit})" if c.unit != "samples" else c.dataset

    names = [b.claim(f"qeml.t2.{d}.samples").dataset for d in _T2]
    return [
        sum_matches(
            {label(d): b.v(f"qeml.t2.{d}.samples") for d in _T2},
            b.v("qeml.t2.caption.samples"),
            name="qeml.t2.samples_sum",
            claims=(
                *(f"qeml.t2.{d}.samples" for d in _T2),
                "qeml.t2.caption.samples",
                "qeml.t2.combined.samples",
                "qeml.abs.benchmark.samples",
                "qeml.s3.2.benchmark.samples",
            ),
        ),
        count_matches(
            b.v("qeml.t2.caption.datasets"),
            len(_T2),
            what="datasets",
            listed=names,
            name="qeml.t2.dataset_count",
            claims=(
                "qeml.t2.caption.datasets",
                "qeml.abs.benchmark.datasets",
                "qeml.s3.2.benchmark.datasets",
                *(f"qeml.t2.{d}.samples" for d in _T2),
            ),
        ),
    ]


_T4 = ("baseline", "plus-cbam", "plus-quantum-encoding", "plus-vqc", "plus-hybrid-loss", "full-trt")


def _qeml_table4(b: _Book) -> list[Check]:
    out = []
    r = b.v("qeml.s3.3.cbam.reduction")
    k = b.v("qeml.s3.3.cbam.spatial_kernel")
    sa, sb = (int(b.v(c)) for c in ("qeml.s3.3.cbam.stage_a", "qeml.s3.3.cbam.stage_b"))
    torch_names = [RESNET50_CHANNELS[f"layer{s}"] for s in (sa, sb)]
    he_names = [RESNET50_CHANNELS[f"layer{s - 1}"] for s in (sa, sb)]
    feat = b.v("qeml.s3.4.backbone.feature_dim")
    qubits = b.v("qeml.s3.4.encoder.out_dim")
    layers = b.v("qeml.s3.4.pqc.layers")
    nq = b.v("qeml.s3.1.pqc.qubits")
    q96 = b.v("qeml.s3.4.pqc.quantum_params")
    fc1 = b.v("qeml.s3.5.fc1.out")
    readings: dict[str, dict[str, float | None]] = {
        "plus-cbam": {
            f"CBAM (r = {r:g}, {k:g}×{k:g}) after stages {sa}, {sb} = layer{sa}/layer{sb} "
            f"({torch_names[0]}, {torch_names[1]} channels)": cbam_params(
                torch_names, int(r), int(k)
            ),
            f"the same after conv{sa}_x/conv{sb}_x ({he_names[0]}, {he_names[1]} channels)": (
                cbam_params(he_names, int(r), int(k))
            ),
        },
        "plus-quantum-encoding": {
            f"W_enc {qubits:g}×{feat:g} + {qubits:g} biases": qubits * feat + qubits,
        },
        "plus-vqc": {
            f"{layers:g} layers × {nq:g} qubits × 3 rotations": layers * nq * 3,
            f"{q96:g} quantum parameters (§3.4) + FC1 input {feat:g}→{feat + nq:g} "
            f"({nq:g}×{fc1:g} weights)": q96 + nq * fc1,
        },
        "plus-hybrid-loss": {"the reconstruction decoder the compound loss trains (§3.5)": None},
        "full-trt": {"the same weights in an FP16 engine": 0},
    }
    components = {
        "baseline": "ResNet-50 baseline",
        "plus-cbam": "+ CBAM",
        "plus-quantum-encoding": "+ quantum encoding",
        "plus-vqc": "+ full VQC",
        "plus-hybrid-loss": "+ hybrid loss",
        "full-trt": "+ TensorRT FP16",
    }
    rows_label = {
        "baseline": "baseline",
        "plus-cbam": "CBAM row",
        "plus-quantum-encoding": "quantum-encoding row",
        "plus-vqc": "full-VQC row",
        "plus-hybrid-loss": "hybrid-loss row",
    }
    extra = {
        "plus-cbam": (
            "qeml.s3.3.cbam.reduction",
            "qeml.s3.3.cbam.spatial_kernel",
            "qeml.s3.3.cbam.stage_a",
            "qeml.s3.3.cbam.stage_b",
        ),
        "plus-quantum-encoding": ("qeml.s3.4.encoder.out_dim", "qeml.s3.4.backbone.feature_dim"),
        "plus-vqc": (
            "qeml.s3.4.pqc.layers",
            "qeml.s3.1.pqc.qubits",
            "qeml.s3.4.pqc.quantum_params",
            "qeml.s3.5.fc1.out",
        ),
        "plus-hybrid-loss": (),
        "full-trt": (),
    }
    for prev, row in itertools.pairwise(_T4):
        out.append(
            param_increment(
                b.v(f"qeml.t4.{prev}.params_m"),
                b.v(f"qeml.t4.{row}.params_m"),
                readings[row],
                component=components[row],
                name=f"qeml.t4.params.{row}",
                claims=(f"qeml.t4.{prev}.params_m", f"qeml.t4.{row}.params_m", *extra[row]),
            )
        )
    for prev, row in itertools.pairwise(_T4[:-1]):
        gain = f"qeml.s4.3.{row}.acc_gain"
        concl = f"qeml.concl.{row}.acc_gain"
        out.append(
            difference(
                b.v(f"qeml.t4.{row}.acc"),
                b.v(f"qeml.t4.{prev}.acc"),
                b.v(gain),
                labels=(rows_label[row], rows_label[prev]),
                name=f"qeml.t4.gain.{row}",
                claims=(gain, concl, f"qeml.t4.{row}.acc", f"qeml.t4.{prev}.acc"),
            )
        )
    out.append(
        fp16_gain(
            b.v("qeml.t4.plus-hybrid-loss.acc"),
            b.v("qeml.t4.full-trt.acc"),
            name="qeml.t4.fp16_gain",
            claims=(
                "qeml.t4.plus-hybrid-loss.acc",
                "qeml.t4.full-trt.acc",
                "qeml.s4.3.trt.fps_high",
            ),
        )
    )
    out.append(
        gains_sum(
            {components[row]: b.v(f"qeml.s4.3.{row}.acc_gain") for row in _T4[1:-1]},
            b.v("qeml.t4.baseline.acc"),
            b.v("qeml.t4.full-trt.acc"),
            labels=("the ResNet-50 baseline", "QEML-Net (full + TRT)"),
            name="qeml.t4.gains_sum",
            # the gains are each right (qeml.t4.gain.*): what no gain explains is the last row
            claims=("qeml.t4.baseline.acc", "qeml.t4.full-trt.acc"),
        )
    )
    out.append(
        rows_agree(
            {_FIELD[q]: b.v(f"qeml.t3.resnet-50.{q}") for q in ("acc", "params_m", "fps")},
            {_FIELD[q]: b.v(f"qeml.t4.baseline.{q}") for q in ("acc", "params_m", "fps")},
            label_a="Table 3's ResNet-50",
            label_b="Table 4's ResNet-50 baseline",
            name="qeml.t4.baseline_vs_t3",
            claims=(
                *(f"qeml.t3.resnet-50.{q}" for q in ("acc", "params_m", "fps")),
                *(f"qeml.t4.baseline.{q}" for q in ("acc", "params_m", "fps")),
                "qeml.s4.3.baseline.acc",
            ),
        )
    )
    out.append(
        product_matches(
            {"layers": layers, "qubits": nq, "rotations (Rz, Ry, Rx)": 3},
            q96,
            what="quantum parameters",
            name="qeml.s3.4.quantum_params",
            claims=("qeml.s3.4.pqc.layers", "qeml.s3.1.pqc.qubits", "qeml.s3.4.pqc.quantum_params"),
        )
    )
    return out


_FIELD = {"acc": "accuracy", "f1": "F1", "fps": "FPS", "params_m": "parameters (M)"}

_T3 = (
    "svm-rbf",
    "random-forest",
    "lstm",
    "1d-cnn",
    "resnet-50",
    "automl",
    "transformer",
    "gnn",
    "hybrid-qnn",
)


def _qeml_tables13(b: _Book) -> list[Check]:
    out = []
    t1_rows, t3_rows, t1_ids = {}, {}, []
    for m in _T3:
        label = b.claim(f"qeml.t3.{m}.acc").method
        t1 = {_FIELD[q]: b.v(f"qeml.t1.{m}.{q}") for q in ("acc", "f1", "fps")}
        t3 = {_FIELD[q]: b.v(f"qeml.t3.{m}.{q}") for q in ("acc", "f1", "fps")}
        t1_rows[label], t3_rows[label] = t1, t3
        ids = [f"qeml.{t}.{m}.{q}" for t in ("t1", "t3") for q in ("acc", "f1", "fps")]
        t1_ids += ids
        out.append(
            same_numbers_other_dataset(
                t1,
                b.claim(f"qeml.t1.{m}.f1").dataset,
                t3,
                b.claim(f"qeml.t3.{m}.acc").dataset,
                method=label,
                name=f"qeml.t1.reused.{m}",
                claims=ids,
            )
        )
    out.append(
        quoted_not_rerun(
            t1_rows,
            t3_rows,
            seeds=b.v("qeml.t5.caption.seeds"),
            name="qeml.t3.quoted_not_rerun",
            claims=(*t1_ids, "qeml.t5.caption.seeds"),
        )
    )
    rows = (*_T3, "qeml-net")
    fps = {b.claim(f"qeml.t3.{m}.fps").method: b.v(f"qeml.t3.{m}.fps") for m in rows}
    out.append(
        is_best(
            "QEML-Net",
            fps,
            what="FPS",
            name="qeml.s4.2.fastest",
            claims=("qeml.s4.2.qeml-net.fps", *(f"qeml.t3.{m}.fps" for m in rows)),
        )
    )
    for m in rows:
        out.append(
            fps_latency(
                b.v(f"qeml.t3.{m}.fps"),
                b.v(f"qeml.t3.{m}.lat_ms"),
                name=f"qeml.t3.fps_latency.{m}",
                claims=(f"qeml.t3.{m}.fps", f"qeml.t3.{m}.lat_ms"),
            )
        )
    for m in rows:
        out.append(
            f1_le_harmonic_mean(
                b.v(f"qeml.t3.{m}.prec"),
                b.v(f"qeml.t3.{m}.recall"),
                b.v(f"qeml.t3.{m}.f1"),
                name=f"qeml.t3.f1_le_hm.{m}",
                claims=(f"qeml.t3.{m}.prec", f"qeml.t3.{m}.recall", f"qeml.t3.{m}.f1"),
            )
        )
    return out


def _qeml_text(b: _Book) -> list[Check]:
    sets = ("mfpt", "ims", "paderborn")
    qeml = {
        b.claim(f"qeml.s4.5.{s}.qeml-net.acc").dataset: b.v(f"qeml.s4.5.{s}.qeml-net.acc")
        for s in sets
    }
    qeml_ids = [f"qeml.s4.5.{s}.qeml-net.acc" for s in sets]
    out = []
    for where in ("abs", "concl"):
        out.append(
            range_matches(
                b.v(f"qeml.{where}.cross-dataset.acc_low"),
                b.v(f"qeml.{where}.cross-dataset.acc_high"),
                qeml,
                name=f"qeml.{where}.cross_dataset_range",
                claims=(
                    f"qeml.{where}.cross-dataset.acc_low",
                    f"qeml.{where}.cross-dataset.acc_high",
                    *qeml_ids,
                ),
            )
        )
    everything = {
        f"{c.method} on {c.dataset}": c.value
        for s in sets
        for m in ("qeml-net", "hybrid-qnn", "gnn")
        for c in [b.claim(f"qeml.s4.5.{s}.{m}.acc")]
    }
    out.append(
        difference(
            b.v("qeml.s4.5.ims.qeml-net.acc"),
            b.v("qeml.s4.5.ims.hybrid-qnn.acc"),
            b.v("qeml.s4.5.ims.vs-hybrid-qnn.acc_gain"),
            labels=("QEML-Net on IMS", "Hybrid-QNN on IMS"),
            others=everything,
            name="qeml.s4.5.ims_gain",
            claims=(
                "qeml.s4.5.ims.vs-hybrid-qnn.acc_gain",
                "qeml.s4.5.ims.qeml-net.acc",
                "qeml.s4.5.ims.hybrid-qnn.acc",
            ),
        )
    )
    out.append(
        ratio_matches(
            b.v("qeml.s3.1.window.samples"),
            b.v("qeml.s3.1.signal.fs_khz"),
            b.v("qeml.s3.1.window.ms"),
            what="ms",
            name="qeml.s3.1.window_duration",
            claims=("qeml.s3.1.window.samples", "qeml.s3.1.signal.fs_khz", "qeml.s3.1.window.ms"),
        )
    )
    for q, label in (("acc", "accuracy"), ("f1", "F1")):
        stated = f"qeml.s4.2.vs-hybrid-qnn.{q}_gain"
        out.append(
            difference(
                b.v(f"qeml.t3.qeml-net.{q}"),
                b.v(f"qeml.t3.hybrid-qnn.{q}"),
                b.v(stated),
                labels=(f"QEML-Net {label}", f"Hybrid-QNN {label}"),
                name=f"qeml.s4.2.margin.{q}",
                claims=(stated, f"qeml.t3.qeml-net.{q}", f"qeml.t3.hybrid-qnn.{q}"),
            )
        )
    return out


def _with_implicated(check: Check, b: _Book) -> Check:
    """``check`` with the claims its inconsistency calls into question (:attr:`Check.marked`).

    By default every claim a check reads is implicated. The rules below leave out numbers that
    serve only as inputs, so the ledger does not mark them *inconsistent in the paper*: settings
    (seeds, the RUL cap, reads and annealing time, layer sizes), the FD001 column Table 11 is a
    multiple of, the MSE column that MSE/RSE reads (MSE has its own check against RMSE²),
    dataset facts measured elsewhere, and the cells of a table that a sentence summarises
    wrongly (only the sentence and the cells that contradict it are marked).
    """
    n, ids = check.name, check.claims

    def keep(*prefixes: str, ends: tuple[str, ...] = ()) -> tuple[str, ...]:
        return tuple(c for c in ids if c.startswith(prefixes) or (ends and c.endswith(ends)))

    def drop(*unwanted: str) -> tuple[str, ...]:
        return tuple(c for c in ids if c not in unwanted)

    seeds, cap = "qeml.t5.caption.seeds", "qaql.s4.1.fd001.rul_cap"
    if n.startswith("qaql.t11.fixed_ratio."):
        implicated = keep("qaql.t11.")
    elif n == "qaql.s4.2.annealing_budget":
        implicated = ("qaql.s4.2.qpu.qpu_time",)
    elif n == "qaql.s4.2.training_time":
        implicated = keep("qaql.s4.2.qaql.train_min")
    elif ".mape_floor." in n:
        implicated = drop(cap)
    elif ".mse_over_rse." in n:
        # the MSE column has its own check against RMSE² (rmse2_vs_mse): it is the RSE column
        # that cannot be MSE over one test set's label variance
        implicated = keep(ends=(".rse",))
    elif n.startswith(("qaql.s4.5.dominates.", "qaql.abs.dominates.")):
        implicated = _dominance_cells(check, b)
    elif n.startswith(("qeml.t5.p_from_t.", "qeml.t5.dz_from_t.", "qeml.t5.ci_implies_t.")):
        implicated = drop(seeds)
    elif n == "qeml.t5.bonferroni_threshold":
        implicated = keep(ends=(".bonf_p",))
    elif n == "qeml.t5.caption_corrected_p":
        implicated = keep(ends=(".p",))
    elif n == "qeml.t5.quoted_not_rerun" or n == "qeml.t3.quoted_not_rerun":
        implicated = keep("qeml.t3.")
    elif n == "qeml.t2.dataset_count":
        implicated = tuple(c for c in ids if not c.endswith(".samples"))
    elif n.startswith("qeml.t4.params."):
        implicated = ids[:2]  # the two printed counts; the sizes of the parts are settings
    elif n == "qeml.t4.fp16_gain":
        implicated = keep("qeml.t4.")
    elif n == "qeml.s3.4.quantum_params":
        implicated = ("qeml.s3.4.pqc.quantum_params",)
    elif n == "qeml.s4.2.fastest":
        implicated = ("qeml.s4.2.qeml-net.fps",)
    elif n.endswith(".cross_dataset_range"):
        implicated = keep(n.rsplit(".", 1)[0] + ".")
    elif n == "qeml.s4.5.ims_gain":
        implicated = ids[:1]  # the stated gain; the two accuracies agree with section 4.5
    else:
        implicated = ()
    if implicated and not set(implicated) <= set(ids):  # pragma: no cover - tested
        raise RuntimeError(f"check {n!r}: implicated claims outside its claims")
    return dataclasses.replace(check, implicated=tuple(implicated))


def _dominance_cells(check: Check, b: _Book) -> tuple[str, ...]:
    """The sentence and the cells that contradict "lowest on every metric" (QAQL §4.5, abstract)."""
    statements = tuple(c for c in check.claims if c.endswith(".metrics"))
    beaten = check.recomputed.get("beaten_on", [])
    cells = []
    for entry in beaten:
        label, _, metric = entry.rpartition(": ")
        for cid in check.claims:
            if not cid.endswith("." + metric):
                continue
            method = cid.split(".")[3]
            if method == "qaql" or b.label(cid) == label:
                cells.append(cid)
    return statements + tuple(dict.fromkeys(cells))


def run_all(claims_module: Any) -> list[Check]:
    """Every forensic check applied to the papers' claims, in a fixed order.

    Parameters
    ----------
    claims_module : module
        :mod:`qpdm_lib.claims` (anything with ``all_claims()`` returning ``{id: Claim}``).

    Returns
    -------
    list of Check
        QAQL first (error tables, Table 11, timing, text), then QEML-Net (Table 5 and §4.4,
        Table 2, Table 4, Tables 1 and 3, text). Names are unique.

    Examples
    --------
    >>> from qpdm_lib import claims
    >>> checks = run_all(claims)
    >>> next(c for c in checks if c.name == "qeml.t5.p_from_t.vs-gnn").consistent
    False
    """
    b = _Book(claims_module)
    checks = [
        *_qaql_error_tables(b),
        *_qaql_table11(b),
        *_qaql_timing(b),
        *_qaql_text(b),
        *_qeml_table5(b),
        *_qeml_table2(b),
        *_qeml_table4(b),
        *_qeml_tables13(b),
        *_qeml_text(b),
    ]
    checks = [_with_implicated(c, b) for c in checks]
    names = [c.name for c in checks]
    if len(set(names)) != len(names):  # pragma: no cover - guarded by the tests
        dup = sorted({n for n in names if names.count(n) > 1})
        raise RuntimeError(f"forensic check names repeat: {dup}")
    return checks


def checks_table(checks: Sequence[Check]) -> pd.DataFrame:
    """The checks as a table: one row each, verdict and finding first.

    Columns: ``name, verdict, finding, claims`` (ids joined by ", "), ``paper``, ``recomputed``
    (the dicts), ``consistent, testable``.

    Examples
    --------
    >>> checks_table([mae_le_rmse(1.0, 2.0, name="x")])[["name", "verdict"]].values.tolist()
    [['x', 'consistent']]
    """
    columns = [
        "name",
        "verdict",
        "finding",
        "claims",
        "paper",
        "recomputed",
        "consistent",
        "testable",
    ]
    return pd.DataFrame(
        [
            {
                "name": c.name,
                "verdict": c.verdict,
                "finding": c.finding,
                "claims": ", ".join(c.claims),
                "paper": c.paper,
                "recomputed": c.recomputed,
                "consistent": c.consistent,
                "testable": c.testable,
            }
            for c in checks
        ],
        columns=columns,
    )


# --------------------------------------------------------------------------- families, derived


class Family(NamedTuple):
    """A family of checks that one argument covers (a section of the forensics chapter)."""

    paper: str  # "QAQL" or "QEML-Net"
    title: str
    pattern: str  # regular expression matched against the start of a check's name


#: The families, in the chapter's reading order; a check belongs to the first whose pattern
#: matches its name (see :func:`family_of`).
FAMILIES: dict[str, Family] = {
    "mae_le_rmse": Family("QAQL", "Tables 6-8: MAE ≤ RMSE", r"qaql\.t[678]\.mae_le_rmse\."),
    "rmse2_vs_mse": Family("QAQL", "Tables 6-8: MSE = RMSE²", r"qaql\.t[678]\.rmse2_vs_mse\."),
    "mse_over_rse": Family(
        "QAQL", "Tables 6-8: MSE/RSE per test set", r"qaql\.t[678]\.mse_over_rse\."
    ),
    "mape_floor": Family("QAQL", "Tables 6-8: MAPE ≥ 100·MAE/cap", r"qaql\.t[678]\.mape_floor\."),
    "fixed_ratio": Family("QAQL", "Table 11: multiples of FD001", r"qaql\.t11\."),
    "qaql_timing": Family("QAQL", "§4.2, §4.8: timing", r"qaql\.s4\.[28]\."),
    "bins": Family("QAQL", "§4.10: the bins' floor", r"qaql\.s4\.10\."),
    "qaql_text": Family("QAQL", "text against tables", r"qaql\."),
    "t5_tests": Family(
        "QEML-Net",
        "Table 5: p, d and CI from t",
        r"qeml\.t5\.(p_from_t|dz_from_t|ci_implies_t|ci_centre)\.",
    ),
    "bonferroni": Family("QEML-Net", "§4.4: Bonferroni and ANOVA", r"qeml\.(t5\.|s4\.4\.)"),
    "t2": Family("QEML-Net", "Table 2: benchmark size", r"qeml\.t2\."),
    "t4": Family(
        "QEML-Net",
        "Table 4: parameters and gains",
        r"qeml\.(t4\.(params|gain|gains_sum|fp16_gain)|s3\.4\.)",
    ),
    "t1_t3": Family(
        "QEML-Net",
        "Tables 1, 3: reused rows, speed",
        r"qeml\.(t1\.|t3\.|t4\.baseline_vs_t3|s4\.2\.fastest)",
    ),
    "qeml_text": Family("QEML-Net", "text against tables", r"qeml\."),
}


def family_of(name: str) -> str:
    """The family (a key of :data:`FAMILIES`) of the check called ``name``.

    Examples
    --------
    >>> family_of("qaql.t7.mae_le_rmse.pm.lstm"), family_of("qeml.t4.baseline_vs_t3")
    ('mae_le_rmse', 't1_t3')
    """
    for key, family in FAMILIES.items():
        if re.match(family.pattern, name):
            return key
    raise KeyError(f"check {name!r} belongs to no family of FAMILIES")


#: Numbers a paper derives from its own numbers, and the check that recomputes each:
#: claim id -> (check name, key of ``Check.recomputed``, factor). A reduction is printed as a
#: positive percentage while ``relative_change`` returns it negative, hence factor −1.
DERIVED: dict[str, tuple[str, str, float]] = {
    "qeml.s3.1.window.ms": ("qeml.s3.1.window_duration", "ratio", 1.0),
    "qeml.s4.2.vs-hybrid-qnn.acc_gain": ("qeml.s4.2.margin.acc", "difference", 1.0),
    "qeml.s4.2.vs-hybrid-qnn.f1_gain": ("qeml.s4.2.margin.f1", "difference", 1.0),
    "qeml.s4.3.plus-cbam.acc_gain": ("qeml.t4.gain.plus-cbam", "difference", 1.0),
    "qeml.s4.3.plus-quantum-encoding.acc_gain": (
        "qeml.t4.gain.plus-quantum-encoding",
        "difference",
        1.0,
    ),
    "qeml.s4.3.plus-vqc.acc_gain": ("qeml.t4.gain.plus-vqc", "difference", 1.0),
    "qeml.s4.3.plus-hybrid-loss.acc_gain": ("qeml.t4.gain.plus-hybrid-loss", "difference", 1.0),
    "qeml.s4.4.bonferroni.alpha_corrected": ("qeml.s4.4.bonferroni_alpha", "level", 1.0),
    "qeml.s4.4.anova.variance_explained": ("qeml.s4.4.anova_eta_squared", "eta_squared", 100.0),
    "qeml.s4.5.ims.vs-hybrid-qnn.acc_gain": ("qeml.s4.5.ims_gain", "difference", 1.0),
    "qaql.s4.4.fd001.vs-transformer.mse_reduction": (
        "qaql.s4.4.reduction.fd001.vs-transformer",
        "change_pct",
        -1.0,
    ),
    "qaql.s4.4.fd001.vs-quantum-vql.mse_reduction": (
        "qaql.s4.4.reduction.fd001.vs-quantum-vql",
        "change_pct",
        -1.0,
    ),
    "qaql.s4.4.pm.vs-quantum-vql.mse_reduction": (
        "qaql.s4.4.reduction.pm.vs-quantum-vql",
        "change_pct",
        -1.0,
    ),
    "qaql.s4.5.fd001.without-qa.rmse_degradation": (
        "qaql.s4.5.degradation.fd001.without-qa",
        "change_pct",
        1.0,
    ),
    "qaql.s4.8.vs-transformer.slowdown": ("qaql.s4.8.slowdown", "ratio_of_midpoints", 1.0),
    "qaql.s4.10.bins.resolution": ("qaql.s4.10.bin_width", "width", 1.0),
}


def derived_values(checks: Sequence[Check]) -> dict[str, tuple[float, str]]:
    """``{claim id: (value, check name)}``: what the paper's own numbers give for each derived
    claim of :data:`DERIVED` whose check ran.

    Examples
    --------
    >>> from qpdm_lib import claims
    >>> value, check = derived_values(run_all(claims))["qeml.s4.3.plus-cbam.acc_gain"]
    >>> round(value, 1), check
    (4.7, 'qeml.t4.gain.plus-cbam')
    """
    by_name = {c.name: c for c in checks}
    out = {}
    for claim_id, (name, key, factor) in DERIVED.items():
        check = by_name.get(name)
        if check is not None and check.testable and key in check.recomputed:
            out[claim_id] = (factor * float(check.recomputed[key]), name)
    return out
