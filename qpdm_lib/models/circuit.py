"""The 4-qubit, 6-layer variational circuit of QEML-Net section 3.4, in two equivalent forms.

Circuit: angle encoding ``RY(v_i)|0⟩`` on each qubit, then ``layers`` times: ``RZ``, ``RY``, ``RX``
with trainable angles on every qubit, followed by a linear CNOT chain (0→1, 1→2, …); the output
is ⟨Z_i⟩ for each qubit. That is ``layers × qubits × 3`` = 72 trainable angles for 6 × 4; the
paper says 96 (a fourth rotation per qubit and layer, or the encoder counted in, would explain
it; it does not say which).

* :func:`make_qnode` builds it as a PennyLane QNode: what a student reads and can draw with
  ``qml.draw_mpl``.
* :class:`TorchCircuit` simulates the same circuit as a batched statevector in torch: the form
  used for training speed and for ONNX export. The tests check that both agree on outputs and
  gradients to 1e-5.
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["make_qnode", "TorchCircuit", "PennyLaneCircuit", "N_QUBITS", "N_LAYERS"]

N_QUBITS = 4
N_LAYERS = 6


def make_qnode(
    n_qubits: int = N_QUBITS,
    n_layers: int = N_LAYERS,
    *,
    diff_method: str = "backprop",
    returns: str = "expval",
):
    """The circuit as a PennyLane QNode ``f(angles, weights)``.

    ``angles``: (batch, n_qubits) encoding angles; ``weights``: (n_layers, n_qubits, 3) as
    (RZ, RY, RX) per qubit and layer. Uses ``default.qubit`` with parameter broadcasting.
    Returns ⟨Z_i⟩ as a (batch, n_qubits) tensor, or with ``returns="state"`` the final
    statevector (batch, 2**n_qubits).
    """
    if returns not in ("expval", "state"):
        raise ValueError(f"returns must be 'expval' or 'state', got {returns!r}")
    import pennylane as qml

    device = qml.device("default.qubit", wires=n_qubits)

    @qml.qnode(device, interface="torch", diff_method=diff_method)
    def circuit(angles, weights):
        for q in range(n_qubits):
            qml.RY(angles[..., q], wires=q)
        for layer in range(n_layers):
            for q in range(n_qubits):
                qml.RZ(weights[layer, q, 0], wires=q)
                qml.RY(weights[layer, q, 1], wires=q)
                qml.RX(weights[layer, q, 2], wires=q)
            for q in range(n_qubits - 1):
                qml.CNOT(wires=[q, q + 1])
        if returns == "state":
            return qml.state()
        return [qml.expval(qml.PauliZ(q)) for q in range(n_qubits)]

    def run(angles: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        out = circuit(angles, weights)
        return torch.stack(list(out), dim=-1) if isinstance(out, (list, tuple)) else out

    run.qnode = circuit
    return run


def _rot(kind: str, theta: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """2×2 rotation matrices for a tensor of angles: shape (..., 2, 2)."""
    c, s = torch.cos(theta / 2).to(dtype), torch.sin(theta / 2).to(dtype)
    zero = torch.zeros_like(c)
    if kind == "RY":
        rows = [[c, -s], [s, c]]
    elif kind == "RX":
        js = 1j * s
        rows = [[c, -js], [-js, c]]
    else:  # RZ
        e = torch.exp(-0.5j * theta.to(dtype))
        rows = [[e, zero], [zero, e.conj()]]
    return torch.stack([torch.stack(r, dim=-1) for r in rows], dim=-2)


class TorchCircuit(nn.Module):
    """Batched statevector simulation of the circuit; differentiable end to end.

    The trainable layers do not depend on the sample, so they form one 16 × 16 unitary ``U``,
    built once per forward pass from Kronecker products of the rotations and the CNOT chain's
    permutation. The encoding ``⊗ RY(v_i)|0⟩`` is a product state, so the batch costs one
    (batch × 16) @ (16 × 16) product: ``ψ = U ψ₀(v)``.

    ``forward(angles)`` returns ⟨Z_i⟩ of shape (batch, n_qubits); ``state(angles)`` the final
    statevector (batch, 2**n_qubits), qubit 0 the most significant bit as in PennyLane.
    """

    def __init__(
        self,
        n_qubits: int = N_QUBITS,
        n_layers: int = N_LAYERS,
        *,
        dtype: torch.dtype = torch.complex128,
    ) -> None:
        super().__init__()
        self.n_qubits, self.n_layers, self.dtype = n_qubits, n_layers, dtype
        self.weights = nn.Parameter(torch.empty(n_layers, n_qubits, 3).uniform_(0, 2 * math.pi))
        dim = 2**n_qubits
        bits = (torch.arange(dim)[:, None] >> (n_qubits - 1 - torch.arange(n_qubits))) & 1
        # z[k, q] = +1 if qubit q of basis state k is 0, else -1
        self.register_buffer("z_signs", 1.0 - 2.0 * bits.double(), persistent=False)
        # CNOT chain 0→1, 1→2, …: a permutation of basis states
        flipped = bits.clone()
        for q in range(n_qubits - 1):
            flipped[:, q + 1] ^= flipped[:, q]
        target = (flipped * (1 << (n_qubits - 1 - torch.arange(n_qubits)))).sum(dim=1)
        chain = torch.zeros(dim, dim)
        chain[target, torch.arange(dim)] = 1.0
        self.register_buffer("cnot_chain", chain.to(dtype), persistent=False)

    def unitary(self) -> torch.Tensor:
        """The trainable part of the circuit as a (2**n, 2**n) unitary.

        All rotations are built at once, and each layer's Kronecker product with one einsum, so
        the whole unitary costs a few dozen tensor operations whatever the batch size.
        """
        w = self.weights.to(torch.float64)
        gates = (
            _rot("RX", w[..., 2], self.dtype)
            @ _rot("RY", w[..., 1], self.dtype)
            @ _rot("RZ", w[..., 0], self.dtype)
        )
        n, dim = self.n_qubits, 2**self.n_qubits
        letters = "abcdefghijkl"[:n], "ABCDEFGHIJKL"[:n]
        spec = (
            ",".join(f"z{r}{c}" for r, c in zip(*letters, strict=True))
            + f"->z{letters[0]}{letters[1]}"
        )
        layers = torch.einsum(spec, *[gates[:, q] for q in range(n)]).reshape(
            self.n_layers, dim, dim
        )
        u = torch.eye(dim, dtype=self.dtype, device=w.device)
        for layer in range(self.n_layers):
            u = self.cnot_chain @ (layers[layer] @ u)
        return u

    def state(self, angles: torch.Tensor) -> torch.Tensor:
        half = angles / 2
        qubits = torch.stack([torch.cos(half), torch.sin(half)], dim=-1)  # RY(v)|0>, (batch, n, 2)
        psi = qubits[:, 0]
        for q in range(1, self.n_qubits):
            psi = (psi[:, :, None] * qubits[:, q, None, :]).reshape(angles.shape[0], -1)
        return psi.to(self.dtype) @ self.unitary().T

    def forward(self, angles: torch.Tensor) -> torch.Tensor:
        probs = self.state(angles).abs() ** 2
        return (probs.to(self.z_signs.dtype) @ self.z_signs).to(angles.dtype)


class PennyLaneCircuit(nn.Module):
    """The QNode form as a torch module with the same ``forward``/``state`` API as TorchCircuit."""

    def __init__(self, n_qubits: int = N_QUBITS, n_layers: int = N_LAYERS) -> None:
        super().__init__()
        self.n_qubits, self.n_layers = n_qubits, n_layers
        self.weights = nn.Parameter(torch.empty(n_layers, n_qubits, 3).uniform_(0, 2 * math.pi))
        self._expval = make_qnode(n_qubits, n_layers)
        self._state = make_qnode(n_qubits, n_layers, returns="state")

    def forward(self, angles: torch.Tensor) -> torch.Tensor:
        return self._expval(angles, self.weights).to(angles.dtype)

    def state(self, angles: torch.Tensor) -> torch.Tensor:
        return self._state(angles, self.weights)
