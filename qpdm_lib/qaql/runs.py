"""QAQL runs as grid cells: one config in, one agent trained and scored out.

:func:`train_cell` is the function the run grid (:mod:`qpdm_lib.experiments.grid`) calls on a
worker. A cell names its dataset, the state design, the agent's settings and the seed; the
dataset's trajectories (preparation, windows, k-means codebook) are built once per worker process
and reused by every cell that shares them. The QAQL, ablations and significance chapters all read
their runs from the same run store, so a comparison never trains a configuration twice.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from . import agent as qa
from . import trajectories as tr

__all__ = [
    "DATASETS",
    "trajectories_for",
    "train_cell",
    "floor_cell",
    "CODE_MODULES",
    "base_config",
    "cells",
    "data_keys",
]

#: The datasets a cell may name: the four C-MAPSS subsets and the device fleet.
DATASETS = ("FD001", "FD002", "FD003", "FD004", "fleet")
#: The modules whose source enters a QAQL cell's key (a change to any of them reruns the cell).
CODE_MODULES = (
    "qpdm_lib.qaql", "qpdm_lib.data.cmapss", "qpdm_lib.data.devices", "qpdm_lib.data.synthetic",
    "qpdm_lib.metrics",
)  # fmt: skip


@functools.lru_cache(maxsize=32)  # a sensitivity grid visits ~24 state designs
def trajectories_for(
    dataset: str,
    *,
    data: str = "auto",
    data_seed: int = 0,
    n_states: int = 64,
    summaries: str = "mean+slope",
    standardize: bool = True,
    scaling: str = "device",
    pm_devices: int = 0,
    max_train_windows: int = 0,
) -> tr.Trajectories:
    """The trajectories of ``dataset`` for one state design (cached per process)."""
    from ..data import cmapss, devices, open_source

    kinds = tuple(summaries.split("+"))
    if dataset == "fleet":
        source = open_source("pm", data, seed=data_seed)
        fleet = devices.prepare(source, max_devices=pm_devices, seed=data_seed, scaling=scaling)
        return tr.fleet_trajectories(
            fleet, n_states=n_states, seed=data_seed, max_train_windows=max_train_windows,
            summaries=kinds, standardize=standardize,
        )  # fmt: skip
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {dataset!r}")
    source = open_source("cmapss", data, seed=data_seed, subset=dataset)
    prepared = cmapss.prepare(source, dataset, seed=data_seed)
    return tr.cmapss_trajectories(
        prepared, n_states=n_states, seed=data_seed, max_train_windows=max_train_windows,
        summaries=kinds, standardize=standardize,
    )  # fmt: skip


_DATA_KEYS = ("data", "data_seed", "n_states", "summaries", "standardize", "scaling",
              "pm_devices", "max_train_windows")  # fmt: skip


def _trajectories(config: dict) -> tr.Trajectories:
    return trajectories_for(config["dataset"], **{k: config[k] for k in _DATA_KEYS if k in config})


def train_cell(config: dict) -> dict:
    """Train one agent as ``config`` says and return its scores (a grid cell).

    Keys: ``dataset``, the state design (see :func:`trajectories_for`), ``selector``, ``seed``,
    and optionally ``episodes``, ``discount``, ``num_reads``, ``softmax_temperature``, ``use_td`` and
    ``keep_predictions`` (the test predictions, for the actual-against-predicted figures).
    """
    traj = _trajectories(config)
    base = qa.AgentConfig(n_states=config.get("n_states", 64), rul_cap=traj.cap)
    agent_config = replace(
        base,
        episodes=config.get("episodes", base.episodes),
        discount=config.get("discount", base.discount),
        num_reads=config.get("num_reads", base.num_reads),
        softmax_temperature=config.get("softmax_temperature", base.softmax_temperature),
    )
    started = time.perf_counter()
    out = qa.train_and_evaluate(
        traj, agent_config, config["selector"], seed=config["seed"],
        use_td=config.get("use_td", True),
    )  # fmt: skip
    selector = out["selector"]
    result = {
        **{f"window_{k}": v for k, v in out["per_window"].items()},
        **{f"last_{k}": v for k, v in out.get("last_cycle", {}).items()},
        "untried_pairs": out["untried_pairs"],
        "selector_calls": selector.calls,
        "chose_argmax": selector.chose_argmax,
        "train_windows": int(len(traj.train_states)),
        "test_windows": int(len(traj.test_states)),
        "train_seconds": time.perf_counter() - started,
    }
    if config.get("keep_predictions"):
        result["prediction"] = out["prediction"].tolist()
    return result


def floor_cell(config: dict) -> dict:
    """The per-state best-bin floor of one state design (:func:`trajectories.best_bin_floor`)."""
    traj = _trajectories(config)
    floor = tr.best_bin_floor(traj, qa.AgentConfig().n_bins)
    out = {f"window_{k}": v for k, v in floor["per_window"].items()}
    out.update({f"last_{k}": v for k, v in floor.get("last_cycle", {}).items()})
    out["states_used"] = int(np.unique(traj.train_states).size)
    return out


def base_config(chapter_config) -> dict:
    """The settings every QAQL cell of a chapter shares, read from its validated config.

    The QAQL, ablations and significance chapters build their cells through this one function,
    so the same run has the same key in all three and is trained once.
    """
    c = chapter_config
    return {
        "data": c.data, "data_seed": c.seed, "n_states": c.n_states,
        "summaries": getattr(c, "summaries", "mean+slope"),
        "standardize": getattr(c, "standardize", True), "scaling": "device",
        "pm_devices": c.pm_devices, "max_train_windows": c.max_train_windows,
        "episodes": c.episodes, "num_reads": c.num_reads,
    }  # fmt: skip


def data_keys(sources: dict) -> Callable:
    """The data part of a QAQL cell's key: the fingerprint of its own dataset's files, so a run
    is shared by every chapter that trains it, whatever other datasets those chapters open."""
    prints = {name: source.fingerprint() for name, source in sources.items()}

    def key(cell) -> str:
        return prints[cell.config["dataset"]]

    return key


def cells(experiment: str, *, datasets, selectors, seeds, base: dict, **overrides) -> list:
    """Grid cells: every dataset × selector × seed on ``base`` settings (``overrides`` on top)."""
    from ..experiments.grid import Cell

    return [
        Cell(experiment, {**base, **overrides, "dataset": d, "selector": s, "seed": int(seed)})
        for d in datasets
        for s in selectors
        for seed in seeds
    ]
