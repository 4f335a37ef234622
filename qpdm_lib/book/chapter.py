"""The one prologue every chapter starts with.

A chapter's ``parameters`` cell holds literals (``None`` meaning "the profile's value"); papermill
may inject others after it. The next cell is always

>>> cfg, rec = start("data", {"profile": "smoke", "seed": 3})   # doctest: +SKIP

which validates every parameter (one clear line on a bad value), freezes them into ``cfg``, makes
the :class:`~qpdm_lib.book.report.Recorder` that collects the chapter's data sources, metrics,
claims and glued numbers, and shows the reader one compact table of the run's parameters (the
raw parameter cells are hidden in the built book).
"""

from __future__ import annotations

import dataclasses
import html
import warnings
from collections.abc import Mapping
from typing import Any

from .profiles import chapter_of, get_chapter, resolve
from .report import Recorder, RichText, show

__all__ = ["start", "parameter_table"]


def start(chapter_id: str, namespace: Mapping[str, Any]) -> tuple[Any, Recorder]:
    """Validated, frozen config and the recorder of chapter ``chapter_id``.

    ``namespace`` is the notebook's ``globals()``: every parameter of the chapter found there is
    taken (``None`` keeps the profile's value); ``profile`` chooses the profile.
    """
    chapter = get_chapter(chapter_id)
    overrides = {
        name: namespace[name]
        for name in chapter.params
        if name != "profile" and name in namespace and namespace[name] is not None
    }
    cfg = resolve(chapter_id, profile=namespace.get("profile", "quick"), overrides=overrides)
    rec = Recorder(chapter_id, cfg)
    # the synthetic-data banners say it louder than a warning would
    warnings.filterwarnings("ignore", message=".*using synthetic data.*")
    show(parameter_table(cfg))
    return cfg, rec


def parameter_table(cfg: Any) -> RichText:
    """This run's parameters as a compact table: name, value, and whether it is the profile's."""
    chapter = chapter_of(cfg)
    defaults = dataclasses.asdict(resolve(chapter.id, profile=cfg.profile))
    values = dataclasses.asdict(cfg)
    cells, text = [], []
    for name, spec in chapter.params.items():
        value = values[name]
        changed = value != defaults[name]
        mark = " <em>(set for this run)</em>" if changed else ""
        cells.append(
            f"<tr><td><code>{html.escape(name)}</code></td>"
            f"<td><strong>{html.escape(str(value))}</strong>{mark}</td>"
            f"<td>{html.escape(spec.help)}</td></tr>"
        )
        text.append(f"{name} = {value!r}" + (" (set for this run)" if changed else ""))
    table = (
        '<details class="qpdm-parameters" open><summary>This run: '
        f"<code>{html.escape(chapter.id)}</code> in the <strong>{html.escape(cfg.profile)}</strong> "
        "profile (parameters)</summary>"
        '<table class="qpdm-parameters"><thead><tr><th>parameter</th><th>value</th>'
        "<th>meaning</th></tr></thead><tbody>" + "".join(cells) + "</tbody></table>"
        "<p>Re-run with other values: <code>qpdm run "
        f"{html.escape(chapter.id)} --profile {html.escape(cfg.profile)} -p name=value</code>.</p>"
        "</details>"
    )
    return RichText(table, "\n".join(text))
