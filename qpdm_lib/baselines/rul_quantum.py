"""Quantum RUL baselines of QAQL Table 7: Quantum VQL, Quantum DQN and Quantum LSTM.

All three are simulated exactly as statevectors in torch (at most 8 qubits), differentiable end
to end; none needs PennyLane at run time (the tests check the re-uploading circuit against a
PennyLane QNode).

* :class:`QuantumVQL` ("Quantum VQL", Skolik et al., 2022, "Quantum agents in the gym"): deep
  Q-learning whose Q-function is a data re-uploading circuit (:class:`ReuploadingCircuit`):
  ``layers`` × [RY, RZ on every qubit; a ring of CZs; RX(λ_{l,i} x_i) on every qubit], a final
  RY, RZ layer, ⟨Z_i⟩ read out, with trainable input scaling λ (initialised to 1) and a trainable
  output layer. Skolik et al. weight one observable per action; with 16 actions on ≤ 8 qubits we
  read the 16 Q-values linearly from the ⟨Z_i⟩ (our generalisation of their output scaling). The
  circuit's inputs are the first ``n_qubits`` principal components of the standardised window
  summary, whitened on the training windows: a fixed classical reduction, trained nowhere.
* :class:`QuantumDQN` ("Quantum DQN", Ansere et al., 2023): deep Q-learning whose Q-network is
  a hybrid: linear layer (window summary → ``n_qubits`` angles, tanh·π/2) → the book's circuit
  (:class:`~qpdm_lib.qeml.models.circuit.TorchCircuit`: RY encoding, RZ-RY-RX layers, CNOT
  chain) → ⟨Z_i⟩ → linear layer → 16 Q-values.
* :class:`QuantumLSTM` ("Quantum LSTM", Chen et al., 2020, as cited via Padha and Sahoo, 2024): a
  supervised regressor whose LSTM cell computes its four gates with circuits: [h_{t−1}, x_t] →
  linear → ``n_qubits`` angles (arctan) → one circuit per gate (forget, input, update, output) →
  ⟨Z_i⟩ → a shared linear map to the hidden size → σ / tanh; the last hidden state → linear →
  RUL. Trained like the classical recurrent baselines (MSE, early stopping on held-out groups).

Both Q-learners use :func:`qpdm_lib.baselines.rul_rl.deep_q_learning` with QAQL's MDP (16 bins,
reward −(ŷ − y)² scaled by 1 / cap², 8 episodes, ε 1.0 → 0.05, replay 10,000, minibatch 64).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.decomposition import PCA
from torch import nn

from ..qeml.models.circuit import TorchCircuit
from ._torch import positive
from .rul import RULInputs, _SupervisedTraining, _TorchRegressor
from .rul_rl import DeepQConfig, _DeepQModel

__all__ = [
    "ReuploadingCircuit",
    "VQLConfig",
    "QuantumVQL",
    "QDQNConfig",
    "QuantumDQN",
    "QLSTMConfig",
    "QuantumLSTM",
]


def _check_qubits(config) -> None:
    positive(config, "n_qubits", "n_layers")
    if config.n_qubits > 8:
        raise ValueError(f"{type(config).__name__}.n_qubits must be <= 8, got {config.n_qubits}")


def _kron_all(mats: torch.Tensor) -> torch.Tensor:
    """⊗ of (n, 2, 2) single-qubit gates, qubit 0 the most significant (PennyLane's order)."""
    out = mats[0]
    for m in mats[1:]:
        out = torch.kron(out, m)
    return out


class ReuploadingCircuit(nn.Module):
    """Skolik et al.'s data re-uploading circuit, batched, as a (batch, n) → (batch, n) map.

    ``n_layers`` times: RY(θ) then RZ(φ) on each qubit, CZ on the ring (0,1), (1,2), …, (n−1,0)
    (one CZ for 2 qubits), then RX(λ_{l,i} x_i) on each qubit; finally RY, RZ once more; returns
    ⟨Z_i⟩. The RX layer is computed as H^{⊗n} · diag(e^{−i Σ_i λ x_i z_i / 2}) · H^{⊗n}, so a whole
    layer costs one dense product and one elementwise phase, whatever the batch. Trainable: the
    (n_layers + 1, n, 2) rotation angles and the (n_layers, n) input scales λ (start at 1).
    """

    def __init__(self, n_qubits: int, n_layers: int) -> None:
        super().__init__()
        if not 1 <= n_qubits <= 8 or n_layers < 1:
            raise ValueError(f"need 1 <= n_qubits <= 8 and n_layers >= 1, got {n_qubits}, "
                             f"{n_layers}")  # fmt: skip
        self.n_qubits, self.n_layers = n_qubits, n_layers
        self.weights = nn.Parameter(torch.empty(n_layers + 1, n_qubits, 2).uniform_(0, 2 * math.pi))
        self.scales = nn.Parameter(torch.ones(n_layers, n_qubits))
        dim = 2**n_qubits
        bits = (torch.arange(dim)[:, None] >> (n_qubits - 1 - torch.arange(n_qubits))) & 1
        z = (1.0 - 2.0 * bits).double()  # z[k, i] = ±1: eigenvalue of Z_i on basis state k
        self.register_buffer("z", z, persistent=False)
        pairs = [(i, (i + 1) % n_qubits) for i in range(n_qubits)] if n_qubits > 2 else (
            [(0, 1)] if n_qubits == 2 else [])  # fmt: skip
        cz = torch.ones(dim, dtype=torch.float64)
        for i, j in pairs:
            cz = cz * (1 - 2 * (bits[:, i] & bits[:, j])).double()
        self.register_buffer("cz", cz, persistent=False)
        h = torch.tensor([[1.0, 1.0], [1.0, -1.0]], dtype=torch.float64) / math.sqrt(2)
        self.register_buffer("hadamards", _kron_all(h.expand(n_qubits, 2, 2)).to(torch.complex128),
                             persistent=False)  # fmt: skip

    def _variational(self, layer: int) -> torch.Tensor:
        """⊗_i RZ(φ_i) RY(θ_i) of one layer, as a (dim, dim) complex matrix."""
        angles = self.weights[layer].double()  # gates in double precision, as the state
        theta, phi = angles[:, 0], angles[:, 1]
        c, s = torch.cos(theta / 2), torch.sin(theta / 2)
        ry = torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2).to(
            torch.complex128
        )
        phase = torch.exp(-0.5j * phi.to(torch.complex128))
        rz = torch.diag_embed(torch.stack([phase, phase.conj()], -1))
        return _kron_all(rz @ ry)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 2 or x.shape[1] != self.n_qubits:
            raise ValueError(f"inputs must be (batch, {self.n_qubits}), got {tuple(x.shape)}")
        cz = self.cz.to(torch.complex128)
        hn = self.hadamards
        # row-vector convention: ψ ← ψ Uᵀ; |0…0⟩ Uᵀ is U's first column
        psi = None
        for layer in range(self.n_layers):
            step = (cz[:, None] * self._variational(layer)).T @ hn  # (C V)ᵀ then H^{⊗n}
            psi = step[0].expand(len(x), -1) if psi is None else (psi @ hn) @ step
            angles = self.scales[layer].double() * x.double()  # λ x, one per qubit
            psi = psi * torch.exp(-0.5j * (angles @ self.z.T))  # ⊗ RZ(λx) in the H basis = RX
        psi = (psi @ hn) @ self._variational(self.n_layers).T
        return ((psi.real**2 + psi.imag**2) @ self.z).to(x.dtype)


