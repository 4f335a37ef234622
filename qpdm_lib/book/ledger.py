"""The claims ledger: every claim of both papers, what the book measured, and a verdict.

:func:`table` joins the claims data (:mod:`qpdm_lib.claims`) with the chapters' results files of
one profile: each claim gets the measurement its chapter recorded (or, for a number the paper
prints again elsewhere, the measurement of the claim it restates), the forensic checks that
concern it, and a verdict from :func:`qpdm_lib.claims.verdicts.verdict`. :func:`html_table`
renders it as a filterable, sortable table whose rows link to the spot where each value was
measured.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from .. import claims
from ..claims.verdicts import VERDICTS, Measurement, verdict

__all__ = [
    "load_results",
    "run_scale",
    "table",
    "format_value",
    "html_table",
    "COLOURS",
    "summary_sentence",
]

#: One colour per verdict (colour-blind-safe pastel: green, red, blue, orange, grey, teal, white).
COLOURS = {
    "reproduced": "#cfe8cf",
    "not reproduced": "#f4c7c3",
    "not comparable": "#d5e3f5",
    "inconsistent in the paper": "#fbd9a6",
    "not testable here": "#e3e3e3",
    "adopted": "#d9efec",
    "not yet tested": "#ffffff",
}


def format_value(value: float | None) -> str:
    """A claim value for the page: thousands grouped, two decimals at most, three below 10, and
    four significant digits below 1 (so an AUC of 0.99987 does not read as 1).

    >>> format_value(124494.0), format_value(841.506), format_value(2.5), format_value(0.9881)
    ('124,494', '841.51', '2.5', '0.9881')
    >>> format_value(0.99987), format_value(0.962), format_value(None)
    ('0.9999', '0.962', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if 0 < abs(value) < 1:
        return f"{value:.4g}"
    text = f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_results(results_dir: Path, profile: str) -> list[dict]:
    """Every chapter's results file of ``profile`` under ``results_dir``."""
    found = []
    for path in sorted(Path(results_dir).glob(f"*/{profile}.json")):
        found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


def run_scale(results: dict) -> str:
    """The profile a chapter's results were measured at, as the verdicts read it: a run whose
    size parameters were changed from its profile's is named so (a ``full`` run with a shrunk
    network is not the full-scale experiment, so it can test no full-scale claim).

    >>> run_scale({"profile": "full", "resized": {"epochs": 1, "seeds": 1}})
    'full, resized (epochs=1, seeds=1)'
    >>> run_scale({"profile": "quick", "resized": {}})
    'quick'
    """
    profile = results.get("profile", "")
    changed = results.get("resized")
    if changed is None:  # written before runs recorded it: compare with the profile's sizes
        changed = _resized_from_parameters(results)
    if not changed:
        return profile
    return f"{profile}, resized ({', '.join(f'{k}={v}' for k, v in changed.items())})"


def _resized_from_parameters(results: dict) -> dict:
    from .profiles import CHAPTERS, resized, resolve

    chapter = CHAPTERS.get(results.get("chapter"))
    if chapter is None or results.get("profile") not in chapter.sizes:
        return {}
    given = results.get("parameters") or {}
    known = {name: value for name, value in given.items() if name in chapter.params}
    return resized(resolve(chapter.id, profile=results["profile"], overrides=known))


def _measurement(entry: dict, results: dict) -> Measurement:
    ci = entry.get("ci")
    return Measurement(
        ours=entry.get("ours"),
        profile=run_scale(results),
        data_source=entry.get("data_source") or results.get("data_source", "real"),
        ci=tuple(ci) if ci else None,
        n=int(entry.get("n", 1)),
        comparable=entry.get("comparable", True),
        remedy=entry.get("remedy", ""),
        testable=entry.get("testable", True),
    )


def table(results: list[dict]) -> pd.DataFrame:
    """One row per claim: the paper's value beside ours, the verdict and why, where measured."""
    recorded: dict[str, tuple[dict, dict]] = {}
    problems: dict[str, list[str]] = {}
    checked_at: dict[str, str] = {}  # claim -> "<chapter>#<anchor>" of its first failed check
    for res in results:
        for entry in res.get("claims", []):
            recorded[entry["id"]] = (entry, res)
        for check in res.get("checks", []):
            if check.get("testable", True) and not check.get("consistent", True):
                for claim_id in check["claims"]:
                    problems.setdefault(claim_id, []).append(check["finding"])
                    if check.get("anchor"):
                        checked_at.setdefault(claim_id, f"{res['chapter']}#{check['anchor']}")
    rows = []
    for claim in claims.all_claims().values():
        entry, res = recorded.get(claim.id, (None, None))
        via = ""
        if entry is None and claim.restates in recorded:
            entry, res = recorded[claim.restates]
            via = f"restates {claim.restates}"
        measured = _measurement(entry, res) if entry else None
        # a number printed again is as contradicted as the number it repeats
        flagged = claim.id if claim.id in problems else claim.restates
        name, why = verdict(claim, measured, inconsistency="; ".join(problems.get(flagged, [])))
        chapter = res["chapter"] if res else claim.tested_by
        rows.append(
            {
                "claim": claim.id,
                "paper": claim.paper,
                "where": claim.source,
                "what": claim.what,
                "paper value": claim.value,
                "±": claim.pm,
                "ours": measured.ours if measured else None,
                "ours 95 % CI": measured.ci if measured else None,
                "runs": measured.n if measured else 0,
                "unit": claim.unit,
                "chapter": chapter,
                "anchor": "claim-" + (entry["id"] if entry else claim.id).replace(".", "-"),
                "measured": entry is not None,
                "profile": run_scale(res) if res else "",
                "data": measured.data_source if measured else "",
                "verdict": name,
                "check": checked_at.get(flagged, "") if flagged in problems else "",
                "why": "; ".join(
                    p for p in (why, via, entry.get("note", "") if entry else "") if p
                ),
            }
        )
    return pd.DataFrame(rows)


def summary_sentence(claims_table: pd.DataFrame, paper: str, *, places: int = 3) -> str:
    """One computed paragraph: how many of a paper's claims hold, fail, or cannot be tested, and
    where (the ``places`` tables or sections with most claims of each verdict).

    >>> t = pd.DataFrame({"paper": ["P"] * 3, "where": ["Table 1", "Table 1", "§2"],
    ...                   "verdict": ["reproduced", "reproduced", "inconsistent in the paper"]})
    >>> print(summary_sentence(t, "P"))  # doctest: +NORMALIZE_WHITESPACE
    Of P's 3 quantitative claims, 3 have a verdict in this build. What holds: 2 are reproduced
    (Table 1: 2) and 0 are settings the book uses as stated. What does not: 0 are not
    reproduced, and 1 contradict the paper's own numbers (§2: 1). Open: 0 were measured in a
    setting that cannot test them (the row says what would), 0 cannot be tested here (no
    legible value, or absent data or hardware), and 0 await a chapter.
    """
    part = claims_table[claims_table.paper == paper]
    counts = part.verdict.value_counts()
    total = len(part)

    def n(name: str) -> int:
        return int(counts.get(name, 0))

    def where(name: str) -> str:
        found = part[part.verdict == name]["where"].value_counts()
        if found.empty:
            return ""
        top = ", ".join(f"{w}: {k}" for w, k in found.head(places).items())
        rest = len(found) - places
        more = f", and {rest} more place{'s' if rest > 1 else ''}" if rest > 0 else ""
        return f" ({top}{more})"

    tested = total - n("not yet tested")
    return " ".join(
        [
            f"Of {paper}'s {total} quantitative claims, {tested} have a verdict in this build.",
            f"What holds: {n('reproduced')} are reproduced{where('reproduced')} and "
            f"{n('adopted')} are settings the book uses as stated{where('adopted')}.",
            f"What does not: {n('not reproduced')} are not reproduced{where('not reproduced')}, "
            f"and {n('inconsistent in the paper')} contradict the paper's own numbers"
            f"{where('inconsistent in the paper')}.",
            f"Open: {n('not comparable')} were measured in a setting that cannot test them (the "
            f"row says what would), {n('not testable here')} cannot be tested here (no legible "
            f"value, or absent data or hardware), and {n('not yet tested')} await a chapter.",
        ]
    )


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, tuple):
        return f"[{format_value(value[0])}, {format_value(value[1])}]"
    return format_value(float(value))


