"""Deploying QEML-Net (contribution 5, sections 4.2-4.3, Tables 3-4): ONNX, FP16, TensorRT.

The paper reports 19 ms and 52 FPS "after TensorRT FP16 optimisation", 22 FPS on a Jetson Xavier
NX, and "no accuracy loss" from FP16. This module turns the trained network into what a
deployment runs and measures it:

* :class:`FrozenCircuit` and :func:`inference_model` — the inference path
  (:meth:`QEMLNet.classify`) with the trained circuit frozen into one real 16 × 32 matrix. The
  training form builds its unitary from complex gates on every call, and ONNX has no complex
  numbers; once the weights are fixed the unitary is a constant, so the frozen form computes
  the same ⟨Z_i⟩ with real arithmetic only (tested against the original).
* :func:`export_onnx` (static or dynamic batch), :func:`onnx_session` and :func:`onnx_logits`
  (onnxruntime), :func:`onnx_fp16` (weights and activations in half precision), and
  :func:`compare` for parity.
* :func:`tensorrt_status`, :func:`tensorrt_engine` and :class:`TensorRTRunner` — engines built
  from the ONNX file where TensorRT and an NVIDIA GPU are present.
* :func:`latency` and :func:`throughput` (timings), :func:`memory_estimate`, :func:`mac_share`
  and :func:`quantum_time_share` (what an edge device needs), :func:`hardware` (what ran it).

onnx, onnxruntime and tensorrt are imported only by the functions that need them.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import platform
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .models.circuit import TorchCircuit
from .models.qeml_net import QEMLNet

__all__ = [
    "FrozenCircuit",
    "InferenceNet",
    "inference_model",
    "export_onnx",
    "onnx_session",
    "onnx_logits",
    "onnx_fp16",
    "compare",
    "latency",
    "throughput",
    "tensorrt_status",
    "tensorrt_engine",
    "TensorRTRunner",
    "memory_estimate",
    "mac_share",
    "quantum_time_share",
    "torch_threads",
    "hardware",
]


# --- the exportable form ----------------------------------------------------------------------
class FrozenCircuit(nn.Module):
    """The trained circuit of section 3.4 with its weights frozen: ⟨Z_i⟩ in real arithmetic.

    ``ψ = ψ₀(v) Uᵀ`` where ``ψ₀(v) = ⊗ RY(v_i)|0⟩`` is real and ``U`` the circuit's trainable
    part; stored as the (16, 32) real matrix of U's real and imaginary parts, U costs nothing
    per call and no complex number reaches the exported graph. The same products as
    :meth:`TorchCircuit.run`, in ``dtype`` (float32 for ONNX and TensorRT, float16 for FP16).
    """

    def __init__(self, circuit: TorchCircuit, *, dtype: torch.dtype = torch.float32) -> None:
        super().__init__()
        if not isinstance(circuit, TorchCircuit):
            raise TypeError(
                f"only the torch statevector circuit can be frozen, got {type(circuit).__name__}"
            )
        if not dtype.is_floating_point:
            raise ValueError(f"dtype must be a real floating type, got {dtype}")
        self.n_qubits = circuit.n_qubits
        dim = 2**circuit.n_qubits
        with torch.no_grad():
            u = torch.view_as_real(circuit.unitary()).permute(1, 0, 2).reshape(dim, 2 * dim)
        self.register_buffer("u", u.to(dtype))
        self.register_buffer("pick_state", circuit.pick_state.to(dtype))
        self.register_buffer("z_pairs", circuit.z_pairs.to(dtype))

    def forward(self, angles: torch.Tensor) -> torch.Tensor:
        half = angles.to(self.u.dtype) * 0.5
        trig = torch.stack([torch.cos(half), torch.sin(half)], dim=-1).flatten(1)
        psi0 = (trig @ self.pick_state).unflatten(1, (-1, self.n_qubits)).prod(dim=-1)
        return ((psi0 @ self.u).square() @ self.z_pairs).to(angles.dtype)

    def macs(self) -> int:
        """Multiply-accumulates per window: the three matrix products and the product state."""
        dim = 2**self.n_qubits
        return 2 * self.n_qubits * 2 * dim * self.n_qubits + dim * self.n_qubits + 3 * dim * dim


class InferenceNet(nn.Module):
    """QEML-Net's inference path with the circuit frozen: images → logits (no decoder, no state).

    Computes what :meth:`QEMLNet.classify` computes; this is the module that is exported.
    """

    def __init__(self, model: QEMLNet, *, dtype: torch.dtype = torch.float32) -> None:
        super().__init__()
        self.backbone = model.backbone
        self.project = model.project
        self.encoder = model.encoder
        # an ablation without the quantum branch (Table 4's first rows) has no circuit to freeze
        self.circuit = FrozenCircuit(model.circuit, dtype=dtype) if model.circuit else None
        self.head = model.head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.project(self.backbone(x))
        if self.circuit is None:
            return self.head(h)
        return self.head(torch.cat([self.circuit(self.encoder(h)), h], dim=1))


def inference_model(model: QEMLNet, *, dtype: torch.dtype = torch.float32) -> InferenceNet:
    """A copy of ``model``'s inference path in eval mode, every tensor in ``dtype``.

    ``torch.float16`` gives the half-precision model (the circuit too); the original is untouched.
    """
    if not isinstance(model, QEMLNet):
        raise TypeError(f"model must be a QEMLNet, got {type(model).__name__}")
    net = InferenceNet(copy.deepcopy(model).cpu().eval(), dtype=dtype)
    return net.to(dtype).eval()


# --- ONNX ---------------------------------------------------------------------------------------
def _require(module: str, purpose: str):
    """Import an optional dependency, or fail with one line saying how to get it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{purpose} needs the '{module}' package: pip install {module.replace('_', '-')}"
        ) from None


