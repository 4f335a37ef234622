"""One function turns a claim and our measurement into a verdict, in the spirit of ReScience C.

The verdicts, checked in this order:

``inconsistent in the paper``
    the paper's own numbers contradict this one (a forensic check, see
    :mod:`qpdm_lib.claims.forensics`); what we measured is still shown beside it.
``not testable here``
    the paper prints no legible value, or the data or hardware to test it is absent (named).
``not yet tested``
    no chapter of this build has measured it.
``not comparable``
    a measurement exists but cannot test the claim: synthetic data, a profile smaller than the
    claim's scale (a ``smoke`` or ``quick`` number never tests a full-scale claim: the remedy is
    "run the full profile"), other hardware, or a quantity the paper never defines.
``adopted``
    a setting of the paper (a hyperparameter, a window length) that the book uses as stated.
``reproduced``
    a comparable measurement within the claim's tolerance; over several runs, the paper's value
    inside our 95 % interval also counts. A "p < x" claim is reproduced when our p is below x,
    and a lower bound (its ``what`` says "(all above)", e.g. every Cliff's δ above 0.85) when
    ours, the smallest of the values it bounds, is above it.
``not reproduced``
    a comparable measurement outside the tolerance; the explanation gives the direction and size
    of the difference.

>>> from qpdm_lib import claims
>>> c = claims.get("qaql.t6.fd001.qaql.rmse")
>>> verdict(c, Measurement(ours=20.9, profile="full", data_source="real"))[0]
'reproduced'
>>> print(*verdict(c, Measurement(ours=26.0, profile="full", data_source="real")), sep=": ")
not reproduced: ours 26 is +5.14 (+25 %) from the paper's 20.86
>>> verdict(c, Measurement(ours=20.9, profile="quick", data_source="real"))[0]
'not comparable'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import Claim

__all__ = ["VERDICTS", "Measurement", "verdict"]

VERDICTS = (
    "reproduced",
    "not reproduced",
    "not comparable",
    "inconsistent in the paper",
    "not testable here",
    "adopted",
    "not yet tested",
)


@dataclass(frozen=True)
class Measurement:
    """What a chapter recorded for a claim (see :meth:`qpdm_lib.book.report.Recorder.claim`)."""

    ours: float | None
    profile: str = "quick"
    data_source: str = "real"  # "real", "synthetic" or "none" (no dataset involved)
    ci: tuple[float, float] | None = None  # our 95 % interval over n runs
    n: int = 1
    comparable: bool = True
    remedy: str = ""
    testable: bool = True


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def verdict(
    claim: Claim, measured: Measurement | None, *, inconsistency: str = ""
) -> tuple[str, str]:
    """``(verdict, why)`` for ``claim`` given our ``measured`` value (None: untested)."""
    if inconsistency:
        return "inconsistent in the paper", inconsistency
    if claim.value is None:
        return "not testable here", "the paper prints no legible value" + (
            f" ({claim.note})" if claim.note else ""
        )
    if measured is None:
        return "not yet tested", ""
    if not measured.testable:
        return "not testable here", measured.remedy
    if measured.ours is None or math.isnan(measured.ours):
        return "not yet tested", "no value recorded"
    if measured.data_source == "synthetic":
        return "not comparable", "measured on synthetic stand-ins: run with the real data"
    if not measured.comparable:
        return "not comparable", measured.remedy
    if claim.scale == "full" and measured.profile != "full":
        return "not comparable", (
            f"measured in the {measured.profile} profile, the claim is about the full-scale "
            "experiment: run the full profile"
        )
    ours, paper = float(measured.ours), float(claim.value)
    if claim.kind == "setting":
        tolerance = claim.tolerance or 0.0
        if math.isclose(ours, paper, rel_tol=1e-9, abs_tol=tolerance + 1e-12):
            return "adopted", "the book uses the paper's setting"
        return "not reproduced", f"the book's value is {_fmt(ours)}, the paper's {_fmt(paper)}"
    if claim.quantity == "p" and "<" in claim.note:
        if ours < paper:
            return "reproduced", f"our p = {ours:.2g} < {_fmt(paper)}"
        return "not reproduced", f"our p = {ours:.2g} is not below {_fmt(paper)}"
    if "(all above)" in claim.what:
        if ours > paper:
            return "reproduced", f"ours {_fmt(ours)} is above the paper's bound {_fmt(paper)}"
        return "not reproduced", f"ours {_fmt(ours)} is not above the paper's bound {_fmt(paper)}"
    tolerance = claim.tolerance if claim.tolerance is not None else 0.1 * abs(paper)
    inside = abs(ours - paper) <= tolerance + 1e-12
    if measured.ci is not None and measured.n > 1:
        low, high = measured.ci
        inside = inside or low <= paper <= high
    if inside:
        return "reproduced", f"ours {_fmt(ours)} against the paper's {_fmt(paper)}"
    difference = ours - paper
    relative = f" ({difference / paper:+.0%})".replace("%", " %") if paper else ""
    return "not reproduced", (
        f"ours {_fmt(ours)} is {difference:+.4g}{relative} from the paper's {_fmt(paper)}"
    )
