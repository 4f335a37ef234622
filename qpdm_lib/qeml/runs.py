"""QEML-Net experiments: images per split, training runs that resume, sweeps, latency.

The chapter "The hybrid network" and the tests share this code. One *run* trains QEML-Net on one
partition of the CWRU windows (QEML-Net section 4.1) and evaluates it on the partition's test
windows; a *sweep* repeats runs over split kinds, folds and seeds (section 4.1: 5-fold stratified
cross-validation, 5 seeds). Each finished run is written atomically to a cache file named by a
hash of everything that determines it (the maps, the partition, the model and training
configurations), so an interrupted sweep resumes where it stopped and a repeated one costs
nothing.

Two split kinds are run side by side:

``windows``  the paper's protocol: windows shuffled and split stratified by class (70/15/15, or
             stratified k-fold);
``records``  leakage-free: every window of a record on one side (:mod:`qpdm_lib.splits`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .._io import atomic_write
from .._progress import report
from ..metrics import classification_metrics
from . import signal as pp
from . import splits as sp
from .models.qeml_net import NetConfig, QEMLNet
from .training import TrainConfig, evaluate, train

__all__ = [
    "DEPTHS",
    "SPLIT_KINDS",
    "make_splits",
    "split_images",
    "RunResult",
    "run_once",
    "sweep",
    "measure_latency",
    "prepared",
    "train_cell",
    "load_result",
    "base_config",
    "inner_split",
    "chapter_cells",
    "first_run",
    "match_worker_threads",
    "CODE_MODULES",
    "cells",
]

#: The modules whose source enters a QEML-Net cell's key (a change to any of them reruns it).
CODE_MODULES = (
    "qpdm_lib.qeml.runs", "qpdm_lib.qeml.training", "qpdm_lib.qeml.signal",
    "qpdm_lib.qeml.splits", "qpdm_lib.qeml.models", "qpdm_lib.data.cwru",
    "qpdm_lib.data.synthetic", "qpdm_lib.metrics",
)  # fmt: skip

#: Bottleneck blocks per stage for the depths a profile can choose (``resnet50`` is the paper's).
DEPTHS: dict[str, tuple[int, int, int, int]] = {
    "resnet14": (1, 1, 1, 1),
    "resnet26": (2, 2, 2, 2),
    "resnet50": (3, 4, 6, 3),
}

_CACHE_FORMAT = 2  # bump when RunResult changes, so old cache files are not read

SPLIT_KINDS: dict[str, str] = {
    "windows": "paper: stratified over windows",
    "records": "leakage-free: whole records",
}


def make_splits(win, kind: str, *, folds: int, seed: int) -> list[sp.Split]:
    """Partitions of the CWRU windows ``win``: one 70/15/15 split (``folds=1``) or k folds."""
    if kind not in SPLIT_KINDS:
        raise ValueError(f"split kind must be one of {', '.join(SPLIT_KINDS)}, got {kind!r}")
    length = win.x.shape[1]
    if folds == 1:
        if kind == "windows":
            return [sp.stratified_split(win.y, seed=seed)]
        return [sp.record_split(win.y, win.record, win.start, length=length, seed=seed)]
    return sp.fold_splits(
        win.y, win.record, win.start, length=length, folds=folds, by_record=kind == "records",
        seed=seed,
    )  # fmt: skip


def split_images(
    maps: np.ndarray, split: sp.Split, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network inputs of the three parts: z-score per band fitted on the training maps only.

    ``maps`` are :func:`qpdm_lib.signal.packet_map` outputs (n, 16 bands, 32 steps); the
    statistics of section 3.1 step 4 come from ``split.train``, then every part is resized to
    ``size × size`` (:func:`qpdm_lib.signal.resize_maps`).
    """
    zscore = pp.band_zscore(maps[split.train])
    return tuple(
        pp.images(maps[part], zscore, size) for part in (split.train, split.val, split.test)
    )


