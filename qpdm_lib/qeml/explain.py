"""Interpretability of QEML-Net (section 4.6): SHAP, Grad-CAM, fault bands, fidelity monitoring.

Section 4.6 of the paper makes two claims:

* **SHAP** ranks vibration RMS, FFT peak frequency and kurtosis first "for the classification
  head". The head's inputs are the 4 quantum features and 512 learned features, none of them
  RMS or kurtosis, so the book computes SHAP twice: on the hand-crafted features of
  :func:`qpdm_lib.qeml.signal.features` for a classifier trained on them (:func:`feature_shap`),
  and on the head's own inputs grouped into the quantum features and the classical block
  (:func:`head_shap`), where each group is one player of an exact Shapley game.
* **Grad-CAM** attention "focuses on" BPFI, BPFO and BSF harmonics at normalised frequencies
  0.55, 0.42 and 0.28. :func:`grad_cam` computes Grad-CAM (captum's ``LayerGradCam``) on a stage
  of the backbone over the time-frequency image; :func:`band_profile` reduces a map to the
  16 wavelet-packet bands the image is made of; :func:`harmonic_bands` marks the bands holding
  a fault frequency's harmonics; :func:`band_share` measures how much attention falls inside them
  against how much of the image they occupy.

:func:`trained_model` is the model both the interpretability and the deployment chapters use:
the hybrid-network chapter's checkpoint when it matches, else the same run trained (and cached)
through :func:`qpdm_lib.qeml.runs.run_once`. :func:`stable_from` reads the fidelity history the
way the paper reads its Figure 2 ("stabilises above 0.95 at epoch 142").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from ..bearing import CWRU_DRIVE_END, Bearing
from . import runs
from .models.losses import fidelity
from .models.qeml_net import NetConfig, QEMLNet
from .training import TrainConfig, load_checkpoint, resolve_device

__all__ = [
    "PAPER_FEATURES",
    "FEATURE_LABELS",
    "Trained",
    "trained_model",
    "Attribution",
    "feature_shap",
    "head_inputs",
    "head_groups",
    "head_proba",
    "head_shap",
    "stages",
    "grad_cam",
    "row_frequencies",
    "band_profile",
    "harmonic_bands",
    "band_share",
    "peak_frequency",
    "fault_frequencies",
    "window_fidelity",
    "stable_from",
]

#: The paper's three SHAP features (section 4.6) as columns of :func:`qpdm_lib.qeml.signal.features`.
PAPER_FEATURES: dict[str, str] = {
    "qeml.s4.6.shap.rms": "rms",
    "qeml.s4.6.shap.fft_peak": "fft_peak_hz",
    "qeml.s4.6.shap.kurtosis": "kurtosis",
}

#: Readable names of the hand-crafted features (the rest keep their column names).
FEATURE_LABELS: dict[str, str] = {
    "rms": "RMS",
    "kurtosis": "kurtosis",
    "crest_factor": "crest factor",
    "skewness": "skewness",
    "peak_to_peak": "peak-to-peak",
    "fft_peak_hz": "FFT peak frequency",
    "spectral_centroid_hz": "spectral centroid",
    "env_bpfi": "envelope at BPFI",
    "env_bpfo": "envelope at BPFO",
    "env_bsf2": "envelope at 2·BSF",
}


# --- the trained model ------------------------------------------------------------------------
@dataclass
class Trained:
    """A trained QEML-Net with the partition and images it was trained and tested on."""

    model: QEMLNet  # in eval mode, on the CPU
    image_size: int
    split: object  # the qpdm_lib.qeml.splits.Split of the windows
    x_train: np.ndarray  # (n, 1, size, size) images, z-scored with training statistics
    x_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    history: list[dict]  # per-epoch training history (accuracy, loss terms, fidelity)
    origin: str  # "checkpoint" (the hybrid-network chapter's file) or "run" (trained or cached)


def _net_and_training(settings) -> tuple[NetConfig, TrainConfig]:
    """The hybrid-network chapter's configuration objects, built as that chapter builds them."""
    net = NetConfig(
        blocks=runs.DEPTHS[settings.depth], width=settings.width, quantum=settings.quantum
    )
    training = TrainConfig(
        epochs=settings.epochs, batch_size=settings.batch_size, lr=settings.lr,
        patience=settings.patience, seed=settings.seed,
        device=str(resolve_device(settings.device)),
    )  # fmt: skip
    return net, training


