"""The baselines as grid cells: one model, one partition, one seed per cell.

:func:`bearing_cell` and :func:`rul_cell` are what the run grid (:mod:`qpdm_lib.experiments.grid`)
calls on a worker; :func:`bearing_cells` and :func:`rul_cells` build the cells. The baselines
chapter trains them and the significance chapter reads them back from the run store (same
config, same code, same data: same key), so no baseline is trained twice.

One protocol per paper, so that every comparison is paired:

* **bearing** (QEML-Net Table 3): the CWRU windows of :func:`qpdm_lib.qeml.runs.prepared`, the
  partitions of :func:`qpdm_lib.qeml.runs.make_splits` (split kind, folds and ``split_seed``),
  and the seeds of the QEML-Net cells; the torch baselines get QEML-Net's training budget
  (epochs, patience, batch size, learning rate) and the two image models its backbone (depth and
  width), read from :func:`qpdm_lib.qeml.runs.base_config` (:func:`bearing_models`). A cell is
  paired with the QEML-Net cell of the same split kind, fold and seed.
* **RUL** (QAQL Tables 6-7): the windows, split and discrete states of
  :func:`qpdm_lib.qaql.runs.trajectories_for` for the QAQL cells' data settings (SARSA learns
  on QAQL's very k-means states), and the seeds of the QAQL cells. ``train_windows`` may cap the
  training windows (whole engines or device segments, the same selection QAQL's
  ``max_train_windows`` makes); the test windows are always all of QAQL's.

A model whose seed changes nothing (``seeded = False``: SVM-RBF, gradient-boosted trees) gets
one cell, and :func:`paired_runs` repeats its run for every seed of the pairing.

Each cell measures itself: the bearing cells report accuracy, macro precision / recall / F1 and
macro AUC (:func:`qpdm_lib.metrics.classification_metrics`), trainable parameters, training time
and the per-window latency on the worker (:func:`bearing_latency`); the RUL cells the metrics of
:func:`qpdm_lib.metrics.regression_metrics` per window and, on C-MAPSS, on the official last
cycles. Predictions go to the cell's artifact folder (:func:`load_predictions`).
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .. import baselines
from ..metrics import classification_metrics, regression_metrics
from ._torch import Training

__all__ = [
    "BEARING_CODE",
    "RUL_CODE",
    "SIZES",
    "bearing_models",
    "rul_models",
    "bearing_inputs",
    "rul_inputs",
    "bearing_latency",
    "bearing_cell",
    "rul_cell",
    "bearing_cells",
    "rul_cells",
    "paired_runs",
    "load_predictions",
    "FEATURE_INPUTS",
    "feature_inputs",
]

#: The modules whose source enters a bearing cell's key (a change to any of them reruns it).
BEARING_CODE = (
    "qpdm_lib.baselines", "qpdm_lib.qeml.runs", "qpdm_lib.qeml.signal", "qpdm_lib.qeml.splits",
    "qpdm_lib.qeml.models", "qpdm_lib.qeml.training", "qpdm_lib.data.cwru",
    "qpdm_lib.data.synthetic", "qpdm_lib.metrics",
)  # fmt: skip
#: The modules whose source enters an RUL cell's key.
RUL_CODE = (
    "qpdm_lib.baselines", "qpdm_lib.qaql", "qpdm_lib.qeml.models", "qpdm_lib.qeml.training",
    "qpdm_lib.data.cmapss", "qpdm_lib.data.devices", "qpdm_lib.data.synthetic",
    "qpdm_lib.metrics",
)  # fmt: skip

#: The data settings of a bearing cell (the rest of the QEML-Net base config is the network's).
_BEARING_DATA = ("data", "data_seed", "windows_per_record", "image_size", "split_seed")
#: The data settings of an RUL cell: those of the QAQL cells (see qpdm_lib.qaql.runs).
_RUL_DATA = ("data", "data_seed", "n_states", "summaries", "standardize", "scaling", "pm_devices",
             "max_train_windows")  # fmt: skip
#: The training budget a torch bearing baseline takes from QEML-Net's protocol.
_BUDGET = ("epochs", "patience", "batch_size", "lr", "device")

#: Model sizes by name. ``tiny`` for tests and the smoke profile; ``small`` for the quick
#: profile on a 2-core CPU; ``paper`` the library's defaults, the papers' scale (Table 3's
#: parameter counts; QAQL's 8 episodes). The ResNet-50 and Hybrid-QNN rows always take
#: QEML-Net's backbone (depth, width) from the protocol, and every torch bearing model its
#: training budget (see :func:`bearing_models`).
SIZES: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "tiny": {
        "bearing": {
            "SVM-RBF": {}, "Random Forest": {"n_estimators": 20}, "AutoML": {"n_candidates": 2},
            "LSTM": {"hidden": 8, "layers": 1},
            "1D-CNN": {"channels": [4, 4, 8, 8, 8, 8], "hidden": 8},
            "Transformer": {"d_model": 8, "heads": 2, "layers": 1, "ff": 16},
            "ResNet-50": {}, "Hybrid-QNN": {"n_layers": 2},
        },
        "rul": {
            "Bi-LSTM": {"hidden": 4, "layers": 1, "epochs": 2, "patience": 2},
            "GRU": {"hidden": 4, "layers": 1, "epochs": 2, "patience": 2},
            "SGD": {},
            "SARSA": {"episodes": 1},
            "Deep Q-Network": {"hidden": [8], "episodes": 1, "train_every": 16},
            "PPO": {"hidden": [8], "episodes": 1, "rollout": 256, "update_epochs": 1},
            "Transformer": {"d_model": 4, "heads": 1, "layers": 1, "ff": 8, "epochs": 2,
                            "patience": 2},
            "Quantum VQL": {"n_qubits": 2, "n_layers": 1, "episodes": 1, "train_every": 32},
            "Quantum DQN": {"n_qubits": 2, "n_layers": 1, "episodes": 1, "train_every": 32},
            "Quantum LSTM": {"hidden": 2, "n_qubits": 2, "n_layers": 1, "epochs": 1,
                             "patience": 1},
            "Gradient-Boosted Trees": {"max_iter": 20},
        },
    },
    "small": {
        "bearing": {
            "SVM-RBF": {}, "Random Forest": {}, "AutoML": {"n_candidates": 6},
            "LSTM": {"hidden": 32, "layers": 1},
            "1D-CNN": {"channels": [16, 16, 32, 32, 64, 64], "hidden": 64},
            "Transformer": {"d_model": 32, "heads": 2, "layers": 1, "ff": 64},
            "ResNet-50": {}, "Hybrid-QNN": {},
        },
        "rul": {
            "Bi-LSTM": {"hidden": 16, "layers": 1, "epochs": 4, "patience": 4},
            "GRU": {"hidden": 16, "layers": 1, "epochs": 4, "patience": 4},
            "SGD": {},
            "SARSA": {},
            "Deep Q-Network": {"episodes": 1, "train_every": 8},
            "PPO": {"episodes": 1, "update_epochs": 4},
            "Transformer": {"d_model": 16, "heads": 2, "layers": 1, "ff": 32, "epochs": 4,
                            "patience": 4},
            "Quantum VQL": {"n_layers": 3, "episodes": 1, "train_every": 32},
            "Quantum DQN": {"episodes": 1, "train_every": 16},
            "Quantum LSTM": {"hidden": 8, "epochs": 1, "patience": 1},
            "Gradient-Boosted Trees": {},
        },
    },
    "paper": {
        "bearing": {name: {} for name in baselines.BEARING},
        "rul": {name: {} for name in baselines.RUL},
    },
}  # fmt: skip


def _check_sizes(sizes: str) -> None:
    if sizes not in SIZES:
        raise ValueError(f"sizes must be one of {', '.join(SIZES)}, got {sizes!r}")


def bearing_models(sizes: str, protocol: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Name -> configuration of every bearing baseline under QEML-Net's ``protocol``.

    ``protocol`` is a QEML-Net base config (:func:`qpdm_lib.qeml.runs.base_config`): every
    torch baseline trains with its epochs, patience, batch size, learning rate and device, and
    ResNet-50 and Hybrid-QNN use its backbone (``depth``, ``width``), so the plain ResNet row is
    QEML-Net without CBAM and qubits at the same size.

    >>> from qpdm_lib.qeml.runs import DEPTHS
    >>> p = {"epochs": 12, "patience": 5, "batch_size": 64, "lr": 1e-3, "device": "cpu",
    ...      "depth": "resnet14", "width": 8}
    >>> m = bearing_models("small", p)
    >>> m["ResNet-50"]["blocks"], m["ResNet-50"]["width"], m["LSTM"]["epochs"], m["SVM-RBF"]
    ([1, 1, 1, 1], 8, 12, {})
    """
    from ..qeml.runs import DEPTHS

    _check_sizes(sizes)
    out = {}
    for name, size in SIZES[sizes]["bearing"].items():
        config = dict(size)
        if issubclass(baselines.BEARING[name].Config, Training):  # a torch model
            config.update({k: protocol[k] for k in _BUDGET})
        if name in ("ResNet-50", "Hybrid-QNN"):
            config.update(blocks=list(DEPTHS[protocol["depth"]]), width=protocol["width"])
        out[name] = config
    return out


