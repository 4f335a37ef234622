import numpy as np
import pytest
import torch

from qpdm_lib.qeml.models.circuit import TorchCircuit, make_qnode


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_torch_and_pennylane_agree_on_outputs_and_gradients(seed):
    torch.manual_seed(seed)
    torch_form = TorchCircuit()
    with torch.no_grad():
        torch_form.weights.uniform_(-np.pi, np.pi)
    qnode = make_qnode()
    angles = (torch.rand(6, 4, dtype=torch.float64) * 2 - 1) * np.pi
    weights = torch_form.weights.detach().double().clone().requires_grad_(True)
    a1, a2 = angles.clone().requires_grad_(True), angles.clone().requires_grad_(True)
    out1, out2 = torch_form(a1), qnode(a2, weights)
    np.testing.assert_allclose(out1.detach().numpy(), out2.detach().numpy(), atol=1e-5)
    probe = torch.randn(6, 4, dtype=torch.float64)  # a random cotangent, not just the sum
    (out1 * probe).sum().backward()
    (out2 * probe).sum().backward()
    np.testing.assert_allclose(a1.grad.numpy(), a2.grad.numpy(), atol=1e-5)
    np.testing.assert_allclose(torch_form.weights.grad.numpy(), weights.grad.numpy(), atol=1e-5)


def test_parameter_count_and_state():
    circuit = TorchCircuit()
    assert sum(p.numel() for p in circuit.parameters()) == 6 * 4 * 3 == 72  # the paper says 96
    state = circuit.state(torch.zeros(3, 4))
    assert state.shape == (3, 16)
    np.testing.assert_allclose(state.abs().pow(2).sum(dim=1).detach().numpy(), 1.0, atol=1e-12)


def test_identity_circuit_measures_the_encoding():
    # with every trainable angle zero, only RY(v) and the CNOT chain act
    circuit = TorchCircuit(n_layers=0)
    angles = torch.tensor([[0.0, np.pi, 0.3, 1.0]], dtype=torch.float64)
    out = circuit(angles)
    np.testing.assert_allclose(out[0, 0].item(), 1.0, atol=1e-12)  # <Z> of RY(0)|0> = 1
    np.testing.assert_allclose(out[0, 1].item(), -1.0, atol=1e-12)  # RY(pi)|0> = |1>
    np.testing.assert_allclose(out[0, 2].item(), np.cos(0.3), atol=1e-12)


@pytest.mark.parametrize(("n_qubits", "n_layers"), [(1, 1), (3, 5), (5, 2)])
def test_other_sizes_agree_with_pennylane(n_qubits, n_layers):
    # odd depths take the tree product's carry path; one qubit has no CNOT at all
    torch.manual_seed(n_qubits * 10 + n_layers)
    torch_form = TorchCircuit(n_qubits, n_layers)
    qnode = make_qnode(n_qubits, n_layers, returns="state")
    angles = torch.rand(3, n_qubits, dtype=torch.float64) * 6 - 3
    expected = qnode(angles, torch_form.weights.detach().double())
    np.testing.assert_allclose(
        torch_form.state(angles).detach().numpy(), expected.numpy(), atol=1e-10
    )


def test_unsupported_size_is_refused():
    with pytest.raises(ValueError, match="supports 1 to 8 qubits, got 9"):
        TorchCircuit(9)
