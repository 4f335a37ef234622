"""The ``hybrid-network`` chapter: its parameters and the sizes of its three profiles."""

from ..params import COMMON, WINDOWS_PER_RECORD, Chapter, Param

ORDER = 30  # position in ``qpdm list``

CHAPTER = Chapter(
    id="hybrid-network",
    title="The hybrid network",
    params={
        **COMMON,
        "windows_per_record": WINDOWS_PER_RECORD,
        "image_size": Param(int, "side of the network's input image in pixels", low=16, high=512),
        "depth": Param(
            str,
            "ResNet depth (bottleneck blocks per stage)",
            choices=("resnet14", "resnet26", "resnet50"),
        ),
        "width": Param(int, "channels of the first ResNet stage (ResNet-50: 64)", low=4, high=128),
        "epochs": Param(int, "training epochs (QEML-Net section 4.1: 200)", low=1, high=1000),
        "patience": Param(
            int, "early stopping: epochs without a better validation accuracy", low=1
        ),
        "batch_size": Param(int, "training batch size", low=2, high=4096),
        "lr": Param(float, "AdamW's initial learning rate", low=1e-6, high=1.0),
        "folds": Param(
            int,
            "1 = one 70/15/15 split; k = k-fold cross-validation (the paper: 5)",
            choices=(1, 3, 4, 5, 10),
        ),
        "seeds": Param(int, "training seeds per partition (the paper: 5)", low=1, high=30),
        "quantum": Param(
            str,
            "quantum layer: torch statevector or PennyLane QNode (same circuit)",
            choices=("torch", "pennylane"),
        ),
        "device": Param(str, "where to train", choices=("auto", "cpu", "cuda")),
        "latency_repeats": Param(int, "timed forward passes per latency figure", low=1),
    },
    sizes={
        "smoke": {
            "windows_per_record": 12,
            "image_size": 16,
            "depth": "resnet14",
            "width": 8,
            "epochs": 2,
            "patience": 2,
            "folds": 1,
            "seeds": 1,
            "latency_repeats": 3,
        },
        "quick": {
            "windows_per_record": 0,
            "image_size": 32,
            "depth": "resnet14",
            "width": 16,
            "epochs": 12,
            "patience": 5,
            "folds": 1,
            "seeds": 1,
            "latency_repeats": 20,
        },
        "full": {
            "windows_per_record": 0,
            "image_size": 224,
            "depth": "resnet50",
            "width": 64,
            "epochs": 200,
            "patience": 200,
            "folds": 5,
            "seeds": 5,
            "latency_repeats": 50,
        },
    },  # fmt: skip
    defaults={
        "seed": 0,
        "data": "auto",
        "batch_size": 64,
        "lr": 1e-3,
        "quantum": "torch",
        "device": "auto",
    },  # fmt: skip
)
