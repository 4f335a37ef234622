"""The quantum baselines of QAQL Table 7: the re-uploading circuit, and the models' sizes."""

import math

import numpy as np
import pytest
import torch

from qpdm_lib import baselines
from qpdm_lib.baselines import rul_quantum as rq


@pytest.mark.parametrize("n_qubits", [1, 2, 3])
def test_reuploading_circuit_matches_pennylane(n_qubits):
    qml = pytest.importorskip("pennylane")
    torch.manual_seed(0)
    circuit = rq.ReuploadingCircuit(n_qubits, 2)
    with torch.no_grad():
        circuit.scales.uniform_(0.5, 1.5)
    x = torch.randn(4, n_qubits, dtype=torch.float64)
    w, lam = circuit.weights.detach().double(), circuit.scales.detach().double()
    dev = qml.device("default.qubit", wires=n_qubits)
    ring = [(i, (i + 1) % n_qubits) for i in range(n_qubits)] if n_qubits > 2 else (
        [(0, 1)] if n_qubits == 2 else [])  # fmt: skip

    @qml.qnode(dev, interface="torch")
    def reference(inputs):
        for layer in range(2):
            for q in range(n_qubits):
                qml.RY(w[layer, q, 0], wires=q)
                qml.RZ(w[layer, q, 1], wires=q)
            for a, b in ring:
                qml.CZ(wires=[a, b])
            for q in range(n_qubits):
                qml.RX(lam[layer, q] * inputs[q], wires=q)
        for q in range(n_qubits):
            qml.RY(w[2, q, 0], wires=q)
            qml.RZ(w[2, q, 1], wires=q)
        return [qml.expval(qml.PauliZ(q)) for q in range(n_qubits)]

    expected = torch.stack([torch.stack(list(reference(row))) for row in x]).reshape(4, n_qubits)
    torch.testing.assert_close(circuit(x).detach(), expected, atol=1e-10, rtol=0)


def test_reuploading_circuit_is_differentiable_in_angles_scales_and_inputs():
    circuit = rq.ReuploadingCircuit(3, 2)
    x = torch.randn(5, 3, requires_grad=True)
    circuit(x).sum().backward()
    assert circuit.weights.grad.abs().sum() > 0 and circuit.scales.grad.abs().sum() > 0
    assert x.grad.abs().sum() > 0
    with pytest.raises(ValueError, match=r"inputs must be \(batch, 3\), got \(5, 2\)"):
        circuit(torch.zeros(5, 2))


def test_gate_circuit_reuses_one_unitary():
    torch.manual_seed(0)
    gate = rq._GateCircuit(3, 2)
    angles = torch.randn(6, 3)
    torch.testing.assert_close(gate.expval_with(angles, gate.packed_unitary()), gate(angles))


@pytest.mark.parametrize(
    ("name", "hand_count"),
    [
        # rotations (2 layers + final) × 2 qubits × (RY, RZ), input scales 2 × 2, readout 2 → 16
        ("Quantum VQL", 3 * 2 * 2 + 2 * 2 + (2 * 16 + 16)),
        # 8 summary inputs → 2 angles, 2 layers × 2 qubits × 3 angles, readout 2 → 16
        ("Quantum DQN", (8 * 2 + 2) + 2 * 2 * 3 + (2 * 16 + 16)),
        # [h (4), x (2)] → 2 angles, 4 gate circuits of 1 layer × 2 qubits × 3, 2 → 4, head 4 → 1
        ("Quantum LSTM", (6 * 2 + 2) + 4 * (1 * 2 * 3) + (2 * 4 + 4) + (4 + 1)),
    ],
)
def test_parameter_counts_by_hand(name, hand_count, rul_fitted):
    assert rul_fitted(name).n_parameters() == hand_count


def test_vql_whitens_only_directions_that_vary(rul_problems):
    _, _, walk, _ = rul_problems  # the regime windows vary along one direction only
    model = baselines.get("Quantum VQL", n_qubits=2, n_layers=1, episodes=1).fit(walk, seed=0)
    features = model._features(walk.x[:20])
    assert np.isfinite(features).all() and model.spread_[1] == 1.0
    assert np.abs(features[:, 0]).max() < 10


def test_quantum_configs_check_their_values():
    with pytest.raises(ValueError, match="VQLConfig.n_qubits must be <= 8, got 9"):
        baselines.get("Quantum VQL", n_qubits=9)
    with pytest.raises(ValueError, match="QDQNConfig.n_layers must be an integer >= 1, got 0"):
        baselines.get("Quantum DQN", n_layers=0)
    with pytest.raises(ValueError, match="QLSTMConfig.hidden must be an integer >= 1"):
        baselines.get("Quantum LSTM", hidden=0)
    assert math.isclose(rq.VQLConfig().discount, 0.99)
