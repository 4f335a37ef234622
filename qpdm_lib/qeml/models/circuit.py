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


def _gate_basis(dtype: torch.dtype) -> torch.Tensor:
    """(8, 4) map from the products ``x_j y_k z_l`` to the entries of ``RX(γ) RY(β) RZ(α)``.

    ``R_P(θ) = cos(θ/2) I - i sin(θ/2) P``, so the combined gate is trilinear in the vectors
    ``x, y, z = (cos, sin)`` of the three half angles: ``G = Σ_jkl x_j y_k z_l B_j(X) B_k(Y)
    B_l(Z)`` with ``B_0(P) = I`` and ``B_1(P) = -iP``. Row ``4j + 2k + l`` of the result holds
    that product, flattened; one matrix product then gives every gate of the circuit at once.
    """
    eye = torch.eye(2, dtype=torch.complex128)
    x = torch.tensor([[0, 1], [1, 0]], dtype=torch.complex128)
    y = torch.tensor([[0, -1j], [1j, 0]], dtype=torch.complex128)
    z = torch.tensor([[1, 0], [0, -1]], dtype=torch.complex128)
    rows = [bx @ by @ bz for bx in (eye, -1j * x) for by in (eye, -1j * y) for bz in (eye, -1j * z)]
    return torch.stack(rows).reshape(8, 4).to(dtype)


def _picker(index: torch.Tensor, size: int) -> torch.Tensor:
    """0/1 matrix (size, index.numel()) with ``x @ picker == x[..., index]`` flattened."""
    flat = index.reshape(-1)
    out = torch.zeros(size, flat.numel())
    out[flat, torch.arange(flat.numel())] = 1.0
    return out


