"""The hybrid QEML-Net (sections 3.3-3.6): ResNet + CBAM → 512 features → 4 qubits → head.

``h`` (512) is the pooled backbone output projected to the paper's 512 dimensions (ResNet-50
pools to 2048; the paper says 512, so a linear projection bridges them — our choice). ``W_enc``
maps ``h`` to 4 encoding angles; the circuit returns ``q`` = ⟨Z_i⟩; the head classifies the
516-dimensional ``[q, h]``: FC 516-256 (BatchNorm, GELU, Dropout 0.4), 256-128 (BatchNorm, GELU,
Dropout 0.3), 128-8. A decoder reconstructs ``h`` from the encoding for the auxiliary loss
(training only): section 3.6 writes ``L_MSE = (1/d) ||h - Dec(Enc(h))||²``, and the only encoder
the paper names is ``W_enc``, so ``Dec`` maps the 4 encoding values back to 512 (4-128-512, GELU).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import torch
from torch import nn

from .circuit import PennyLaneCircuit, TorchCircuit
from .resnet import ResNet

__all__ = ["NetConfig", "VARIANTS", "QEMLNet", "parameter_table"]


@dataclass(frozen=True)
class NetConfig:
    blocks: tuple[int, int, int, int] = (3, 4, 6, 3)  # ResNet-50
    width: int = 64  # channels of the first stage
    in_channels: int = 1  # one time-frequency map per window
    feature_dim: int = 512  # the paper's h
    n_classes: int = 8  # the unified taxonomy
    n_qubits: int = 4
    n_layers: int = 6
    quantum: str = "torch"  # "torch" (statevector) or "pennylane" (QNode); same circuit
    reduction: int = 16  # CBAM channel reduction
    # ablation switches (QEML-Net Table 4): the full network has all of them on
    cbam: bool = True  # CBAM after stages 3 and 4
    quantum_branch: bool = True  # W_enc, circuit and decoder; off: the head classifies h alone

    def variant(self, name: str) -> NetConfig:
        """This configuration as one of the rows of QEML-Net Table 4 (see :data:`VARIANTS`)."""
        if name not in VARIANTS:
            raise ValueError(f"unknown variant {name!r}; variants: {', '.join(VARIANTS)}")
        return replace(self, **VARIANTS[name]["net"])


#: QEML-Net Table 4's rows as switches on the network and on the loss. "Partial" quantum is the
#: encoding alone (W_enc and the RY product state, no variational layer); the rows without the
#: hybrid loss train with cross-entropy only (weights 1, 0, 0).
VARIANTS: dict[str, dict] = {
    "resnet": {"net": {"cbam": False, "quantum_branch": False}, "loss": (1.0, 0.0, 0.0)},
    "+cbam": {"net": {"cbam": True, "quantum_branch": False}, "loss": (1.0, 0.0, 0.0)},
    "+encoding": {"net": {"quantum_branch": True, "n_layers": 0}, "loss": (1.0, 0.0, 0.0)},
    "+vqc": {"net": {"quantum_branch": True, "n_layers": 6}, "loss": (1.0, 0.0, 0.0)},
    "qeml-net": {"net": {"quantum_branch": True, "n_layers": 6}, "loss": None},  # compound loss
}


class QEMLNet(nn.Module):
    def __init__(self, config: NetConfig = NetConfig()) -> None:
        super().__init__()
        if config.quantum not in ("torch", "pennylane"):
            raise ValueError(f"quantum must be 'torch' or 'pennylane', got {config.quantum!r}")
        self.config = config
        self.backbone = ResNet(
            config.blocks,
            width=config.width,
            in_channels=config.in_channels,
            reduction=config.reduction,
            cbam_stages=(3, 4) if config.cbam else (),
        )
        self.project = nn.Linear(self.backbone.out_features, config.feature_dim)
        self.encoder = self.circuit = self.decoder = None
        d = config.feature_dim
        if config.quantum_branch:
            self.encoder = nn.Linear(config.feature_dim, config.n_qubits)  # W_enc
            circuit = TorchCircuit if config.quantum == "torch" else PennyLaneCircuit
            self.circuit = circuit(config.n_qubits, config.n_layers)
            d += config.n_qubits
        self.head = nn.Sequential(
            nn.Linear(d, 256), nn.BatchNorm1d(256), nn.GELU(), nn.Dropout(0.4),
            nn.Linear(256, 128), nn.BatchNorm1d(128), nn.GELU(), nn.Dropout(0.3),
            nn.Linear(128, config.n_classes),
        )  # fmt: skip
        if config.quantum_branch:
            self.decoder = nn.Sequential(
                nn.Linear(config.n_qubits, 128), nn.GELU(), nn.Linear(128, config.feature_dim)
            )

    def classify(self, x: torch.Tensor) -> torch.Tensor:
        """Logits only: the inference path, without the decoder and the statevector."""
        h = self.project(self.backbone(x))
        if self.circuit is None:
            return self.head(h)
        return self.head(torch.cat([self.circuit(self.encoder(h)), h], dim=1))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """Everything the compound loss needs: logits, h, Dec(W_enc h), q and the final state
        (logits and h alone when the quantum branch is switched off)."""
        h = self.project(self.backbone(x))
        if self.circuit is None:
            return {"logits": self.head(h), "h": h}
        angles = self.encoder(h)
        q, state = self.circuit.run(angles)
        return {
            "logits": self.head(torch.cat([q, h], dim=1)),
            "h": h,
            "h_rec": self.decoder(angles),
            "q": q,
            "state": state,
        }


def parameter_table(model: QEMLNet) -> dict[str, int]:
    """Trainable parameters per block (the paper's total: 31.4 M)."""
    parts = {
        "backbone (ResNet + CBAM)": model.backbone,
        "projection 2048→512": model.project,
        "quantum encoder W_enc": model.encoder,
        "quantum circuit": model.circuit,
        "head": model.head,
        "decoder (training only)": model.decoder,
    }
    table = {
        name: sum(p.numel() for p in m.parameters() if p.requires_grad) if m is not None else 0
        for name, m in parts.items()
    }
    table["total"] = sum(table.values())
    return table