def rul_models(sizes: str) -> dict[str, dict[str, Any]]:
    """Name -> configuration of every RUL baseline at ``sizes`` (see :data:`SIZES`)."""
    _check_sizes(sizes)
    return {name: dict(config) for name, config in SIZES[sizes]["rul"].items()}


# --- inputs, prepared once per worker process ---------------------------------------------------
@functools.lru_cache(maxsize=2)
def bearing_inputs(
    data: str = "auto", data_seed: int = 0, windows_per_record: int = 0, image_size: int = 64
):
    """``(windows, bundle, rpm)``: QEML-Net's CWRU windows (:func:`qpdm_lib.qeml.runs.prepared`)
    and their :class:`~qpdm_lib.baselines.BearingInputs` (hand-crafted features at each window's
    shaft speed, the same packet maps as QEML-Net), cached per process."""
    from ..qeml import runs as qeml
    from ..qeml import signal as pp

    win, maps = qeml.prepared(data, data_seed, windows_per_record)
    rpm = win.records.set_index("record")["rpm"].loc[win.record].to_numpy(np.float64)
    bundle = baselines.BearingInputs(
        win.x, win.y, features=pp.features(win.x, rpm=rpm, fs=win.fs), maps=maps,
        image_size=image_size,
    )  # fmt: skip
    return win, bundle, rpm