class TorchCircuit(nn.Module):
    """Batched statevector simulation of the circuit; differentiable end to end.

    The trainable layers do not depend on the sample, so they form one 16 × 16 unitary ``U``,
    built once per forward pass: every combined gate ``RX·RY·RZ`` is a fixed linear map of the
    products of the cosines and sines of its half angles (:func:`_gate_basis`), every layer's
    Kronecker product is one "pick the factors, multiply them" step, the CNOT chain is a row
    permutation, and the six layers multiply as a tree (three products, then two). The encoding ``⊗ RY(v_i)|0⟩`` is a real product state, so the
    batch costs one (batch × 16) @ (16 × 16) product: ``ψ = U ψ₀(v)``. Few, large tensor
    operations matter on a CPU, where autograd's cost is per operation rather than per number.

    ``forward(angles)`` returns ⟨Z_i⟩ of shape (batch, n_qubits); ``state(angles)`` the final
    statevector (batch, 2**n_qubits), qubit 0 the most significant bit as in PennyLane;
    ``run(angles)`` both from one unitary.
    """

    def __init__(
        self,
        n_qubits: int = N_QUBITS,
        n_layers: int = N_LAYERS,
        *,
        dtype: torch.dtype = torch.complex128,
    ) -> None:
        super().__init__()
        if not 1 <= n_qubits <= 8:
            raise ValueError(f"the statevector form supports 1 to 8 qubits, got {n_qubits}")
        self.n_qubits, self.n_layers, self.dtype = n_qubits, n_layers, dtype
        self.weights = nn.Parameter(torch.empty(n_layers, n_qubits, 3).uniform_(0, 2 * math.pi))
        dim = 2**n_qubits
        bits = (torch.arange(dim)[:, None] >> (n_qubits - 1 - torch.arange(n_qubits))) & 1
        # z[k, q] = +1 if qubit q of basis state k is 0, else -1; once for the real and once for
        # the imaginary part of amplitude k, which sit side by side in run()
        real = torch.float64 if dtype == torch.complex128 else torch.float32
        z_pairs = (1.0 - 2.0 * bits).to(real).repeat_interleave(2, dim=0)
        self.register_buffer("z_pairs", z_pairs, persistent=False)
        # CNOT chain 0→1, 1→2, …: basis state k goes to target[k]; row target[k] of C·L is row k
        flipped = bits.clone()
        for q in range(n_qubits - 1):
            flipped[:, q + 1] ^= flipped[:, q]
        target = (flipped * (1 << (n_qubits - 1 - torch.arange(n_qubits)))).sum(dim=1)
        self.register_buffer("chain_rows", torch.argsort(target), persistent=False)
        self.register_buffer("gate_basis", _gate_basis(dtype), persistent=False)
        # Every product below is "pick factors from a table, multiply them": the picking is a
        # product with a fixed 0/1 matrix (cheaper to differentiate than advanced indexing).
        qubit = torch.arange(n_qubits)
        # ⊗_i (cos, sin)_i: factor i of amplitude k is entry 2i + bit_i(k)
        pick_state = _picker(2 * qubit + bits, 2 * n_qubits).to(real)
        self.register_buffer("pick_state", pick_state, persistent=False)
        # x_j y_k z_l from (RZ, RY, RX) × (cos, sin): entry 2r + bit
        rot = (torch.arange(8)[:, None] >> torch.tensor([2, 1, 0])) & 1  # (8, 3): j, k, l
        pick_rotation = _picker(2 * torch.tensor([2, 1, 0]) + rot, 6).to(real)
        self.register_buffer("pick_rotation", pick_rotation, persistent=False)
        # ⊗_q G_q: factor q of entry (r, c) is G_q[r_q, c_q], entry 4q + 2 r_q + c_q
        entry = 4 * qubit + 2 * bits[:, None, :] + bits[None, :, :]  # (dim, dim, n)
        self.register_buffer("pick_layer", _picker(entry, 4 * n_qubits).to(dtype), persistent=False)

    def unitary(self) -> torch.Tensor:
        """The trainable part of the circuit as a (2**n, 2**n) unitary.

        A handful of tensor operations for any number of qubits and layers: every gate at once
        from its (cos, sin) products, every layer's Kronecker product at once, and the layers
        multiplied as a tree.
        """
        n, dim, depth = self.n_qubits, 2**self.n_qubits, self.n_layers
        if depth == 0:
            return torch.eye(dim, dtype=self.dtype, device=self.weights.device)
        half = self.weights.to(self.z_pairs.dtype) * 0.5
        trig = torch.stack([torch.cos(half), torch.sin(half)], dim=-1).reshape(depth, n, 6)
        xyz = (trig @ self.pick_rotation).reshape(depth, n, 8, 3).prod(dim=-1)
        gates = xyz.to(self.dtype) @ self.gate_basis  # (layer, qubit, 4): G[r, c] at 2r + c
        layer = (gates.reshape(depth, 4 * n) @ self.pick_layer).reshape(depth, dim, dim, n)
        mats = layer.prod(dim=-1)[:, self.chain_rows]  # C · (⊗_q G_q), first layer first
        while mats.shape[0] > 1:  # product as a tree: later layers multiply from the left
            pairs = mats.shape[0] // 2
            prod = mats[1 : 2 * pairs : 2] @ mats[0 : 2 * pairs : 2]
            mats = torch.cat([prod, mats[2 * pairs :]]) if mats.shape[0] % 2 else prod
        return mats[0]

    def _initial(self, angles: torch.Tensor) -> torch.Tensor:
        """⊗_i RY(v_i)|0⟩ = ⊗_i (cos v_i/2, sin v_i/2), a real (batch, 2**n) product state."""
        half = angles.to(self.z_pairs.dtype) * 0.5
        trig = torch.stack([torch.cos(half), torch.sin(half)], dim=-1).reshape(len(angles), -1)
        return (trig @ self.pick_state).reshape(len(angles), -1, self.n_qubits).prod(dim=-1)

    def run(self, angles: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """⟨Z_i⟩ (batch, n_qubits) in the dtype of ``angles`` and the final state, one unitary.

        ψ₀ is real, so ``ψ = ψ₀ Uᵀ`` is one real product with the (16, 32) matrix of U's real and
        imaginary parts, and ⟨Z_i⟩ = Σ_k |ψ_k|² z_ki.
        """
        dim = 2**self.n_qubits
        u = torch.view_as_real(self.unitary()).permute(1, 0, 2).reshape(dim, 2 * dim)
        psi = self._initial(angles) @ u  # (batch, 2·dim): re, im interleaved
        expval = psi.square() @ self.z_pairs
        return expval.to(angles.dtype), torch.view_as_complex(psi.reshape(-1, dim, 2))

    def state(self, angles: torch.Tensor) -> torch.Tensor:
        return self.run(angles)[1]

    def forward(self, angles: torch.Tensor) -> torch.Tensor:
        return self.run(angles)[0]


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

    def run(self, angles: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """⟨Z_i⟩ and the final state (two QNode executions: PennyLane returns one or the other)."""
        return self.forward(angles), self.state(angles)
