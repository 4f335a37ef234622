"""A Sphinx extension for the book's pages (listed in ``_config.yml``).

* Jupyter Book 1 registers sphinx-thebe's inline configuration script twice, so every page
  declared ``const THEBE_JS_URL`` twice and the browser reported a ``SyntaxError`` on load. This
  extension drops repeated scripts from each page: the same file, or the same inline body, once.
* It adds the book's stylesheet (``static/qpdm.css``): the compact parameter table at the top of
  each chapter, and the exercises' colour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STATIC = Path(__file__).with_name("static")

__all__ = ["setup", "unique_scripts"]


def _key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (
        str(getattr(script, "filename", script) or ""),
        tuple(sorted((k, str(v)) for k, v in attributes.items())),
    )


def unique_scripts(scripts: list) -> list:
    """``scripts`` without repeats, in their first order.

    >>> unique_scripts(["a.js", "b.js", "a.js"])
    ['a.js', 'b.js']
    """
    seen, kept = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(list(context["script_files"]))


def _static_path(app: Any) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _page_context, priority=900)  # after every other handler
    app.connect("builder-inited", _static_path)
    app.add_css_file("qpdm.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