@functools.lru_cache(maxsize=8)
def rul_inputs(
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
    train_windows: int = 0,
):
    """``(train, test, official)`` :class:`~qpdm_lib.baselines.RULInputs` of one QAQL dataset.

    The windows of :func:`qpdm_lib.qaql.runs.trajectories_for` with the same settings, carrying
    QAQL's k-means states (checked window by window against QAQL's labels, so a change on either
    side cannot pair the wrong windows); ``official`` is None for the fleet. ``train_windows``
    (0: all) then keeps whole engines or segments of the training windows, chosen with
    ``data_seed``. Cached per process.
    """
    from ..data import cmapss, devices, open_source
    from ..qaql import runs as qruns
    from ..qaql.trajectories import limit_groups

    traj = qruns.trajectories_for(
        dataset, data=data, data_seed=data_seed, n_states=n_states, summaries=summaries,
        standardize=standardize, scaling=scaling, pm_devices=pm_devices,
        max_train_windows=max_train_windows,
    )  # fmt: skip
    if dataset == "fleet":
        source = open_source("pm", data, seed=data_seed)
        fleet = devices.prepare(source, max_devices=pm_devices, seed=data_seed, scaling=scaling)
        parts = {
            "train": baselines.RULInputs.from_fleet(
                fleet, "train", max_windows=max_train_windows, seed=data_seed
            ),
            "test": baselines.RULInputs.from_fleet(fleet, "test"),
        }
    else:
        source = open_source("cmapss", data, seed=data_seed, subset=dataset)
        prepared = cmapss.prepare(source, dataset, seed=data_seed)
        parts = {
            part: baselines.RULInputs.from_cmapss(
                prepared, part, max_windows=max_train_windows, seed=data_seed
            )
            for part in ("train", "test", "official")
        }
    states = {"train": (traj.train_states, traj.train_rul), "test": (traj.test_states, traj.test_rul),
              "official": (traj.official_states, traj.official_rul)}  # fmt: skip
    out = {}
    for part, bundle in parts.items():
        codes, rul = states[part]
        if len(rul) != len(bundle) or not np.allclose(rul, bundle.y):
            raise RuntimeError(f"{dataset} {part}: the baselines' windows are not QAQL's "
                               f"({len(bundle)} against {len(rul)})")  # fmt: skip
        out[part] = baselines.RULInputs(bundle.x, bundle.y, bundle.group, bundle.cap, None, codes)
    if train_windows:
        keep = limit_groups(out["train"].group, train_windows, data_seed)
        out["train"] = out["train"].subset(np.flatnonzero(keep))
    return out["train"], out["test"], out.get("official")