_SCRIPT = """
<script>
(function () {
  const root = document.currentScript.previousElementSibling;
  const rows = Array.from(root.querySelectorAll("tbody tr"));
  const selects = root.querySelectorAll("select[data-key]");
  const search = root.querySelector("input[type=search]");
  const count = root.querySelector(".qpdm-count");
  function apply() {
    const text = search.value.toLowerCase();
    let shown = 0;
    rows.forEach(function (row) {
      let ok = row.textContent.toLowerCase().includes(text);
      selects.forEach(function (s) { if (s.value && row.dataset[s.dataset.key] !== s.value) ok = false; });
      row.style.display = ok ? "" : "none";
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " claims shown";
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  root.querySelectorAll("th[data-col]").forEach(function (th) {
    th.style.cursor = "pointer";
    th.addEventListener("click", function () {
      const col = Number(th.dataset.col), asc = th.dataset.asc !== "1";
      th.dataset.asc = asc ? "1" : "0";
      const body = root.querySelector("tbody");
      rows.sort(function (a, b) {
        const x = a.children[col].dataset.sort || a.children[col].textContent;
        const y = b.children[col].dataset.sort || b.children[col].textContent;
        const nx = parseFloat(x), ny = parseFloat(y);
        const c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      }).forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
</script>
"""