# -- Quantum VQL -------------------------------------------------------------------------------
@dataclass(frozen=True)
class VQLConfig(DeepQConfig):
    n_qubits: int = 4  # inputs: the first 4 principal components of the window summary
    n_layers: int = 5  # re-uploading layers (Skolik et al. use 5 for Cart Pole)
    lr: float = 1e-2  # circuits train with larger steps than MLPs (Skolik et al.: 0.001-0.1)

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_qubits(self)


class _VQLNet(nn.Module):
    def __init__(self, c: VQLConfig) -> None:
        super().__init__()
        self.circuit = ReuploadingCircuit(c.n_qubits, c.n_layers)
        self.readout = nn.Linear(c.n_qubits, c.n_bins)  # trainable output weights and biases

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.readout(self.circuit(x))


class QuantumVQL(_DeepQModel):
    """Variational quantum Q-learning with data re-uploading (QAQL Table 7, "Quantum VQL").

    ``n_parameters``: circuit angles + input scales + readout (the PCA is fitted, not trained,
    and not counted).
    """

    name = "Quantum VQL"
    Config = VQLConfig

    def _features_fit(self, train: RULInputs) -> np.ndarray:
        summary = self._fit_summary(train)
        if summary.shape[1] < self.config.n_qubits:
            raise ValueError(f"{self.name}: n_qubits={self.config.n_qubits} exceeds the window "
                             f"summary's {summary.shape[1]} features")  # fmt: skip
        self.pca_ = PCA(self.config.n_qubits, svd_solver="full").fit(summary)
        # whitened by hand: a direction the training windows do not vary along keeps scale 1
        spread = np.sqrt(self.pca_.explained_variance_)
        self.spread_ = np.where(spread > 1e-4 * max(spread.max(), 1e-300), spread, 1.0)
        return self._features(train.x)

    def _features(self, x: np.ndarray) -> np.ndarray:
        return (self.pca_.transform(self._summary(x)) / self.spread_).astype(np.float32)

    def _build(self, n_in: int) -> nn.Module:
        return _VQLNet(self.config)