#: What the feature models (SVM-RBF, Random Forest, AutoML) may be given instead of the hand-crafted
#: features, to see which input the paper's accuracies would need (:func:`feature_inputs`).
FEATURE_INPUTS: dict[str, str] = {
    "handcrafted": "the 26 hand-crafted features of the preprocessing chapter",
    "time-domain": "their 5 time-domain statistics (RMS, kurtosis, crest factor, skewness, "
    "peak-to-peak)",
    "spectrum": "the magnitude spectrum of the window (257 FFT bins)",
    "raw": "the 512 raw samples",
}
_TIME_DOMAIN = ("rms", "kurtosis", "crest_factor", "skewness", "peak_to_peak")


def feature_inputs(bundle, inputs: str):
    """``bundle`` with its features replaced by one of :data:`FEATURE_INPUTS` (a new bundle).

    >>> import numpy as np
    >>> from qpdm_lib.baselines import BearingInputs
    >>> b = BearingInputs(np.ones((2, 512), np.float32), np.array([0, 2]))
    >>> feature_inputs(b, "spectrum").features.shape
    (2, 257)
    """
    if inputs not in FEATURE_INPUTS:
        raise ValueError(f"inputs must be one of {', '.join(FEATURE_INPUTS)}, got {inputs!r}")
    if inputs == "handcrafted":
        return bundle
    if inputs == "time-domain":
        names = list(bundle.feature_names)
        features = bundle.require("features", "time-domain inputs")
        features = features[:, [names.index(n) for n in _TIME_DOMAIN]]
    elif inputs == "spectrum":
        features = np.abs(np.fft.rfft(bundle.windows.astype(np.float64), axis=1))
    else:
        features = bundle.windows
    return baselines.BearingInputs(bundle.windows, bundle.y, features=features, maps=bundle.maps,
                                   image_size=bundle.image_size)  # fmt: skip


# --- the cells ----------------------------------------------------------------------------------
@contextlib.contextmanager
def _worker_threads() -> Iterator[int]:
    """torch and the BLAS / OpenMP pools limited to the worker's threads (one on a local cluster
    of single-threaded workers, and one in the chapter's own process): histogram boosting runs
    30 times slower when its OpenMP threads compete for two shared cores."""
    import torch
    from threadpoolctl import threadpool_limits

    try:
        from distributed import get_worker

        threads = max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):
        threads = 1
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with threadpool_limits(threads):
            yield threads
    finally:
        torch.set_num_threads(before)


def bearing_latency(model, bundle, index, *, rpm, fs: float, repeats: int = 20) -> dict:
    """Per-window inference latency of a fitted bearing baseline, batch of one, median in ms.

    ``latency_ms`` starts from the raw window: the model's own inputs (hand-crafted features at
    the window's shaft speed, or the wavelet-packet map) are computed as part of the call, as a
    deployed model would have to. ``model_ms`` starts from those inputs, already computed (the
    image models still z-score and resize the map). Two warm-up calls, then ``repeats`` calls on
    successive windows of ``index``; ``fps`` is 1000 / ``latency_ms``.
    """
    from ..qeml import signal as pp

    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    index = np.asarray(index)
    picks = index[np.arange(repeats + 2) % len(index)]
    end_to_end, model_only = [], []
    for i in picks:
        x = bundle.windows[i : i + 1]
        started = time.perf_counter()
        one = baselines.BearingInputs(
            x, bundle.y[i : i + 1],
            features=pp.features(x, rpm=rpm[i : i + 1], fs=fs) if model.needs == "features" else None,
            maps=pp.packet_map(x, fs=fs) if model.needs == "maps" else None,
            image_size=bundle.image_size,
        )  # fmt: skip
        model.predict_proba(one, np.array([0]))
        middle = time.perf_counter()
        model.predict_proba(bundle, np.array([i]))
        end_to_end.append(middle - started)
        model_only.append(time.perf_counter() - middle)
    latency = 1e3 * float(np.median(end_to_end[2:]))
    return {"latency_ms": latency, "model_ms": 1e3 * float(np.median(model_only[2:])),
            "fps": 1e3 / latency}  # fmt: skip


