"""Chapters, their parameters and the three profiles that size them.

A chapter is a notebook under ``book/`` whose papermill ``parameters`` cell holds literals only.
Three named profiles fix every size:

``smoke``
    tests and CI: seconds per chapter, same code path as the others.
``quick``
    the default book build: minutes per chapter on a 2-core laptop, real data where present.
``full``
    the papers' scale: all data, all seeds, all epochs; for a GPU machine or a cluster.

:func:`resolve` turns a profile plus explicit overrides into a frozen, validated config. The
``qpdm`` runner calls it before executing anything, and the notebook calls it again in the cell
after ``parameters``, so a bad value stops with one line naming the parameter and what is allowed,
whichever way the chapter was started.

Examples
--------
>>> cfg = resolve("data", profile="smoke", overrides={"seed": "3"})
>>> cfg.seed, cfg.profile
(3, 'smoke')
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.source import CMAPSS_SUBSETS
from ..errors import ParameterError
from ..qaql.agent import SELECTORS

__all__ = ["PROFILES", "Param", "Chapter", "CHAPTERS", "get_chapter", "resolve", "parse_value"]

PROFILES: tuple[str, ...] = ("smoke", "quick", "full")

# Where the chapters live, relative to the repository root.
BOOK_DIR = Path(__file__).resolve().parents[2] / "book"


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
        return BOOK_DIR / f"{self.id}.ipynb"


_COMMON: dict[str, Param] = {
    "profile": Param(str, "size profile", choices=PROFILES),
    "seed": Param(int, "seed of every random draw in the chapter", low=0, high=2**31 - 1),
    "data": Param(
        str,
        "'auto' uses real files where present, else synthetic; 'real' fails without them",
        choices=("auto", "real", "synthetic"),
    ),
}

_WINDOWS_PER_RECORD = Param(int, "CWRU windows kept per record (0 = all)", low=0)

CHAPTERS: dict[str, Chapter] = {
    c.id: c
    for c in [
        Chapter(
            id="data",
            title="The data",
            params={
                **_COMMON,
                "cwru_windows_per_record": Param(
                    int, "CWRU windows kept per record (0 = all)", low=0
                ),
                "cmapss_subset": Param(str, "C-MAPSS subset shown", choices=CMAPSS_SUBSETS),
                "pm_devices": Param(int, "devices of the fleet kept (0 = all)", low=0),
            },
            sizes={
                "smoke": {"cwru_windows_per_record": 24, "pm_devices": 150},
                "quick": {"cwru_windows_per_record": 0, "pm_devices": 0},
                "full": {"cwru_windows_per_record": 0, "pm_devices": 0},
            },
            defaults={"seed": 0, "data": "auto", "cmapss_subset": "FD001"},
        ),
        Chapter(
            id="preprocessing",
            title="Preprocessing",
            params={
                **_COMMON,
                "windows_per_record": _WINDOWS_PER_RECORD,
                "image_size": Param(
                    int, "side of the network's input image in pixels", low=8, high=512
                ),
            },
            sizes={
                "smoke": {"windows_per_record": 16, "image_size": 32},
                "quick": {"windows_per_record": 0, "image_size": 64},
                "full": {"windows_per_record": 0, "image_size": 224},
            },
            defaults={"seed": 0, "data": "auto"},
        ),
        Chapter(
            id="hybrid-network",
            title="The hybrid network",
            params={
                **_COMMON,
                "windows_per_record": _WINDOWS_PER_RECORD,
                "image_size": Param(
                    int, "side of the network's input image in pixels", low=16, high=512
                ),
                "depth": Param(
                    str,
                    "ResNet depth (bottleneck blocks per stage)",
                    choices=("resnet14", "resnet26", "resnet50"),
                ),
                "width": Param(
                    int, "channels of the first ResNet stage (ResNet-50: 64)", low=4, high=128
                ),
                "epochs": Param(
                    int, "training epochs (QEML-Net section 4.1: 200)", low=1, high=1000
                ),
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
        ),
        Chapter(
            id="qubo",
            title="Deriving the QUBO",
            params={
                "profile": _COMMON["profile"],
                "seed": _COMMON["seed"],
                "num_reads": Param(int, "annealer reads per QUBO", low=1, high=100_000),
                "sa_reads": Param(int, "SA reads for the distribution comparison", low=10),
                "pegasus_size": Param(
                    int, "Pegasus graph size of the mock QPU (16 = Advantage)", low=2, high=16
                ),
            },
            sizes={
                "smoke": {"num_reads": 200, "sa_reads": 300, "pegasus_size": 6},
                "quick": {"num_reads": 1000, "sa_reads": 3000, "pegasus_size": 16},
                "full": {"num_reads": 1000, "sa_reads": 10_000, "pegasus_size": 16},
            },
            defaults={"seed": 0},
        ),
        Chapter(
            id="qaql",
            title="Annealer runs and QAQL",
            params={
                **_COMMON,
                "selectors": Param(
                    str,
                    "action selectors to train with",
                    items=SELECTORS,
                ),
                "subsets": Param(str, "C-MAPSS subsets to train on", items=CMAPSS_SUBSETS),
                "episodes": Param(int, "training episodes (QAQL Table 3: 8)", low=1, high=100),
                "n_states": Param(
                    int, "k-means states of the tabular Q-function", low=2, high=4096
                ),
                "seeds": Param(
                    int, "independent runs per configuration (the paper: 30)", low=1, high=100
                ),
                "max_train_windows": Param(
                    int, "training windows kept per dataset (0 = all)", low=0
                ),
                "pm_devices": Param(int, "devices of the fleet kept (0 = all)", low=0),
                "num_reads": Param(
                    int, "annealer reads per selection (QAQL Table 3: 1000)", low=1, high=100_000
                ),
                "sa_calls": Param(
                    int, "selections re-done with SimulatedAnnealingSampler for the analysis", low=1
                ),
            },
            sizes={
                "smoke": {
                    "selectors": "greedy,fast",
                    "subsets": "FD001",
                    "episodes": 2,
                    "n_states": 16,
                    "seeds": 1,
                    "max_train_windows": 1500,
                    "pm_devices": 150,
                    "num_reads": 200,
                    "sa_calls": 3,
                },
                "quick": {
                    "selectors": "greedy,softmax,fast,fast-draw",
                    "subsets": "FD001",
                    "episodes": 8,
                    "n_states": 64,
                    "seeds": 1,
                    "max_train_windows": 0,
                    "pm_devices": 200,
                    "num_reads": 1000,
                    "sa_calls": 30,
                },
                "full": {
                    "selectors": "greedy,softmax,fast,fast-draw",
                    "subsets": "FD001,FD002,FD003,FD004",
                    "episodes": 8,
                    "n_states": 64,
                    "seeds": 30,
                    "max_train_windows": 0,
                    "pm_devices": 0,
                    "num_reads": 1000,
                    "sa_calls": 200,
                },
            },
            defaults={"seed": 0, "data": "auto"},
        ),
        Chapter(
            id="ledger",
            title="The claims ledger",
            params={"profile": _COMMON["profile"]},
            sizes={p: {} for p in PROFILES},
        ),
    ]
}


def get_chapter(chapter_id: str) -> Chapter:
    """Return the chapter with this id, or fail naming the ids that exist."""
    try:
        return CHAPTERS[chapter_id]
    except KeyError:
        if (BOOK_DIR / f"{chapter_id}.md").is_file():
            raise ParameterError(
                f"{chapter_id!r} is a text page (book/{chapter_id}.md): there is nothing to run; "
                f"chapters that run are: {', '.join(CHAPTERS)}"
            ) from None
        raise ParameterError(
            f"unknown chapter {chapter_id!r}; chapters are: {', '.join(CHAPTERS)}"
        ) from None


def parse_value(name: str, raw: Any, spec: Param) -> Any:
    """Convert ``raw`` (a literal or its command-line text) to ``spec.kind`` and check it."""
    value = raw
    if isinstance(raw, str) and spec.kind is not str:
        text = raw.strip()
        try:
            if spec.kind is bool:
                if text.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError
                value = text.lower() in {"true", "1", "yes"}
            else:
                value = spec.kind(text)
        except ValueError:
            raise ParameterError(
                f"parameter {name!r} must be {spec.allowed()}, got {raw!r}"
            ) from None
    # bool is an int subclass: refuse True for an int parameter and 1 for a bool one
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"parameter {name!r} must be a finite number, got {value!r}")
    if type(value) is not spec.kind:
        raise ParameterError(
            f"parameter {name!r} must be {spec.allowed()}, got {value!r} ({type(value).__name__})"
        )
    if spec.items:
        parts = [p.strip() for p in value.split(",")]
        bad = [p for p in parts if p not in spec.items]
        if bad or not value.strip():
            raise ParameterError(
                f"parameter {name!r} must be {spec.allowed()}; {', '.join(repr(b) for b in bad) or 'nothing'} given"
            )
        value = ",".join(parts)
    if spec.choices and value not in spec.choices:
        raise ParameterError(f"parameter {name!r} must be {spec.allowed()}, got {value!r}")
    if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
        raise ParameterError(f"parameter {name!r} must be {spec.allowed()}, got {value!r}")
    return value


def resolve(
    chapter_id: str, *, profile: str = "quick", overrides: Mapping[str, Any] | None = None
) -> Any:
    """Validated, frozen config of a chapter: profile sizes, then defaults, then overrides.

    ``overrides`` may hold typed values (from a notebook) or strings (from ``-p name=value``);
    ``None`` values are ignored so a notebook can pass its parameters through unchanged.
    """
    chapter = get_chapter(chapter_id)
    profile = parse_value("profile", profile, _COMMON["profile"])
    values: dict[str, Any] = {"profile": profile}
    values.update(chapter.defaults)
    values.update(chapter.sizes[profile])
    overrides = dict(overrides or {})
    given = overrides.pop("profile", None)
    if given is not None and parse_value("profile", given, _COMMON["profile"]) != profile:
        # sizes come from the profile: two different profiles would label one run as the other
        raise ParameterError(
            f"the profile is given twice ({profile!r} and profile={given!r}): give it once, "
            "with --profile"
        )
    for name, raw in overrides.items():
        if name not in chapter.params:
            raise ParameterError(
                f"unknown parameter {name!r} for chapter {chapter_id!r}; "
                f"allowed: {', '.join(chapter.params)}"
            )
        if raw is None:
            continue
        values[name] = raw
    checked = {name: parse_value(name, values[name], spec) for name, spec in chapter.params.items()}
    cls = dataclasses.make_dataclass(
        f"{chapter_id.replace('-', '_')}_config", list(checked), frozen=True
    )
    return cls(**checked)