@dataclass
class RunResult:
    """What one training run leaves: its history, the test predictions, and its metrics."""

    kind: str
    fold: int
    seed: int
    history: list[dict]
    test_index: np.ndarray  # positions of the test windows in the windows given to the sweep
    y_test: np.ndarray
    proba: np.ndarray
    test_fidelity: float
    train_seconds: float
    state_dict: dict | None = None  # kept only when asked for (it is large at full size)

    @property
    def metrics(self) -> dict:
        return classification_metrics(self.y_test, self.proba)

    def row(self) -> dict:
        """Scalar summary for a table: metrics in %, AUC and fidelities as fractions.

        Every number describes the model that is evaluated: training restores the weights of the
        best validation epoch, so the training and validation fidelities are that epoch's, not
        the last epoch's. ``fault_accuracy`` leaves the normal class out: CWRU's normal class is
        one record, whose load, acquisition chain and identity are all confounded with the class.
        """
        m = self.metrics
        best = max((r for r in self.history if r["best"]), key=lambda r: r["epoch"])
        faults = self.y_test != 0  # CLASSES[0] is "Normal"
        pred = self.proba.argmax(axis=1)
        fault_accuracy = (
            float((pred[faults] == self.y_test[faults]).mean()) if faults.any() else float("nan")
        )
        return {
            "split": self.kind, "fold": self.fold, "seed": self.seed,
            "accuracy": 100 * m["accuracy"], "fault_accuracy": 100 * fault_accuracy,
            "precision": 100 * m["precision"], "recall": 100 * m["recall"], "f1": 100 * m["f1"],
            "auc": m["auc"], "test_fidelity": self.test_fidelity,
            "train_fidelity": best["train_fidelity"], "val_fidelity": best["val_fidelity"],
            "epochs_run": len(self.history), "best_epoch": best["epoch"],
            "train_seconds": self.train_seconds,
        }  # fmt: skip


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            h.update(str((part.dtype, part.shape)).encode())
            h.update(np.ascontiguousarray(part).tobytes())
        else:
            h.update(json.dumps(part, sort_keys=True, default=str).encode())
    return h.hexdigest()[:20]


def _save(path: Path, result: RunResult) -> None:
    payload = dataclasses.asdict(result)
    payload["y_test"] = torch.as_tensor(result.y_test)
    payload["test_index"] = torch.as_tensor(result.test_index)
    payload["proba"] = torch.as_tensor(result.proba)

    atomic_write(path, lambda p: torch.save(payload, p))


def _load(path: Path) -> RunResult | None:
    try:
        payload = torch.load(path, weights_only=True)
        for key in ("y_test", "test_index", "proba"):
            payload[key] = payload[key].numpy()
        return RunResult(**payload)
    except Exception:  # a damaged or outdated cache file is recomputed, never trusted
        return None


def run_once(
    maps: np.ndarray,
    y: np.ndarray,
    split: sp.Split,
    *,
    size: int,
    net: NetConfig,
    training: TrainConfig,
    kind: str = "windows",
    fold: int = 0,
    cache: Path | None = None,
    keep_model: bool = False,
    log: Callable[[dict], None] | None = None,
) -> RunResult:
    """Train one QEML-Net on ``split`` and evaluate it on ``split.test``.

    With ``cache`` (a folder) the finished run is stored there and reused when the same maps,
    partition and configurations come again. ``keep_model`` keeps the trained weights in the
    result (and the cache file).
    """
    key = _digest(
        maps, y, split.train, split.val, split.test, size, dataclasses.asdict(net),
        dataclasses.asdict(training), keep_model, torch.__version__, _CACHE_FORMAT,
    )  # fmt: skip
    path = Path(cache) / f"{kind}-f{fold}-s{training.seed}-{key}.pt" if cache else None
    if path is not None and path.exists():
        done = _load(path)
        if done is not None:
            return done
    x_train, x_val, x_test = split_images(maps, split, size)
    torch.manual_seed(training.seed)
    model = QEMLNet(net)
    started = time.perf_counter()
    history = train(model, x_train, y[split.train], x_val, y[split.val], training, log=log)
    seconds = time.perf_counter() - started
    proba, test_fidelity = evaluate(model, x_test, y[split.test])
    result = RunResult(
        kind=kind, fold=fold, seed=training.seed, history=history, test_index=split.test,
        y_test=y[split.test],
        proba=proba, test_fidelity=test_fidelity, train_seconds=seconds,
        state_dict={k: v.cpu() for k, v in model.state_dict().items()} if keep_model else None,
    )  # fmt: skip
    if path is not None:
        _save(path, result)
    return result


def sweep(
    win,
    maps: np.ndarray,
    *,
    kinds: tuple[str, ...] = tuple(SPLIT_KINDS),
    folds: int,
    seeds: int,
    size: int,
    net: NetConfig,
    training: TrainConfig,
    split_seed: int = 0,
    cache: Path | None = None,
    progress: Callable[[RunResult], None] | None = None,
) -> list[RunResult]:
    """Every (split kind, fold, seed) run; seeds are ``training.seed + 0 … seeds - 1``.

    The partitions depend on ``split_seed`` only, so the seeds vary the network's initialisation
    and batch order over the same folds. The first run of each kind keeps its weights.
    """
    results = []
    for kind in kinds:
        for fold, split in enumerate(make_splits(win, kind, folds=folds, seed=split_seed)):
            for k in range(seeds):
                config = dataclasses.replace(training, seed=training.seed + k)
                result = run_once(
                    maps, win.y, split, size=size, net=net, training=config, kind=kind,
                    fold=fold, cache=cache, keep_model=fold == 0 and k == 0,
                )  # fmt: skip
                results.append(result)
                report(
                    f"{kind} fold {fold + 1}, seed {config.seed}: run done ({len(results)} so far)"
                )
                if progress:
                    progress(result)
    return results


