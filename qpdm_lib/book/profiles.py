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
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from .chapters import discover
from .params import COMMON, PROFILES, Chapter, Param

__all__ = [
    "PROFILES",
    "Param",
    "Chapter",
    "CHAPTERS",
    "get_chapter",
    "resolve",
    "resized",
    "chapter_of",
    "parse_value",
]

# Where the chapters live, relative to the repository root.
BOOK_DIR = Path(__file__).resolve().parents[2] / "book"

CHAPTERS: dict[str, Chapter] = discover()


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
    profile = parse_value("profile", profile, COMMON["profile"])
    values: dict[str, Any] = {"profile": profile}
    values.update(chapter.defaults)
    values.update(chapter.sizes[profile])
    overrides = dict(overrides or {})
    given = overrides.pop("profile", None)
    if given is not None and parse_value("profile", given, COMMON["profile"]) != profile:
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


def resized(cfg: Any) -> dict[str, Any]:
    """The size parameters of ``cfg`` (a :func:`resolve` result) that differ from its profile's,
    name -> value: empty when the run is the profile as defined. A ``full`` run with any size
    changed (a shrunk network, fewer seeds) is not the papers' scale, and the ledger says so.

    >>> resized(resolve("qaql", profile="full", overrides={"seeds": 2}))
    {'seeds': 2}
    >>> resized(resolve("qaql", profile="full"))
    {}
    """
    chapter = chapter_of(cfg)
    sizes = resolve(chapter.id, profile=cfg.profile)
    return {
        name: getattr(cfg, name)
        for name in chapter.sizes[cfg.profile]
        if getattr(cfg, name) != getattr(sizes, name)
    }


def chapter_of(cfg: Any) -> Chapter:
    """The chapter a :func:`resolve` result belongs to (its class is named after the chapter).

    >>> chapter_of(resolve("hybrid-network", profile="smoke")).id
    'hybrid-network'
    """
    return get_chapter(type(cfg).__name__.removesuffix("_config").replace("_", "-"))
