"""Deep bearing baselines of QEML-Net Table 3, in torch.

On the raw 512-sample windows (standardised with the training windows' mean and standard
deviation, one pair for all samples, so the windows' energy still tells classes apart):

* :class:`LSTMClassifier` ("LSTM", ref. [7], "LSTM-3L"): the window read as 32 steps of 16
  samples by a 3-layer LSTM; the last step's hidden state → linear head;
* :class:`CNN1D` ("1D-CNN", ref. [4], "6-conv"): six convolution blocks, the first with a wide
  kernel and stride (the WDCNN pattern for vibration), then global average pooling → MLP head;
* :class:`TransformerClassifier` ("Transformer", ref. [11]): 32 patches of 16 samples as tokens,
  a class token and learned positions, a pre-norm encoder, the class token → linear head.

On QEML-Net's image (the band-z-scored packet map resized to ``image_size``, the z-score fitted on
``split.train``; :func:`qpdm_lib.qeml.signal.images`):

* :class:`ResNet50` ("ResNet-50", ref. [9]): the book's bottleneck ResNet without CBAM and without
  the quantum layer, pooled features → linear head;
* :class:`HybridQNN` ("Hybrid-QNN", ref. [13], QEML-Net section 2.3's "hybrid ResNet-PQC ... 94.1 %
  on CWRU with the 2-qubit circuit"): the same backbone → linear map to 2 angles → the book's
  2-qubit circuit (:class:`~qpdm_lib.qeml.models.circuit.TorchCircuit`: RY encoding, RZ-RY-RX
  layers and CNOTs) → ⟨Z_0⟩, ⟨Z_1⟩ → linear head; cross-entropy only (the "dressed quantum
  circuit" of Mari et al., 2020, with QEML-Net's unsquashed encoder). All class information
  passes through two numbers in [−1, 1]: four classes train slowly through that bottleneck.

Every network ends in one output per class seen in training. The defaults are the paper's scale
where Table 3 prints a parameter count (LSTM 4.2 M, 1D-CNN 2.8 M, ResNet-50 25.6 M, Transformer
86.4 M); the config docstrings give our count at the defaults. All are trained by
:func:`qpdm_lib.baselines._torch.fit` (AdamW, cosine schedule, early stopping on validation
accuracy, best weights restored), seeded by ``fit``'s ``seed``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..qeml import signal as pp
from ..qeml.models.circuit import TorchCircuit
from ..qeml.models.resnet import ResNet
from ..qeml.training import resolve_device
from . import _torch
from ._torch import Training, positive
from .bearing import BearingInputs, BearingModel

__all__ = [
    "LSTMConfig",
    "LSTMClassifier",
    "CNNConfig",
    "CNN1D",
    "TransformerConfig",
    "TransformerClassifier",
    "ResNetConfig",
    "ResNet50",
    "HybridConfig",
    "HybridQNN",
]


class _TorchModel(BearingModel):
    """A torch network trained by :func:`_torch.fit` on inputs derived from the bundle."""

    def _build(self, n_out: int) -> nn.Module:
        raise NotImplementedError

    def _prepare(self, data: BearingInputs, train: np.ndarray) -> None:
        """Fit the input normalisation on the training windows only."""
        raise NotImplementedError

    def _inputs(self, data: BearingInputs, index: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _fit(self, data: BearingInputs, train: np.ndarray, val: np.ndarray, seed: int) -> None:
        device = resolve_device(self.config.device)
        self._prepare(data, train)
        with _torch.seeded(seed, device):
            self.module_ = self._build(len(self.classes_)).to(device)
            self.history_ = _torch.fit(
                self.module_, self._inputs(data, train), self._targets(data.y[train]),
                self._inputs(data, val), self._targets(data.y[val]), self.config,
                task="classify", seed=seed,
            )  # fmt: skip

    def _proba(self, data: BearingInputs, index: np.ndarray) -> np.ndarray:
        parts = []
        for start in range(0, len(index), 1024):  # images at 224 px are large: build in chunks
            logits = _torch.outputs(self.module_, self._inputs(data, index[start : start + 1024]))
            parts.append(torch.softmax(torch.as_tensor(logits), dim=1).numpy())
        return np.concatenate(parts)

    def n_parameters(self) -> int:
        """Trainable parameters of the fitted network."""
        return _torch.count_parameters(self.module_)


class _WindowModel(_TorchModel):
    """Raw windows, standardised with the training windows' overall mean and deviation."""

    needs = "windows"

    def _prepare(self, data: BearingInputs, train: np.ndarray) -> None:
        x = data.windows[train]
        self.length_ = data.windows.shape[1]
        self.mean_, self.std_ = float(x.mean()), float(x.std()) or 1.0

    def _inputs(self, data: BearingInputs, index: np.ndarray) -> np.ndarray:
        if data.windows.shape[1] != self.length_:
            raise ValueError(f"{self.name} was fitted on windows of {self.length_} samples, "
                             f"got {data.windows.shape[1]}")  # fmt: skip
        return ((data.windows[index] - self.mean_) / self.std_).astype(np.float32)


