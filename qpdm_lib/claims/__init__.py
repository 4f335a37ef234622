"""The papers' quantitative claims, as data.

Every number QEML-Net and QAQL print about their experiments is one row of
``qeml_net.csv`` or ``qaql.csv`` beside this file, transcribed table by table and reviewed like
code (``tests/claims`` checks the files and that no number of the papers' results sections is
missing). A chapter never types a paper's number: it asks for it here,

>>> value("qaql.t6.fd001.qaql.rmse")
20.86
>>> get("qeml.t3.qeml-net.acc").source
'Table 3'

and records its own measurement against the claim's id (:meth:`qpdm_lib.book.report.Recorder.claim`).
:mod:`qpdm_lib.claims.verdicts` turns a claim and a measurement into a verdict;
:mod:`qpdm_lib.claims.forensics` checks the papers' numbers against each other.

Columns: ``id, paper, source, kind, quantity, what, dataset, protocol, method, variant, value, pm,
unit, scale, tested_by, tolerance, legible, note, restates`` (see ``tests/claims``). ``restates``
links a number the paper prints again (abstract, conclusion, a second table) to the claim it
repeats, so one measurement answers all of them.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "Claim",
    "FILES",
    "KINDS",
    "UNITS",
    "QAQL_DEFINED_METRICS",
    "all_claims",
    "get",
    "value",
    "select",
    "paper_row",
]

HERE = Path(__file__).resolve().parent
FILES = {"QEML-Net": HERE / "qeml_net.csv", "QAQL": HERE / "qaql.csv"}

KINDS = ("result", "statistic", "setting", "dataset", "hardware", "literature", "derived")
UNITS = (
    "%", "pp", "", "ms", "us", "s", "min", "FPS", "M", "cycles", "cycles2", "days", "days2",
    "windows", "samples", "files", "classes", "rows", "devices", "units", "sensors", "features",
    "qubits", "layers", "bins", "epochs", "trials", "seeds", "runs", "folds", "datasets",
    "methods", "comparisons", "Hz", "kHz", "rpm", "dB", "params", "GB", "count", "rank",
)  # fmt: skip

#: The RUL metrics of QAQL's tables that can be compared with ours: its MAPE's handling of RUL
#: 0, its RSE's normalisation and its MBD's sign are never defined (Table 5 lost its formulas).
QAQL_DEFINED_METRICS = ("MSE", "RMSE", "MAE")


class Claim(NamedTuple):
    """One printed number of a paper, with what it is about and how we test it."""

    id: str  # "<paper>.<where>.<subject>.<quantity>", e.g. "qaql.t6.fd001.qaql.rmse"
    paper: str  # "QEML-Net" or "QAQL"
    source: str  # where it is printed: "Table 3", "§4.1", "Abstract"
    kind: str  # one of KINDS
    quantity: str  # the metric, e.g. "accuracy", "rmse"
    what: str  # one line a reader understands without the paper
    dataset: str
    protocol: str
    method: str
    variant: str
    value: float | None  # as printed; None where the text is illegible or the cell empty
    pm: float | None  # the ± printed beside it
    unit: str
    scale: str  # "full": a claim about the papers' full-scale experiments; "any": facts, settings
    tested_by: str  # the chapter that tests it
    tolerance: float | None  # |ours − value| within this is "reproduced" (same unit)
    legible: bool
    note: str
    restates: str  # id of the claim this one repeats elsewhere in the paper ("" when none)

    @property
    def label(self) -> str:
        """The claim as a short phrase: method, variant, dataset and quantity."""
        parts = [self.method, self.variant, self.dataset, self.quantity]
        return ", ".join(p for p in parts if p)


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def _read(path: Path) -> list[Claim]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        out.append(
            Claim(
                id=row["id"], paper=row["paper"], source=row["source"], kind=row["kind"],
                quantity=row["quantity"], what=row["what"], dataset=row["dataset"],
                protocol=row["protocol"], method=row["method"], variant=row["variant"],
                value=_number(row["value"]), pm=_number(row["pm"]), unit=row["unit"],
                scale=row["scale"], tested_by=row["tested_by"],
                tolerance=_number(row["tolerance"]), legible=row["legible"] == "yes",
                note=row["note"], restates=row.get("restates", ""),
            )
        )  # fmt: skip
    return out


@functools.cache
def all_claims() -> dict[str, Claim]:
    """Every claim of both papers, by id, in reading order (QEML-Net first)."""
    claims: dict[str, Claim] = {}
    for path in FILES.values():
        for claim in _read(path):
            if claim.id in claims:
                raise ValueError(f"claim id {claim.id!r} appears twice in {path.name}")
            claims[claim.id] = claim
    return claims


def get(claim_id: str) -> Claim:
    """The claim with this id; an unknown id fails naming the closest ones."""
    claims = all_claims()
    try:
        return claims[claim_id]
    except KeyError:
        import difflib

        near = difflib.get_close_matches(claim_id, claims, n=3, cutoff=0.6)
        raise KeyError(
            f"unknown claim {claim_id!r}"
            + (f"; did you mean {', '.join(near)}?" if near else "")
            + " (see qpdm_lib/claims/*.csv)"
        ) from None


def value(claim_id: str) -> float:
    """The printed value of a claim; fails when the paper prints none (illegible or empty)."""
    claim = get(claim_id)
    if claim.value is None or (isinstance(claim.value, float) and math.isnan(claim.value)):
        raise ValueError(f"claim {claim_id!r} has no legible value in the paper ({claim.note})")
    return claim.value


def select(
    *,
    paper: str | None = None,
    source: str | None = None,
    tested_by: str | None = None,
    prefix: str | None = None,
) -> list[Claim]:
    """Claims matching every given field (``prefix`` matches the start of the id)."""
    return [
        c for c in all_claims().values()
        if (paper is None or c.paper == paper)
        and (source is None or c.source == source)
        and (tested_by is None or c.tested_by == tested_by)
        and (prefix is None or c.id.startswith(prefix))
    ]  # fmt: skip


def paper_row(prefix: str, quantities: Iterable[str]) -> dict[str, float | None]:
    """``{quantity: value}`` of the claims ``<prefix>.<quantity>`` (None where not printed).

    >>> paper_row("qaql.t6.fd001.qaql", ["mse", "rmse"])
    {'mse': 435.28, 'rmse': 20.86}
    """
    out = {}
    for quantity in quantities:
        claim = all_claims().get(f"{prefix}.{quantity}")
        out[quantity] = claim.value if claim is not None else None
    return out
