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
