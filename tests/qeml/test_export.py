"""Deployment helpers: the frozen circuit equals the trained one, ONNX and FP16 agree with torch,
TensorRT's builder is driven right (up to the GPU), sizes and shares by hand."""

import sys
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

from qpdm_lib.qeml import export
from qpdm_lib.qeml.models.circuit import TorchCircuit
from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet

SIZE = 16


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    net = QEMLNet(NetConfig(blocks=(1, 1, 1, 1), width=4))
    # non-trivial BatchNorm statistics, so eval mode differs from a fresh network
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(8, 1, SIZE, SIZE))
    return net.eval()


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).normal(size=(7, 1, SIZE, SIZE)).astype(np.float32)


# --- the exportable rewrite against the original ----------------------------------------------
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_frozen_circuit_equals_the_training_circuit(dtype):
    torch.manual_seed(3)
    circuit = TorchCircuit()
    angles = (torch.rand(64, 4) * 2 * torch.pi).to(dtype)
    frozen = export.FrozenCircuit(circuit, dtype=dtype)
    with torch.no_grad():
        expected = circuit(angles.double())
        got = frozen(angles)
    assert got.dtype == dtype
    tol = 1e-12 if dtype == torch.float64 else 2e-6
    torch.testing.assert_close(got.double(), expected, atol=tol, rtol=0)
    assert not any(t.is_complex() for t in frozen.buffers())  # nothing complex to export
    with pytest.raises(ValueError, match="real floating"):
        export.FrozenCircuit(circuit, dtype=torch.complex64)


def test_inference_model_computes_classify_and_leaves_the_original_alone(model, images):
    net = export.inference_model(model)
    x = torch.as_tensor(images)
    with torch.no_grad():
        torch.testing.assert_close(net(x), model.classify(x), atol=1e-5, rtol=0)
    assert isinstance(model.circuit, TorchCircuit)  # the trained model keeps its circuit
    assert not hasattr(net, "decoder")  # the decoder is training-only
    half = export.inference_model(model, dtype=torch.float16)
    with torch.no_grad():
        out = half(x.half()).float()
    assert out.dtype == torch.float32 and (out - model.classify(x)).abs().max() < 0.05
    with pytest.raises(TypeError, match="QEMLNet"):
        export.inference_model(nn.Linear(2, 2))


# --- ONNX ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def onnx_files(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    net = export.inference_model(model)
    static = export.export_onnx(net, folder / "static.onnx", image_size=SIZE, batch=2)
    dynamic = export.export_onnx(net, folder / "dynamic.onnx", image_size=SIZE, dynamic_batch=True)
    return static, dynamic


def test_onnx_static_and_dynamic_batch_give_torch_logits(model, images, onnx_files):
    static, dynamic = onnx_files
    with torch.no_grad():
        reference = model.classify(torch.as_tensor(images)).numpy()
    s = export.onnx_session(static, threads=1)
    assert s.get_inputs()[0].shape == [2, 1, SIZE, SIZE]
    got = export.onnx_logits(s, images)  # 7 windows at batch 2: the last batch is padded
    assert got.shape == reference.shape
    np.testing.assert_allclose(got, reference, atol=1e-4)
    d = export.onnx_session(dynamic)
    assert d.get_inputs()[0].shape[0] == "batch"
    for batch_size in (1, 3, 7):
        np.testing.assert_allclose(
            export.onnx_logits(d, images, batch_size=batch_size), reference, atol=1e-4
        )
    parity = export.compare(reference, got)
    assert parity["label_agreement"] == 1.0 and parity["max_abs_difference"] < 1e-4


def test_onnx_fp16_is_half_the_size_and_close(model, images, onnx_files, tmp_path):
    _, dynamic = onnx_files
    half = export.onnx_fp16(dynamic, tmp_path / "half.onnx")
    assert half.stat().st_size < 0.6 * dynamic.stat().st_size
    s = export.onnx_session(half)
    assert s.get_inputs()[0].type == "tensor(float)"  # float32 in and out
    with torch.no_grad():
        reference = model.classify(torch.as_tensor(images)).numpy()
    got = export.onnx_logits(s, images)
    difference = np.abs(got - reference).max()
    assert 0 < difference < 0.05  # rounded, but close


def test_onnx_helpers_check_their_inputs(onnx_files, tmp_path):
    with pytest.raises(FileNotFoundError, match="no ONNX file"):
        export.onnx_session(tmp_path / "absent.onnx")
    with pytest.raises(ValueError, match="threads"):
        export.onnx_session(onnx_files[0], threads=0)
    with pytest.raises(ValueError, match="images"):
        export.onnx_logits(export.onnx_session(onnx_files[1]), np.zeros((3, 16, 16)))


def test_a_missing_runtime_is_named_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ImportError, match="ONNX inference needs the 'onnxruntime' package"):
        export.onnx_session("x.onnx")


def test_compare_by_hand():
    a = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]])
    b = np.array([[1.0, 0.5], [0.6, 0.5], [2.0, 1.0]])
    assert export.compare(a, b) == {
        "max_abs_difference": 0.6, "label_agreement": 2 / 3, "labels_changed": 1
    }  # fmt: skip
    with pytest.raises(ValueError, match="one shape"):
        export.compare(a, b[:2])


