"""The built smoke book as a reader meets it: every page opened in headless Chromium, offline.

The pages come from the session's smoke build (``smoke_site``, ``smoke_students_site`` in
conftest.py), so this module adds two HTML builds to the suite and no chapter execution. The
browser is the system Chromium when there is one (the Debian package), else Playwright's own;
the tests skip, saying why, only when neither can be launched. Set ``QPDM_SCREENSHOTS`` to a
folder to keep a full-page screenshot of every page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from qpdm_lib.book import profiles, runner

# every chapter of the book has exercises, but the pages that only read other chapters' results
EXERCISE_PAGES = [
    c for c in runner.toc_chapters()
    if c in profiles.CHAPTERS and profiles.CHAPTERS[c].executable and c not in runner.READERS
]  # fmt: skip
SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def _launch(playwright):
    """System Chromium when present, else Playwright's (installed once, failure tolerated)."""
    system = next((p for p in map(shutil.which, SYSTEM_CHROMIUM) if p), None)
    args = ["--no-sandbox", "--disable-gpu"]
    if system:
        return playwright.chromium.launch(executable_path=system, args=args)
    try:
        return playwright.chromium.launch(args=args)
    except Exception:  # no browser downloaded yet: try once, then give up with the reason
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                       capture_output=True, timeout=600, check=False)  # fmt: skip
        return playwright.chromium.launch(args=args)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    try:
        manager = sync_api.sync_playwright().start()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"Playwright cannot start: {exc}")
    try:
        chromium = _launch(manager)
    except Exception as exc:  # pragma: no cover - depends on the machine
        manager.stop()
        pytest.skip(f"no headless Chromium can be launched here: {str(exc).splitlines()[0]}")
    yield chromium
    chromium.close()
    manager.stop()


class Visit:
    """One page, opened offline: what it logged, requested and shows once MathJax is done."""

    def __init__(self, browser, path: Path, *, screenshots: Path | None = None) -> None:
        self.path = path
        self.errors: list[str] = []
        self.external: list[str] = []
        self.context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("request", self._request)
        self.page.goto(path.as_uri(), wait_until="load")
        # pages with equations load MathJax; wait until it has typeset them
        self.page.evaluate("() => window.MathJax?.startup?.promise ?? null")
        self.text = self.page.inner_text("main")
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            name = "-".join(path.with_suffix("").parts[-2:])
            self.page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)

    def _request(self, request) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            self.external.append(request.url)

    def broken_images(self) -> list[str]:
        return self.page.evaluate(
            "() => Array.from(document.images)"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )

    def links(self) -> list[str]:
        return self.page.evaluate("() => Array.from(document.links).map(a => a.href)")

    def close(self) -> None:
        self.context.close()


def _is_redirect(page: Path) -> bool:
    return 'http-equiv="Refresh"' in page.read_text(encoding="utf-8")[:2000]


def _pages(html: Path) -> list[Path]:
    """Every page a reader opens: not Sphinx's generated index and search pages, nor the root
    ``index.html``, which only redirects to the first page."""
    skip = {"genindex.html", "search.html"}
    return sorted(
        p
        for p in html.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(html).parts)
        and p.name not in skip
        and not _is_redirect(p)
    )


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def visits(browser, smoke_site):
    folder = os.environ.get("QPDM_SCREENSHOTS")
    opened = {
        p: Visit(browser, p, screenshots=Path(folder) if folder else None)
        for p in _pages(smoke_site.html)
    }
    yield opened
    for visit in opened.values():
        visit.close()


def test_the_book_has_its_pages(smoke_site, visits):
    names = {p.relative_to(smoke_site.html).as_posix() for p in visits}
    assert {"book/intro.html", "book/data.html", "book/ledger.html"} <= names
    assert _is_redirect(smoke_site.html / "index.html")  # the root page leads to the intro


def test_every_page_loads_offline_without_errors(visits):
    problems = {
        p.name: v.errors + [f"fetched {u}" for u in v.external]
        for p, v in visits.items()
        if v.errors or v.external
    }
    assert not problems, problems


def test_equations_are_typeset_not_raw(visits):
    raw = {p.name: m.group(0) for p, v in visits.items() if (m := re.search(r"\\[\[\(]", v.text))}
    assert not raw, f"raw LaTeX delimiters in the rendered text: {raw}"
    qubo = next(v for p, v in visits.items() if p.name == "qubo.html")
    assert qubo.page.locator("mjx-container").count() > 10  # MathJax ran, from the build


