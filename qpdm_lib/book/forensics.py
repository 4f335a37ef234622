"""The forensics chapter's tables: each check's printed numbers, what follows from them, the outcome.

:func:`qpdm_lib.claims.forensics.run_all` computes the checks; this module lays one family of them
out for the page (:func:`html_checks`, one row per check, each row carrying the anchor the ledger
links to), counts them (:func:`tally`) and says the count in words (:func:`tally_sentence`).
Nothing here decides a verdict: the outcome of a check is :attr:`Check.verdict`.

>>> from qpdm_lib.claims import forensics as fx
>>> anchor("qaql.t6.mae_le_rmse.pm.qaql")
'check-qaql-t6-mae_le_rmse-pm-qaql'
>>> tally_sentence([fx.mae_le_rmse(12.49, 11.23), fx.mae_le_rmse(1.0, 2.0)])
'1 of 2 checks finds the paper inconsistent with itself; 1 is consistent.'
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import claims
from ..claims.forensics import FAMILIES, Check, family_of
from .ledger import COLOURS

__all__ = ["anchor", "OUTCOME_COLOURS", "html_checks", "tally", "tally_sentence"]

#: Background of a check's outcome, in the ledger's colours.
OUTCOME_COLOURS = {
    "consistent": COLOURS["reproduced"],
    "inconsistent": COLOURS["inconsistent in the paper"],
    "not checkable": COLOURS["not testable here"],
}

_NAMES = {
    "mae": "MAE", "rmse": "RMSE", "mse": "MSE", "rse": "RSE", "mape": "MAPE",
    "rmse_sd": "± of RMSE", "mae_minus_rmse": "MAE − RMSE", "rounding_slack": "rounding allows",
    "rmse_squared": "RMSE²", "sqrt_mse": "√MSE", "mse_minus_rmse_squared": "MSE − RMSE²",
    "rounding_bound": "rounding allows ±", "between_run_sd_min": "run SD needed ≥",
    "printed_sd_max": "printed SD ≤", "mape_floor": "100·MAE/cap", "y_max": "RUL cap",
    "t": "t", "n": "n", "d": "d", "d_z": "d_z = t/√n", "t_over_d": "t/d", "p_bound": "p <",
    "p": "p from t", "df": "df", "t_needed": "|t| needed", "ci_low": "CI low",
    "ci_high": "CI high", "t_crit": "t crit", "se": "SE", "sd": "SD",
    "t_implied": "t implied by CI", "t_implied_min": "t implied (min)",
    "t_implied_max": "t implied (max)", "halfwidth_from_t": "half-width implied by t",
    "centre": "CI centre", "difference": "difference",
}  # fmt: skip


def anchor(name: str) -> str:
    """The HTML id of a check's row (:meth:`qpdm_lib.book.report.Recorder.check` records it)."""
    return "check-" + name.replace(".", "-")


def _label(key: str) -> str:
    return _NAMES.get(key, key.replace("_", " "))