# -- Quantum DQN -------------------------------------------------------------------------------
@dataclass(frozen=True)
class QDQNConfig(DeepQConfig):
    n_qubits: int = 4  # our choice (Ansere et al. give no size for this task)
    n_layers: int = 4  # RZ-RY-RX + CNOT layers of the book's circuit
    lr: float = 5e-3

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_qubits(self)


class _HybridQNet(nn.Module):
    def __init__(self, n_in: int, c: QDQNConfig) -> None:
        super().__init__()
        self.encoder = nn.Linear(n_in, c.n_qubits)
        self.circuit = TorchCircuit(c.n_qubits, c.n_layers)
        self.readout = nn.Linear(c.n_qubits, c.n_bins)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.readout(self.circuit(torch.tanh(self.encoder(x)) * (math.pi / 2)))


class QuantumDQN(_DeepQModel):
    """DQN with a hybrid classical-quantum Q-network (QAQL Table 7, "Quantum DQN").

    ``n_parameters``: encoder + circuit angles + readout.
    """

    name = "Quantum DQN"
    Config = QDQNConfig

    def _build(self, n_in: int) -> nn.Module:
        return _HybridQNet(n_in, self.config)


# -- Quantum LSTM ------------------------------------------------------------------------------
@dataclass(frozen=True)
class QLSTMConfig(_SupervisedTraining):
    hidden: int = 16  # hidden state size: our choice
    n_qubits: int = 4  # qubits per gate circuit (Chen et al. use 4)
    n_layers: int = 2  # variational layers per gate circuit
    lr: float = 5e-3

    def __post_init__(self) -> None:
        super().__post_init__()
        positive(self, "hidden")
        _check_qubits(self)


class _GateCircuit(TorchCircuit):
    """The book's circuit, with its unitary computed once and reused over the time steps."""

    def packed_unitary(self) -> torch.Tensor:
        """U's real and imaginary parts as the (dim, 2·dim) matrix :meth:`run` multiplies by."""
        dim = 2**self.n_qubits
        return torch.view_as_real(self.unitary()).permute(1, 0, 2).reshape(dim, 2 * dim)

    def expval_with(self, angles: torch.Tensor, packed: torch.Tensor) -> torch.Tensor:
        """⟨Z_i⟩ as :meth:`forward` computes it, from a :meth:`packed_unitary`."""
        psi = self._initial(angles) @ packed
        return (psi.square() @ self.z_pairs).to(angles.dtype)


class _QLSTMNet(nn.Module):
    def __init__(self, c: QLSTMConfig, n_features: int) -> None:
        super().__init__()
        self.hidden = c.hidden
        self.encoder = nn.Linear(n_features + c.hidden, c.n_qubits)
        self.gates = nn.ModuleList(_GateCircuit(c.n_qubits, c.n_layers) for _ in range(4))
        self.decoder = nn.Linear(c.n_qubits, c.hidden)
        self.head = nn.Linear(c.hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(len(x), self.hidden)
        cell = x.new_zeros(len(x), self.hidden)
        packed = [gate.packed_unitary() for gate in self.gates]  # constant over the steps
        for t in range(x.shape[1]):
            angles = torch.atan(self.encoder(torch.cat([h, x[:, t]], dim=1)))
            f, i, g, o = (self.decoder(gate.expval_with(angles, u))
                          for gate, u in zip(self.gates, packed, strict=True))  # fmt: skip
            cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(cell)
        return self.head(h).squeeze(1)


class QuantumLSTM(_TorchRegressor):
    """LSTM whose gates are variational circuits (QAQL Table 7, "Quantum LSTM").

    ``n_parameters``: encoder + 4 circuits' angles + decoder + head.
    """

    name = "Quantum LSTM"
    Config = QLSTMConfig

    def _build(self, n_features: int, length: int) -> nn.Module:
        return _QLSTMNet(self.config, n_features)
