"""Quantum layer speed: forward + backward samples per second, PennyLane vs the torch statevector.

Also times one training step of the whole ``quick`` QEML-Net (profile of the hybrid-network
chapter) on CPU with each form of the quantum layer, in training windows per second.

The same 4-qubit, 6-layer circuit (QEML-Net section 3.4) as a PennyLane QNode on ``default.qubit``
with backpropagation and parameter broadcasting over the batch, and as the batched torch
statevector simulation of :class:`qpdm_lib.qeml.models.circuit.TorchCircuit`. Both compute ⟨Z_i⟩ for a
batch of encoding angles and backpropagate a loss to the angles and the 72 weights; the script
checks the outputs agree before timing.

    python benchmarks/quantum_layer.py [--batch 64] [--repeats 20] [--train-steps 10]

The last line is ``ratio=<torch samples/s ÷ PennyLane samples/s>``.
"""

from __future__ import annotations

import argparse
import time

import torch

from qpdm_lib.book import profiles
from qpdm_lib.qeml import runs
from qpdm_lib.qeml.models.circuit import TorchCircuit, make_qnode
from qpdm_lib.qeml.models.losses import compound_loss
from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet


def training_rate(quantum: str, steps: int, threads: int) -> float:
    """Training windows per second of the quick-profile QEML-Net (batch 64, random images)."""
    torch.set_num_threads(threads)
    cfg = profiles.resolve("hybrid-network", profile="quick")
    torch.manual_seed(0)
    model = QEMLNet(NetConfig(blocks=runs.DEPTHS[cfg.depth], width=cfg.width, quantum=quantum))
    optimiser = torch.optim.AdamW(model.parameters(), lr=cfg.lr)
    x = torch.randn(cfg.batch_size, 1, cfg.image_size, cfg.image_size)
    y = torch.randint(0, 4, (cfg.batch_size,))

    def step():
        loss, _ = compound_loss(model(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * cfg.batch_size / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads for both (tiny tensors: 1)"
    )
    parser.add_argument(
        "--train-steps", type=int, default=10, help="timed steps of the quick model"
    )
    parser.add_argument(
        "--train-threads", type=int, default=torch.get_num_threads(), help="threads for the model"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    torch_form = TorchCircuit(dtype=torch.complex64)
    qnode = make_qnode()
    weights = torch_form.weights.detach().clone().requires_grad_(True)
    angles = torch.rand(args.batch, 4) * 3

    assert torch.allclose(torch_form(angles), qnode(angles, weights).float(), atol=1e-4)

    def timed(step):
        step()  # warm-up
        start = time.perf_counter()
        for _ in range(args.repeats):
            step()
        return args.repeats * args.batch / (time.perf_counter() - start)

    def torch_step():
        a = angles.clone().requires_grad_(True)
        torch_form(a).square().sum().backward()

    def pennylane_step():
        a = angles.clone().requires_grad_(True)
        qnode(a, weights).square().sum().backward()

    pl_rate = timed(pennylane_step)
    torch_rate = timed(torch_step)
    print(f"PennyLane default.qubit (backprop, broadcast): {pl_rate:9,.0f} samples/s")
    print(f"torch statevector:                             {torch_rate:9,.0f} samples/s")
    for quantum in ("pennylane", "torch"):
        rate = training_rate(quantum, args.train_steps, args.train_threads)
        print(f"quick QEML-Net training, {quantum:9s} circuit, {args.train_threads} threads: "
              f"{rate:7,.0f} windows/s")  # fmt: skip
    print(f"ratio={torch_rate / pl_rate:.1f}")


if __name__ == "__main__":
    main()
