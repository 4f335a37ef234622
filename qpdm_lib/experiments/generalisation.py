"""Generalisation experiments: unseen loads, unseen datasets, unseen operating conditions.

QEML-Net section 4.5 trains on CWRU and tests, without fine-tuning, on MFPT, IMS and Paderborn,
then fine-tunes on MFPT for 20 epochs "with only a small amount of additional labeled data". QAQL
section 4.7 runs its agent on the multi-condition C-MAPSS subsets. This module holds the splits
and the run-grid cells (:mod:`qpdm_lib.experiments.grid`) of the chapter that asks the
practitioner's versions of those questions:

* **Unseen load** (:func:`load_split`, :func:`bearing_load_cell`): train on every CWRU motor load
  but one and test on the records of the held-out load;
* **Unseen dataset** (:func:`bearing_transfer_cell`): train on CWRU, score the windows of another
  dataset on the classes both share (:func:`shared_classes`), then fine-tune on a few labelled
  target windows (:func:`finetune_split`);
* **Unseen operating condition** (:func:`cross_trajectories`, :func:`qaql_transfer_cell`,
  :func:`rul_cell`): the QAQL agent and the RUL baselines trained on one C-MAPSS subset and
  scored on another, its windows scaled and coded with the training subset's scaler and k-means
  codebook, as a deployed model would see them.

A model trained on CWRU outputs the classes CWRU holds; a target window of a class CWRU lacks
(IMS's roller fault) cannot be scored and is left out. Predicting a CWRU class the target lacks
(a ball fault on MFPT) counts as wrong: that is the plain accuracy. The *restricted* accuracy
takes the argmax over the shared classes only, i.e. it tells the model which classes exist.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence

import numpy as np

from ..data.cwru import CLASSES

__all__ = [
    "TARGETS",
    "BEARING_CODE_MODULES",
    "RUL_CODE_MODULES",
    "BASELINE_SIZES",
    "baseline_config",
    "shared_classes",
    "held_out_loads",
    "load_split",
    "target_units",
    "finetune_split",
    "target_windows",
    "bearing_load_cell",
    "bearing_transfer_cell",
    "cross_windows",
    "cross_trajectories",
    "qaql_transfer_cell",
    "rul_cell",
]

#: The held-out bearing datasets of QEML-Net section 4.5, in the paper's order.
TARGETS: tuple[str, ...] = ("mfpt", "ims", "paderborn")

#: The modules whose source enters a bearing cell's key.
BEARING_CODE_MODULES = (
    "qpdm_lib.experiments.generalisation", "qpdm_lib.qeml.runs", "qpdm_lib.qeml.training",
    "qpdm_lib.qeml.signal", "qpdm_lib.qeml.splits", "qpdm_lib.qeml.models", "qpdm_lib.baselines",
    "qpdm_lib.data.cwru", "qpdm_lib.data.synthetic", "qpdm_lib.data.mfpt", "qpdm_lib.data.ims",
    "qpdm_lib.data.paderborn", "qpdm_lib.data._windows", "qpdm_lib.data.bearings_synthetic",
    "qpdm_lib.metrics",
)  # fmt: skip
#: The modules whose source enters a cross-condition C-MAPSS cell's key.
RUL_CODE_MODULES = (
    "qpdm_lib.experiments.generalisation", "qpdm_lib.qaql", "qpdm_lib.baselines",
    "qpdm_lib.data.cmapss", "qpdm_lib.data.synthetic", "qpdm_lib.metrics",
)  # fmt: skip

#: Baseline sizes per profile (keywords of :func:`qpdm_lib.baselines.get`): the baselines
#: chapter's ``tiny`` sizes in ``smoke``, its ``small`` ones in ``quick`` (a 2-core CPU), each
#: model's own defaults (the papers' scale) in ``full``. See :func:`baseline_config`.
BASELINE_SIZES: dict[str, dict[str, dict]] = {
    "smoke": {
        "Random Forest": {"n_estimators": 20}, "AutoML": {"n_candidates": 2},
        "LSTM": {"hidden": 8, "layers": 1}, "1D-CNN": {"channels": [4, 4, 8, 8, 8, 8], "hidden": 8},
        "Transformer": {"d_model": 8, "heads": 2, "layers": 1, "ff": 16},
        "Hybrid-QNN": {"n_layers": 2},
        "Bi-LSTM": {"hidden": 4, "layers": 1, "epochs": 2, "patience": 2},
        "GRU": {"hidden": 4, "layers": 1, "epochs": 2, "patience": 2},
        "Gradient-Boosted Trees": {"max_iter": 20},
    },
    "quick": {
        "AutoML": {"n_candidates": 6}, "LSTM": {"hidden": 32, "layers": 1},
        "1D-CNN": {"channels": [16, 16, 32, 32, 64, 64], "hidden": 64},
        "Transformer": {"d_model": 32, "heads": 2, "layers": 1, "ff": 64},
        "Bi-LSTM": {"hidden": 16, "layers": 1, "epochs": 4, "patience": 4},
        "GRU": {"hidden": 16, "layers": 1, "epochs": 4, "patience": 4},
    },
    "full": {},
}  # fmt: skip
#: What a torch bearing baseline takes from QEML-Net's run: its training budget.
_BUDGET = ("epochs", "patience", "batch_size", "lr", "device")


def baseline_config(name: str, profile: str, protocol: dict | None = None) -> dict:
    """Configuration of baseline ``name`` in ``profile`` (:data:`BASELINE_SIZES`).

    With ``protocol`` (a bearing cell's QEML-Net settings), a torch bearing baseline trains with
    QEML-Net's budget (epochs, patience, batch size, learning rate, device) and the image models
    (ResNet-50, Hybrid-QNN) use its backbone (``depth``, ``width``), so every bearing model of a
    comparison gets the same training.

    >>> baseline_config("Hybrid-QNN", "quick", {"epochs": 12, "patience": 5, "depth": "resnet14",
    ...                                         "width": 8})
    {'epochs': 12, 'patience': 5, 'blocks': [1, 1, 1, 1], 'width': 8}
    """
    from .. import baselines
    from ..baselines._torch import Training
    from ..qeml.runs import DEPTHS

    if profile not in BASELINE_SIZES:
        raise ValueError(f"profile must be one of {', '.join(BASELINE_SIZES)}, got {profile!r}")
    config = dict(BASELINE_SIZES[profile].get(name, {}))
    factory = baselines.BEARING.get(name) if protocol is not None else None
    if factory is not None and issubclass(factory.Config, Training):
        config.update({k: protocol[k] for k in _BUDGET if k in protocol})
        if name in ("ResNet-50", "Hybrid-QNN") and "depth" in protocol:
            config.update(blocks=list(DEPTHS[protocol["depth"]]), width=protocol["width"])
    return config


def shared_classes(dataset: str, trained: Sequence[str]) -> tuple[str, ...]:
    """Classes of ``dataset`` that the ``trained`` classes (a CWRU model's) also hold, in the
    taxonomy's order.

    >>> shared_classes("ims", ["Normal", "Ball", "Inner Race", "Outer Race"])
    ('Normal', 'Inner Race', 'Outer Race')
    """
    from importlib import import_module

    if dataset not in TARGETS:
        raise ValueError(f"dataset must be one of {', '.join(TARGETS)}, got {dataset!r}")
    present = import_module(f"qpdm_lib.data.{dataset}").CLASSES_PRESENT
    return tuple(c for c in CLASSES if c in present and c in trained)


# --- unseen loads ------------------------------------------------------------------------------
def _loads(win) -> np.ndarray:
    """Motor load (HP) of each window of a CWRU :class:`~qpdm_lib.data.cwru.Windows`."""
    return win.records.set_index("record")["load_hp"].loc[win.record].to_numpy()


def _single_load_classes(win) -> set[int]:
    """Classes whose records all sit at one load (CWRU's one normal record, for instance)."""
    loads = _loads(win)
    return {int(c) for c in np.unique(win.y) if len(np.unique(loads[win.y == c])) == 1}


def held_out_loads(win) -> list[int]:
    """Every load that can be held out: those where a class recorded at several loads has a
    record. (A class recorded at one load only cannot be tested on an unseen load.)"""
    loads = _loads(win)
    single = _single_load_classes(win)
    multi = ~np.isin(win.y, list(single))
    return sorted(int(v) for v in np.unique(loads[multi]))


def _cut(start: np.ndarray, length: int, at: Sequence[float]) -> np.ndarray:
    """Block of each window when a record's span is cut at the fractions ``at``; -1 for windows
    that straddle a cut (their samples would fall on both sides)."""
    first, last = start.min(), start.max() + length
    cuts = first + np.asarray(at) * (last - first)
    block = np.searchsorted(cuts, start, side="right")
    straddles = block != np.searchsorted(cuts, start + length - 1, side="right")
    return np.where(straddles, -1, block)


def load_split(
    win, held_out: int | None, *, val_fraction: float = 0.15, test_fraction: float = 0.15
):
    """Leave-one-load-out partition of CWRU windows ``win`` (a :class:`~qpdm_lib.qeml.splits.Split`).

    * every record at load ``held_out`` of a class recorded at several loads: **test**;
    * every other record of such a class: its first ``1 - val_fraction`` in time trains, the last
      ``val_fraction`` validates (model selection sees only the training loads);
    * a record of a class recorded at one load only (CWRU's normal baseline): cut in time, the
      first part trains, then validation, the last ``test_fraction`` tests, whatever the held-out
      load, so the class is learned and scored in every fold, always at its own load.

    ``held_out=None`` is the seen-load reference: every record is cut in time that way, so the
    test windows come from records (and loads) that also train. Windows straddling a cut are
    dropped, so no two parts share a sample.
    """
    if not (0 < val_fraction < 1 and 0 < test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(
            f"need 0 < val_fraction, test_fraction and their sum < 1, got {val_fraction} and "
            f"{test_fraction}"
        )
    allowed = held_out_loads(win)
    if held_out is not None and held_out not in allowed:
        raise ValueError(f"load {held_out} cannot be held out; loads that can: {allowed}")
    from ..qeml.splits import Split

    loads, single = _loads(win), _single_load_classes(win)
    length = win.x.shape[1]
    part = np.full(len(win), -1)
    in_time = (1 - val_fraction - test_fraction, 1 - test_fraction)
    for record in np.unique(win.record):
        rows = np.flatnonzero(win.record == record)
        cls, load = int(win.y[rows[0]]), int(loads[rows[0]])
        if held_out is None or cls in single:
            part[rows] = _cut(win.start[rows], length, in_time)
        elif load == held_out:
            part[rows] = 2
        else:
            part[rows] = _cut(win.start[rows], length, (1 - val_fraction,))
    if held_out is None:
        note = "no load held out: every record cut in time"
    else:
        names = sorted(CLASSES[c] for c in single)
        note = f"load {held_out} held out" + (
            f"; {', '.join(names)} recorded at one load only: cut in time in every fold"
            if names
            else ""
        )
    return Split(*(np.flatnonzero(part == k) for k in range(3)), note)


# --- unseen datasets ---------------------------------------------------------------------------
def target_units(win, dataset: str) -> np.ndarray:
    """The physical unit of each target window, what a fine-tuning split keeps on one side:
    an MFPT file, a Paderborn bearing (all its settings and repetitions), an IMS bearing of one
    test (all its snapshots)."""
    rec = win.records.set_index("record")
    if dataset == "paderborn":
        codes = rec["bearing"].loc[win.record].to_numpy()
        return np.unique(codes, return_inverse=True)[1].astype(np.int64)
    if dataset == "ims":
        return (100 * rec["test"] + rec["bearing"]).loc[win.record].to_numpy().astype(np.int64)
    if dataset == "mfpt":
        return np.asarray(win.record, dtype=np.int64)
    raise ValueError(f"dataset must be one of {', '.join(TARGETS)}, got {dataset!r}")


def finetune_split(win, units: np.ndarray, *, per_class: int, seed: int = 0):
    """A small labelled part of a target dataset for fine-tuning, and the rest for testing.

    Per class, units (:func:`target_units`) are drawn at random until they hold ``per_class``
    windows; ``per_class`` windows of them, evenly spread, are labelled (every fifth validates,
    the others train) and every window of the other units tests. A class held by a single unit
    is cut in time instead: the labelled windows come from the first part of its span, the test
    windows from the rest, and windows between them are dropped (no shared samples).
    """
    from ..qeml.splits import Split

    if per_class < 2:
        raise ValueError(f"per_class must be >= 2 (train and validate), got {per_class}")
    rng = np.random.default_rng(seed)
    length = win.x.shape[1]
    labelled, test = [], []
    for cls in np.unique(win.y):
        rows = np.flatnonzero(win.y == cls)
        pool = np.unique(units[rows])
        if len(pool) >= 2:
            chosen: list[int] = []
            for unit in rng.permutation(pool)[:-1]:  # at least one unit is left to test
                chosen.append(int(unit))
                if np.isin(units[rows], chosen).sum() >= per_class:
                    break
            mine = rows[np.isin(units[rows], chosen)]
            test.append(rows[~np.isin(units[rows], chosen)])
        else:
            order = rows[np.lexsort((win.start[rows], win.record[rows]))]
            cut = min(per_class, len(order) - 1)
            mine = order[:cut]
            boundary, last = win.record[order[cut - 1]], win.start[order[cut - 1]] + length
            rest = order[cut:]
            # the record cut at the boundary keeps only windows sharing no sample with a
            # labelled one; later records (other files or snapshots) share none
            test.append(rest[(win.record[rest] != boundary) | (win.start[rest] >= last)])
        keep = np.linspace(0, len(mine) - 1, min(per_class, len(mine))).round().astype(int)
        labelled.append(np.unique(mine[keep]))
    labelled_all = np.concatenate(labelled)
    val = labelled_all[::5]
    train = np.setdiff1d(labelled_all, val)
    return Split(train, np.sort(val), np.sort(np.concatenate(test)), "fine-tuning by unit")


@functools.lru_cache(maxsize=8)
def target_windows(
    dataset: str,
    *,
    data: str = "auto",
    data_seed: int = 0,
    windows_per_record: int = 0,
    ims_files: int = 0,
    paderborn_settings: tuple[str, ...] | None = None,
    trained: tuple[str, ...] = ("Normal", "Ball", "Inner Race", "Outer Race"),
):
    """Windows of a target dataset at 12 kHz on the classes it shares with ``trained``, and
    their packet maps (cached per process).

    ``windows_per_record`` caps the windows per file (per channel of a snapshot for IMS);
    ``ims_files`` caps the IMS snapshots of each labelled part of each test (0: all);
    ``paderborn_settings`` names the Paderborn settings read (None: all present).
    """
    from ..data import ims, mfpt, open_source, paderborn
    from ..qeml import signal as pp

    source = open_source(dataset, data, seed=data_seed)
    if dataset == "mfpt":
        win = mfpt.load_windows(source, max_per_record=windows_per_record)
    elif dataset == "paderborn":
        settings = list(paderborn_settings) if paderborn_settings else None
        win = paderborn.load_windows(source, settings=settings, max_per_record=windows_per_record)
    elif dataset == "ims":
        win = ims.load_windows(
            source, max_per_record=windows_per_record, max_files_per_part=ims_files
        )
    else:
        raise ValueError(f"dataset must be one of {', '.join(TARGETS)}, got {dataset!r}")
    keep = np.isin(win.y, [CLASSES.index(c) for c in shared_classes(dataset, trained)])
    win = win.subset(np.flatnonzero(keep))
    return win, pp.packet_map(win.x, fs=win.fs)


def _target_inputs(dataset: str, win, maps, image_size: int):
    """A target's :class:`~qpdm_lib.baselines.BearingInputs`: hand-crafted features at the
    target's own bearing geometry and shaft speed (BPFI, BPFO and BSF are the target's)."""
    from importlib import import_module

    from ..baselines import BearingInputs
    from ..qeml import signal as pp

    bearing = import_module(f"qpdm_lib.data.{dataset}").BEARING
    rpm = win.records.set_index("record")["rpm"].loc[win.record].to_numpy(np.float64)
    feats = pp.features(win.x, rpm=rpm, bearing=bearing)
    return BearingInputs(win.x, win.y, feats, maps, image_size=image_size)


@functools.lru_cache(maxsize=4)
def _cwru_inputs(data: str, data_seed: int, windows_per_record: int, image_size: int):
    from ..baselines import BearingInputs
    from ..qeml.runs import prepared

    win, maps = prepared(data, data_seed, windows_per_record)
    rpm = win.records.set_index("record")["rpm"].loc[win.record].to_numpy(np.float64)
    from ..qeml import signal as pp

    return BearingInputs(win.x, win.y, pp.features(win.x, rpm=rpm), maps, image_size=image_size)


def _accuracy(y: np.ndarray, proba: np.ndarray, classes: Sequence[int] | None = None) -> float:
    """Accuracy in % of the argmax over all classes, or over ``classes`` only."""
    if len(y) == 0:
        return float("nan")
    if classes is not None:
        classes = np.asarray(sorted(classes))
        pred = classes[np.argmax(proba[:, classes], axis=1)]
    else:
        pred = proba.argmax(axis=1)
    return 100.0 * float((pred == y).mean())


def _scores(y: np.ndarray, proba: np.ndarray, prefix: str = "") -> dict:
    """Accuracy, fault accuracy (normal class left out), macro F1 and the confusion matrix."""
    from ..metrics import classification_metrics

    faults = y != CLASSES.index("Normal")
    m = classification_metrics(y, proba, n_classes=len(CLASSES))
    confusion = np.zeros((len(CLASSES), len(CLASSES)), dtype=int)
    np.add.at(confusion, (y, proba.argmax(axis=1)), 1)
    return {
        f"{prefix}accuracy": _accuracy(y, proba),
        f"{prefix}fault_accuracy": _accuracy(y[faults], proba[faults]),
        f"{prefix}f1": 100.0 * m["f1"],
        f"{prefix}test_windows": int(len(y)),
        f"{prefix}confusion": confusion.tolist(),
    }


def _train_config(config: dict, **changes):
    from ..qeml.training import TrainConfig

    base = {
        "epochs": config.get("epochs", 200), "batch_size": config.get("batch_size", 64),
        "lr": config.get("lr", 1e-3), "patience": config.get("patience", 30),
        "seed": config.get("seed", 0), "device": config.get("device", "cpu"),
    }  # fmt: skip
    return TrainConfig(**{**base, **changes})


def _qeml_net(config: dict):
    """A new QEML-Net of the cell's size (seeded by the caller)."""
    from ..qeml.models.qeml_net import NetConfig, QEMLNet
    from ..qeml.runs import DEPTHS

    return QEMLNet(
        NetConfig(blocks=DEPTHS[config.get("depth", "resnet50")], width=config.get("width", 64))
    )


def _fit_qeml(maps: np.ndarray, y: np.ndarray, split, config: dict):
    """Train QEML-Net on ``split`` of ``maps``; returns the model and the training z-score."""
    import torch

    from ..qeml import signal as pp
    from ..qeml.training import train

    size = config.get("image_size", 224)
    zscore = pp.band_zscore(maps[split.train])
    x_train, x_val = (pp.images(maps[part], zscore, size) for part in (split.train, split.val))
    training = _train_config(config)
    torch.manual_seed(training.seed)
    model = _qeml_net(config)
    train(model, x_train, y[split.train], x_val, y[split.val], training)
    return model, zscore


def _qeml_proba(model, maps: np.ndarray, zscore, size: int) -> np.ndarray:
    from ..qeml import signal as pp
    from ..qeml.training import evaluate

    return evaluate(model, pp.images(maps, zscore, size))[0]


def bearing_load_cell(config: dict) -> dict:
    """One unseen-load run (a grid cell): ``method`` ("QEML-Net" or a bearing baseline's name,
    with its configuration in ``model``) trained by :func:`load_split` with ``held_out_load``
    held out (``None``: the seen-load reference), scored on the split's test windows.

    Keys besides those: the data (``data``, ``data_seed``, ``windows_per_record``), QEML-Net's
    size and training (``image_size``, ``depth``, ``width``, ``epochs``, ``patience``,
    ``batch_size``, ``lr``, ``device``) and ``seed``.
    """
    from ..qeml.runs import match_worker_threads, prepared

    match_worker_threads()
    win, maps = prepared(
        config.get("data", "auto"), config.get("data_seed", 0), config.get("windows_per_record", 0)
    )
    held_out = config["held_out_load"]
    split = load_split(win, held_out)
    started = time.perf_counter()
    proba = _fit_predict(config, win, maps, split)
    out = _scores(win.y[split.test], proba)
    unseen = _loads(win)[split.test] == held_out if held_out is not None else np.zeros(0, bool)
    out["unseen_load_windows"] = int(unseen.sum())
    out["train_windows"] = int(len(split.train))
    out["train_seconds"] = time.perf_counter() - started
    return out


def _fit_predict(config: dict, win, maps, split) -> np.ndarray:
    """Probabilities of the test windows of ``split`` from ``config["method"]`` fitted on it."""
    method = config["method"]
    if method == "QEML-Net":
        model, zscore = _fit_qeml(maps, win.y, split, config)
        return _qeml_proba(model, maps[split.test], zscore, config.get("image_size", 224))
    from .. import baselines

    data = _cwru_inputs(
        config.get("data", "auto"), config.get("data_seed", 0),
        config.get("windows_per_record", 0), config.get("image_size", 224),
    )  # fmt: skip
    model = baselines.get(method, family="bearing", **config.get("model", {}))
    model.fit(data, split, seed=int(config.get("seed", 0)))
    return model.predict_proba(data, split.test)


def bearing_transfer_cell(config: dict) -> dict:
    """Train ``method`` on CWRU and score it on each dataset of ``targets`` (a grid cell).

    The CWRU model is trained on a leakage-free partition by record (``split_seed``) and scored
    on its CWRU test records too (the in-domain reference). On each target, on the classes it
    shares with CWRU: plain and restricted zero-shot accuracy over every window
    (``<target>_accuracy``, ``<target>_restricted_accuracy``, fault accuracy, F1, confusion);
    then, for QEML-Net with ``finetune_epochs`` > 0, the CWRU weights are trained further for
    ``finetune_epochs`` on ``finetune_per_class`` labelled windows per class
    (:func:`finetune_split`, at ``finetune_lr``) and both are scored on the windows of the other
    units (``<target>_heldout_zeroshot_accuracy``, ``<target>_finetuned_accuracy``).
    Target data keys: ``target_windows_per_record``, ``ims_files``, ``paderborn_settings``.
    """
    from ..qeml.runs import make_splits, match_worker_threads, prepared

    match_worker_threads()
    data, data_seed = config.get("data", "auto"), config.get("data_seed", 0)
    win, maps = prepared(data, data_seed, config.get("windows_per_record", 0))
    split = make_splits(win, "records", folds=1, seed=config.get("split_seed", 0))[0]
    size = config.get("image_size", 224)
    method = config["method"]
    started = time.perf_counter()
    if method == "QEML-Net":
        model, zscore = _fit_qeml(maps, win.y, split, config)

        def proba_of(dataset, twin, tmaps):
            return _qeml_proba(model, tmaps, zscore, size)

        cwru_proba = _qeml_proba(model, maps[split.test], zscore, size)
    else:
        from .. import baselines

        cwru = _cwru_inputs(data, data_seed, config.get("windows_per_record", 0), size)
        fitted = baselines.get(method, family="bearing", **config.get("model", {}))
        fitted.fit(cwru, split, seed=int(config.get("seed", 0)))

        def proba_of(dataset, twin, tmaps):
            inputs = _target_inputs(dataset, twin, tmaps, size)
            return fitted.predict_proba(inputs, np.arange(len(inputs)))

        cwru_proba = fitted.predict_proba(cwru, split.test)
    out = _scores(win.y[split.test], cwru_proba, "cwru_")
    trained = tuple(CLASSES[c] for c in np.unique(win.y[split.train]))
    for dataset in config.get("targets", ()):
        twin, tmaps = target_windows(
            dataset, data=data, data_seed=data_seed,
            windows_per_record=config.get("target_windows_per_record", 0),
            ims_files=config.get("ims_files", 0),
            paderborn_settings=tuple(config.get("paderborn_settings") or ()) or None,
            trained=trained,
        )  # fmt: skip
        shared = [CLASSES.index(c) for c in shared_classes(dataset, trained)]
        proba = proba_of(dataset, twin, tmaps)
        out.update(_scores(twin.y, proba, f"{dataset}_"))
        out[f"{dataset}_restricted_accuracy"] = _accuracy(twin.y, proba, shared)
        out[f"{dataset}_classes"] = ", ".join(CLASSES[c] for c in shared)
        if method == "QEML-Net" and config.get("finetune_epochs", 0) > 0:
            out.update(_finetune(model, zscore, dataset, twin, tmaps, config))
    out["train_seconds"] = time.perf_counter() - started
    return out


def _finetune(model, zscore, dataset: str, twin, tmaps, config: dict) -> dict:
    """Fine-tune a copy of ``model`` on a few labelled target windows; score both on the rest."""
    import copy

    import torch

    from ..qeml.training import train

    size = config.get("image_size", 224)
    split = finetune_split(
        twin, target_units(twin, dataset), per_class=int(config.get("finetune_per_class", 20)),
        seed=int(config.get("seed", 0)),
    )  # fmt: skip
    before = _qeml_proba(model, tmaps[split.test], zscore, size)
    tuned = copy.deepcopy(model)
    x_train, x_val = (
        _images(tmaps[part], zscore, size) for part in (split.train, split.val)
    )  # the CWRU z-score: only the weights change
    epochs = int(config["finetune_epochs"])
    training = _train_config(
        config, epochs=epochs, patience=epochs, lr=float(config.get("finetune_lr", 1e-4))
    )
    torch.manual_seed(training.seed)
    train(tuned, x_train, twin.y[split.train], x_val, twin.y[split.val], training)
    after = _qeml_proba(tuned, tmaps[split.test], zscore, size)
    y = twin.y[split.test]
    return {
        f"{dataset}_finetune_windows": int(len(split.train) + len(split.val)),
        f"{dataset}_finetune_test_windows": int(len(split.test)),
        f"{dataset}_heldout_zeroshot_accuracy": _accuracy(y, before),
        f"{dataset}_finetuned_accuracy": _accuracy(y, after),
    }


def _images(maps: np.ndarray, zscore, size: int) -> np.ndarray:
    from ..qeml import signal as pp

    return pp.images(maps, zscore, size)


# --- unseen operating conditions (C-MAPSS) -----------------------------------------------------
def _raw_official(source, subset: str):
    """NASA's test file of ``subset``, unscaled, with its capped RUL (the last-cycle protocol)."""
    from ..data import cmapss

    official = cmapss.read_table(source, subset, "test")
    official["rul"] = cmapss.piecewise_rul(official, end_rul=cmapss.read_rul(source, subset))
    return official


@functools.lru_cache(maxsize=8)
def cross_windows(
    train_subset: str,
    test_subset: str,
    *,
    data: str = "auto",
    data_seed: int = 0,
    max_train_windows: int = 0,
) -> dict:
    """Windows of ``train_subset``'s training engines and of ``test_subset``'s held-out and
    official test engines, all scaled with ``train_subset``'s scaler (cached per process).

    The held-out engines of ``test_subset`` are those :func:`qpdm_lib.data.cmapss.prepare` holds
    out with ``data_seed``, so a model trained on ``test_subset`` itself is scored on the very
    same windows. With ``train_subset == test_subset`` this is exactly ``prepare``'s scaling.
    Returns ``train``, ``test`` and ``official``, each ``(x, y, unit)``, and ``features``.
    """
    from sklearn.preprocessing import MinMaxScaler

    from ..data import cmapss, open_source
    from ..qaql.trajectories import limit_groups

    if train_subset in ("FD002", "FD004"):
        raise ValueError(
            f"training on {train_subset} uses per-regime scaling, which a single-condition "
            "subset cannot be put through; train on FD001 or FD003"
        )
    src = open_source("cmapss", data, seed=data_seed, subset=train_subset)
    prepared = cmapss.prepare(src, train_subset, seed=data_seed)
    features = prepared.features
    train_rows = prepared.raw_train[prepared.raw_train["unit"].isin(prepared.train["unit"])]
    scaler = MinMaxScaler().fit(train_rows[features])  # the scaler prepare fitted, refitted
    tgt = open_source("cmapss", data, seed=data_seed, subset=test_subset)
    target = cmapss.prepare(tgt, test_subset, seed=data_seed)
    held_out = target.raw_train[target.raw_train["unit"].isin(target.test["unit"])].copy()
    official = _raw_official(tgt, test_subset)
    for frame in (held_out, official):
        frame[features] = scaler.transform(frame[features])
    x_tr, y_tr, u_tr = cmapss.windows(prepared.train, features)
    keep = limit_groups(u_tr, max_train_windows, data_seed)
    return {
        "features": list(features),
        "train": (x_tr[keep], y_tr[keep], u_tr[keep]),
        "test": cmapss.windows(held_out, features),
        "official": cmapss.last_windows(official, features),
    }


@functools.lru_cache(maxsize=16)
def cross_trajectories(
    train_subset: str,
    test_subset: str,
    *,
    data: str = "auto",
    data_seed: int = 0,
    n_states: int = 64,
    summaries: str = "mean+slope",
    standardize: bool = True,
    max_train_windows: int = 0,
):
    """QAQL's :class:`~qpdm_lib.qaql.trajectories.Trajectories` trained on ``train_subset`` and
    tested on ``test_subset``: the test windows coded with the training subset's k-means codebook
    (:class:`~qpdm_lib.qaql.trajectories.StateCoder`), as the deployed agent would code them.
    The training side equals :func:`~qpdm_lib.qaql.trajectories.cmapss_trajectories`' for
    ``train_subset`` (same windows, same codebook)."""
    from ..qaql import trajectories as tr

    w = cross_windows(
        train_subset, test_subset, data=data, data_seed=data_seed,
        max_train_windows=max_train_windows,
    )  # fmt: skip
    coder = tr.StateCoder(
        n_states, summaries=tuple(summaries.split("+")), standardize=standardize, seed=data_seed
    )
    return tr.coded_cmapss(
        f"{train_subset} to {test_subset}",
        coder.fit(w["train"][0]),
        w["train"],
        w["test"],
        w["official"],
    )


def qaql_transfer_cell(config: dict) -> dict:
    """The QAQL agent trained on ``train_subset`` and scored on ``test_subset`` (a grid cell).

    Keys as :func:`qpdm_lib.qaql.runs.train_cell` (``selector``, ``seed``, the state design,
    ``episodes``, ``num_reads``, ``discount``), with ``train_subset`` and ``test_subset`` in
    place of ``dataset``. Returns the per-window and last-cycle metrics (``window_RMSE`` ...).
    """
    from dataclasses import replace

    from ..qaql import agent as qa

    traj = cross_trajectories(
        config["train_subset"], config["test_subset"], data=config.get("data", "auto"),
        data_seed=config.get("data_seed", 0), n_states=config.get("n_states", 64),
        summaries=config.get("summaries", "mean+slope"),
        standardize=config.get("standardize", True),
        max_train_windows=config.get("max_train_windows", 0),
    )  # fmt: skip
    base = qa.AgentConfig(n_states=config.get("n_states", 64), rul_cap=traj.cap)
    agent_config = replace(
        base, episodes=config.get("episodes", base.episodes),
        discount=config.get("discount", base.discount),
        num_reads=config.get("num_reads", base.num_reads),
    )  # fmt: skip
    started = time.perf_counter()
    out = qa.train_and_evaluate(traj, agent_config, config["selector"], seed=config["seed"])
    return {
        **{f"window_{k}": v for k, v in out["per_window"].items()},
        **{f"last_{k}": v for k, v in out["last_cycle"].items()},
        "unseen_states": int(np.setdiff1d(traj.test_states, traj.train_states).size),
        "train_windows": int(len(traj.train_states)),
        "test_windows": int(len(traj.test_states)),
        "train_seconds": time.perf_counter() - started,
    }


def rul_cell(config: dict) -> dict:
    """A RUL baseline (``method``, configuration ``model``) trained once on ``train_subset`` and
    scored on the held-out and official test engines of each of ``test_subsets`` (a grid cell).

    Returns ``<subset>.window_<metric>`` and ``<subset>.last_<metric>`` for each test subset.
    """
    from .. import baselines, metrics
    from ..baselines import RULInputs
    from ..data import cmapss

    data, data_seed = config.get("data", "auto"), config.get("data_seed", 0)
    source, targets = config["train_subset"], list(config["test_subsets"])
    windows = {
        t: cross_windows(
            source,
            t,
            data=data,
            data_seed=data_seed,
            max_train_windows=config.get("max_train_windows", 0),
        )  # fmt: skip
        for t in targets
    }
    started = time.perf_counter()
    train = RULInputs(*windows[targets[0]]["train"], cap=float(cmapss.RUL_CAP))
    model = baselines.get(config["method"], family="rul", **config.get("model", {}))
    model.fit(train, seed=int(config["seed"]))
    out: dict = {"train_windows": int(len(train))}
    for target, w in windows.items():
        for part, protocol in (("test", "window"), ("official", "last")):
            x, y, _ = w[part]
            scores = metrics.regression_metrics(y, model.predict(x))
            out.update({f"{target}.{protocol}_{k}": v for k, v in scores.items()})
        out[f"{target}.test_windows"] = int(len(w["test"][1]))
    out["train_seconds"] = time.perf_counter() - started
    return out