def measure_latency(
    model: torch.nn.Module,
    size: int,
    *,
    repeats: int = 20,
    warmup: int = 3,
    batch: int = 1,
) -> dict[str, float]:
    """Per-window inference latency of ``model`` (eval mode, no gradients) on its device.

    A :class:`QEMLNet` is timed on its inference path (:meth:`QEMLNet.classify`: no decoder).
    Times ``repeats`` forward passes of a ``batch`` of one-channel ``size × size`` images after
    ``warmup`` passes, and reports the median milliseconds per pass and per window, and windows
    per second. With ``batch=1`` this is the paper's latency (Table 3), whose FPS is 1000 / ms.
    """
    if repeats < 1 or batch < 1:
        raise ValueError(f"repeats and batch must be >= 1, got {repeats} and {batch}")
    device = next(model.parameters()).device
    model.eval()
    x = torch.randn(batch, 1, size, size, device=device)
    run = model.classify if isinstance(model, QEMLNet) else model
    times = []
    with torch.inference_mode():
        for i in range(warmup + repeats):
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.perf_counter()
            run(x)
            if device.type == "cuda":
                torch.cuda.synchronize()
            if i >= warmup:
                times.append(time.perf_counter() - start)
    per_pass = 1e3 * float(np.median(times))
    return {
        "ms_per_pass": per_pass,
        "ms_per_window": per_pass / batch,
        "windows_per_s": 1e3 * batch / per_pass,
        "batch": batch,
        "threads": torch.get_num_threads(),
    }


# --- runs as grid cells (qpdm_lib.experiments.grid) --------------------------------------------


@functools.lru_cache(maxsize=4)
def prepared(data: str = "auto", data_seed: int = 0, windows_per_record: int = 0):
    """CWRU windows and their packet maps for one data setting (cached per worker process)."""
    from ..data import cwru, open_source

    source = open_source("cwru", data, seed=data_seed)
    win = cwru.load_windows(source, max_per_record=windows_per_record)
    return win, pp.packet_map(win.x, fs=win.fs)


def _net(config: dict) -> NetConfig:
    net = NetConfig(
        blocks=DEPTHS[config.get("depth", "resnet50")], width=config.get("width", 64),
        quantum=config.get("quantum", "torch"),
    )  # fmt: skip
    return net.variant(config.get("variant", "qeml-net"))


def inner_split(win, outer: sp.Split, kind: str, *, folds: int, fold: int, seed: int) -> sp.Split:
    """Fold ``fold`` of a ``folds``-fold cross-validation of the windows of ``outer``'s training
    and validation parts (QEML-Net section 3.6: the loss weights are searched "using 5-fold cross
    validation on the training partition"); ``outer.test`` is never touched."""
    pool = np.sort(np.concatenate([outer.train, outer.val]))
    length = win.x.shape[1]
    inner = sp.fold_splits(
        win.y[pool], win.record[pool], win.start[pool], length=length, folds=folds,
        by_record=kind == "records", seed=seed,
    )[fold]  # fmt: skip
    return sp.Split(pool[inner.train], pool[inner.val], pool[inner.test], inner.note)


def match_worker_threads() -> None:
    """On a Dask worker, let torch use the worker's threads, not every core of the machine (a
    local cluster runs one single-threaded worker per core; more threads would oversubscribe)."""
    try:
        from distributed import get_worker

        threads = get_worker().state.nthreads
    except (ImportError, ValueError, AttributeError):
        return  # not on a worker: torch's own default
    torch.set_num_threads(max(1, int(threads)))


