import numpy as np
import pytest
import torch

from qpdm_lib.qeml.models.cbam import CBAM, ChannelAttention, SpatialAttention
from qpdm_lib.qeml.models.resnet import ResNet


def _count(module):
    return sum(p.numel() for p in module.parameters())


def test_resnet50_has_torchvisions_parameter_count():
    # torchvision's resnet50 has 25,557,032 parameters, of which the classifier holds 2,049,000
    assert (
        _count(ResNet((3, 4, 6, 3), width=64, in_channels=3, cbam_stages=()))
        == 25_557_032 - 2_049_000
    )


def test_resnet_shapes_and_cbam_stages():
    net = ResNet((1, 1, 1, 1), width=8, in_channels=1, cbam_stages=(3, 4), reduction=4).eval()
    out = net(torch.randn(2, 1, 32, 32))
    assert out.shape == (2, 8 * 8 * 4) and net.out_features == 256
    cbams = [m for m in net.modules() if isinstance(m, CBAM)]
    assert len(cbams) == 2 and cbams[0] is not cbams[1]
    with pytest.raises(
        ValueError, match=r"blocks must be four counts >= 1 \(ResNet-50: 3, 4, 6, 3\), got \(3, 4\)"
    ):
        ResNet((3, 4))


def test_channel_attention_by_hand():
    att = ChannelAttention(2, reduction=1)
    with torch.no_grad():  # MLP = relu, so M_c = sigmoid(relu(avg) + relu(max))
        att.mlp[0].weight.copy_(torch.eye(2).view(2, 2, 1, 1))
        att.mlp[2].weight.copy_(torch.eye(2).view(2, 2, 1, 1))
    x = torch.tensor(
        [[[[1.0, 3.0]], [[-2.0, -4.0]]]]
    )  # channel 0: avg 2, max 3; channel 1: avg -3, max -2
    expected = torch.sigmoid(torch.tensor([2.0 + 3.0, 0.0 + 0.0])).view(1, 2, 1, 1)
    torch.testing.assert_close(att(x), expected)


def test_spatial_attention_by_hand():
    att = SpatialAttention(7)
    with torch.no_grad():  # only the centre tap of the channel-mean map: M_s = sigmoid(mean_c)
        att.conv.weight.zero_()
        att.conv.weight[0, 0, 3, 3] = 1.0
    x = torch.tensor([[[[1.0, 2.0]], [[3.0, -6.0]]]])
    torch.testing.assert_close(att(x), torch.sigmoid(torch.tensor([[[[2.0, -2.0]]]])))


def test_cbam_applies_channel_then_spatial():
    torch.manual_seed(0)
    block = CBAM(16, reduction=4)
    x = torch.randn(3, 16, 5, 5)
    f1 = block.channel(x) * x
    torch.testing.assert_close(block(x), block.spatial(f1) * f1)
    with pytest.raises(ValueError, match="kernel_size must be odd, got 6"):
        SpatialAttention(6)
    assert np.isclose(_count(block), 16 * 4 * 2 + 2 * 49)


def test_qeml_net_shapes_and_parameter_table():
    from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet, parameter_table

    torch.manual_seed(0)
    net = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4)).eval()
    out = net(torch.randn(3, 1, 32, 32))
    assert out["logits"].shape == (3, 8) and out["h"].shape == (3, 512) and out["q"].shape == (3, 4)
    assert out["state"].shape == (3, 16)
    table = parameter_table(net)
    assert table["quantum circuit"] == 72 and table["quantum encoder W_enc"] == 512 * 4 + 4
    assert table["head"] == (516 * 256 + 256 + 2 * 256) + (256 * 128 + 128 + 2 * 128) + (
        128 * 8 + 8
    )
    full = parameter_table(QEMLNet())
    assert full["backbone (ResNet + CBAM)"] > 23_500_000 and full["total"] < 31_400_000


def test_torch_and_pennylane_quantum_give_the_same_network_output():
    from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet

    torch.manual_seed(1)
    a = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4, quantum="torch")).eval()
    b = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4, quantum="pennylane")).eval()
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 1, 32, 32)
    torch.testing.assert_close(a(x)["logits"], b(x)["logits"], atol=1e-5, rtol=1e-5)


def test_compound_loss_by_hand():
    from qpdm_lib.qeml.models.losses import compound_loss, fidelity

    logits = torch.tensor([[2.0, 0.0], [0.0, 0.0]])
    target = torch.tensor([0, 1])
    h = torch.tensor([[1.0, 2.0], [0.0, 0.0]])
    h_rec = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    state = torch.zeros(2, 4, dtype=torch.complex128)
    state[0, 0] = 1.0  # all on |0>: fidelity 1 for class 0
    state[1, 1] = state[1, 2] = 2**-0.5  # half on |1>: fidelity 0.5 for class 1
    out = {"logits": logits, "h": h, "h_rec": h_rec, "state": state}
    total, parts = compound_loss(out, target)
    ce = (np.log(1 + np.exp(-2.0)) + np.log(2.0)) / 2
    mse = (0 + 4 + 0 + 4) / 4
    lq = (0 + 0.5) / 2
    assert (
        parts["ce"] == pytest.approx(ce)
        and parts["mse"] == pytest.approx(mse)
        and parts["l_q"] == pytest.approx(lq)
    )
    assert total.item() == pytest.approx(0.55 * ce + 0.28 * mse + 0.17 * lq)
    assert fidelity(state, target).tolist() == pytest.approx([1.0, 0.5])
    with pytest.raises(ValueError, match="class 7 has no basis state among 4"):
        fidelity(state, torch.tensor([7, 0]))


def test_classify_is_the_forward_pass_without_the_decoder():
    from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet

    torch.manual_seed(3)
    net = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=8, reduction=4)).eval()
    x = torch.randn(5, 1, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(net.classify(x), net(x)["logits"])


def test_full_size_parameter_count_block_by_block():
    from qpdm_lib.qeml.models.qeml_net import QEMLNet, parameter_table

    table = parameter_table(QEMLNet())
    resnet50_one_channel = 23_508_032 - 7 * 7 * 64 * 2  # torchvision's count minus two input planes
    cbam = (1024 * 64 * 2 + 2 * 49) + (2048 * 128 * 2 + 2 * 49)  # after stages 3 and 4, r = 16
    assert table["backbone (ResNet + CBAM)"] == resnet50_one_channel + cbam
    assert table["projection 2048→512"] == 2048 * 512 + 512
    assert table["quantum encoder W_enc"] == 512 * 4 + 4
    assert table["quantum circuit"] == 6 * 4 * 3
    assert table["head"] == (516 * 256 + 256 + 2 * 256) + (256 * 128 + 128 + 2 * 128) + (
        128 * 8 + 8
    )
    assert table["decoder (training only)"] == (4 * 128 + 128) + (128 * 512 + 512)
    assert table["total"] == sum(v for k, v in table.items() if k != "total") == 25_442_264
