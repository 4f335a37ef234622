"""The runs the baselines and significance chapters compare, built in one place.

Both chapters need the same four groups of runs, with the same keys, so that the second reads
back what the first (or the hybrid-network, ablations and QAQL chapters) trained:

* QEML-Net on the shared bearing protocol: experiment ``qeml``, variant ``qeml-net``, the
  ablations chapter's cells (:func:`qeml_cells`);
* every bearing baseline on the same partitions and seeds (:func:`bearing_baseline_cells`);
* the QAQL cells of the QAQL chapter's main grid (:func:`qaql_cells`), keyed as there by the
  fingerprint of each cell's own dataset (:func:`qaql_datasets`);
* every RUL baseline on QAQL's windows and seeds (:func:`rul_baseline_cells`).

:func:`paired` puts a method's runs beside another's by the keys they share (split, fold and seed
for the bearings; dataset and seed for RUL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..baselines import runs as br
from ..qaql import runs as qruns
from ..qeml import runs as qeml
from .grids import run_grid
from .profiles import resolve
from .report import _label

__all__ = [
    "QAQL_SELECTOR",
    "protocol_seeds",
    "qaql_config",
    "qeml_cells",
    "bearing_baseline_cells",
    "qaql_sources",
    "rul_source",
    "qaql_datasets",
    "qaql_cells",
    "rul_baseline_cells",
    "bearing_runs",
    "rul_runs",
    "paired",
]

#: The selector that is QAQL proper: the annealer's lowest read, in closed form (QAQL chapter).
QAQL_SELECTOR = "best-of-n"


def protocol_seeds(cfg: Any) -> list[int]:
    """The training seeds of a chapter config with ``seed`` and ``seeds``."""
    return list(range(cfg.seed, cfg.seed + cfg.seeds))


def qaql_config(cfg: Any) -> Any:
    """The QAQL chapter's config whose runs the RUL comparison of ``cfg`` (a baselines or
    significance config) pairs with: the same profile, seed and data, and ``cfg.rul_seeds`` seeds
    (the QAQL chapter's own in every profile unless a run shrinks them).

    >>> qaql_config(resolve("baselines", profile="full", overrides={"rul_seeds": 2})).seeds
    2
    >>> qaql_config(resolve("significance", profile="quick")).seeds == resolve("qaql").seeds
    True
    """
    return resolve("qaql", profile=cfg.profile,
                   overrides={"seed": cfg.seed, "data": cfg.data, "seeds": cfg.rul_seeds})  # fmt: skip


def qeml_cells(cfg: Any) -> list:
    """QEML-Net's cells on the shared protocol of ``cfg`` (experiment ``qeml``, both split
    kinds): the same cells as the ablations chapter's ``qeml-net`` variant."""
    return qeml.cells("qeml", base=qeml.base_config(cfg), kinds=tuple(qeml.SPLIT_KINDS),
                      folds=cfg.folds, seeds=protocol_seeds(cfg))  # fmt: skip


def bearing_baseline_cells(cfg: Any) -> list:
    """Every bearing baseline at ``cfg.sizes`` on the partitions and seeds of :func:`qeml_cells`."""
    base = qeml.base_config(cfg)
    return br.bearing_cells(
        "baselines-bearing", base=base, models=br.bearing_models(cfg.sizes, base),
        kinds=tuple(qeml.SPLIT_KINDS), folds=cfg.folds, seeds=protocol_seeds(cfg),
        latency_repeats=cfg.latency_repeats,
    )  # fmt: skip


def qaql_sources(rec: Any, qcfg: Any) -> dict[str, Any]:
    """The QAQL chapter's datasets for its config ``qcfg``, name -> opened source, in order: the
    C-MAPSS subsets of ``qcfg.subsets``, then the fleet. In ``full`` with ``data=auto`` a subset
    other than FD001 whose real files are absent is left out (:meth:`Recorder.open_real`), not
    run on a stand-in."""
    left_out_if_absent = qcfg.profile == "full" and qcfg.data == "auto"
    sources = {}
    for subset in qcfg.subsets.split(","):
        if left_out_if_absent and subset != "FD001":
            source = rec.open_real("cmapss", subset=subset)
            if source is not None:
                sources[subset] = source
        else:
            sources[subset] = rec.open("cmapss", subset=subset)
    sources["fleet"] = rec.open("pm")
    return sources


def rul_source(dataset: str) -> str:
    """The Recorder's name of the source behind a dataset of :func:`qaql_sources` (a C-MAPSS
    subset or ``"fleet"``): what a claim measured on it passes as ``dataset=``.

    >>> [rul_source(d) for d in ("FD001", "FD003", "fleet")]
    ['cmapss', 'cmapss FD003', 'pm']
    """
    return "pm" if dataset == "fleet" else _label("cmapss", dataset)


