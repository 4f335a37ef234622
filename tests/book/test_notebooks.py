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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chapter_starts_with_the_one_prologue(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert f'chapter.start("{path.stem}", globals())' in "".join(code[1]["source"])
    assert "rec.save()" in "".join(code[-1]["source"])


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