def _fmt(value: Any, digits: int = 6) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if float(value).is_integer() and abs(value) >= 1000:
            return f"{int(value):,}"
        return f"{value:.{digits}g}"
    if isinstance(value, dict):
        return "; ".join(f"{_label(str(k))}: {_fmt(v, digits)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v, digits) for v in value) or "none"
    return str(value)


def _folded(text: str, *, limit: int = 160) -> str:
    """``text`` escaped; a long one folded behind its beginning (click to read it all)."""
    if len(text) <= limit:
        return html.escape(text)
    cut = text.rfind("; ", 0, limit)
    cut = cut if cut > 0 else limit
    return (
        f"<details><summary>{html.escape(text[:cut])} …</summary>"
        f"{html.escape(text[cut:].removeprefix('; '))}</details>"
    )


def _flat(check: Check) -> bool:
    return all(not isinstance(v, dict | list) for v in check.paper.values())


def _row_label(check: Check) -> list[str]:
    first = claims.get(check.claims[0])
    return [first.source, first.dataset, first.variant or first.method]


def html_checks(checks: Sequence[Check], *, recomputed_digits: int = 4) -> str:
    """One family of checks as an HTML table, one row per check with ``id`` = :func:`anchor`.

    When every check has the same flat set of printed numbers (a row test such as MAE ≤ RMSE),
    the table is wide: where, dataset and method from the check's first claim, one column per
    printed number and per recomputed quantity, and the outcome (the finding shows on hover).
    Otherwise each row shows the printed numbers, the recomputation, the outcome and the finding.
    Printed numbers appear as printed; recomputed ones to ``recomputed_digits`` significant digits.
    """
    if not checks:
        return "<p>No checks.</p>"
    keys = [tuple(c.paper) for c in checks]
    wide = len(set(keys)) == 1 and all(_flat(c) for c in checks)
    rows = []
    if wide:
        paper_keys = list(checks[0].paper)
        rec_keys: list[str] = []
        for c in checks:
            rec_keys += [
                k for k, v in c.recomputed.items() if k not in rec_keys and not isinstance(v, dict)
            ]
        head = (
            "<tr><th colspan=3></th>"
            f'<th colspan={len(paper_keys)} style="text-align:center">the paper prints</th>'
            f'<th colspan={len(rec_keys)} style="text-align:center">recomputed</th><th></th></tr>'
            "<tr><th>where</th><th>dataset</th><th>method</th>"
            + "".join(f"<th>{html.escape(_label(k))}</th>" for k in paper_keys)
            + "".join(f"<th>{html.escape(_label(k))}</th>" for k in rec_keys)
            + "<th>outcome</th></tr>"
        )
        for c in checks:
            cells = [html.escape(x) for x in _row_label(c)]
            cells += [_fmt(c.paper[k]) for k in paper_keys]
            cells += [_fmt(c.recomputed.get(k), recomputed_digits) for k in rec_keys]
            tds = "".join(f"<td>{x}</td>" for x in cells)
            outcome = (
                f'<td title="{html.escape(c.finding)}" style="background:'
                f'{OUTCOME_COLOURS[c.verdict]}"><strong>{c.verdict}</strong></td>'
            )
            rows.append(f'<tr id="{anchor(c.name)}">{tds}{outcome}</tr>')
    else:
        head = (
            "<tr><th>check</th><th>the paper prints</th><th>recomputed</th><th>outcome</th>"
            "<th>finding</th></tr>"
        )
        for c in checks:
            cells = [
                f"<code>{html.escape(c.name)}</code>",
                _folded(_fmt(c.paper)),
                _folded(_fmt(c.recomputed, recomputed_digits)),
            ]
            tds = "".join(f"<td>{x}</td>" for x in cells)
            outcome = (
                f'<td style="background:{OUTCOME_COLOURS[c.verdict]}">'
                f"<strong>{c.verdict}</strong></td><td>{html.escape(c.finding)}</td>"
            )
            rows.append(f'<tr id="{anchor(c.name)}">{tds}{outcome}</tr>')
    return (
        '<div class="qpdm-forensics" style="overflow-x:auto"><table class="qpdm-checks">'
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def tally(checks: Sequence[Check]) -> pd.DataFrame:
    """Checks per family (rows in :data:`FAMILIES` order): paper, title and counts per outcome."""
    rows = []
    for key, family in FAMILIES.items():
        mine = [c for c in checks if family_of(c.name) == key]
        rows.append(
            {
                "family": key,
                "paper": family.paper,
                "checks of": family.title,
                "checks": len(mine),
                "consistent": sum(c.verdict == "consistent" for c in mine),
                "inconsistent": sum(c.verdict == "inconsistent" for c in mine),
                "not checkable": sum(c.verdict == "not checkable" for c in mine),
            }
        )
    return pd.DataFrame(rows).set_index("family")


def tally_sentence(checks: Sequence[Check]) -> str:
    """How many of ``checks`` find the paper inconsistent, in words (for the page's prose)."""
    n = len(checks)
    bad = sum(c.verdict == "inconsistent" for c in checks)
    good = sum(c.verdict == "consistent" for c in checks)
    skipped = n - bad - good
    if n == 0:
        return "No check of this kind ran."
    if n == 1:
        return {
            "inconsistent": "The one check finds the paper inconsistent with itself.",
            "consistent": "The one check finds the paper consistent with itself.",
        }.get(checks[0].verdict, "The one check cannot run: the paper leaves a number out.")
    if bad == 0:
        head = f"None of the {n} checks finds the paper inconsistent with itself"
    elif bad == n:
        head = f"All {n} checks find the paper inconsistent with itself"
    else:
        head = f"{bad} of {n} checks {'finds' if bad == 1 else 'find'} the paper inconsistent with itself"
    tail = []
    if good and bad:
        tail.append(f"{good} {'is' if good == 1 else 'are'} consistent")
    if skipped:
        tail.append(f"{skipped} cannot be checked because the paper leaves a number out")
    return head + ("; " + " and ".join(tail) if tail else "") + "."
