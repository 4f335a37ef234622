"""A chapter's run grid: the store under the results folder, the chapter's scheduler, failures.

:func:`run_grid` is what a chapter calls: it runs the cells on the chapter's scheduler (a local
Dask cluster by default; in-process in the ``smoke`` profile), keeps every finished cell in the
shared run store (``<results>/runs``, so the ablations and significance chapters reuse the QAQL
and hybrid-network runs), shows the cells that failed, and then stops the chapter, so
``qpdm run`` exits non-zero.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import QPDMError
from ..experiments import grid
from .report import Recorder, RichText, show
from .runner import results_dir

__all__ = ["run_grid", "store"]


_CLIENTS: dict[str, Any] = {}


def _client(scheduler: str) -> Any:
    """One Dask client per scheduler for the whole kernel, so the grids of a chapter share their
    workers, and with them the data each worker has already prepared."""
    if scheduler not in _CLIENTS:
        _CLIENTS[scheduler] = grid.client_for(scheduler or None)
        atexit.register(_close, scheduler)
    return _CLIENTS[scheduler]


def _close(scheduler: str) -> None:
    client = _CLIENTS.pop(scheduler, None)
    if client is not None:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()


def store() -> grid.RunStore:
    """The run store every chapter shares: ``<results>/runs``."""
    return grid.RunStore(results_dir() / "runs")


def run_grid(
    rec: Recorder,
    cells: Sequence[grid.Cell],
    fn: Callable[[dict], dict],
    *,
    code_modules: Sequence[str],
    data: str | Callable[[grid.Cell], str] = "",
    local: bool | None = None,
) -> grid.GridResult:
    """Run ``cells`` with ``fn`` for the chapter of ``rec``; stop the chapter if any failed."""
    config = rec.config
    local = getattr(config, "profile", "") == "smoke" if local is None else local
    scheduler = getattr(config, "scheduler", "") or ""
    result = grid.run(
        cells, fn, store=store(), code=grid.code_hash(*code_modules), data=data, local=local,
        client=lambda: _client(scheduler),
    )  # fmt: skip
    experiment = cells[0].experiment if cells else "grid"
    rec.grids.append(
        {"experiment": experiment, "cells": len(cells), "computed": result.computed,
         "reused": result.reused, "failed": len(result.failed), "seconds": result.seconds}
    )  # fmt: skip
    if result.failed:
        rows = "".join(
            f"<tr><td><code>{cell.label()}</code></td><td>{error}</td></tr>"
            for cell, error in result.failed
        )
        show(RichText(f'<table class="qpdm-failed"><tr><th>cell</th><th>error</th></tr>{rows}</table>',
                    f"{len(result.failed)} failed cells"))  # fmt: skip
        raise QPDMError(
            f"{len(result.failed)} of {len(cells)} cells of grid {experiment!r} failed (listed "
            "above); the finished ones are stored, a re-run computes only the failed ones"
        )
    return result


def summary(result: grid.GridResult) -> Any:
    """A one-line account of a grid run for the page."""
    return (
        f"{len(result.cells)} runs: {result.computed} computed now, {result.reused} read back "
        "from the run store"
    )


__all__.append("summary")
