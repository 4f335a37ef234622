"""What a chapter reports: its data sources, metrics, claims and glued numbers.

A chapter gets one :class:`Recorder` from :func:`qpdm_lib.book.chapter.start` and calls
:meth:`Recorder.save` in its last cell. Under ``qpdm run`` the runner points
``QPDM_RESULTS_SINK`` at a temporary file and turns what was saved into the chapter's results
file; run by hand, ``save`` only returns the payload, so a notebook opened in Jupyter writes
nothing anywhere.

Prose never types a number the chapter computes: :meth:`Recorder.glue` hands it to myst-nb, and
the text says ``{glue:text}`key:.1f```. Where a sentence states a conclusion that a different run
could reverse, the chapter glues the phrase it computed, or guards the sentence with
:meth:`Recorder.guard`, which stops the build when the data no longer say what the text says.
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._io import atomic_write_json
from ..errors import QPDMError

__all__ = ["Recorder", "GuardError", "RichText", "banner", "note", "show", "SINK_ENV"]

SINK_ENV = "QPDM_RESULTS_SINK"


class GuardError(QPDMError):
    """A sentence of the chapter no longer holds for the numbers this run computed."""


class RichText:
    """Rich output with an HTML and a plain-text form (no IPython import needed to build it)."""

    def __init__(self, html_text: str, text: str) -> None:
        self._html, self._text = html_text, text

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return self._text


def banner(source: Any) -> RichText | None:
    """A visible warning box for a page fed by synthetic data; ``None`` for real data."""
    if getattr(source, "is_real", True):
        return None
    reason = html.escape(source.note or "synthetic data requested")
    text = (
        f"SYNTHETIC DATA: {source.dataset} is not the real dataset on this page. "
        f"Numbers below describe physics-based synthetic files, not {source.dataset}. ({source.note})"
    )
    box = (
        '<div class="admonition warning qpdm-synthetic" style="border-left:6px solid #d9534f;'
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
    return RichText(box, text)


def note(title: str, text: str) -> RichText:
    """A visible note box (for a fallback the reader must know about)."""
    box = (
        '<div class="admonition note" style="border-left:6px solid #f0ad4e;background:#fcf8f2;'
        f'padding:0.6em 1em;margin:1em 0"><p class="admonition-title" style="font-weight:bold">'
        f"{html.escape(title)}</p><p>{html.escape(text)}</p></div>"
    )
    return RichText(box, f"NOTE: {title}: {text}")


def show(obj: Any) -> None:
    if obj is None:
        return
    try:
        from IPython.display import display
    except ImportError:
        return
    display(obj)


def _label(dataset: str, subset: str) -> str:
    """A source's label: the dataset, or ``"cmapss FD003"`` for a C-MAPSS subset other than
    FD001 (so a synthetic subset cannot hide behind a real one)."""
    return f"cmapss {subset}" if dataset == "cmapss" and subset != "FD001" else dataset


def _combined(kinds: set[str]) -> str:
    """``real`` when every source is real, else ``synthetic``."""
    return "real" if kinds == {"real"} else "synthetic"


class Recorder:
    """Collects a chapter's data sources, metrics, claims and glued keys."""

    def __init__(self, chapter: str, config: Any) -> None:
        self.chapter = chapter
        self.config = config
        self.sources: dict[str, str] = {}
        self.missing: dict[str, list[str]] = {}  # dataset label -> expected files absent
        self.left_out: dict[str, str] = {}  # dataset label -> why it was left out (open_real)
        self.metrics: dict[str, float] = {}
        self.claims: list[dict[str, Any]] = []
        self.glued: dict[str, Any] = {}
        self.console: list[str] = []  # notes the runner prints on the reader's terminal
        self.effective: dict[str, Any] = {}  # parameters whose value this run had to change
        self.grids: list[dict[str, Any]] = []  # the run grids of the chapter: computed, reused
        self.checks: list[dict[str, Any]] = []  # forensic checks of the papers against themselves

    # --- data ------------------------------------------------------------------------------
    def open(self, dataset: str, *, subset: str = "FD001", label: str | None = None) -> Any:
        """Open ``dataset`` in the chapter's data mode, record it, and show its banner.

        Uses ``config.data`` and ``config.seed``; a C-MAPSS ``subset`` other than FD001 is
        recorded under its own label (``"cmapss FD003"``) so a synthetic subset cannot hide
        behind a real one.
        """
        from ..data import open_source

        source = open_source(
            dataset, getattr(self.config, "data", "auto"), seed=self.config.seed, subset=subset
        )
        show(self.source(source, label=label or _label(dataset, subset)))
        return source

    def open_real(self, dataset: str, *, subset: str = "FD001") -> Any | None:
        """Open ``dataset``'s real files, or leave it out: ``None``, a note on the page, a line
        on the console and ``left_out`` in the results; never a synthetic stand-in.

        For a dataset a run can do without (the ``full`` profile's extra C-MAPSS subsets): a
        stand-in there would make the chapter's data synthetic while its numbers come from real
        files. With ``data=synthetic`` the stand-in is what was asked for and is opened.
        """
        from ..data import open_source
        from ..errors import DataMissingError

        if getattr(self.config, "data", "auto") == "synthetic":
            return self.open(dataset, subset=subset)
        label = _label(dataset, subset)
        try:
            source = open_source(dataset, "real", seed=self.config.seed, subset=subset)
        except DataMissingError as exc:
            self.left_out[label] = str(exc)
            self.console.append(f"{label} left out: its real files are absent")
            show(note(f"{label}: left out", f"Its real files are absent and no stand-in runs in "
                      f"its place: {exc}"))  # fmt: skip
            return None
        show(self.source(source, label=label))
        return source

    def source(self, source: Any, *, label: str | None = None) -> RichText | None:
        """Record a dataset's source under ``label`` (default: the dataset's name).

        Returns the banner to display when it is synthetic. Expected files that were absent
        (``source.missing``) are recorded and shown in a note.
        """
        key = label or source.dataset
        self.sources[key] = source.kind
        absent = list(getattr(source, "missing", ()) or ())
        if absent:
            self.missing[key] = absent
            show(
                note(
                    f"{key}: {len(absent)} expected file(s) absent",
                    "This page ran without " + ", ".join(absent) + "; every number below is "
                    "computed from the files that were present.",
                )
            )
        return banner(source)

    @property
    def data_source(self) -> str:
        """``real`` when every dataset used was real, ``synthetic`` when any was not, and
        ``none`` for a chapter that reads no dataset."""
        return _combined(set(self.sources.values())) if self.sources else "none"

    def fallback(self, parameter: str, used: Any, why: str) -> None:
        """Record that ``parameter`` ran as ``used`` instead of the value asked for, and why.

        The page shows a note box; the results file keeps the value actually used under
        ``effective_parameters``; ``qpdm run`` prints the note on the console.
        """
        asked = getattr(self.config, parameter, None)
        self.effective[parameter] = used
        message = f"{parameter}={asked!r} ran as {used!r}: {why}"
        self.console.append(message)
        show(note(f"{parameter} changed for this run", message))

    # --- numbers ---------------------------------------------------------------------------
    def metric(self, name: str, value: float) -> float:
        """Record a number the chapter reports; returns it for inline use."""
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"metric {name!r} is NaN: fix the computation, do not record it")
        self.metrics[name] = value
        return value

    def glue(self, key: str, value: Any, *, metric: bool = False) -> Any:
        """Hand ``value`` to myst-nb under ``key`` so the prose can cite it; returns it.

        The text uses ``{glue:text}`key``` (with a format spec for numbers, e.g.
        ``{glue:text}`rmse:.1f```). ``metric=True`` also records a number as a metric.
        """
        if key in self.glued:
            raise ValueError(f"glue key {key!r} used twice in chapter {self.chapter!r}")
        if hasattr(value, "item") and not isinstance(value, str):
            value = value.item()  # numpy scalar -> Python number, so format specs work
        if metric:
            self.metric(key, value)
        self.glued[key] = value
        try:
            from myst_nb import glue
        except ImportError:  # outside the book environment: nothing to glue into
            return value
        glue(key, value, display=False)
        return value

    def guard(self, condition: bool, sentence: str) -> None:
        """Stop when ``condition`` is false: the prose's ``sentence`` no longer holds."""
        if not condition:
            raise GuardError(
                f"chapter {self.chapter!r}: the text says {sentence!r}, which this run's numbers "
                "contradict; change the text (glue the phrase) or find out what changed"
            )

    def claim(
        self,
        claim_id: str,
        ours: float,
        *,
        dataset: str | Sequence[str] | None = None,
        note: str = "",
        ci: tuple[float, float] | None = None,
        n: int = 1,
        comparable: bool = True,
        remedy: str = "",
    ) -> float:
        """Record our value for a claim of the papers (ids from :mod:`qpdm_lib.claims`).

        ``dataset`` names the source it was measured on, or several (real only when all are;
        default: all the chapter's sources);
        ``ci`` is our 95 % interval over ``n`` runs where there are several; ``comparable=False``
        says the measurement exists but cannot test the claim (other hardware, an undefined
        quantity), with ``remedy`` saying what would make it comparable.
        """
        from .. import claims

        claim = claims.get(claim_id)  # fails on a typo rather than recording a claim nobody lists
        ours = float(ours)
        if math.isnan(ours):
            raise ValueError(f"claim {claim_id!r}: our value is NaN")
        names = [dataset] if isinstance(dataset, str) else list(dataset or ())
        for name in names:
            if name not in self.sources:
                raise ValueError(f"claim {claim_id!r}: dataset {name!r} was never opened")
        kind = _combined({self.sources[name] for name in names}) if names else self.data_source
        self._add(
            {
                "id": claim.id,
                "paper": claim.value,
                "ours": ours,
                "data_source": kind,
                "note": note,
                "ci": [float(ci[0]), float(ci[1])] if ci is not None else None,
                "n": int(n),
                "comparable": bool(comparable),
                "remedy": remedy,
                "testable": True,
            }
        )
        return ours

    def untestable(self, claim_id: str, reason: str) -> None:
        """Record that this chapter cannot test a claim here, and why (absent data, hardware)."""
        from .. import claims

        claim = claims.get(claim_id)
        self._add(
            {"id": claim.id, "paper": claim.value, "ours": None, "data_source": self.data_source,
             "note": reason, "ci": None, "n": 0, "comparable": False, "remedy": reason,
             "testable": False}
        )  # fmt: skip

    def check(self, check: Any, *, anchor: str | None = None) -> Any:
        """Record a forensic check (:class:`qpdm_lib.claims.forensics.Check`); returns it.

        The ledger marks the claims of an inconsistent check (``check.marked``: the numbers that
        contradict each other, not those it only reads) ``inconsistent in the paper`` and links
        them to ``anchor`` on this chapter's page (default ``check-<name>``, dots as dashes), so
        the page must carry an element with that id.
        """
        from .. import claims

        for claim_id in check.claims:
            claims.get(claim_id)  # a typo fails here, not as a silent ledger row
        if any(c["name"] == check.name for c in self.checks):
            raise ValueError(f"check {check.name!r} recorded twice in chapter {self.chapter!r}")
        marked = getattr(check, "marked", check.claims)
        self.checks.append(
            {"name": check.name, "claims": list(marked), "inputs": list(check.claims),
             "verdict": check.verdict,
             "consistent": bool(check.consistent), "testable": bool(check.testable),
             "finding": check.finding,
             "anchor": anchor or "check-" + check.name.replace(".", "-")}
        )  # fmt: skip
        return check

    def _add(self, entry: dict[str, Any]) -> None:
        from .. import claims

        owner = claims.get(entry["id"]).tested_by
        if owner != self.chapter and self.chapter is not None:
            raise ValueError(
                f"claim {entry['id']!r} is tested by chapter {owner!r}, not {self.chapter!r} "
                "(its tested_by in qpdm_lib/claims)"
            )
        if any(c["id"] == entry["id"] for c in self.claims):
            raise ValueError(f"claim {entry['id']!r} recorded twice in chapter {self.chapter!r}")
        self.claims.append(entry)
        # an anchor where the claim was measured, so the ledger can link to this very spot
        anchor = "claim-" + entry["id"].replace(".", "-")
        show(RichText(f'<span id="{anchor}" class="qpdm-anchor"></span>', ""))

    # --- output ----------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        return {
            "chapter": self.chapter,
            "parameters": dataclasses.asdict(self.config)
            if dataclasses.is_dataclass(self.config)
            else {},
            "data_source": self.data_source,
            "data_sources": self.sources,
            "missing_files": self.missing,
            "left_out": self.left_out,
            "metrics": self.metrics,
            "claims": self.claims,
            "glued": sorted(self.glued),
            "console": self.console,
            "effective_parameters": self.effective,
            "grids": self.grids,
            "checks": self.checks,
        }

    def save(self) -> dict[str, Any]:
        """Hand the results to the runner (when run by it); returns the payload."""
        payload = self.payload()
        sink = os.environ.get(SINK_ENV)
        # the runner made the sink's folder; if it is gone the run was interrupted and cleaned
        # up, and writing would create the folder again and leave it behind
        if sink and Path(sink).parent.is_dir():
            atomic_write_json(Path(sink), payload)
        return payload