def _verdict_cell(name: str, check: str, chapters: set[str]) -> str:
    """The verdict in bold; an inconsistency links to the check that found it."""
    text = f"<strong>{html.escape(name)}</strong>"
    chapter, _, anchor = (check or "").partition("#")
    if chapter and chapter in chapters:
        return f'<a href="{html.escape(f"{chapter}.html#{anchor}")}">{text}</a>'
    return text


def html_table(claims_table: pd.DataFrame, *, chapters: set[str]) -> str:
    """The ledger as an HTML table with filters (paper, table, verdict, chapter), free-text
    search and sortable columns; each row links to where its value was measured, and an
    inconsistent verdict to the check that found it.

    ``chapters`` are the chapter ids of the book, so a link never points at a missing page.
    """

    def options(key: str, values: list[str]) -> str:
        opts = "".join(
            f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values
        )
        return (
            f'<label>{key} <select data-key="{key}"><option value="">all</option>{opts}</select>'
            "</label> "
        )

    tables = sorted({w for w in claims_table["where"]}, key=lambda w: (len(w), w))
    controls = (
        '<div class="qpdm-filters">'
        + options("paper", sorted(claims_table.paper.unique()))
        + options("where", tables)
        + options("verdict", [v for v in VERDICTS if v in set(claims_table.verdict)])
        + options("chapter", sorted(claims_table.chapter.unique()))
        + '<input type="search" placeholder="search claims" aria-label="search claims"> '
        + '<span class="qpdm-count"></span></div>'
    )
    heads = ["claim", "where", "what", "paper's value", "±", "ours (this build)", "ours 95 % CI",
             "runs", "unit", "verdict", "why", "chapter"]  # fmt: skip
    head = "".join(f'<th data-col="{k}">{html.escape(h)}</th>' for k, h in enumerate(heads))
    body = []
    for r in claims_table.to_dict("records"):
        link = html.escape(r["chapter"])
        if r["chapter"] in chapters:
            target = f"{r['chapter']}.html" + (f"#{r['anchor']}" if r["measured"] else "")
            link = f'<a href="{html.escape(target)}">{link}</a>'
        paper_value = r["paper value"]
        cells = [
            f"<code>{html.escape(r['claim'])}</code>",
            html.escape(r["where"]),
            html.escape(r["what"]),
            f'<td data-sort="{paper_value if paper_value is not None else ""}">{_cell(paper_value)}',
            _cell(r["±"]),
            _cell(r["ours"]),
            _cell(r["ours 95 % CI"]),
            str(r["runs"] or ""),
            html.escape(r["unit"]),
            _verdict_cell(r["verdict"], r.get("check", ""), chapters),
            html.escape(r["why"]),
            link,
        ]
        tds = "".join((c if c.startswith("<td") else f"<td>{c}") + "</td>" for c in cells)
        attrs = " ".join(
            f'data-{k}="{html.escape(str(r[k]))}"' for k in ("paper", "where", "verdict", "chapter")
        )
        colour = COLOURS[r["verdict"]]
        body.append(f'<tr {attrs} style="background:{colour}">{tds}</tr>')
    return (
        '<div class="qpdm-ledger">' + controls
        + '<table class="qpdm-ledger-table"><thead><tr>' + head + "</tr></thead><tbody>"
        + "".join(body) + "</tbody></table></div>" + _SCRIPT
    )  # fmt: skip