@contextlib.contextmanager
def _quiet_exporter():
    """Silence the exporter's progress lines and its notes about absent torchvision operators."""
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def export_onnx(
    model: nn.Module,
    path: Path,
    *,
    image_size: int,
    batch: int = 1,
    dynamic_batch: bool = False,
    opset: int = 18,
) -> Path:
    """Write ``model`` (an :class:`InferenceNet`) to ``path`` as ONNX, input ``x``, output ``logits``.

    With ``dynamic_batch`` the first axis is named ``batch`` and any batch size runs; otherwise the
    graph is fixed to ``batch`` windows (what TensorRT optimises best). Uses torch's
    ``torch.export``-based exporter, then checks the file with ``onnx.checker``.
    """
    onnx = _require("onnx", "ONNX export")
    _require("onnxscript", "ONNX export")
    if image_size < 8 or batch < 1:
        raise ValueError(f"image_size must be >= 8 and batch >= 1, got {image_size} and {batch}")
    model = model.eval()
    dtype = next(model.parameters()).dtype
    x = torch.zeros(
        max(batch, 2) if dynamic_batch else batch, 1, image_size, image_size, dtype=dtype
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shapes = {"x": {0: torch.export.Dim("batch", min=1, max=4096)}} if dynamic_batch else None
    with _quiet_exporter():
        program = torch.onnx.export(
            model, (x,), dynamo=True, input_names=["x"], output_names=["logits"],
            dynamic_shapes=shapes, opset_version=opset, verbose=False,
        )  # fmt: skip
        program.save(str(path))
    onnx.checker.check_model(str(path))
    return path


def onnx_session(path: Path, *, threads: int | None = None):
    """An onnxruntime CPU session for the ONNX file at ``path`` (``threads``: intra-op threads,
    None = onnxruntime's default, one per physical core)."""
    ort = _require("onnxruntime", "ONNX inference")
    if not Path(path).is_file():
        raise FileNotFoundError(f"no ONNX file at {path}")
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only
    if threads is not None:
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads}")
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_logits(session, x: np.ndarray, *, batch_size: int = 64) -> np.ndarray:
    """Logits of images ``x`` from an onnxruntime session, in batches.

    A static-batch model runs at its own batch size (the last batch is padded with zeros and
    the padding's outputs dropped); a dynamic one at ``batch_size``.
    """
    if x.ndim != 4:
        raise ValueError(f"x must be images (n, 1, size, size), got shape {x.shape}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    spec = session.get_inputs()[0]
    fixed = spec.shape[0] if isinstance(spec.shape[0], int) else None
    step = fixed or batch_size
    dtype = np.float16 if "float16" in spec.type else np.float32
    out = []
    for start in range(0, len(x), step):
        part = np.asarray(x[start : start + step], dtype=dtype)
        n = len(part)
        if fixed and n < fixed:
            part = np.concatenate([part, np.zeros((fixed - n, *part.shape[1:]), dtype=dtype)])
        out.append(session.run(None, {spec.name: part})[0][:n])
    return np.concatenate(out).astype(np.float32)


def onnx_fp16(source: Path, target: Path) -> Path:
    """Half-precision copy of an ONNX model: weights and activations in float16, float32 in and
    out (onnxruntime's ``convert_float_to_float16`` with ``keep_io_types``)."""
    onnx = _require("onnx", "FP16 conversion")
    _require("onnxruntime", "FP16 conversion")
    from onnxruntime.transformers.float16 import convert_float_to_float16

    if not Path(source).is_file():
        raise FileNotFoundError(f"no ONNX file at {source}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        half = convert_float_to_float16(onnx.load(str(source)), keep_io_types=True)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    onnx.save(half, str(target))
    return Path(target)


def compare(reference: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """Parity of two runtimes' logits on the same windows: max |Δ| and label agreement.

    Examples
    --------
    >>> compare(np.array([[2.0, 1.0], [0.0, 1.0]]), np.array([[2.0, 1.5], [1.25, 1.0]]))
    {'max_abs_difference': 1.25, 'label_agreement': 0.5, 'labels_changed': 1}
    """
    reference, other = np.asarray(reference), np.asarray(other)
    if reference.shape != other.shape or reference.ndim != 2:
        raise ValueError(
            f"logits must be two (n, classes) arrays of one shape, got {reference.shape} and {other.shape}"
        )
    agree = reference.argmax(axis=1) == other.argmax(axis=1)
    return {
        "max_abs_difference": float(np.abs(reference.astype(np.float64) - other).max()),
        "label_agreement": float(agree.mean()),
        "labels_changed": int((~agree).sum()),
    }


# --- timing -------------------------------------------------------------------------------------
def latency(run: Callable[[], object], *, repeats: int = 100, warmup: int = 5) -> dict[str, float]:
    """Milliseconds per call of ``run`` (no arguments): p50, p95, p99 and mean over ``repeats``
    calls after ``warmup`` calls. Wall-clock time; not deterministic, never a metric."""
    if repeats < 1 or warmup < 0:
        raise ValueError(f"repeats must be >= 1 and warmup >= 0, got {repeats} and {warmup}")
    for _ in range(warmup):
        run()
    times = np.empty(repeats)
    for i in range(repeats):
        start = time.perf_counter()
        run()
        times[i] = time.perf_counter() - start
    ms = 1e3 * times
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return {
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "mean_ms": float(ms.mean()),
    }


def throughput(
    run: Callable[[], object], batch: int, *, repeats: int = 10, warmup: int = 2
) -> float:
    """Windows per second of ``run``, which processes ``batch`` windows per call (median call)."""
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    return 1e3 * batch / latency(run, repeats=repeats, warmup=warmup)["p50_ms"]


# --- TensorRT -----------------------------------------------------------------------------------
def tensorrt_status() -> str:
    """Empty when TensorRT engines can be built here; otherwise the reason, in one line."""
    try:
        import tensorrt  # noqa: F401
    except ImportError:
        return "TensorRT is not installed (pip install -e .[gpu] on a machine with an NVIDIA GPU)"
    if not torch.cuda.is_available():
        return "TensorRT is installed but torch sees no CUDA GPU"
    return ""


def _tensorrt():
    reason = tensorrt_status()
    if reason:
        raise RuntimeError(f"cannot build a TensorRT engine: {reason}")
    import tensorrt

    return tensorrt


def tensorrt_engine(
    onnx_path: Path,
    *,
    fp16: bool,
    image_size: int,
    batch: tuple[int, int, int] = (1, 1, 1),
    workspace_mb: int = 1024,
    trt=None,
) -> bytes:
    """Serialized TensorRT engine built from an ONNX file (FP16 kernels allowed with ``fp16``).

    ``batch`` is (min, opt, max) of the input's batch axis (a static-batch file needs all three
    equal to its batch). ``trt`` is the tensorrt module (default: imported, which needs a GPU).
    """
    if min(batch) < 1 or not batch[0] <= batch[1] <= batch[2]:
        raise ValueError(f"batch must be (min, opt, max) with 1 <= min <= opt <= max, got {batch}")
    if not Path(onnx_path).is_file():
        raise FileNotFoundError(f"no ONNX file at {onnx_path}")
    trt = trt or _tensorrt()
    logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(logger)
    network = builder.create_network(0)  # explicit batch: the only mode since TensorRT 10
    parser = trt.OnnxParser(network, logger)
    if not parser.parse(Path(onnx_path).read_bytes()):
        errors = "; ".join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise RuntimeError(f"TensorRT could not parse {onnx_path}: {errors}")
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, workspace_mb << 20)
    if fp16:
        config.set_flag(trt.BuilderFlag.FP16)
    profile = builder.create_optimization_profile()
    name = network.get_input(0).name
    profile.set_shape(name, *[(b, 1, image_size, image_size) for b in batch])
    config.add_optimization_profile(profile)
    engine = builder.build_serialized_network(network, config)
    if engine is None:
        raise RuntimeError(f"TensorRT failed to build an engine from {onnx_path}")
    return bytes(engine)


class TensorRTRunner:
    """Runs a serialized TensorRT engine on CUDA tensors: ``runner(x)`` → logits (torch, GPU)."""

    def __init__(self, engine: bytes, *, trt=None) -> None:
        trt = trt or _tensorrt()
        self._runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
        self.engine = self._runtime.deserialize_cuda_engine(engine)
        if self.engine is None:
            raise RuntimeError("TensorRT could not deserialize the engine")
        self.context = self.engine.create_execution_context()
        names = [self.engine.get_tensor_name(i) for i in range(self.engine.num_io_tensors)]
        mode = trt.TensorIOMode.INPUT
        self.input = next(n for n in names if self.engine.get_tensor_mode(n) == mode)
        self.output = next(n for n in names if self.engine.get_tensor_mode(n) != mode)
        self.stream = torch.cuda.Stream()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = x.contiguous().float().cuda()
        self.context.set_input_shape(self.input, tuple(x.shape))
        out = torch.empty(tuple(self.context.get_tensor_shape(self.output)), device="cuda")
        self.context.set_tensor_address(self.input, x.data_ptr())
        self.context.set_tensor_address(self.output, out.data_ptr())
        self.context.execute_async_v3(self.stream.cuda_stream)
        self.stream.synchronize()
        return out


# --- what an edge device needs -----------------------------------------------------------------
def _leaves(model: nn.Module):
    return [m for m in model.modules() if not list(m.children())]


def memory_estimate(model: nn.Module, image_size: int) -> dict[str, int]:
    """Bytes an edge device holds at batch 1: weights and buffers, and the activations.

    ``activations_total`` adds up every layer's output (a runtime that frees nothing);
    ``largest_activation`` is the largest single output (the least any runtime needs besides
    the weights). Counted from one forward pass, so it is exact and deterministic.
    """
    weights = sum(t.numel() * t.element_size() for t in [*model.parameters(), *model.buffers()])
    sizes: list[int] = []
    hooks = [
        m.register_forward_hook(lambda m, i, o: sizes.append(o.numel() * o.element_size()))
        for m in _leaves(model)
    ]
    dtype = next(model.parameters()).dtype
    try:
        with torch.no_grad():
            model.eval()(torch.zeros(1, 1, image_size, image_size, dtype=dtype))
    finally:
        for h in hooks:
            h.remove()
    return {
        "weights": int(weights),
        "activations_total": int(sum(sizes)),
        "largest_activation": int(max(sizes)),
    }


def mac_share(model: InferenceNet, image_size: int) -> dict[str, float]:
    """Multiply-accumulates per window: total, in the frozen circuit, and the circuit's share.

    Convolutions and linear layers are counted from one forward pass; the circuit from its
    matrix sizes (:meth:`FrozenCircuit.macs`); element-wise operations are left out.
    """
    if not isinstance(model, InferenceNet):
        raise TypeError(f"model must be an InferenceNet, got {type(model).__name__}")
    counts: list[int] = []

    def count(m, i, o):
        if isinstance(m, nn.Conv2d):
            k = m.kernel_size[0] * m.kernel_size[1] * m.in_channels // m.groups
            counts.append(o.numel() * k)
        elif isinstance(m, nn.Linear):
            counts.append(o.numel() * m.in_features)

    hooks = [m.register_forward_hook(count) for m in model.modules()]
    dtype = next(model.parameters()).dtype
    try:
        with torch.no_grad():
            model.eval()(torch.zeros(1, 1, image_size, image_size, dtype=dtype))
    finally:
        for h in hooks:
            h.remove()
    quantum = model.circuit.macs() if model.circuit is not None else 0
    total = sum(counts) + quantum
    return {"total": float(total), "quantum": float(quantum), "share": quantum / total}


def quantum_time_share(
    model: nn.Module, image_size: int, *, repeats: int = 50, warmup: int = 5
) -> dict[str, float]:
    """Share of a batch-1 forward pass spent in ``model.circuit`` (wall clock, torch eager).

    Times the circuit's own calls inside full forward passes with hooks, so both shares come
    from the same passes. Works for :class:`QEMLNet` (``classify``: the circuit rebuilds its
    unitary on every call) and :class:`InferenceNet` (the frozen circuit). Not deterministic.
    """
    if getattr(model, "circuit", None) is None:
        raise ValueError("model has no quantum circuit to time (an ablation without it?)")
    run = model.classify if isinstance(model, QEMLNet) else model
    spent: list[float] = []
    started: list[float] = []
    pre = model.circuit.register_forward_pre_hook(lambda m, i: started.append(time.perf_counter()))
    post = model.circuit.register_forward_hook(
        lambda m, i, o: spent.append(time.perf_counter() - started[-1])
    )
    dtype = next(model.parameters()).dtype
    x = torch.zeros(1, 1, image_size, image_size, dtype=dtype)
    try:
        model.eval()
        with torch.inference_mode():
            for _ in range(warmup):
                run(x)
            spent.clear()
            begin = time.perf_counter()
            for _ in range(repeats):
                run(x)
            total = time.perf_counter() - begin
    finally:
        pre.remove()
        post.remove()
    return {
        "forward_ms": 1e3 * total / repeats,
        "circuit_ms": 1e3 * sum(spent) / repeats,
        "share": sum(spent) / total,
    }


@contextlib.contextmanager
def torch_threads(threads: int):
    """Run torch with ``threads`` intra-op threads inside the block, then restore the count.

    Timings compare engines at one thread count: on a small shared machine more threads than
    free cores make PyTorch's batch-1 latency many times worse, not better.
    """
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def hardware() -> str:
    """The processor this runs on and its logical CPUs, in words (``/proc/cpuinfo`` on Linux)."""
    import os

    name = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    name = name or platform.processor() or platform.machine()
    return f"{name}, {os.cpu_count()} logical CPUs"
