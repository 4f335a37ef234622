"""Multi-run experiments as data, run on Dask, stored cell by cell.

An experiment is a list of :class:`Cell` s: a name and a small JSON-able config each (method ×
variant × split × fold × seed × dataset, whatever the experiment varies). :func:`run` computes
every cell with a module-level function ``fn(config) -> dict`` on a ``dask.distributed`` cluster:
a :class:`~distributed.LocalCluster` sized to this machine by default (nothing to start), or any
running scheduler whose address is given (``QPDM_SCHEDULER`` or a chapter's ``scheduler``
parameter, one name for both). On a SLURM cluster, start one with ``dask-jobqueue`` and pass its
address (see the README); a cell whose config asks for ``device="cuda"`` requests the worker
resource ``GPU``, so it only lands on a GPU worker.

Each finished cell is written atomically to the :class:`RunStore` under a key derived from its
config, the source code that computes it and the data it reads, so

* an interrupted grid resumes: finished cells are read back, not recomputed;
* a changed config, a changed line of the code or a different data file gives a new key, so a
  stale result is never reused;
* a failing cell does not stop the grid: it is stored with its config and error, the others
  finish, and :attr:`GridResult.failed` lists it (chapters show the failures and then stop).

Progress (cells done, running, failed, remaining, time left) goes to the console through
:mod:`qpdm_lib._progress`, never into the rendered page.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write_json
from .._progress import report

__all__ = [
    "Cell",
    "RunStore",
    "GridResult",
    "run",
    "code_hash",
    "client_for",
    "SCHEDULER_ENV",
]

SCHEDULER_ENV = "QPDM_SCHEDULER"
_FORMAT = 1  # bump when the stored record changes shape


@dataclass(frozen=True)
class Cell:
    """One run of an experiment: its experiment name and its config (JSON-able values only)."""

    experiment: str
    config: Mapping[str, Any]

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.config.items())


def code_hash(*modules: str) -> str:
    """sha256 of the source of the named modules (a package means every file in it)."""
    h = hashlib.sha256()
    for name in sorted(modules):
        module = importlib.import_module(name)
        path = Path(inspect.getfile(module))
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for file in files:
            h.update(file.read_bytes())
    return h.hexdigest()


def _key(cell: Cell, code: str, data: str) -> str:
    text = json.dumps(
        {"config": dict(cell.config), "code": code, "data": data, "format": _FORMAT},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class RunStore:
    """One JSON file per finished cell: ``<root>/<experiment>/<key>.json``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, cell: Cell, key: str) -> Path:
        return self.root / cell.experiment / f"{key}.json"

    def artifacts(self, cell: Cell, key: str) -> Path:
        """The folder where a cell may keep files too large for its record (weights, arrays)."""
        return self.root / cell.experiment / key

    def load(self, cell: Cell, key: str) -> dict | None:
        """The stored record of a cell, or None (absent, unreadable or from another format)."""
        path = self.path(cell, key)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if record.get("format") == _FORMAT else None

    def save(self, cell: Cell, key: str, record: dict) -> None:
        atomic_write_json(self.path(cell, key), {**record, "format": _FORMAT})


@dataclass
class GridResult:
    """Every cell's record, in the order of the cells; which were recomputed and which failed."""

    cells: list[Cell]
    records: list[dict]
    keys: list[str] = field(default_factory=list)
    store: RunStore | None = None
    computed: int = 0
    reused: int = 0
    seconds: float = 0.0
    failed: list[tuple[Cell, str]] = field(default_factory=list)

    def artifacts(self, index: int) -> Path:
        """The artifact folder of cell ``index`` (what ``fn`` wrote under ``config["_artifacts"]``)."""
        return self.store.artifacts(self.cells[index], self.keys[index])

    def ok(self) -> list[tuple[Cell, dict]]:
        """(cell, result) of the cells that finished."""
        return [(c, r["result"]) for c, r in zip(self.cells, self.records, strict=True)
                if r["status"] == "ok"]  # fmt: skip

    def table(self, *, lists: bool = False):
        """One row per finished cell: its config and its scalar results (and its list-valued
        results, such as stored predictions, when ``lists`` is true)."""
        import pandas as pd

        kept = (int, float, str, bool, list) if lists else (int, float, str, bool)
        rows = []
        for cell, result in self.ok():
            scalars = {k: v for k, v in result.items() if isinstance(v, kept)}
            rows.append({**cell.config, **scalars})
        return pd.DataFrame(rows)


def client_for(scheduler: str | None = None, *, n_workers: int | None = None):
    """A Dask client: the scheduler at ``scheduler`` (or ``$QPDM_SCHEDULER``), else a local
    cluster of one single-threaded worker process per CPU core."""
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV) or ""
    if address:
        try:
            return Client(address, timeout="20s")
        except OSError as exc:
            from ..errors import QPDMError

            raise QPDMError(
                f"no Dask scheduler answers at {address!r} ({type(exc).__name__}); start one, or "
                f"leave {SCHEDULER_ENV} and the scheduler parameter empty for a local cluster"
            ) from None
    workers = n_workers or max(1, os.cpu_count() or 1)
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=40,
    )  # fmt: skip
    return Client(cluster)