def _check_patch(name: str, length: int, patch: int) -> None:
    if length % patch:
        raise ValueError(f"{name}: window length {length} is not a multiple of patch={patch}")


# -- LSTM --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LSTMConfig(Training):
    """Ref. [7]'s "LSTM-3L"; at the defaults 4,200,676 parameters for 4 classes (paper: 4.2 M)."""

    hidden: int = 456  # units per layer: chosen so that 3 layers hold the paper's 4.2 M
    layers: int = 3  # "LSTM-3L" (QEML-Net Table 1)
    patch: int = 16  # samples per time step: 512 samples → 32 steps
    dropout: float = 0.2  # between LSTM layers: our choice

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "hidden", "layers", "patch")


class _LSTMNet(nn.Module):
    def __init__(self, c: LSTMConfig, n_out: int) -> None:
        super().__init__()
        self.patch = c.patch
        self.lstm = nn.LSTM(c.patch, c.hidden, c.layers, batch_first=True,
                            dropout=c.dropout if c.layers > 1 else 0.0)  # fmt: skip
        self.head = nn.Linear(c.hidden, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x.reshape(len(x), -1, self.patch))
        return self.head(out[:, -1])


class LSTMClassifier(_WindowModel):
    """3-layer LSTM over the window cut into 16-sample steps (QEML-Net Table 3, "LSTM")."""

    name = "LSTM"
    Config = LSTMConfig

    def _build(self, n_out: int) -> nn.Module:
        _check_patch(self.name, self.length_, self.config.patch)
        return _LSTMNet(self.config, n_out)


# -- 1D-CNN ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CNNConfig(Training):
    """Ref. [4]'s "6-conv" network; at the defaults 2,770,820 parameters for 4 classes (paper
    2.8 M)."""

    channels: tuple[int, ...] = (64, 128, 256, 256, 512, 512)  # one conv block each ("6-conv")
    first_kernel: int = 64  # wide first kernel, stride 8 (WDCNN): a 5 ms view of the signal
    first_stride: int = 8
    kernel: int = 5  # the other blocks
    hidden: int = 512  # units of the head's hidden layer
    dropout: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "first_kernel", "first_stride", "kernel", "hidden")
        if not self.channels or min(self.channels) < 1:
            raise ValueError(f"CNNConfig.channels must be counts >= 1, got {self.channels}")


class _CNNNet(nn.Module):
    def __init__(self, c: CNNConfig, n_out: int) -> None:
        super().__init__()
        layers, before = [], 1
        for k, width in enumerate(c.channels):
            kernel, stride = (c.first_kernel, c.first_stride) if k == 0 else (c.kernel, 1)
            layers += [
                nn.Conv1d(before, width, kernel, stride=stride, padding=(kernel - stride) // 2
                          if k == 0 else kernel // 2, bias=False),
                nn.BatchNorm1d(width), nn.ReLU(inplace=True),
                nn.MaxPool1d(2, ceil_mode=True),  # ceil: a length-1 map stays length 1
            ]  # fmt: skip
            before = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(
            nn.Linear(before, c.hidden), nn.ReLU(inplace=True), nn.Dropout(c.dropout),
            nn.Linear(c.hidden, n_out),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x[:, None, :]).mean(dim=2))


class CNN1D(_WindowModel):
    """Six-block 1-D CNN on the raw window (QEML-Net Table 3, "1D-CNN")."""

    name = "1D-CNN"
    Config = CNNConfig

    def _build(self, n_out: int) -> nn.Module:
        return _CNNNet(self.config, n_out)


# -- Transformer -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TransformerConfig(Training):
    """A ViT-Base encoder over 16-sample patches; at the defaults 85,098,244 parameters for 4
    classes (paper: 86.4 M, ViT-Base's size)."""

    patch: int = 16  # samples per token: 512 samples → 32 tokens
    d_model: int = 768  # ViT-Base
    heads: int = 12
    layers: int = 12
    ff: int = 3072  # feed-forward width
    dropout: float = 0.1

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "patch", "d_model", "heads", "layers", "ff")
        if self.d_model % self.heads:
            raise ValueError(f"d_model={self.d_model} is not a multiple of heads={self.heads}")


