import numpy as np
import pytest
import torch

from qpdm_lib import baselines
from qpdm_lib.baselines import bearing_deep as bd
from qpdm_lib.qeml.models.circuit import TorchCircuit

K = 4  # classes of the tone problem: every network ends in 4 outputs


def _bottleneck(cin: int, width: int, projected: bool) -> int:
    """1x1, 3x3, 1x1 (x4) convolutions without bias, a BatchNorm (2 per channel) after each,
    and a projected shortcut (1x1 conv + BatchNorm) where the shape changes."""
    out = 4 * width
    body = cin * width + 2 * width + 9 * width * width + 2 * width + width * out + 2 * out
    return body + (cin * out + 2 * out if projected else 0)


def _resnet_1111(width: int) -> int:
    """Stem (7x7 conv + BatchNorm) and one bottleneck per stage, every stage projected."""
    total, cin = 49 * width + 2 * width, width
    for stage in range(4):
        w = width * 2**stage
        total += _bottleneck(cin, w, True)
        cin = 4 * w
    return total


@pytest.mark.parametrize(
    ("name", "hand_count"),
    [
        # one LSTM layer on 16-sample steps, 16 units: 4 gates × (16·16 + 16·16 + 2 biases of 16)
        ("LSTM", 4 * (16 * 16 + 16 * 16 + 2 * 16) + (16 * K + K)),
        # six convolutions without bias (kernel 64, then 5), a BatchNorm after each, MLP head
        ("1D-CNN", (1 * 4 * 64 + 4 * 4 * 5 + 4 * 8 * 5 + 3 * 8 * 8 * 5) + 2 * (4 + 4 + 8 * 4)
         + (8 * 8 + 8) + (8 * K + K)),
        # embedding 16→16, [CLS], 33 positions, one encoder layer (attention 4·(16·16+16),
        # feed-forward 16·32+32 + 32·16+16, two LayerNorms), final LayerNorm, head
        ("Transformer", (16 * 16 + 16) + 16 + 33 * 16 + (4 * (16 * 16 + 16) + (16 * 32 + 32)
         + (32 * 16 + 16) + 2 * 2 * 16) + 2 * 16 + (16 * K + K)),
        ("ResNet-50", _resnet_1111(4) + (128 * K + K)),
        # backbone, 128 → 2 angles, 2 layers × 2 qubits × 3 angles, 2 → K head
        ("Hybrid-QNN", _resnet_1111(4) + (128 * 2 + 2) + 2 * 2 * 3 + (2 * K + K)),
    ],
)  # fmt: skip
def test_parameter_counts_by_hand(name, hand_count, bearing_fitted):
    assert bearing_fitted(name).n_parameters() == hand_count


def test_two_layer_lstm_count_by_hand(bearing_problem):
    data, split = bearing_problem
    model = baselines.get("LSTM", hidden=8, layers=2, epochs=1).fit(data, split, seed=0)
    layer1 = 4 * (8 * 16 + 8 * 8 + 2 * 8)
    layer2 = 4 * (8 * 8 + 8 * 8 + 2 * 8)
    assert model.n_parameters() == layer1 + layer2 + 8 * K + K


def test_paper_scale_defaults():
    # Table 3's parameter counts are what the defaults are sized by (here for 4 classes)
    def count(module):
        return sum(p.numel() for p in module.parameters())

    assert round(count(bd._LSTMNet(bd.LSTMConfig(), K)) / 1e6, 1) == 4.2
    assert round(count(bd._CNNNet(bd.CNNConfig(), K)) / 1e6, 1) == 2.8
    assert bd.ResNetConfig().blocks == (3, 4, 6, 3) and bd.HybridConfig().n_qubits == 2
    c = bd.TransformerConfig()
    assert (c.d_model, c.heads, c.layers, c.ff) == (768, 12, 12, 3072)  # ViT-Base: 86 M


def test_hybrid_is_backbone_two_angles_circuit_head(bearing_fitted):
    net = bearing_fitted("Hybrid-QNN").module_.eval()
    assert isinstance(net.circuit, TorchCircuit) and net.circuit.n_qubits == 2
    assert net.circuit.n_layers == 2 and net.head.in_features == 2
    images = torch.randn(5, 1, 16, 16)
    with torch.no_grad():
        angles = net.encoder(net.backbone(images))  # unsquashed, as QEML-Net's W_enc
        z = net.circuit(angles)  # ⟨Z_0⟩, ⟨Z_1⟩
        torch.testing.assert_close(net(images), net.head(z))
    assert angles.shape == (5, 2) and float(z.abs().max()) <= 1.0


def test_window_models_check_window_length(bearing_problem):
    data, split = bearing_problem
    with pytest.raises(ValueError, match="window length 512 is not a multiple of patch=24"):
        baselines.get("Transformer", d_model=8, heads=2, layers=1, patch=24, epochs=1).fit(
            data, split, seed=0
        )
    model = baselines.get("1D-CNN", channels=(2,), hidden=2, epochs=1).fit(data, split, seed=0)
    short = baselines.BearingInputs(np.zeros((2, 256), np.float32), np.array([0, 2]))
    with pytest.raises(ValueError, match="fitted on windows of 512 samples, got 256"):
        model.predict_proba(short, np.array([0, 1]))


@pytest.mark.parametrize(
    ("name", "config", "message"),
    [
        ("LSTM", dict(hidden=0), r"LSTMConfig.hidden must be an integer >= 1, got 0"),
        ("1D-CNN", dict(channels=()), r"CNNConfig.channels must be counts >= 1, got \(\)"),
        ("Transformer", dict(d_model=10, heads=4), "d_model=10 is not a multiple of heads=4"),
        ("ResNet-50", dict(blocks=(1, 1)), r"blocks must be four counts >= 1"),
        ("Hybrid-QNN", dict(n_qubits=9), "n_qubits must be <= 8"),
        ("LSTM", dict(device="tpu"), "device must be 'cpu', 'cuda' or 'auto', got 'tpu'"),
        ("LSTM", dict(lr=0.0), "need lr > 0"),
    ],
)
def test_configs_check_their_values(name, config, message):
    with pytest.raises(ValueError, match=message):
        baselines.get(name, **config)