def _call(fn: Callable[[dict], dict], config: dict) -> dict:
    """Run one cell on a worker; an exception becomes a failed record instead of a crash."""
    started = time.perf_counter()
    try:
        result = fn(dict(config))
        return {"status": "ok", "result": result, "seconds": time.perf_counter() - started}
    except Exception as exc:  # a failing cell must not stop the grid
        lines = traceback.format_exception_only(type(exc), exc)
        return {"status": "failed", "error": "".join(lines).strip(),
                "seconds": time.perf_counter() - started}  # fmt: skip


def run(
    cells: Sequence[Cell],
    fn: Callable[[dict], dict],
    *,
    store: RunStore,
    code: str,
    data: str | Callable[[Cell], str] = "",
    scheduler: str | None = None,
    client: Any = None,
    retry_failed: bool = True,
    local: bool = False,
) -> GridResult:
    """Compute every cell not already in ``store`` with ``fn`` on Dask; store each as it finishes.

    ``code`` and ``data`` enter every cell's key (:func:`code_hash` of the modules behind ``fn``,
    and the hashes of the data files it reads; ``data`` may be a function of the cell, so a cell
    depends only on the files of its own dataset). ``local=True`` runs in this process without Dask
    (tests, and chapters in the ``smoke`` profile, where starting a cluster costs more than the
    grid). ``fn`` receives the cell's config plus ``_artifacts``, a folder of the store where it may
    write files (on a remote cluster the store must be on a file system the workers share).
    ``client`` is a Dask client, or a function returning one (called only when a cell needs
    computing), else one is started for this call and stopped after it. Failed cells are recomputed on the next run unless ``retry_failed=False``.
    """
    started = time.perf_counter()
    cells = list(cells)
    keys = [_key(c, code, data(c) if callable(data) else data) for c in cells]
    records: list[dict | None] = []
    todo: list[int] = []
    for i, (cell, key) in enumerate(zip(cells, keys, strict=True)):
        record = store.load(cell, key)
        if record is not None and (record["status"] == "ok" or not retry_failed):
            records.append(record)
        else:
            records.append(None)
            todo.append(i)
    result = GridResult(cells, [], keys=keys, store=store, reused=len(cells) - len(todo))

    def payload(i: int) -> dict:
        # `_artifacts` is where the cell may write files; it is not part of the cell's key
        return {**cells[i].config, "_artifacts": str(store.artifacts(cells[i], keys[i]))}

    name = cells[0].experiment if cells else "grid"

    def finish(i: int, record: dict) -> None:
        record["config"] = dict(cells[i].config)
        store.save(cells[i], keys[i], record)
        records[i] = record
        result.computed += 1
        done = sum(r is not None for r in records)
        failed = sum(r is not None and r["status"] == "failed" for r in records)
        elapsed = time.perf_counter() - started
        rate = result.computed / elapsed if elapsed > 0 else 0.0
        left = (len(cells) - done) / rate if rate > 0 else float("nan")
        report(
            f"grid {name}: {done}/{len(cells)} done, {failed} failed, "
            f"{len(cells) - done} remaining, about {left / 60:.1f} min left"
        )

    if todo and local:
        for i in todo:
            finish(i, _call(fn, payload(i)))
    elif todo:
        from distributed import as_completed

        own = client is None
        if client is not None and not hasattr(client, "submit"):
            client = client()  # a factory: start the cluster only when there is work for it
        client = client or client_for(scheduler)
        try:
            futures = {}
            for i in todo:
                needs_gpu = cells[i].config.get("device") == "cuda"
                future = client.submit(
                    _call, fn, payload(i), key=f"{name}-{keys[i]}", pure=False,
                    resources={"GPU": 1} if needs_gpu else None,
                )  # fmt: skip
                futures[future] = i
            report(f"grid {name}: {len(todo)} cells submitted, {result.reused} reused")
            for future in as_completed(futures):
                finish(futures[future], future.result())
        finally:
            if own:
                cluster = getattr(client, "cluster", None)
                client.close()
                if cluster is not None:  # a LocalCluster we started: stop its workers too
                    cluster.close()
    result.records = records
    result.failed = [(c, r["error"]) for c, r in zip(cells, records, strict=True)
                     if r["status"] == "failed"]  # fmt: skip
    result.seconds = time.perf_counter() - started
    return result


def grid(experiment: str, **axes: Iterable[Any]) -> list[Cell]:
    """Every combination of the ``axes`` values as cells (the last axis varies fastest).

    >>> [c.config for c in grid("demo", method=["a", "b"], seed=[0, 1])][:3]
    [{'method': 'a', 'seed': 0}, {'method': 'a', 'seed': 1}, {'method': 'b', 'seed': 0}]
    """
    import itertools

    names = list(axes)
    return [
        Cell(experiment, dict(zip(names, values, strict=True)))
        for values in itertools.product(*(list(v) for v in axes.values()))
    ]


__all__.append("grid")
