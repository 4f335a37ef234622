"""The compound loss of QEML-Net section 3.6: L = 0.55 L_CE + 0.28 L_MSE + 0.17 L_Q.

* ``L_CE``  cross-entropy of the logits;
* ``L_MSE`` (1/d) ||h − Dec(Enc(h))||², the reconstruction of the 512 features from the
  4-value encoding ``Enc(h) = W_enc h``;
* ``L_Q``   1 − |⟨ψ_target|ψ_L⟩|², the infidelity of the circuit's final state.

The paper never defines ψ_target. We take the computational basis state |y⟩ of the true class y
(8 classes among the 16 basis states of 4 qubits), so the fidelity says how much of the final
state sits on the class's own basis state. That is a choice; the chapter says so.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["WEIGHTS", "fidelity", "compound_loss"]

WEIGHTS = (0.55, 0.28, 0.17)


def fidelity(state: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """|⟨y|ψ⟩|² for each row of ``state`` (batch, 2**n) and class index ``target`` (batch,)."""
    if state.shape[0] != target.shape[0]:
        raise ValueError(
            f"state and target differ in batch size: {state.shape[0]} and {target.shape[0]}"
        )
    if int(target.max()) >= state.shape[1]:
        raise ValueError(f"class {int(target.max())} has no basis state among {state.shape[1]}")
    return state.gather(1, target.view(-1, 1)).squeeze(1).abs() ** 2


def compound_loss(out: dict[str, torch.Tensor], target: torch.Tensor, *, weights=WEIGHTS):
    """Total loss and its parts (floats) from a :class:`QEMLNet` output dict.

    Without the quantum branch (an ablation) the output has no state and no reconstruction: the
    loss is the cross-entropy alone, whatever ``weights`` say.
    """
    ce = F.cross_entropy(out["logits"], target)
    if "state" not in out:
        nan = float("nan")
        return ce, {"ce": ce.item(), "mse": nan, "l_q": nan, "fidelity": nan, "total": ce.item()}
    mse = F.mse_loss(out["h_rec"], out["h"])
    fid = fidelity(out["state"], target).to(ce.dtype)
    lq = (1.0 - fid).mean()
    total = weights[0] * ce + weights[1] * mse + weights[2] * lq
    return total, {
        "ce": ce.item(),
        "mse": mse.item(),
        "l_q": lq.item(),
        "fidelity": fid.mean().item(),
        "total": total.item(),
    }