def _save_predictions(folder: str | None, **arrays: np.ndarray) -> None:
    if not folder:
        return
    from .._io import atomic_write

    path = Path(folder) / "predictions.npz"
    atomic_write(path, lambda p: np.savez_compressed(p, **arrays))


def load_predictions(folder: Path) -> dict[str, np.ndarray]:
    """The arrays a :func:`bearing_cell` (``proba``, ``y_test``, ``test_index``) or a
    :func:`rul_cell` (``prediction``, ``y_test``, and ``official_prediction`` on C-MAPSS) left in
    its artifact folder."""
    path = Path(folder) / "predictions.npz"
    try:
        with np.load(path) as stored:
            return {k: stored[k] for k in stored.files}
    except (OSError, ValueError):
        from ..errors import QPDMError

        raise QPDMError(
            f"{path} is missing or unreadable; delete its record to rerun the cell"
        ) from None


def bearing_cell(config: dict) -> dict:
    """Train one bearing baseline on one partition and score it (a grid cell).

    Keys: the data (``data``, ``data_seed``, ``windows_per_record``, ``image_size``), the
    partition (``split``, ``folds``, ``fold``, ``split_seed``: as the QEML-Net cells), ``model``
    (a name of :data:`qpdm_lib.baselines.BEARING`), ``model_config``, ``seed``,
    ``latency_repeats`` (0: no latency) and, for the feature models, ``inputs`` (one of
    :data:`FEATURE_INPUTS`, default the hand-crafted features). Returns the table row (metrics
    in %, AUC as a fraction); the test probabilities go to the artifact folder.
    """
    from ..qeml import runs as qeml

    with _worker_threads():
        win, bundle, rpm = bearing_inputs(
            config.get("data", "auto"), config.get("data_seed", 0),
            config.get("windows_per_record", 0), config.get("image_size", 64),
        )  # fmt: skip
        inputs = config.get("inputs", "handcrafted")
        bundle = feature_inputs(bundle, inputs)
        kind = config.get("split", "windows")
        fold = config.get("fold", 0)
        split = qeml.make_splits(win, kind, folds=config.get("folds", 1),
                                 seed=config.get("split_seed", 0))[fold]  # fmt: skip
        model = baselines.get(config["model"], family="bearing", **config.get("model_config", {}))
        started = time.perf_counter()
        model.fit(bundle, split, seed=config.get("seed", 0))
        seconds = time.perf_counter() - started
        proba = model.predict_proba(bundle, split.test)
        # latency is timed from the raw window through the model's own inputs: the default ones
        repeats = config.get("latency_repeats", 0) if inputs == "handcrafted" else 0
        latency = (bearing_latency(model, bundle, split.test, rpm=rpm, fs=win.fs, repeats=repeats)
                   if repeats else {})  # fmt: skip
    y_test = bundle.y[split.test]
    m = classification_metrics(y_test, proba)
    faults = y_test != 0  # CLASSES[0] is "Normal", one record (see the hybrid-network chapter)
    pred = proba.argmax(axis=1)
    row = {
        "model": model.name, "split": kind, "fold": fold, "seed": config.get("seed", 0),
        "accuracy": 100 * m["accuracy"], "precision": 100 * m["precision"],
        "recall": 100 * m["recall"], "f1": 100 * m["f1"], "auc": m["auc"],
        "fault_accuracy": 100 * float((pred[faults] == y_test[faults]).mean()),
        "parameters": model.n_parameters(), "train_seconds": seconds,
        "epochs_run": len(getattr(model, "history_", [])), "test_windows": int(len(y_test)),
        **latency,
    }  # fmt: skip
    if model.name == "AutoML":
        row["automl_winner"] = str(model.best_["family"])
        row["automl_candidates"] = int(len(model.search_))
    _save_predictions(config.get("_artifacts"), proba=proba, y_test=y_test,
                      test_index=np.asarray(split.test))  # fmt: skip
    return row