def _tuples(config: Mapping) -> dict:
    """A stored configuration with its lists back as tuples (as the dataclasses hold them)."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}


def _matches(stored: Mapping, net: NetConfig, training: TrainConfig, expected: Mapping) -> bool:
    """Whether a checkpoint's configuration is ``net``, ``training`` and ``expected``.

    Fields a newer configuration added take their defaults, so a checkpoint written before they
    existed still matches when it was trained as they now say by default.
    """
    try:
        same_net = NetConfig(**_tuples(stored["net"])) == net
        same_training = TrainConfig(**_tuples(stored["training"])) == training
    except (KeyError, TypeError):  # a field this version does not know
        return False
    return same_net and same_training and all(stored.get(k) == v for k, v in expected.items())


def trained_model(
    win,
    maps: np.ndarray,
    settings,
    *,
    checkpoint: Path,
    data_source: str,
    run: Callable[[], runs.RunResult] | None = None,
    cache: Path | None = None,
) -> Trained:
    """The hybrid-network chapter's trained QEML-Net (paper's split, first fold, first seed).

    Parameters
    ----------
    win, maps
        The CWRU windows (:func:`qpdm_lib.data.cwru.load_windows`) and their packet maps
        (:func:`qpdm_lib.qeml.signal.packet_map`), as the hybrid-network chapter loads them.
    settings
        The hybrid-network chapter's resolved configuration (``depth``, ``width``,
        ``quantum``, ``epochs``, ``batch_size``, ``lr``, ``patience``, ``seed``, ``device``,
        ``folds``, ``image_size``).
    checkpoint
        The model that chapter saved (``<results>/hybrid-network/<profile>-model.pt``). It is used
        when its configuration, image size and data source match ``settings``; otherwise the
        model comes from ``run``, typically :func:`qpdm_lib.qeml.runs.first_run` (the same run
        read from the book's run store, or trained into it once), or else is trained through
        :func:`qpdm_lib.qeml.runs.run_once` (cached in ``cache`` when given).
    data_source
        ``"real"`` or ``"synthetic"``: a checkpoint trained on the other kind is not used.
    """
    if data_source not in ("real", "synthetic"):
        raise ValueError(f"data_source must be 'real' or 'synthetic', got {data_source!r}")
    if len(maps) != len(win):
        raise ValueError(f"maps and windows differ in number: {len(maps)} and {len(win)}")
    net, training = _net_and_training(settings)
    size = settings.image_size
    split = runs.make_splits(win, "windows", folds=settings.folds, seed=settings.seed)[0]
    x_train, _, x_test = runs.split_images(maps, split, size)
    model = QEMLNet(net)
    expected = {"image_size": size, "split": "windows", "data_source": data_source}
    history, origin = None, "run"
    if Path(checkpoint).is_file():
        stored = torch.load(Path(checkpoint), weights_only=True)["config"]
        if _matches(stored, net, training, expected):
            history = load_checkpoint(Path(checkpoint), model)["history"]
            origin = "checkpoint"
    if history is None and run is not None:
        result = run()
        model.load_state_dict(result.state_dict)
        history, origin = result.history, "run store"
    if history is None:
        result = runs.run_once(
            maps, win.y, split, size=size, net=net, training=training, kind="windows", fold=0,
            cache=cache, keep_model=True,
        )  # fmt: skip
        model.load_state_dict(result.state_dict)
        history = result.history
    model.cpu().eval()
    return Trained(
        model=model, image_size=size, split=split, x_train=x_train, x_test=x_test,
        y_train=win.y[split.train], y_test=win.y[split.test], history=history, origin=origin,
    )  # fmt: skip


# --- SHAP -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attribution:
    """SHAP values of a multi-output model: ``values[i, j, c]`` for window i, player j, output c.

    ``expected[c] + values[i, :, c].sum() == output[i, c]`` (SHAP's additivity); output ``c`` is
    the probability of class ``classes[c]``.
    """

    values: np.ndarray  # (n, players, outputs)
    expected: np.ndarray  # (outputs,)
    output: np.ndarray  # (n, outputs): the model output that was explained
    names: tuple[str, ...]  # the players (features or groups)
    classes: tuple[int, ...]  # the class label of each output

    def of_class(self, y: np.ndarray) -> np.ndarray:
        """(n, players): each window's SHAP values for the output of its own class ``y[i]``."""
        y = np.asarray(y)
        if y.shape != (len(self.values),):
            raise ValueError(
                f"y must hold one class per window ({len(self.values)}), got {y.shape}"
            )
        column = {c: k for k, c in enumerate(self.classes)}
        missing = sorted(set(y.tolist()) - set(column))
        if missing:
            raise ValueError(f"classes {missing} are not among the model's outputs {self.classes}")
        return self.values[np.arange(len(y)), :, [column[c] for c in y.tolist()]]

    def importance(self, y: np.ndarray) -> pd.Series:
        """Mean |SHAP| of each player for the windows' own classes, largest first."""
        mean = np.abs(self.of_class(y)).mean(axis=0)
        return pd.Series(mean, index=list(self.names)).sort_values(ascending=False)

    def additivity_gap(self) -> float:
        """max |expected + Σ values − output| over windows and outputs (0 up to rounding)."""
        total = self.expected[None, :] + self.values.sum(axis=1)
        return float(np.abs(total - self.output).max())


def feature_shap(classifier, x: pd.DataFrame) -> Attribution:
    """TreeSHAP of a fitted tree-ensemble classifier's class probabilities on features ``x``.

    Section 4.6 of the paper ranks hand-crafted features by SHAP; this explains a classifier
    trained on :func:`qpdm_lib.qeml.signal.features`. Values are in probability units
    (``shap.TreeExplainer`` on ``predict_proba``), exact for the ensemble.
    """
    import shap

    if not isinstance(x, pd.DataFrame) or x.empty:
        raise ValueError("x must be a non-empty DataFrame of features (one row per window)")
    explainer = shap.TreeExplainer(classifier)
    values = np.asarray(explainer.shap_values(x, check_additivity=True))
    if values.ndim == 2:  # a single output comes back as (n, features)
        values = values[:, :, None]
    expected = np.atleast_1d(np.asarray(explainer.expected_value, dtype=np.float64))
    output = classifier.predict_proba(x)
    classes = tuple(int(c) for c in classifier.classes_)
    return Attribution(values, expected, output, tuple(x.columns), classes)


def head_inputs(model: QEMLNet, x: np.ndarray, *, batch_size: int = 256) -> np.ndarray:
    """The hybrid head's 516 inputs ``[q, h]`` for images ``x``: 4 quantum features, then 512
    (``h`` alone for a network without the quantum branch)."""
    if x.ndim != 4:
        raise ValueError(f"x must be images (n, 1, size, size), got shape {x.shape}")
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            h = model.project(model.backbone(torch.as_tensor(x[start : start + batch_size])))
            if model.circuit is not None:
                h = torch.cat([model.circuit(model.encoder(h)), h], dim=1)
            out.append(h.numpy())
    return np.concatenate(out)


def head_groups(model: QEMLNet) -> dict[str, list[int]]:
    """The players of the grouped head SHAP: each quantum feature alone, the 512 classical ones
    together (the order of :func:`head_inputs`)."""
    n_q = model.config.n_qubits if model.circuit is not None else 0
    d = model.config.feature_dim
    groups = {f"q{i + 1} (quantum)": [i] for i in range(n_q)}
    groups[f"h (all {d} classical)"] = list(range(n_q, n_q + d))
    return groups


def head_proba(model: QEMLNet, z: np.ndarray) -> np.ndarray:
    """Class probabilities (float64) of the hybrid head (section 3.5) for head inputs ``z``."""
    model.eval()
    with torch.no_grad():
        logits = model.head(torch.as_tensor(np.asarray(z, dtype=np.float32)))
        return torch.softmax(logits, dim=1).double().numpy()


class _GroupMasker:
    """A shap masker whose players are groups of columns: a group off takes the background's
    values, a group on the explained window's."""

    def __init__(self, background: np.ndarray, groups: Sequence[Sequence[int]]) -> None:
        self.background = np.asarray(background)
        self.groups = [np.asarray(g) for g in groups]
        self.shape = (len(self.background), len(self.groups))

    def mask_shapes(self, *args) -> list[tuple[int]]:
        return [(len(self.groups),)]

    def __call__(self, mask: np.ndarray, x: np.ndarray) -> np.ndarray:
        out = self.background.copy()
        for group, on in zip(self.groups, mask, strict=True):
            if on:
                out[:, group] = x[group]
        return out


def head_shap(
    model: QEMLNet,
    z: np.ndarray,
    background: np.ndarray,
    *,
    groups: Mapping[str, Sequence[int]] | None = None,
) -> Attribution:
    """Exact grouped SHAP of the hybrid head's class probabilities (section 3.5 head, §4.6).

    Each group of head inputs (default :func:`head_groups`: q1…q4 and the 512 classical
    features as one block) is a player; a player absent takes its values from each
    ``background`` row (interventional SHAP), and ``shap.explainers.Exact`` enumerates every
    coalition, so the values are the exact Shapley values of that game and add up to the
    probability minus its expectation over the background.
    """
    import shap

    z = np.asarray(z, dtype=np.float32)
    background = np.asarray(background, dtype=np.float32)
    width = model.config.feature_dim + (model.config.n_qubits if model.circuit is not None else 0)
    if z.ndim != 2 or z.shape[1] != width or background.shape[1:] != (width,):
        raise ValueError(
            f"z and background must be (n, {width}) head inputs, got {z.shape} and {background.shape}"
        )
    groups = dict(groups or head_groups(model))
    if len(groups) > 12:
        raise ValueError(f"exact SHAP over {len(groups)} groups is too costly; use at most 12")

    def proba(rows: np.ndarray) -> np.ndarray:
        return head_proba(model, rows)

    explainer = shap.explainers.Exact(proba, _GroupMasker(background, list(groups.values())))
    result = explainer(z, silent=True)
    base = np.asarray(result.base_values)
    return Attribution(
        values=np.asarray(result.values, dtype=np.float64),
        expected=base[0] if base.ndim == 2 else base,
        output=proba(z),
        names=tuple(groups),
        classes=tuple(range(model.config.n_classes)),
    )


# --- Grad-CAM -------------------------------------------------------------------------------
def stages(model: QEMLNet) -> dict[str, torch.nn.Module]:
    """The backbone's four stages by name (``stage 4`` is the last convolutional stage; CBAM
    sits at the end of stages 3 and 4, so their outputs are the attended feature maps)."""
    return {f"stage {k}": stage for k, stage in enumerate(model.backbone.stages, start=1)}


def grad_cam(
    forward: Callable[[torch.Tensor], torch.Tensor],
    layer: torch.nn.Module,
    x: np.ndarray,
    target: np.ndarray | int,
    *,
    batch_size: int = 128,
) -> tuple[np.ndarray, tuple[int, int]]:
    """Grad-CAM maps of ``target`` logits over images ``x``, at the input's resolution.

    ``forward`` maps images to logits (``QEMLNet.classify``), ``layer`` is the module whose
    output is explained (:func:`stages`). For each window, captum's ``LayerGradCam`` weights
    the layer's channels by their spatially averaged gradient and keeps the positive part of the
    weighted sum (Selvaraju et al., 2017); the map is resized bilinearly to the input and
    divided by its sum, so each window contributes a distribution over pixels (a map that is
    zero everywhere stays zero). Returns the maps ``(n, H, W)`` and the layer's own map size
    ``(rows, cols)``: the resolution the attention really has.
    """
    from captum.attr import LayerAttribution, LayerGradCam

    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 4:
        raise ValueError(f"x must be images (n, channels, H, W), got shape {x.shape}")
    targets = np.array(np.broadcast_to(np.asarray(target, dtype=np.int64), (len(x),)))
    cam = LayerGradCam(forward, layer)
    maps, native = [], (0, 0)
    for start in range(0, len(x), batch_size):
        xb = torch.as_tensor(x[start : start + batch_size])
        tb = torch.as_tensor(targets[start : start + batch_size])
        attr = cam.attribute(xb, target=tb, relu_attributions=True).detach()
        native = tuple(attr.shape[-2:])
        up = LayerAttribution.interpolate(attr, x.shape[-2:], interpolate_mode="bilinear")
        maps.append(up[:, 0].clamp_min(0).numpy())
    maps = np.concatenate(maps).astype(np.float64)
    total = maps.sum(axis=(1, 2), keepdims=True)
    maps = np.divide(maps, total, out=np.zeros_like(maps), where=total > 0)
    return maps, native


# --- the frequency axis of the image and the fault bands -------------------------------------
def row_frequencies(size: int, *, fs: float) -> np.ndarray:
    """Centre frequency (Hz) of each row of a ``size``-pixel network image, lowest first.

    The image is the 16-band × 32-step packet map resized to ``size × size``
    (:func:`qpdm_lib.qeml.signal.images`): row ``i`` sits at ``(i + ½)/size`` of the band axis,
    which spans 0 to fs/2 (the Nyquist frequency).

    Examples
    --------
    >>> row_frequencies(32, fs=12_000)[:3]
    array([ 93.75, 281.25, 468.75])
    """
    if size < 1 or fs <= 0:
        raise ValueError(f"size and fs must be positive, got {size} and {fs}")
    return (np.arange(size) + 0.5) / size * fs / 2


def band_profile(maps: np.ndarray, *, bands: int = 16) -> np.ndarray:
    """Share of each map's attention in each packet band: ``(…, bands)``, rows of each sum to 1.

    Sums a map over time (columns), then gives each image row to the packet band its centre
    falls in: the image has no finer frequency resolution than its ``bands`` bands.
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim < 2:
        raise ValueError(f"maps must be (…, rows, cols), got shape {maps.shape}")
    rows = maps.shape[-2]
    owner = np.floor((np.arange(rows) + 0.5) * bands / rows).astype(int)
    over_rows = maps.sum(axis=-1)
    profile = np.stack([over_rows[..., owner == b].sum(axis=-1) for b in range(bands)], axis=-1)
    total = profile.sum(axis=-1, keepdims=True)
    return np.divide(profile, total, out=np.zeros_like(profile), where=total > 0)


def harmonic_bands(
    fundamental_hz: float | np.ndarray,
    *,
    harmonics: int,
    fs: float,
    bands: int = 16,
) -> np.ndarray:
    """Packet bands (boolean, lowest first) holding harmonics 1…``harmonics`` of a fault frequency.

    ``fundamental_hz`` may hold one value per record (the shaft speed differs by load): a band is
    marked when any record's harmonic below Nyquist falls in it. Band ``b`` spans
    ``[b, b + 1] · fs / (2 · bands)`` Hz.

    Examples
    --------
    BPFI at 1797 rpm is 162.2 Hz; its first three harmonics fall in the two lowest 375 Hz bands:

    >>> np.flatnonzero(harmonic_bands(162.2, harmonics=3, fs=12_000))
    array([0, 1])
    """
    if harmonics < 1:
        raise ValueError(f"harmonics must be >= 1, got {harmonics}")
    f = np.atleast_1d(np.asarray(fundamental_hz, dtype=np.float64))
    if np.any(f <= 0):
        raise ValueError(f"fault frequencies must be > 0 Hz, got {f.min()}")
    tones = (f[:, None] * np.arange(1, harmonics + 1)[None, :]).ravel()
    tones = tones[tones < fs / 2]
    mask = np.zeros(bands, dtype=bool)
    mask[np.floor(tones / (fs / 2 / bands)).astype(int)] = True
    return mask


def band_share(profile: np.ndarray, mask: np.ndarray) -> dict[str, float]:
    """Attention inside the marked bands against the share of the image they occupy.

    ``profile`` is a band profile summing to 1 (:func:`band_profile`); ``lift`` is attention
    share ÷ area share (1 = no more attention than a uniform map would give; NaN without bands).
    A profile that is zero everywhere (Grad-CAM found no positive evidence) has no shares: NaN.

    Examples
    --------
    >>> mask = np.zeros(16, dtype=bool); mask[:2] = True
    >>> band_share(np.full(16, 1 / 16), mask)  # a uniform map: lift 1
    {'attention_share': 0.125, 'area_share': 0.125, 'lift': 1.0}
    """
    profile, mask = np.asarray(profile, dtype=np.float64), np.asarray(mask, dtype=bool)
    if profile.shape != mask.shape:
        raise ValueError(f"profile and mask differ in shape: {profile.shape} and {mask.shape}")
    area = float(mask.mean())
    total = profile.sum()
    attention = float(profile[mask].sum() / total) if total > 0 else float("nan")
    return {
        "attention_share": attention,
        "area_share": area,
        "lift": attention / area if area > 0 else float("nan"),
    }


def peak_frequency(maps: np.ndarray) -> float:
    """Normalised frequency (Nyquist = 1) of the image row with the most attention, time summed.

    The paper's "0.55 normalised frequency" reading of a Grad-CAM map, on our image's axis. NaN
    for a map with no peak: zero everywhere, or the same in every row (a 1 × 1 Grad-CAM map
    resized to the image). Ties go to the lowest row.
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 2:
        raise ValueError(f"maps must be one (rows, cols) map, got shape {maps.shape}")
    rows = maps.sum(axis=1)
    if rows.max() - rows.min() <= 1e-6 * np.abs(rows).max():  # float32 resizing: ~1e-7
        return float("nan")
    return float((np.argmax(rows) + 0.5) / len(rows))


def fault_frequencies(
    rpm: np.ndarray, *, bearing: Bearing = CWRU_DRIVE_END
) -> dict[str, np.ndarray]:
    """BPFI, BPFO and BSF (Hz) at each shaft speed in ``rpm`` (one value per record)."""
    kin = [bearing.frequencies(rpm=float(r)) for r in np.atleast_1d(rpm)]
    return {
        "bpfi": np.array([k.bpfi for k in kin]),
        "bpfo": np.array([k.bpfo for k in kin]),
        "bsf": np.array([k.bsf for k in kin]),
    }


# --- quantum fidelity monitoring --------------------------------------------------------------
def window_fidelity(
    model: QEMLNet, x: np.ndarray, y: np.ndarray, *, batch_size: int = 256
) -> np.ndarray:
    """|⟨y|ψ_L⟩|² of each window: how much of the circuit's final state sits on the basis state
    of the window's class ``y`` (the book's ψ_target, see :mod:`qpdm_lib.qeml.models.losses`)."""
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} and {len(y)}")
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            state = model(torch.as_tensor(x[start : start + batch_size]))["state"]
            target = torch.as_tensor(np.asarray(y[start : start + batch_size]), dtype=torch.long)
            out.append(fidelity(state, target).double().numpy())
    return np.concatenate(out) if out else np.empty(0)


def stable_from(values: Sequence[float], *, level: float) -> int | None:
    """First epoch (1-based) from which ``values`` stay above ``level`` to the end; None if the
    last value is not above it (the paper: fidelity "stabilises above 0.95 at epoch 142").

    Examples
    --------
    >>> stable_from([0.51, 0.96, 0.94, 0.96, 0.97], level=0.95)
    4
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"values must be one value per epoch, got shape {values.shape}")
    below = np.flatnonzero(~(values > level))
    if len(values) == 0 or (len(below) and below[-1] == len(values) - 1):
        return None
    return int(below[-1] + 2) if len(below) else 1