class _PatchTransformer(nn.Module):
    def __init__(self, c: TransformerConfig, length: int, n_out: int) -> None:
        super().__init__()
        self.patch = c.patch
        self.encoder = _torch.Encoder(c.patch, length // c.patch, c.d_model, c.heads, c.layers, c.ff,
                                c.dropout)  # fmt: skip
        self.head = nn.Linear(c.d_model, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(x.reshape(len(x), -1, self.patch)))


class TransformerClassifier(_WindowModel):
    """Transformer encoder over patches of the raw window (QEML-Net Table 3, "Transformer")."""

    name = "Transformer"
    Config = TransformerConfig

    def _build(self, n_out: int) -> nn.Module:
        _check_patch(self.name, self.length_, self.config.patch)
        return _PatchTransformer(self.config, self.length_, n_out)


# -- on the image: ResNet-50 and Hybrid-QNN ----------------------------------------------------
class _ImageModel(_TorchModel):
    """QEML-Net's network image: packet maps z-scored per band (training maps only), resized."""

    needs = "maps"

    def _prepare(self, data: BearingInputs, train: np.ndarray) -> None:
        self.zscore_ = pp.band_zscore(data.maps[train])
        self.image_size_ = data.image_size

    def _inputs(self, data: BearingInputs, index: np.ndarray) -> np.ndarray:
        if data.image_size != self.image_size_:
            raise ValueError(f"{self.name} was fitted on {self.image_size_} px images, "
                             f"got data.image_size={data.image_size}")  # fmt: skip
        return pp.images(data.maps[index], self.zscore_, self.image_size_)


@dataclass(frozen=True)
class ResNetConfig(Training):
    """The book's bottleneck ResNet without CBAM; at the defaults 23,509,956 parameters for one
    input channel and 4 classes (the paper's 25.6 M is torchvision's, with 3 input channels and a
    1000-class head)."""

    blocks: tuple[int, int, int, int] = (3, 4, 6, 3)  # ResNet-50
    width: int = 64  # channels of the first stage

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "width")
        if len(self.blocks) != 4 or min(self.blocks) < 1:
            raise ValueError(f"blocks must be four counts >= 1 (ResNet-50: 3, 4, 6, 3), "
                             f"got {self.blocks}")  # fmt: skip


class _ResNetNet(nn.Module):
    def __init__(self, c: ResNetConfig, n_out: int) -> None:
        super().__init__()
        self.backbone = ResNet(c.blocks, width=c.width, in_channels=1, cbam_stages=())
        self.head = nn.Linear(self.backbone.out_features, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))


class ResNet50(_ImageModel):
    """Plain ResNet on QEML-Net's image (QEML-Net Table 3, "ResNet-50"): no CBAM, no qubits."""

    name = "ResNet-50"
    Config = ResNetConfig

    def _build(self, n_out: int) -> nn.Module:
        return _ResNetNet(self.config, n_out)


@dataclass(frozen=True)
class HybridConfig(ResNetConfig):
    """Ref. [13]'s hybrid ResNet-PQC with 2 qubits (the paper prints 30.2 M parameters; at the
    defaults ours holds 23,505,894 for 4 classes: ResNet-50's backbone and a 2-qubit head)."""

    n_qubits: int = 2  # "the 2-qubit circuit" (QEML-Net section 2.3)
    n_layers: int = 4  # variational RZ-RY-RX + CNOT layers: our choice ("a few")

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "n_qubits", "n_layers")
        if self.n_qubits > 8:
            raise ValueError(f"n_qubits must be <= 8 (statevector), got {self.n_qubits}")


class _HybridNet(nn.Module):
    def __init__(self, c: HybridConfig, n_out: int) -> None:
        super().__init__()
        self.backbone = ResNet(c.blocks, width=c.width, in_channels=1, cbam_stages=())
        self.encoder = nn.Linear(self.backbone.out_features, c.n_qubits)
        self.circuit = TorchCircuit(c.n_qubits, c.n_layers)
        self.head = nn.Linear(c.n_qubits, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # the encoder's outputs are the angles, as QEML-Net's W_enc: squashing them with
        # tanh·π/2 (Mari et al.) saturated on the pooled features and froze them at ±π/2
        return self.head(self.circuit(self.encoder(self.backbone(x))))


class HybridQNN(_ImageModel):
    """ResNet backbone → 2 angles → 2-qubit circuit → ⟨Z⟩ → linear head (Table 3, "Hybrid-QNN")."""

    name = "Hybrid-QNN"
    Config = HybridConfig

    def _build(self, n_out: int) -> nn.Module:
        return _HybridNet(self.config, n_out)