def rul_cell(config: dict) -> dict:
    """Train one RUL baseline on one QAQL dataset and score it (a grid cell).

    Keys: ``dataset`` and the QAQL data settings (``data``, ``data_seed``, ``n_states``,
    ``summaries``, ``standardize``, ``scaling``, ``pm_devices``, ``max_train_windows``),
    ``train_windows`` (the baselines' own cap, 0: none), ``model`` (a name of
    :data:`qpdm_lib.baselines.RUL`), ``model_config`` and ``seed``. Returns ``window_<metric>``
    over every test window and, on C-MAPSS, ``last_<metric>`` over the official test engines'
    last windows, as the QAQL cells do; the predictions go to the artifact folder.
    """
    keys = {k: config[k] for k in _RUL_DATA if k in config}
    with _worker_threads():
        train, test, official = rul_inputs(
            config["dataset"], **keys, train_windows=config.get("train_windows", 0)
        )
        model = baselines.get(config["model"], family="rul", **config.get("model_config", {}))
        started = time.perf_counter()
        model.fit(train, seed=config.get("seed", 0))
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        prediction = model.predict(test)
        predict_ms = 1e3 * (time.perf_counter() - started) / len(test)
        last = model.predict(official) if official is not None else None
    result = {f"window_{k}": v for k, v in regression_metrics(test.y, prediction).items()}
    arrays = {"prediction": prediction, "y_test": test.y}
    if last is not None:
        result.update({f"last_{k}": v for k, v in regression_metrics(official.y, last).items()})
        arrays["official_prediction"] = last
    result.update(
        model=model.name, parameters=model.n_parameters(), train_seconds=seconds,
        predict_ms_per_window=predict_ms, train_windows=int(len(train)),
        test_windows=int(len(test)),
    )  # fmt: skip
    _save_predictions(config.get("_artifacts"), **arrays)
    return result


def _seeded(name: str, family: str) -> bool:
    table = baselines.BEARING if family == "bearing" else baselines.RUL
    return table[name].seeded


def bearing_cells(
    experiment: str,
    *,
    base: Mapping[str, Any],
    models: Mapping[str, Mapping[str, Any]],
    kinds: Sequence[str],
    folds: int,
    seeds: Sequence[int],
    latency_repeats: int = 0,
) -> list:
    """Cells of every model × split kind × fold × seed on QEML-Net's ``base`` config.

    ``base`` is :func:`qpdm_lib.qeml.runs.base_config` of the chapter, so the partitions are the
    QEML-Net cells'; a model whose seed changes nothing gets the first seed only. A torch model
    carries its ``device`` at the top of the cell too, where the grid looks for a GPU request.
    """
    from ..experiments.grid import Cell

    data = {k: base[k] for k in _BEARING_DATA}
    cells = []
    for name, config in models.items():
        top = {"device": config["device"]} if "device" in config else {}
        for kind in kinds:
            for fold in range(folds):
                for seed in seeds if _seeded(name, "bearing") else list(seeds)[:1]:
                    cells.append(Cell(experiment, {
                        **data, "model": name, "model_config": dict(config), **top,
                        "split": kind, "folds": folds, "fold": fold, "seed": int(seed),
                        "latency_repeats": latency_repeats,
                    }))  # fmt: skip
    return cells


def rul_cells(
    experiment: str,
    *,
    base: Mapping[str, Any],
    datasets: Sequence[str],
    models: Mapping[str, Mapping[str, Any]],
    seeds: Sequence[int],
    train_windows: int = 0,
) -> list:
    """Cells of every dataset × model × seed on the QAQL cells' data settings ``base``
    (:func:`qpdm_lib.qaql.runs.base_config`); a model whose seed changes nothing gets the first
    seed only."""
    from ..experiments.grid import Cell

    data = {k: base[k] for k in _RUL_DATA}
    return [
        Cell(experiment, {**data, "dataset": dataset, "train_windows": train_windows,
                          "model": name, "model_config": dict(config), "seed": int(seed)})
        for dataset in datasets
        for name, config in models.items()
        for seed in (seeds if _seeded(name, "rul") else list(seeds)[:1])
    ]  # fmt: skip


def paired_runs(table, seeds: Sequence[int], *, family: str):
    """The grid's table (column ``model``) with one row per seed for every model of ``family``
    ("bearing" or "rul"): the one run of a model whose seed changes nothing stands for every
    seed, and ``shared_run`` marks the copies."""
    import pandas as pd

    if family not in ("bearing", "rul"):
        raise ValueError(f"family must be 'bearing' or 'rul', got {family!r}")
    seeds = [int(s) for s in seeds]
    parts = []
    for name, rows in table.groupby("model", sort=False):
        if _seeded(name, family):
            parts.append(rows.assign(shared_run=False))
            continue
        first = int(rows["seed"].iloc[0])
        parts += [rows.assign(seed=s, shared_run=s != first) for s in seeds]
    return pd.concat(parts, ignore_index=True) if parts else table.assign(shared_run=False)