def qaql_datasets(rec: Any, qcfg: Any) -> tuple[list[str], Callable[[Any], str]]:
    """The QAQL chapter's datasets (:func:`qaql_sources`) and the data key of its grid: that
    chapter's, :func:`qpdm_lib.qaql.runs.data_keys` (the fingerprint of each cell's own
    dataset), so every QAQL cell's key is that chapter's and its run is read back."""
    sources = qaql_sources(rec, qcfg)
    return list(sources), qruns.data_keys(sources)


def qaql_cells(qcfg: Any, *, datasets: Sequence[str], selectors: Sequence[str]) -> list:
    """The QAQL chapter's main cells (its seeds, ``keep_predictions``) for ``datasets`` ×
    ``selectors``."""
    return qruns.cells("qaql", datasets=datasets, selectors=selectors,
                       seeds=protocol_seeds(qcfg), base=qruns.base_config(qcfg),
                       keep_predictions=True)  # fmt: skip


def rul_baseline_cells(cfg: Any, qcfg: Any, *, datasets: Sequence[str]) -> list:
    """Every RUL baseline at ``cfg.sizes`` on QAQL's data settings and seeds (``qcfg``)."""
    return br.rul_cells(
        "baselines-rul", base=qruns.base_config(qcfg), datasets=datasets,
        models=br.rul_models(cfg.sizes), seeds=protocol_seeds(qcfg),
        train_windows=cfg.train_windows,
    )  # fmt: skip


def bearing_runs(rec: Any, cfg: Any, *, data: str) -> tuple[pd.DataFrame, list]:
    """One row per (model, split, fold, seed): QEML-Net's runs and every bearing baseline's,
    trained or read back through the run grid; ``data`` is the CWRU source's fingerprint.
    Returns the table and the grids (for their summaries)."""
    grids = [
        run_grid(rec, qeml_cells(cfg), qeml.train_cell, code_modules=qeml.CODE_MODULES,
                 data=data),
        run_grid(rec, bearing_baseline_cells(cfg), br.bearing_cell,
                 code_modules=br.BEARING_CODE, data=data),
    ]  # fmt: skip
    ours = grids[0].table().assign(model="QEML-Net", shared_run=False)
    others = br.paired_runs(grids[1].table(), protocol_seeds(cfg), family="bearing")
    return pd.concat([ours, others], ignore_index=True), grids


def rul_runs(
    rec: Any,
    cfg: Any,
    qcfg: Any,
    *,
    datasets: Sequence[str],
    data: str | Callable[[Any], str],
    selectors=("greedy",),
) -> tuple[pd.DataFrame, list]:
    """One row per (model, dataset, seed): QAQL (``model`` = "QAQL"), the other ``selectors``
    of the QAQL chapter (``model`` = the selector's name) and every RUL baseline. ``data`` is the
    key of :func:`qaql_datasets`. Returns the table and the grids."""
    names = [QAQL_SELECTOR, *[s for s in selectors if s != QAQL_SELECTOR]]
    grids = [
        run_grid(rec, qaql_cells(qcfg, datasets=datasets, selectors=names), qruns.train_cell,
                 code_modules=qruns.CODE_MODULES, data=data),
        run_grid(rec, rul_baseline_cells(cfg, qcfg, datasets=datasets), br.rul_cell,
                 code_modules=br.RUL_CODE, data=data),
    ]  # fmt: skip
    agents = grids[0].table()
    agents = agents.assign(model=agents.selector.replace({QAQL_SELECTOR: "QAQL"}), shared_run=False)
    agents = agents.drop(columns=["prediction"], errors="ignore")
    others = br.paired_runs(grids[1].table(), protocol_seeds(qcfg), family="rul")
    return pd.concat([agents, others], ignore_index=True), grids


def paired(runs: pd.DataFrame, value: str, *, by: Sequence[str]) -> pd.DataFrame:
    """``value`` with one column per model and one row per pairing key ``by`` (e.g. fold and
    seed); a pairing some model lacks is dropped, so every column holds the same pairs.

    >>> t = pd.DataFrame({"model": ["a", "a", "b", "b"], "seed": [0, 1, 0, 1],
    ...                   "acc": [1.0, 2.0, 3.0, 5.0]})
    >>> paired(t, "acc", by=["seed"]).to_dict("list")
    {'a': [1.0, 2.0], 'b': [3.0, 5.0]}
    """
    table = runs.pivot_table(index=list(by), columns="model", values=value, aggfunc="first")
    table.columns.name = None
    return table.dropna()