def test_no_image_is_broken(visits):
    broken = {p.name: v.broken_images() for p, v in visits.items() if v.broken_images()}
    assert not broken, broken


def test_every_internal_link_resolves(visits):
    missing = []
    for page, visit in visits.items():
        for href in visit.links():
            url = urlparse(href)
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            if not target.exists():
                missing.append(f"{page.name} -> {target.name}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in _ids(target):
                missing.append(f"{page.name} -> {target.name}#{url.fragment}")
    assert not missing, sorted(set(missing))[:20]


@pytest.mark.parametrize("chapter", EXERCISE_PAGES)
def test_exercises_come_with_solutions_in_dropdowns(visits, chapter):
    visit = next(v for p, v in visits.items() if p.name == f"{chapter}.html")
    exercises, solutions = visit.page.locator(".exercise"), visit.page.locator(".solution")
    assert exercises.count() >= 3 and solutions.count() == exercises.count()
    solution = solutions.first
    body = solution.locator(".admonition-title ~ *").first
    assert body.is_hidden()  # folded until the reader asks for it
    solution.locator("button.toggle-button").first.click()
    body.wait_for(state="visible", timeout=5000)


@pytest.mark.parametrize("chapter", EXERCISE_PAGES)
def test_a_chapter_opens_with_one_parameter_table_and_no_parameter_cells(visits, chapter):
    visit = next(v for p, v in visits.items() if p.name == f"{chapter}.html")
    assert visit.page.locator("details.qpdm-parameters").count() == 1
    # neither the chapter's parameters cell nor papermill's injected one reaches the page
    assert not re.search(r"^\s*profile = ", visit.text, re.M)
    assert "injected-parameters" not in visit.page.content()


def test_chapters_have_launch_and_download_buttons(visits):
    qubo = next(v for p, v in visits.items() if p.name == "qubo.html")
    hrefs = qubo.page.evaluate(
        "() => Array.from(document.querySelectorAll('.dropdown-launch-buttons a, "
        ".dropdown-download-buttons a')).map(a => a.href)"
    )
    assert any("colab.research.google.com/github/qpdm-book/qpdm-book/blob/main/book/qubo.ipynb"
               in h for h in hrefs), hrefs  # fmt: skip
    assert any("mybinder.org/v2/gh/qpdm-book/qpdm-book/main" in h for h in hrefs), hrefs
    assert any(h.endswith("_sources/book/qubo.ipynb") for h in hrefs), hrefs


def test_the_ledger_filters_its_rows(visits):
    ledger = next(v for p, v in visits.items() if p.name == "ledger.html").page
    visible = ".qpdm-ledger-table tbody tr:visible"
    total = ledger.locator(".qpdm-ledger-table tbody tr").count()
    ledger.select_option(".qpdm-ledger select[data-key=paper]", "QAQL")
    qaql_rows = ledger.locator(visible).count()
    assert 0 < qaql_rows < total
    papers = set(ledger.locator(visible).evaluate_all("rows => rows.map(r => r.dataset.paper)"))
    assert papers == {"QAQL"}
    assert ledger.locator(".qpdm-count").inner_text() == f"{qaql_rows} of {total} claims shown"
    ledger.fill(".qpdm-ledger input[type=search]", "rmse")  # the search narrows it further
    assert 0 < ledger.locator(visible).count() < qaql_rows
    ledger.select_option(".qpdm-ledger select[data-key=paper]", "")
    ledger.fill(".qpdm-ledger input[type=search]", "")
    assert ledger.locator(visible).count() == total  # and clearing the filters shows all


def test_the_students_edition_has_exercises_and_no_solutions(browser, smoke_students_site):
    for chapter in EXERCISE_PAGES:
        path = smoke_students_site.html / "book" / f"{chapter}.html"
        visit = Visit(browser, path)
        try:
            assert not visit.errors, visit.errors
            assert visit.page.locator(".exercise").count() >= 3
            assert visit.page.locator(".solution").count() == 0
            assert "solution-start" not in visit.text and "Solution to" not in visit.text
            assert "students' edition" in visit.page.title()
        finally:
            visit.close()
    # nor can a student download them: the notebooks in the edition hold no solution cells
    source = (smoke_students_site.html / "_sources" / "book" / "qubo.ipynb").read_text()
    assert "{exercise}" in source and "{solution-start}" not in source
