"""Tables a chapter shows beside the paper's: our rows, and the paper's rows from the claims data.

A paper's number never reaches a page typed into a notebook: :func:`beside_paper` reads it from
:mod:`qpdm_lib.claims` and puts it in a row labelled as the paper's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .. import claims

__all__ = ["beside_paper", "paper_rows", "mean_sd"]


def paper_rows(rows: Mapping[str, str], quantities: Sequence[str]) -> pd.DataFrame:
    """The paper's values: one row per ``label -> claim-id prefix``, one column per quantity.

    A quantity the paper does not print for that row is NaN.
    """
    data = {label: claims.paper_row(prefix, quantities) for label, prefix in rows.items()}
    return pd.DataFrame(data, index=list(quantities), dtype=float).T


def beside_paper(
    ours: pd.DataFrame,
    paper: Mapping[str, str],
    *,
    columns: Mapping[str, str] | None = None,
    prefix: str = "ours: ",
) -> pd.DataFrame:
    """Our table (rows: methods, columns: quantities) under the paper's rows.

    ``paper`` maps each of the paper's row labels to a claim-id prefix (``"qaql.t6.fd001.qaql"``);
    ``columns`` maps our column names to the claims' quantity slugs (default: lower-case names).
    """
    columns = dict(columns or {c: str(c).lower() for c in ours.columns})
    theirs = paper_rows(paper, list(columns.values()))
    theirs.columns = list(columns)
    mine = ours[list(columns)].copy()
    mine.index = [f"{prefix}{name}" for name in mine.index]
    return pd.concat([theirs, mine])


def mean_sd(
    runs: pd.DataFrame, by: str | Sequence[str], columns: Sequence[str], *, digits: int = 2
) -> pd.DataFrame:
    """``mean ± SD`` over the runs of each group, as text (the mean alone for a single run).

    >>> t = pd.DataFrame({"model": ["a", "a", "b"], "acc": [90.0, 92.0, 80.0]})
    >>> mean_sd(t, "model", ["acc"], digits=1).to_dict("list")
    {'acc': ['91.0 ± 1.4', '80.0']}
    """
    grouped = runs.groupby(by, sort=False)[list(columns)]
    mean, sd, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    text = mean.map(lambda v: f"{v:.{digits}f}")
    spread = sd.map(lambda v: f" ± {v:.{digits}f}")
    return text + spread.where(count > 1, "")
