"""The book's figure style: nothing global at import, readable at page width, colour-blind safe."""

import io
import itertools
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from qpdm_lib import plotting  # noqa: E402

# Colour-vision deficiency in linear RGB, full severity (Machado, Oliveira & Fernandes, 2009).
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
    "typical vision": np.eye(3).tolist(),
}  # fmt: skip
TEXT_COLUMN_PX = 750  # the book theme's text column at a 1280-px-wide window


def _lab(colour: str, matrix) -> np.ndarray:
    """CIELAB (D65) of ``colour`` as seen through the linear-RGB ``matrix``."""
    c = np.asarray(to_rgb(colour))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.asarray(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ seen / np.array([0.95047, 1.0, 1.08883])  # fmt: skip
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _closest_pair(colours) -> dict[str, float]:
    """Smallest colour difference (ΔE*ab) between two palette colours, per kind of vision."""
    return {
        name: min(
            float(np.linalg.norm(_lab(a, m) - _lab(b, m)))
            for a, b in itertools.combinations(colours, 2)
        )
        for name, m in CVD.items()
    }


def test_importing_changes_no_global_style():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import qpdm_lib.plotting; "
        "changed = [k for k, v in mpl.rcParams.items() if before[k] != v]; "
        "assert not changed, changed"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_style_applies_inside_the_block_and_restores_after():
    before = dict(mpl.rcParams)
    with plotting.style(axes__grid=False):
        assert mpl.rcParams["legend.fontsize"] == plotting.rc()["legend.fontsize"]
        assert mpl.rcParams["axes.grid"] is False  # an override wins
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == list(plotting.PALETTE)
    assert [k for k, v in mpl.rcParams.items() if before[k] != v] == []


def test_style_is_restored_when_the_block_raises():
    before = mpl.rcParams["font.size"]
    with pytest.raises(RuntimeError), plotting.style(scale=2.0):
        raise RuntimeError("a failing cell")
    assert mpl.rcParams["font.size"] == before


def test_palette_stays_apart_for_colour_blind_readers():
    closest = _closest_pair(plotting.PALETTE)
    # ΔE*ab above 12 is a difference no reader confuses in a line plot's legend
    assert min(closest.values()) > 12, closest


def test_the_colour_blind_check_rejects_matplotlibs_default_cycle():
    # the check above is not vacuous: tab10's orange and green merge for a protanope
    tab10 = [mpl.colors.to_hex(c) for c in mpl.colormaps["tab10"].colors[:8]]
    assert _closest_pair(tab10)["protanopia"] < 12


def _shown_text_px(fig, text) -> float:
    """Height in screen pixels of ``text``'s font once the figure is shown in the text column
    (the notebook saves it with a tight bounding box; the page shrinks it to the column)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    buffer.seek(0)
    width_px = plt.imread(buffer).shape[1]
    shrink = min(1.0, TEXT_COLUMN_PX / width_px)
    return text.get_fontsize() * fig.dpi / 72 * shrink


@pytest.mark.parametrize("width", ["page", "half"])
def test_legend_and_labels_are_readable_at_page_width(width):
    with plotting.style():
        fig, ax = plotting.figure(width=width)
        for k in range(4):
            ax.plot(np.arange(10), k * np.arange(10), label=f"series {k}")
        ax.set_xlabel("epoch")
        leg = plotting.legend(ax, below=True)
    try:
        assert _shown_text_px(fig, leg.get_texts()[0]) >= 12.5  # about 9.5 pt on screen
        assert _shown_text_px(fig, ax.xaxis.label) >= 13.5
        assert len({t.get_text() for t in leg.get_texts()}) == 4
    finally:
        plt.close(fig)


def test_a_figure_drawn_wider_than_the_page_would_shrink_its_legend():
    # what the readability test guards against: the old 12-inch figures with 9-pt legends
    fig, ax = plt.subplots(figsize=(12, 3.2))
    ax.plot([0, 1], label="greedy")
    leg = ax.legend(fontsize=9)
    try:
        assert _shown_text_px(fig, leg.get_texts()[0]) < 10
    finally:
        plt.close(fig)


def test_figure_sizes_and_bad_arguments():
    with plotting.style():
        fig, axes = plotting.figure(2, 2, width="wide", aspect=0.3)
        assert fig.get_size_inches()[0] == plotting.WIDTHS["wide"]
        assert axes.shape == (2, 2)
        plt.close(fig)
        fig, _ = plotting.figure(width=5.0, height=2.0)
        assert fig.get_size_inches().tolist() == [5.0, 2.0]
        plt.close(fig)
    with pytest.raises(ValueError, match="width must be one of"):
        plotting.figure(width="poster")
    with pytest.raises(ValueError, match="aspect must be > 0"):
        plotting.figure(aspect=0)
    with pytest.raises(ValueError, match="scale must be > 0"):
        plotting.rc(scale=0)


def test_a_figure_legend_lists_each_label_once():
    with plotting.style():
        fig, axes = plotting.figure(1, 2)
        for ax in axes:
            ax.plot([0, 1], label="true")
            ax.plot([1, 0], label="predicted")
        leg = plotting.legend(fig, below=True)
    try:
        assert [t.get_text() for t in leg.get_texts()] == ["true", "predicted"]
    finally:
        plt.close(fig)


def test_colours_for_names_are_fixed_and_cycle():
    colours = plotting.colours_for([f"c{k}" for k in range(10)])
    assert colours["c0"] == plotting.COLOURS["blue"] and colours["c8"] == colours["c0"]
