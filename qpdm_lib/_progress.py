"""A side channel for progress: a chapter's long loops tell the console, not the page.

Under ``qpdm run`` the runner sets ``QPDM_PROGRESS`` to a file and shows its last line on the
terminal while the chapter runs (which chapter, which cell, elapsed time, and this message). In
a notebook opened by hand, or in the tests, :func:`report` does nothing: the rendered page never
shows progress bars.
"""

from __future__ import annotations

import os

__all__ = ["ENV", "report"]

ENV = "QPDM_PROGRESS"


def report(message: str) -> None:
    """Tell the console what the chapter is doing now (one short line)."""
    path = os.environ.get(ENV)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(message.replace("\n", " ").strip() + "\n")
    except OSError:  # progress is a courtesy: never let it break a run
        pass
