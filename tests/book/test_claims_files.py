"""The claims files against the book: unique ids, known units, and chapters that test them.

Every claim names the chapter that tests it (``tested_by``). A chapter exists when it has a module
in ``qpdm_lib/book/chapters`` and is read by the book when ``_toc.yml`` lists it. Chapters that are
planned but not written yet are listed by the last test as a skip reason, so the suite says what is
missing without failing on work in progress; a name that is neither a chapter nor planned fails.
"""

import csv
from collections import Counter

import pytest

from qpdm_lib import claims
from qpdm_lib.book import runner
from qpdm_lib.book.chapters import discover

#: The chapters the claims are assigned to (issue 12): some are written, some still planned.
PLANNED = {
    "data", "preprocessing", "hybrid-network", "qubo", "qaql", "baselines", "ablations",
    "significance", "generalisation", "interpretability", "deployment", "forensics", "ledger",
}  # fmt: skip


def _rows() -> list[dict[str, str]]:
    rows = []
    for path in claims.FILES.values():
        with open(path, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_ids_are_unique_across_both_files():
    twice = [cid for cid, n in Counter(r["id"] for r in _rows()).items() if n > 1]
    assert not twice, f"claim ids appear more than once: {twice}"
    assert len(claims.all_claims()) == len(_rows())


def test_units_are_known():
    unknown = sorted({(r["id"], r["unit"]) for r in _rows() if r["unit"] not in claims.UNITS})
    assert not unknown, f"units not in qpdm_lib.claims.UNITS: {unknown}"


def test_every_tested_by_is_a_chapter_or_a_planned_one():
    chapters = set(discover())
    unknown = sorted({r["tested_by"] for r in _rows()} - chapters - PLANNED)
    assert not unknown, f"tested_by names no chapter module and no planned chapter: {unknown}"


def test_every_chapter_that_tests_claims_is_written_and_in_the_book():
    wanted = {r["tested_by"] for r in _rows()}
    no_module = sorted(wanted - set(discover()))
    not_in_toc = sorted((wanted & set(discover())) - set(runner.toc_chapters()))
    if no_module or not_in_toc:
        pytest.skip(
            "claims wait for chapters: "
            + (f"no module in qpdm_lib/book/chapters: {', '.join(no_module)}" if no_module else "")
            + ("; " if no_module and not_in_toc else "")
            + (f"not in _toc.yml: {', '.join(not_in_toc)}" if not_in_toc else "")
        )
