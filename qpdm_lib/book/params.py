"""Chapter parameters and the three profiles that size them (see :mod:`qpdm_lib.book.profiles`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PROFILES", "Param", "Chapter", "COMMON", "WINDOWS_PER_RECORD", "SCHEDULER"]

PROFILES: tuple[str, ...] = ("smoke", "quick", "full")


@dataclass(frozen=True)
class Param:
    """One chapter parameter: its type, meaning and allowed values."""

    kind: type  # int, float, str or bool
    help: str  # one line, shown by `qpdm list --params`
    choices: tuple[Any, ...] = ()  # allowed values, when the set is closed
    low: float | None = None  # inclusive lower bound for numbers
    high: float | None = None  # inclusive upper bound for numbers
    items: tuple[str, ...] = ()  # for a comma-separated list: the allowed items

    def allowed(self) -> str:
        """Human-readable description of the allowed values."""
        if self.items:
            return "a comma-separated list of " + ", ".join(self.items)
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        name = self.kind.__name__
        name = ("an " if name[0] in "aeiou" else "a ") + name
        if self.low is not None and self.high is not None:
            return f"{name} in [{self.low}, {self.high}]"
        if self.low is not None:
            return f"{name} >= {self.low}"
        if self.high is not None:
            return f"{name} <= {self.high}"
        return name


@dataclass(frozen=True)
class Chapter:
    """A chapter of the book: its id (= notebook file stem), title and parameters."""

    id: str
    title: str
    params: Mapping[str, Param]
    # profile -> value of every parameter that differs between profiles
    sizes: Mapping[str, Mapping[str, Any]]
    # parameter -> value shared by all profiles
    defaults: Mapping[str, Any] = field(default_factory=dict)
    executable: bool = True  # False for markdown pages

    @property
    def notebook(self) -> Path:
        from . import profiles  # BOOK_DIR lives there (tests move it)

        return profiles.BOOK_DIR / f"{self.id}.ipynb"


COMMON: dict[str, Param] = {
    "profile": Param(str, "size profile", choices=PROFILES),
    "seed": Param(int, "seed of every random draw in the chapter", low=0, high=2**31 - 1),
    "data": Param(
        str,
        "'auto' uses real files where present, else synthetic; 'real' fails without them",
        choices=("auto", "real", "synthetic"),
    ),
}

WINDOWS_PER_RECORD = Param(int, "CWRU windows kept per record (0 = all)", low=0)

#: Where a chapter's run grid computes: a Dask scheduler's address, or "" for a local cluster.
SCHEDULER = Param(
    str, "Dask scheduler address for the run grid ('' = a local cluster; or set QPDM_SCHEDULER)"
)

#: The bearing protocol that the ablations, baselines and significance chapters share: the same
#: data, partitions, network size, training budget and seeds, so a QEML-Net run has one key in
#: all three chapters and is trained once, and every comparison is paired by split and seed.
QEML_PROTOCOL_PARAMS: dict[str, Param] = {
    "windows_per_record": WINDOWS_PER_RECORD,
    "image_size": Param(int, "side of the network's input image in pixels", low=16, high=512),
    "depth": Param(
        str,
        "ResNet depth (bottleneck blocks per stage)",
        choices=("resnet14", "resnet26", "resnet50"),
    ),
    "width": Param(int, "channels of the first ResNet stage (ResNet-50: 64)", low=4, high=128),
    "epochs": Param(int, "training epochs (QEML-Net section 4.1: 200)", low=1, high=1000),
    "patience": Param(int, "early stopping: epochs without a better validation accuracy", low=1),
    "folds": Param(
        int, "1 = one 70/15/15 split; k = k-fold cross-validation", choices=(1, 3, 4, 5)
    ),
    "seeds": Param(int, "training seeds per partition (the paper: 5)", low=1, high=30),
    "device": Param(str, "where to train", choices=("auto", "cpu", "cuda")),
}
QEML_PROTOCOL: dict[str, dict[str, Any]] = {
    "smoke": {"windows_per_record": 8, "image_size": 16, "depth": "resnet14", "width": 4,
              "epochs": 1, "patience": 1, "folds": 1, "seeds": 2},
    "quick": {"windows_per_record": 40, "image_size": 32, "depth": "resnet14", "width": 8,
              "epochs": 10, "patience": 4, "folds": 1, "seeds": 3},
    "full": {"windows_per_record": 0, "image_size": 224, "depth": "resnet50", "width": 64,
             "epochs": 200, "patience": 30, "folds": 5, "seeds": 5},
}  # fmt: skip
__all__ += ["QEML_PROTOCOL_PARAMS", "QEML_PROTOCOL"]
