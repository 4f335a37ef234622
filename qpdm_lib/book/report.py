"""What a chapter reports: its data sources, metrics and claims, for the runner to save.

A chapter makes one :class:`Recorder` after its config cell and calls :meth:`Recorder.save` in
its last cell. Under ``qpdm run`` the runner points ``QPDM_RESULTS_SINK`` at a temporary file and
turns what was saved into the chapter's results file; run by hand, ``save`` only returns the
payload, so a notebook opened in Jupyter writes nothing anywhere.
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
from pathlib import Path
from typing import Any

from .._io import atomic_write_json
from .ledger import get_claim

__all__ = ["Recorder", "banner", "note", "SINK_ENV"]

SINK_ENV = "QPDM_RESULTS_SINK"


class _HTML:
    """Rich output with an HTML and a plain-text form (no IPython import needed to build it)."""

    def __init__(self, html_text: str, text: str) -> None:
        self._html, self._text = html_text, text

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return self._text


def banner(source: Any) -> _HTML | None:
    """A visible warning box for a page fed by synthetic data; ``None`` for real data."""
    if getattr(source, "is_real", True):
        return None
    reason = html.escape(source.note or "synthetic data requested")
    text = (
        f"SYNTHETIC DATA: {source.dataset} is not the real dataset on this page. "
        f"Numbers below describe physics-based synthetic files, not {source.dataset}. ({source.note})"
    )
    box = (
        '<div class="admonition warning" style="border-left:6px solid #d9534f;'
        'background:#fdf2f2;padding:0.6em 1em;margin:1em 0">'
        '<p class="admonition-title" style="font-weight:bold">Synthetic data: '
        f"{html.escape(source.dataset)}</p>"
        f"<p>The real <code>{html.escape(source.dataset)}</code> files were not available, so this "
        "page ran on physics-based synthetic files written in the original format. Its numbers "
        "say nothing about the paper's claims and the ledger marks them <em>synthetic</em>. "
        f"Why: {reason}</p>"
        "<p>To use the real data, set <code>QPDM_DATA_DIR</code> to a folder holding it "
        "(see the README) and rebuild.</p></div>"
    )
    return _HTML(box, text)


def note(title: str, text: str) -> _HTML:
    """A visible note box (for a fallback the reader must know about)."""
    box = (
        '<div class="admonition note" style="border-left:6px solid #f0ad4e;background:#fcf8f2;'
        f'padding:0.6em 1em;margin:1em 0"><p class="admonition-title" style="font-weight:bold">'
        f"{html.escape(title)}</p><p>{html.escape(text)}</p></div>"
    )
    return _HTML(box, f"NOTE: {title}: {text}")


class Recorder:
    """Collects a chapter's data sources, metrics and claims."""

    def __init__(self, chapter: str, config: Any) -> None:
        self.chapter = chapter
        self.config = config
        self.sources: dict[str, str] = {}
        self.metrics: dict[str, float] = {}
        self.claims: list[dict[str, Any]] = []

    def source(self, source: Any, *, label: str | None = None) -> _HTML | None:
        """Record a dataset's source under ``label`` (default: the dataset's name).

        Returns the banner to display when it is synthetic. Use a label when a chapter opens the
        same dataset more than once (C-MAPSS subsets), so one source does not hide another.
        """
        self.sources[label or source.dataset] = source.kind
        return banner(source)

    def metric(self, name: str, value: float) -> float:
        """Record a number the chapter reports; returns it for inline use."""
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"metric {name!r} is NaN: fix the computation, do not record it")
        self.metrics[name] = value
        return value

    def claim(
        self, claim_id: str, ours: float, *, dataset: str | None = None, note: str = ""
    ) -> float:
        """Record our value for a ledger claim, measured on ``dataset`` (default: all sources)."""
        claim = get_claim(claim_id)  # fails on a typo rather than recording a claim nobody lists
        kind = self.sources.get(dataset) if dataset else self.data_source
        self.claims.append(
            {
                "id": claim.id,
                "paper": claim.value,
                "ours": float(ours),
                "data_source": kind,
                "note": note,
            }
        )
        return float(ours)

    @property
    def data_source(self) -> str:
        """``real`` when every dataset used was real, else ``synthetic``."""
        kinds = set(self.sources.values())
        return "real" if kinds == {"real"} else "synthetic"

    def payload(self) -> dict[str, Any]:
        return {
            "chapter": self.chapter,
            "parameters": dataclasses.asdict(self.config)
            if dataclasses.is_dataclass(self.config)
            else {},
            "data_source": self.data_source,
            "data_sources": self.sources,
            "metrics": self.metrics,
            "claims": self.claims,
        }

    def save(self) -> dict[str, Any]:
        """Hand the results to the runner (when run by it); returns the payload."""
        payload = self.payload()
        sink = os.environ.get(SINK_ENV)
        if sink:
            atomic_write_json(Path(sink), payload)
        return payload
