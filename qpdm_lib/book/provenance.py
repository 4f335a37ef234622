"""How each chapter of a build ran: profile, time, data, code and libraries.

The execution statistics page shows these tables. Everything comes from the results files the
runner writes beside each executed chapter (:func:`qpdm_lib.book.runner.run_chapter`); a field
that an older results file lacks shows as "not recorded" instead of failing the page.

Examples
--------
>>> duration_text(7.25), duration_text(65), duration_text(3725)
('7.2 s', '1 min 05 s', '1 h 02 min')
>>> commit_text({"sha": "f1e2571aa", "dirty": True})
'f1e2571 + local changes'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

__all__ = [
    "NOT_RECORDED",
    "duration_text",
    "commit_text",
    "ordered",
    "execution_table",
    "data_table",
    "versions_table",
]

NOT_RECORDED = "not recorded"


def duration_text(seconds: float | None) -> str:
    """A duration for people: seconds below a minute, then minutes, then hours."""
    if seconds is None:
        return NOT_RECORDED
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest:02d} s"
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min"


def commit_text(commit: dict[str, Any] | None) -> str:
    """The short commit, marked when tracked files differed from it."""
    if not commit or not commit.get("sha"):
        return NOT_RECORDED
    return commit["sha"][:7] + (" + local changes" if commit.get("dirty") else "")


def ordered(results: Sequence[dict], order: Sequence[str] = ()) -> list[dict]:
    """Results in the book's order (``order``: chapter ids), chapters not in it last."""
    rank = {chapter: k for k, chapter in enumerate(order)}
    return sorted(results, key=lambda r: (rank.get(r["chapter"], len(rank)), r["chapter"]))


def _data_text(res: dict) -> str:
    sources = res.get("data_sources") or {}
    if not sources:
        return "no dataset" if res.get("data_source", "none") == "none" else res["data_source"]
    return "; ".join(f"{name}: {kind}" for name, kind in sources.items())


def _data_kind(res: dict) -> str:
    """real, synthetic, real and synthetic (some datasets each way), or none."""
    kinds = set((res.get("data_sources") or {}).values())
    if not kinds:
        return "none" if res.get("data_source", "none") == "none" else res["data_source"]
    return " and ".join(sorted(kinds))


def _runs_text(res: dict) -> str:
    grids = res.get("grids") or []
    if not grids:
        return ""
    cells = sum(g.get("cells", 0) for g in grids)
    reused = sum(g.get("reused", 0) for g in grids)
    return f"{cells - reused} computed, {reused} reused"


def execution_table(results: Sequence[dict]) -> pd.DataFrame:
    """One row per chapter (by id): its title, profile, when it started, how long it took, its
    data (``data``: real, synthetic or both; ``datasets``: each dataset's), the runs of its grids
    (computed or reused from the run store), the commit and the machine."""
    rows = []
    for res in results:
        missing = sum(len(v) for v in (res.get("missing_files") or {}).values())
        rows.append(
            {
                "chapter": res["chapter"],
                "title": res.get("title", res["chapter"]),
                "profile": res.get("profile", NOT_RECORDED),
                "started": res.get("started", NOT_RECORDED).replace("T", " "),
                "duration": duration_text(res.get("duration_s")),
                "seconds": res.get("duration_s"),
                "data": _data_kind(res),
                "datasets": _data_text(res),
                "absent files": missing,
                "runs": _runs_text(res),
                "commit": commit_text(res.get("commit")),
                "machine": res.get("machine", NOT_RECORDED),
            }
        )
    columns = ["chapter", "title", "profile", "started", "duration", "seconds", "data",
               "datasets", "absent files", "runs", "commit", "machine"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).set_index("chapter")


def data_table(results: Sequence[dict]) -> pd.DataFrame:
    """Chapters × datasets: ``real`` or ``synthetic`` where the chapter read the dataset."""
    table = pd.DataFrame(
        {res["chapter"]: res.get("data_sources") or {} for res in results}
    ).T.reindex([res["chapter"] for res in results])
    return table.fillna("").rename_axis("chapter")


def versions_table(results: Sequence[dict]) -> pd.DataFrame:
    """Library versions: one ``version`` column when every chapter ran with the same ones,
    else one column per chapter, so a chapter run with another library stands out."""
    per_chapter = pd.DataFrame({res["chapter"]: res.get("versions") or {} for res in results})
    per_chapter = per_chapter.fillna(NOT_RECORDED).rename_axis("package")
    if per_chapter.empty:
        return pd.DataFrame(columns=["version"]).rename_axis("package")
    if (per_chapter.nunique(axis=1) == 1).all():
        return per_chapter.iloc[:, [0]].set_axis(["version"], axis=1)
    return per_chapter
