"""QEML-Net inference speed: PyTorch eager, ONNX Runtime CPU, and TensorRT FP16/FP32 when present.

Times the network of the hybrid-network chapter's ``quick`` profile (ResNet-14, width 16, 32 px;
``--profile`` picks another), with the trained weights when that chapter's saved model is there
and random weights otherwise (the weights do not change the time). For each engine: latency
p50/p95/p99 at batch 1 and throughput at batch 64, all in one run, at the same thread count.
PyTorch eager runs the model as trained (its circuit rebuilds the unitary on every call);
ONNX Runtime runs the exported network with the circuit frozen (:mod:`qpdm_lib.qeml.export`),
after checking that both give the same logits. TensorRT engines are built from the same ONNX
file only where TensorRT and an NVIDIA GPU are present.

    python benchmarks/inference.py [--profile quick] [--repeats 200] [--threads 1]

The last line is ``ratio=<PyTorch eager p50 ÷ ONNX Runtime CPU p50 at batch 1>``: how many times
faster ONNX Runtime is.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import torch

from qpdm_lib.book import profiles, runner
from qpdm_lib.qeml import export, runs
from qpdm_lib.qeml.models.qeml_net import NetConfig, QEMLNet
from qpdm_lib.qeml.training import load_checkpoint


def load_model(profile: str) -> tuple[QEMLNet, int, str]:
    """The profile's network, its image size, and where its weights came from."""
    cfg = profiles.resolve("hybrid-network", profile=profile)
    torch.manual_seed(0)
    model = QEMLNet(NetConfig(blocks=runs.DEPTHS[cfg.depth], width=cfg.width))
    path = runner.results_dir() / "hybrid-network" / f"{profile}-model.pt"
    origin = "random weights"
    if path.is_file():
        try:
            load_checkpoint(path, model)
            origin = f"trained weights from {path}"
        except (RuntimeError, KeyError):  # another architecture saved under that name
            pass
    return model.eval(), cfg.image_size, origin


def row(name: str, one, batch, args) -> dict:
    stats = export.latency(one, repeats=args.repeats, warmup=5)
    stats["batch64_per_s"] = export.throughput(batch, args.batch, repeats=args.batch_repeats)
    print(
        f"{name:34s} p50 {stats['p50_ms']:8.3f} ms  p95 {stats['p95_ms']:8.3f}  "
        f"p99 {stats['p99_ms']:8.3f}  | batch {args.batch}: {stats['batch64_per_s']:9.1f} windows/s"
    )
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="quick", choices=("smoke", "quick", "full"))
    parser.add_argument("--repeats", type=int, default=200, help="timed batch-1 calls")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--batch-repeats", type=int, default=10, help="timed batched calls")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads of every engine")
    args = parser.parse_args()
    model, size, origin = load_model(args.profile)
    net = export.inference_model(model)
    print(f"{args.profile} network at {size} px ({origin}); {export.hardware()}, "
          f"{args.threads} thread(s)")  # fmt: skip
    x1 = torch.randn(1, 1, size, size)
    xb = torch.randn(args.batch, 1, size, size)
    with tempfile.TemporaryDirectory() as tmp:
        b1 = export.export_onnx(net, Path(tmp) / "b1.onnx", image_size=size, batch=1)
        dyn = export.export_onnx(net, Path(tmp) / "dyn.onnx", image_size=size, dynamic_batch=True)
        s1 = export.onnx_session(b1, threads=args.threads)
        sb = export.onnx_session(dyn, threads=args.threads)
        with torch.inference_mode():
            gap = np.abs(export.onnx_logits(sb, xb.numpy()) - model.classify(xb).numpy()).max()
        assert gap < 1e-3, f"ONNX Runtime and PyTorch disagree by {gap}"
        results = {}
        with export.torch_threads(args.threads), torch.inference_mode():
            results["torch"] = row(
                "PyTorch eager (CPU)", lambda: model.classify(x1), lambda: model.classify(xb), args
            )
            results["ort"] = row(
                "ONNX Runtime CPU FP32",
                lambda: s1.run(None, {"x": x1.numpy()}),
                lambda: sb.run(None, {"x": xb.numpy()}),
                args,
            )
            reason = export.tensorrt_status()
            if reason:
                print(f"TensorRT: skipped ({reason})")
            else:
                print(f"GPU: {torch.cuda.get_device_name()}")
                g1, gb = x1.cuda(), xb.cuda()
                gpu_model = model.cuda()

                def synced(x):
                    out = gpu_model.classify(x)
                    torch.cuda.synchronize()
                    return out

                row("PyTorch eager (GPU)", lambda: synced(g1), lambda: synced(gb), args)
                for precision, fp16 in (("FP32", False), ("FP16", True)):
                    engine = export.TensorRTRunner(
                        export.tensorrt_engine(
                            dyn, fp16=fp16, image_size=size, batch=(1, args.batch, args.batch)
                        )
                    )
                    row(f"TensorRT {precision} (GPU)", lambda e=engine: e(g1),
                        lambda e=engine: e(gb), args)  # fmt: skip
    print(f"ratio={results['torch']['p50_ms'] / results['ort']['p50_ms']:.2f}")


if __name__ == "__main__":
    main()
