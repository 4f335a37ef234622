"""One look for the book's figures: readable at the page's width, safe for colour-blind readers.

Nothing changes when this module is imported; a chapter asks for the style, either around the
cells that draw::

    from qpdm_lib import plotting

    with plotting.style():
        fig, ax = plotting.figure(width="page", aspect=0.4)
        ax.plot(t, x, label="raw")
        plotting.legend(ax)

or once for the whole notebook, right after the prologue (``plotting.apply()``), since a figure
keeps the fonts and colours it was drawn with.

The sizes are chosen for the page: a ``"page"`` figure is drawn at the width the book's text
column shows it (about 750 pixels at 100 dpi), so 11-point text on it reads as 11-point text
beside the prose instead of being shrunk; ``"wide"`` is for cells tagged ``full-width``. The
colours are Okabe and Ito's palette (*Color Universal Design*, 2002), whose eight colours stay
apart under the common colour-vision deficiencies; the default colour map is viridis.

Examples
--------
>>> import matplotlib as mpl
>>> before = mpl.rcParams["axes.prop_cycle"]
>>> with style():
...     fig, ax = figure(width="half", aspect=0.5)
...     mpl.rcParams["axes.prop_cycle"].by_key()["color"][:2]
['#0072B2', '#E69F00']
>>> mpl.rcParams["axes.prop_cycle"] == before
True
>>> fig.get_size_inches().tolist()
[3.7, 1.85]
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = [
    "PALETTE",
    "COLOURS",
    "SEQUENTIAL",
    "DIVERGING",
    "WIDTHS",
    "DPI",
    "rc",
    "style",
    "apply",
    "figure",
    "legend",
    "colours_for",
]

#: Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
#: The palette by name, for colours that carry a meaning across a chapter.
COLOURS = dict(
    zip(
        ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black"),
        PALETTE,
        strict=True,
    )
)
SEQUENTIAL = "viridis"  # perceptually uniform, readable in grey and by colour-blind readers
DIVERGING = "RdBu_r"  # for signed values around 0 (z-scores, differences)

#: Figure widths in inches: ``page`` fills the text column at 1:1, ``wide`` a full-width cell.
WIDTHS = {"page": 7.5, "wide": 11.0, "half": 3.7}
DPI = 100  # the text column is about 750 px wide: a "page" figure is shown at its drawn size

_BASE_PT = 11.0  # body text of a figure, in points at the drawn size


def rc(*, scale: float = 1.0) -> dict[str, Any]:
    """The book's rcParams; ``scale`` multiplies every font size (e.g. 1.2 for slides)."""
    from cycler import cycler

    if scale <= 0:
        raise ValueError(f"scale must be > 0, got {scale}")
    pt = _BASE_PT * scale
    return {
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "figure.figsize": (WIDTHS["page"], 0.45 * WIDTHS["page"]),
        "font.size": pt,
        "axes.titlesize": pt,
        "axes.titlelocation": "left",
        "axes.labelsize": pt,
        "xtick.labelsize": pt - 1,
        "ytick.labelsize": pt - 1,
        "legend.fontsize": pt - 1,
        "legend.title_fontsize": pt - 1,
        "legend.frameon": False,
        "figure.titlesize": pt + 1,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "image.cmap": SEQUENTIAL,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.6,
        "lines.linewidth": 1.5,
        "lines.markersize": 5,
        "patch.edgecolor": "none",
    }


@contextlib.contextmanager
def style(*, scale: float = 1.0, **overrides: Any) -> Iterator[None]:
    """Draw with the book's style inside the ``with`` block; everything is restored after it.

    ``overrides`` are rcParams with dots written as double underscores
    (``style(axes__grid=False)``).
    """
    import matplotlib as mpl

    params = rc(scale=scale)
    params.update({key.replace("__", "."): value for key, value in overrides.items()})
    with mpl.rc_context(params):
        yield


def apply(*, scale: float = 1.0) -> None:
    """Make the book's style the notebook's default (an explicit call, never an import)."""
    import matplotlib as mpl

    mpl.rcParams.update(rc(scale=scale))


def _width(width: str | float) -> float:
    if isinstance(width, str):
        try:
            return WIDTHS[width]
        except KeyError:
            raise ValueError(
                f"width must be one of {sorted(WIDTHS)} or inches, got {width!r}"
            ) from None
    if width <= 0:
        raise ValueError(f"width must be > 0 inches, got {width}")
    return float(width)


def figure(
    nrows: int = 1,
    ncols: int = 1,
    *,
    width: str | float = "page",
    aspect: float = 0.45,
    height: float | None = None,
    **subplots: Any,
) -> tuple[Any, Any]:
    """``plt.subplots`` sized for the page: ``width`` by name (``"page"``, ``"wide"``,
    ``"half"``) or in inches; the height is ``aspect`` × width for one row of axes, scaled with
    the rows (or ``height`` inches in all)."""
    import matplotlib.pyplot as plt

    if nrows < 1 or ncols < 1:
        raise ValueError(f"nrows and ncols must be >= 1, got {nrows} and {ncols}")
    w = _width(width)
    if height is None:
        if aspect <= 0:
            raise ValueError(f"aspect must be > 0, got {aspect}")
        # rows share the height generously at first, then each adds less (titles, ticks)
        height = aspect * w * (1 + 0.8 * (nrows - 1))
    return plt.subplots(nrows, ncols, figsize=(w, height), **subplots)


def legend(target: Any, *, below: bool = False, ncol: int | None = None, **kwargs: Any) -> Any:
    """A legend at the style's readable size, on an Axes or a Figure (one entry per label over
    all its axes); ``below=True`` puts it under the axes or figure, in one row when it fits, so
    it never covers the data."""
    is_axes = hasattr(target, "get_legend_handles_labels")
    entries: dict[str, Any] = {}
    for ax in [target] if is_axes else target.axes:
        handles, labels = ax.get_legend_handles_labels()
        for handle, label in zip(handles, labels, strict=True):
            entries.setdefault(label, handle)
    if below:
        kwargs.setdefault("loc", "upper center")
        kwargs.setdefault("bbox_to_anchor", (0.5, -0.18) if is_axes else (0.5, 0.0))
        ncol = ncol or min(len(entries), 5) or 1
    return target.legend(list(entries.values()), list(entries), ncol=ncol or 1, **kwargs)


def colours_for(names: Sequence[str]) -> dict[str, str]:
    """A fixed colour per name, in the palette's order (more than eight names cycle)."""
    return {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(names)}
