"""The chapters as stored: no outputs, the one prologue, no paper values typed in."""

import json
import re

import pytest

from qpdm_lib import claims
from qpdm_lib.book import profiles

NOTEBOOKS = sorted(profiles.BOOK_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs"), f"{path.name} carries outputs: strip them"
            assert cell.get("execution_count") is None, f"{path.name} carries execution counts"


def _code_cells(path):
    return [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"]  # fmt: skip


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_starts_with_the_one_prologue(path):
    # after the guarded install cell: the parameters, then the prologue; rec.save() last
    code = _code_cells(path)[1:]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert f'chapter.start("{path.stem}", globals())' in "".join(code[1]["source"])
    assert "rec.save()" in "".join(code[-1]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_opens_with_a_hidden_install_cell(path):
    first = _code_cells(path)[0]
    assert {"install", "remove-cell"} <= set(first["metadata"].get("tags", []))


def _run_install_cell(path, *, importable: bool) -> list:
    """Execute the chapter's install cell with pip replaced by a recorder."""
    import importlib.util
    import subprocess
    from unittest import mock

    calls = []
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "qpdm_lib" and not importable else real_find_spec(name, *args)

    with (
        mock.patch.object(importlib.util, "find_spec", find_spec),
        mock.patch.object(subprocess, "check_call", lambda cmd, **kw: calls.append(cmd)),
    ):
        exec("".join(_code_cells(path)[0]["source"]), {})
    return calls


@pytest.mark.parametrize("path", NOTEBOOKS[:1], ids=lambda p: p.stem)
def test_install_cell_does_nothing_where_the_library_imports_and_installs_elsewhere(path):
    assert _run_install_cell(path, importable=True) == []  # the book build, the tests
    (pip,) = _run_install_cell(path, importable=False)  # Colab, Binder, a downloaded notebook
    assert pip[1:4] == ["-m", "pip", "install"]
    assert pip[-1].startswith("qpdm-lib @ git+https://github.com/qpdm-book/qpdm-book")


def test_every_notebook_installs_the_same_way():
    sources = {"".join(_code_cells(p)[0]["source"]) for p in NOTEBOOKS}
    assert len(sources) == 1, "the install cells differ: rebuild the notebooks from their sources"


def _paper_values() -> set[str]:
    """Every printed result of the papers with at least three significant digits (smaller
    numbers, like 8 or 0.5, occur in ordinary code and prose and would only make noise)."""
    values = set()
    for claim in claims.all_claims().values():
        if claim.value is None or claim.kind in ("setting", "dataset"):
            continue
        text = f"{claim.value:g}"
        if len(text.replace(".", "").lstrip("0")) >= 3:
            values.add(text)
    return values


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_paper_value_is_typed_into_a_chapter(path):
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
    typed = [
        v for v in _paper_values() if re.search(r"(?<![\d.])" + re.escape(v) + r"(?![\d])", text)
    ]
    assert not typed, f"{path.name} types paper values (read them from qpdm_lib.claims): {typed}"