# --- timing -------------------------------------------------------------------------------------
def test_latency_percentiles_and_throughput():
    calls = []
    stats = export.latency(lambda: calls.append(1), repeats=50, warmup=3)
    assert len(calls) == 53
    assert 0 <= stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"]
    assert export.throughput(lambda: None, 64, repeats=5) > 0
    with pytest.raises(ValueError, match="repeats"):
        export.latency(lambda: None, repeats=0)


# --- TensorRT, up to the point that needs a GPU ---------------------------------------------------
def test_tensorrt_status_names_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorrt", None)
    assert "TensorRT is not installed" in export.tensorrt_status()
    with pytest.raises(RuntimeError, match="cannot build a TensorRT engine: TensorRT is not"):
        export.tensorrt_engine(__file__, fp16=True, image_size=SIZE)
    monkeypatch.setitem(sys.modules, "tensorrt", SimpleNamespace())
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert export.tensorrt_status() == "TensorRT is installed but torch sees no CUDA GPU"


class _FakeTensorRT:
    """Records what the engine builder asks of TensorRT."""

    class Logger:
        WARNING = "warning"

        def __init__(self, level):
            pass

    class BuilderFlag:
        FP16 = "fp16"

    class MemoryPoolType:
        WORKSPACE = "workspace"

    def __init__(self, parses=True):
        self.calls = {"flags": [], "shapes": None, "pool": None}
        self.parses = parses
        fake = self

        class Config:
            def set_flag(self, flag):
                fake.calls["flags"].append(flag)

            def set_memory_pool_limit(self, pool, size):
                fake.calls["pool"] = (pool, size)

            def add_optimization_profile(self, profile):
                pass

        class Profile:
            def set_shape(self, name, *shapes):
                fake.calls["shapes"] = (name, shapes)

        class Network:
            def get_input(self, i):
                return SimpleNamespace(name="x")

        class Builder:
            def __init__(self, logger):
                pass

            def create_network(self, flags):
                return Network()

            def create_builder_config(self):
                return Config()

            def create_optimization_profile(self):
                return Profile()

            def build_serialized_network(self, network, config):
                return b"engine"

        class Parser:
            num_errors = 1

            def __init__(self, network, logger):
                pass

            def parse(self, data):
                fake.calls["parsed"] = len(data)
                return fake.parses

            def get_error(self, i):
                return "Unsupported operator Foo"

        self.Builder, self.OnnxParser = Builder, Parser


def test_tensorrt_engine_asks_for_fp16_and_the_batch_profile(onnx_files):
    fake = _FakeTensorRT()
    engine = export.tensorrt_engine(
        onnx_files[1], fp16=True, image_size=SIZE, batch=(1, 64, 64), workspace_mb=8, trt=fake
    )
    assert engine == b"engine"
    assert fake.calls["flags"] == ["fp16"] and fake.calls["pool"] == ("workspace", 8 << 20)
    assert fake.calls["shapes"] == (
        "x",
        ((1, 1, SIZE, SIZE), (64, 1, SIZE, SIZE), (64, 1, SIZE, SIZE)),
    )
    assert fake.calls["parsed"] == onnx_files[1].stat().st_size
    fp32 = _FakeTensorRT()
    export.tensorrt_engine(onnx_files[0], fp16=False, image_size=SIZE, batch=(2, 2, 2), trt=fp32)
    assert fp32.calls["flags"] == []
    with pytest.raises(RuntimeError, match="could not parse .*Unsupported operator Foo"):
        export.tensorrt_engine(onnx_files[0], fp16=False, image_size=SIZE, trt=_FakeTensorRT(False))
    with pytest.raises(ValueError, match="min <= opt <= max"):
        export.tensorrt_engine(onnx_files[0], fp16=True, image_size=SIZE, batch=(4, 2, 8), trt=fake)


# --- what an edge device needs -------------------------------------------------------------------
def test_memory_estimate_by_hand():
    net = nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(),
        nn.Linear(3 * 64, 2),
    )  # fmt: skip
    m = export.memory_estimate(net, 8)
    # parameters (conv, BatchNorm's scale and shift, linear) and BatchNorm's buffers: its
    # running mean and variance (float32) and its batch counter (one int64)
    assert m["weights"] == 4 * (3 * 9 + 3 + 2 * 3 + 3 * 64 * 2 + 2) + 4 * 2 * 3 + 8
    # conv, BatchNorm and ReLU out 3x8x8 each, flatten 192, linear 2: float32
    assert m["activations_total"] == 4 * (4 * 192 + 2)
    assert m["largest_activation"] == 4 * 192


def test_mac_share_counts_the_convolutions_and_the_circuit(model):
    net = export.inference_model(model)
    share = export.mac_share(net, SIZE)
    stem = 4 * (SIZE // 2) ** 2 * 49  # 4 channels, 8x8 outputs, 7x7x1 kernel
    assert share["total"] > stem + net.circuit.macs()
    assert share["quantum"] == net.circuit.macs() == 2 * 4 * 2 * 16 * 4 + 16 * 4 + 3 * 256
    assert 0 < share["share"] < 0.1


def test_quantum_time_share_of_both_forms(model):
    for form in (model, export.inference_model(model)):
        share = export.quantum_time_share(form, SIZE, repeats=3, warmup=1)
        assert 0 < share["share"] < 1 and share["circuit_ms"] < share["forward_ms"]
    assert "logical CPUs" in export.hardware()


def test_torch_threads_is_restored():
    before = torch.get_num_threads()
    with export.torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
    with pytest.raises(ValueError, match="threads"), export.torch_threads(0):
        pass