def train_cell(config: dict) -> dict:
    """Train and evaluate one QEML-Net run as a grid cell.

    Keys: the data (``data``, ``data_seed``, ``windows_per_record``), the partition (``split``:
    ``windows`` or ``records``; ``fold`` of ``folds``; ``split_seed``), the network (``depth``,
    ``width``, ``quantum``, ``variant`` from :data:`~qpdm_lib.qeml.models.qeml_net.VARIANTS`),
    the training (``image_size``, ``epochs``, ``batch_size``, ``lr``, ``patience``, ``seed``,
    ``device``, optional ``loss_weights``) and ``keep_model``. With ``inner_folds`` and
    ``inner_fold`` the run trains and tests inside the partition's training part
    (:func:`inner_split`), as the loss-weight search does. Returns the run's table row; the
    predictions (and the weights when ``keep_model``) go to ``run.pt`` in the cell's artifact
    folder, read back by :func:`load_result`.
    """
    from .models.qeml_net import VARIANTS

    match_worker_threads()
    win, maps = prepared(
        config.get("data", "auto"), config.get("data_seed", 0), config.get("windows_per_record", 0)
    )
    kind = config.get("split", "windows")
    splits = make_splits(win, kind, folds=config.get("folds", 1), seed=config.get("split_seed", 0))
    fold = config.get("fold", 0)
    split = splits[fold]
    if config.get("inner_folds"):  # a search run: cross-validation inside the training partition
        split = inner_split(win, split, kind, folds=config["inner_folds"],
                            fold=config["inner_fold"], seed=config.get("split_seed", 0))  # fmt: skip
    variant = config.get("variant", "qeml-net")
    weights = config.get("loss_weights") or VARIANTS[variant]["loss"] or TrainConfig().loss_weights
    training = TrainConfig(
        epochs=config.get("epochs", 200), batch_size=config.get("batch_size", 64),
        lr=config.get("lr", 1e-3), patience=config.get("patience", 30), seed=config.get("seed", 0),
        loss_weights=tuple(weights), device=config.get("device", "cpu"),
    )  # fmt: skip
    result = run_once(
        maps, win.y, split, size=config.get("image_size", 224), net=_net(config),
        training=training, kind=kind, fold=fold, keep_model=bool(config.get("keep_model")),
    )  # fmt: skip
    if config.get("_artifacts"):
        _save(Path(config["_artifacts"]) / "run.pt", result)
    row = result.row()
    row["variant"] = variant
    row["test_windows"] = int(len(result.y_test))
    return row


def load_result(folder: Path) -> RunResult:
    """The :class:`RunResult` a :func:`train_cell` left in its artifact folder."""
    path = Path(folder) / "run.pt"
    result = _load(path)
    if result is None:
        from ..errors import QPDMError

        raise QPDMError(f"{path} is missing or unreadable; delete its record to rerun the cell")
    return result


def base_config(chapter_config) -> dict:
    """The settings every QEML-Net cell of a chapter shares, read from its validated config
    (the ablations, baselines and significance chapters build theirs through this function, on
    the shared protocol of :data:`qpdm_lib.book.params.QEML_PROTOCOL`)."""
    c = chapter_config
    return {
        "data": c.data, "data_seed": c.seed, "windows_per_record": c.windows_per_record,
        "image_size": c.image_size, "depth": c.depth, "width": c.width, "quantum": "torch",
        "epochs": c.epochs, "batch_size": 64, "lr": 1e-3, "patience": c.patience,
        "device": c.device, "split_seed": c.seed,
    }  # fmt: skip


def chapter_cells(settings) -> list:
    """The hybrid-network chapter's grid cells for its resolved configuration ``settings``: both
    split kinds × folds × seeds; the first run of each kind keeps its weights."""
    base = {
        "data": settings.data, "data_seed": settings.seed,
        "windows_per_record": settings.windows_per_record, "image_size": settings.image_size,
        "depth": settings.depth, "width": settings.width, "quantum": settings.quantum,
        "epochs": settings.epochs, "batch_size": settings.batch_size, "lr": settings.lr,
        "patience": settings.patience, "device": settings.device, "split_seed": settings.seed,
    }  # fmt: skip
    out = cells("hybrid-network", base=base, kinds=tuple(SPLIT_KINDS), folds=settings.folds,
                seeds=range(settings.seed, settings.seed + settings.seeds))  # fmt: skip
    for cell in out:
        if cell.config["fold"] == 0 and cell.config["seed"] == settings.seed:
            cell.config["keep_model"] = True
    return out


def first_run(settings, *, store, data: str) -> RunResult:
    """The hybrid-network chapter's first run (paper's split, first fold and seed, weights kept),
    read from the run ``store`` or trained into it once: the interpretability and deployment
    chapters explain and export this very model."""
    from ..experiments import grid

    cell = chapter_cells(settings)[0]
    result = grid.run([cell], train_cell, store=store, code=grid.code_hash(*CODE_MODULES),
                      data=data, local=True)  # fmt: skip
    if result.failed:
        from ..errors import QPDMError

        raise QPDMError(f"training the hybrid-network model failed: {result.failed[0][1]}")
    return load_result(result.artifacts(0))


def cells(experiment: str, *, base: dict, kinds, folds: int, seeds, variants=("qeml-net",)):
    """Grid cells: every variant × split kind × fold × seed on the ``base`` settings."""
    from ..experiments.grid import Cell

    return [
        Cell(
            experiment,
            {**base, "variant": v, "split": kind, "folds": folds, "fold": f, "seed": int(seed)},
        )  # fmt: skip
        for v in variants
        for kind in kinds
        for f in range(folds)
        for seed in seeds
    ]
