"""The ``deployment`` chapter: its parameters and the sizes of its three profiles.

It deploys the hybrid-network chapter's trained model of the same profile (that chapter's sizes
decide the model; see :func:`qpdm_lib.qeml.explain.trained_model`).
"""

from ..params import COMMON, Chapter, Param

ORDER = 95  # position in ``qpdm list``

CHAPTER = Chapter(
    id="deployment",
    title="Deployment",
    params={
        **COMMON,
        "latency_repeats": Param(int, "timed single-window calls per latency figure", low=1),
        "throughput_batch": Param(
            int, "windows per call for the throughput figure", low=1, high=4096
        ),
        "throughput_repeats": Param(int, "timed batched calls per throughput figure", low=1),
        "full_size": Param(bool, "also time the paper-size network (ResNet-50, 224 px, untrained)"),
        "threads": Param(
            int, "CPU threads of PyTorch and ONNX Runtime while timing", low=1, high=256
        ),
    },
    sizes={
        "smoke": {"latency_repeats": 5, "throughput_repeats": 2, "full_size": False},
        "quick": {"latency_repeats": 200, "throughput_repeats": 10, "full_size": True},
        "full": {"latency_repeats": 1000, "throughput_repeats": 50, "full_size": True},
    },  # fmt: skip
    defaults={"seed": 0, "data": "auto", "throughput_batch": 64, "threads": 1},
)
