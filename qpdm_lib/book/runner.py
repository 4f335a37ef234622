"""Execute chapters through papermill and write their results atomically; build the book.

``run_chapter`` validates every parameter *before* starting a kernel, executes the notebook with
the resolved values injected, and only when every cell succeeded writes

* ``<results>/<chapter>/<profile>.ipynb``  the executed notebook,
* ``<results>/<chapter>/<profile>.json``   the results file (profile, parameters, seeds, library
  versions, data source, metrics, claims).

Both are written to temporary files and renamed into place, so an interrupted run leaves the
previous results intact and never a half-written file. A failed run writes no results file.

``build_book`` runs every chapter of ``_toc.yml`` in order, skipping those whose results are
current (same notebook, same library code, same parameters), so an interrupted build resumes
where it stopped; then stages the executed notebooks and builds the HTML with warnings as errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .._io import atomic_write, atomic_write_json
from .._progress import ENV as PROGRESS_ENV
from ..errors import ChapterFailedError, QPDMError
from .profiles import BOOK_DIR, CHAPTERS, get_chapter, resized, resolve
from .report import SINK_ENV

__all__ = [
    "ROOT",
    "results_dir",
    "build_dir",
    "run_chapter",
    "build_book",
    "toc_chapters",
    "versions",
    "commit",
    "strip_solutions",
    "READERS",
]

ROOT = BOOK_DIR.parent
_PACKAGES = (
    "numpy", "scipy", "pandas", "scikit-learn", "torch", "pennylane", "dwave-ocean-sdk", "dimod",
    "PyWavelets", "shap", "matplotlib", "papermill", "jupyter-book", "qpdm-lib",
)  # fmt: skip


def results_dir() -> Path:
    """Where results go: ``$QPDM_RESULTS_DIR`` or ``_build/results`` in the repository."""
    env = os.environ.get("QPDM_RESULTS_DIR")
    path = Path(env).expanduser().resolve() if env else ROOT / "_build" / "results"
    if path.exists() and not path.is_dir():
        raise QPDMError(f"QPDM_RESULTS_DIR={path} is a file, not a folder: point it at a folder")
    return path


def build_dir() -> Path:
    """Where ``qpdm build`` stages the notebooks and writes the HTML.

    ``$QPDM_BUILD_DIR`` when set; else, when ``$QPDM_RESULTS_DIR`` moves the results, a folder
    beside them (``<results>-book``), so a build never writes into the repository behind the
    reader's back; else ``_build`` in the repository.
    """
    if os.environ.get("QPDM_BUILD_DIR"):
        return Path(os.environ["QPDM_BUILD_DIR"]).expanduser().resolve()
    if os.environ.get("QPDM_RESULTS_DIR"):
        results = results_dir()
        return results.with_name(results.name + "-book")
    return ROOT / "_build"


def versions() -> dict[str, str]:
    """Python and library versions, read from package metadata (nothing imported)."""
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def commit() -> dict[str, Any]:
    """The git commit the library was run from, and whether tracked files had local changes.

    ``{"sha": None, "dirty": None}`` outside a git checkout (an installed copy, a tarball).
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=20
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    # only the book's own checkout: an installed copy may sit inside some other repository
    sha = git("rev-parse", "HEAD") if (ROOT / ".git").exists() else None
    if sha is None:
        return {"sha": None, "dirty": None}
    changes = git("status", "--porcelain", "--untracked-files=no")
    return {"sha": sha, "dirty": None if changes is None else bool(changes)}


def _code_hash(notebook: Path) -> str:
    """Hash of the notebook and the library source: a change to either invalidates results."""
    h = hashlib.sha256(notebook.read_bytes())
    for path in sorted((ROOT / "qpdm_lib").rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _seeds(params: Mapping[str, Any]) -> dict[str, int]:
    return {k: v for k, v in params.items() if k == "seed" or k.endswith("_seed") or k == "seeds"}


def run_chapter(
    chapter_id: str,
    *,
    profile: str = "quick",
    overrides: Mapping[str, Any] | None = None,
    out_dir: Path | None = None,
    force: bool = True,
    log: Callable[[str], None] = print,
    progress: bool = False,
) -> Path:
    """Execute one chapter and return the path of its results file.

    ``progress=True`` shows, on standard error, which cell runs, the elapsed time and the
    chapter's own progress messages (:mod:`qpdm_lib._progress`).

    Raises
    ------
    ParameterError
        before any execution, for an unknown, mistyped or out-of-range parameter.
    ChapterFailedError
        when a cell raised; the executed notebook is kept beside the results as
        ``<profile>.failed.ipynb`` for inspection, and no results file is written.
    """
    chapter = get_chapter(chapter_id)
    if not chapter.executable:
        raise ChapterFailedError(f"chapter {chapter_id!r} is a text page: nothing to run")
    config = resolve(chapter_id, profile=profile, overrides=overrides)
    params = dataclasses.asdict(config)
    folder = (out_dir or results_dir()) / chapter_id
    results_path = folder / f"{config.profile}.json"
    notebook_path = folder / f"{config.profile}.ipynb"
    key = _code_hash(chapter.notebook)
    if not force and results_path.is_file():
        previous = json.loads(results_path.read_text(encoding="utf-8"))
        if previous.get("cache_key") == key and previous.get("parameters") == params:
            log(f"{chapter_id}: results are current, not re-run ({results_path})")
            return results_path

    import papermill  # heavy import, only when executing

    folder.mkdir(parents=True, exist_ok=True)
    with (
        _lock(folder / f".{config.profile}.lock", chapter_id),
        tempfile.TemporaryDirectory(prefix=f"qpdm-{chapter_id}-") as tmp,
    ):
        sink = Path(tmp) / "sink.json"
        executed = Path(tmp) / "executed.ipynb"
        progress_file = Path(tmp) / "progress.log"
        env_before = {k: os.environ.get(k) for k in (SINK_ENV, "QPDM_RESULTS_DIR", PROGRESS_ENV)}
        os.environ[SINK_ENV] = str(sink)
        os.environ["QPDM_RESULTS_DIR"] = str(out_dir or results_dir())
        os.environ[PROGRESS_ENV] = str(progress_file)
        started = time.time()
        log(f"{chapter_id}: executing {chapter.notebook.name} ({config.profile})")
        try:
            cells = len(json.loads(chapter.notebook.read_text(encoding="utf-8"))["cells"]) + 1
            with _Progress(chapter_id, progress_file, started, cells, enabled=progress):
                papermill.execute_notebook(
                    str(chapter.notebook),
                    str(executed),
                    parameters=params,
                    cwd=str(chapter.notebook.parent),
                    kernel_name="python3",
                    progress_bar=False,
                    log_output=progress,
                    # the kernel's own warnings (e.g. "running over TCP without encryption") are
                    # not the reader's business; errors still reach the notebook
                    extra_arguments=["--IPKernelApp.log_level=50"],
                )
        except papermill.PapermillExecutionError as exc:
            failed = folder / f"{config.profile}.failed.ipynb"
            if executed.is_file():
                shutil.copyfile(executed, failed)
            raise ChapterFailedError(
                f"chapter {chapter_id!r} failed in cell {exc.exec_count}: {exc.ename}: "
                f"{exc.evalue.strip().splitlines()[-1] if exc.evalue.strip() else ''} "
                f"(executed notebook: {failed})"
            ) from None
        finally:
            for k, v in env_before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        if not sink.is_file():
            raise ChapterFailedError(
                f"chapter {chapter_id!r} ran but never called Recorder.save(): no results"
            )
        payload = json.loads(sink.read_text(encoding="utf-8"))
        results = {
            "chapter": chapter_id,
            "title": chapter.title,
            "profile": config.profile,
            "parameters": params,
            "resized": resized(config),
            "seeds": _seeds(params),
            "data_source": payload["data_source"],
            "data_sources": payload.get("data_sources", {}),
            "missing_files": payload.get("missing_files", {}),
            "left_out": payload.get("left_out", {}),
            "versions": versions(),
            "commit": commit(),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
            "metrics": payload.get("metrics", {}),
            "claims": payload.get("claims", []),
            "glued": payload.get("glued", []),
            "effective_parameters": payload.get("effective_parameters", {}),
            "grids": payload.get("grids", []),
            "checks": payload.get("checks", []),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
            "duration_s": round(time.time() - started, 2),
            "notebook": str(notebook_path),
            "cache_key": key,
        }
        _hide_parameter_cells(executed)
        atomic_write(notebook_path, lambda p: shutil.copyfile(executed, p))
        atomic_write_json(results_path, results)
        (folder / f"{config.profile}.failed.ipynb").unlink(missing_ok=True)
    for line in payload.get("console", []):
        log(f"{chapter_id}: note: {line}")
    log(f"{chapter_id}: done in {results['duration_s']} s, data {results['data_source']}")
    return results_path


@contextlib.contextmanager
def _lock(path: Path, chapter_id: str):
    """Refuse a second run writing into the same results folder at the same time."""
    import fcntl

    with open(path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise QPDMError(
                f"another qpdm run is writing {chapter_id!r} into {path.parent} right now: wait "
                "for it, or set QPDM_RESULTS_DIR to another folder"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Progress:
    """Show a running chapter on the console: its cell, elapsed time, latest progress message.

    Papermill logs each cell it starts (``log_output``); the chapter's progress messages arrive
    through the ``QPDM_PROGRESS`` file. On a terminal one line is redrawn in place; in a log (CI)
    a line is written when the message changes, at most every few seconds.
    """

    def __init__(
        self, chapter_id: str, path: Path, started: float, total: int, *, enabled: bool
    ) -> None:
        self.chapter_id, self.path, self.started, self.enabled = chapter_id, path, started, enabled
        self.cell, self.total, self.message, self.shown = 0, total, "", ""
        self.tty = sys.stderr.isatty()
        self.last_print = 0.0

    def __enter__(self) -> _Progress:
        import logging

        if not self.enabled:
            return self
        self.handler = _CellHandler(self)
        self.logger = logging.getLogger("papermill")
        self.logger.addHandler(self.handler)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()
        return self

    def _tick(self) -> None:
        while not self.stop.wait(1.0):  # long cells (training) log nothing: redraw every second
            self.refresh()

    def __exit__(self, *exc: Any) -> None:
        if not self.enabled:
            return
        self.stop.set()
        self.thread.join()
        self.logger.removeHandler(self.handler)
        if self.tty and self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def cell_started(self, number: int) -> None:
        self.cell = number
        self.refresh()

    def refresh(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
        except OSError:
            lines = []
        if lines:
            self.message = lines[-1]
        elapsed = time.time() - self.started
        line = f"{self.chapter_id}: cell {self.cell}/{self.total}, {elapsed:.0f} s" + (
            f" | {self.message}" if self.message else ""
        )
        if self.tty:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            sys.stderr.write("\r\033[K" + line[:width])
            sys.stderr.flush()
            self.shown = line
        elif (self.cell, self.message) != self.shown and time.time() - self.last_print > 10:
            sys.stderr.write(line + "\n")  # a log (CI): a line when something changed, ≤ 1 per 10 s
            sys.stderr.flush()
            self.shown, self.last_print = (self.cell, self.message), time.time()


class _CellHandler:
    """A logging handler (duck-typed) that passes papermill's "Executing Cell N" to _Progress."""

    level = 0

    def __init__(self, progress: _Progress) -> None:
        self.progress = progress

    def handle(self, record: Any) -> None:
        message = record.getMessage()
        if message.startswith("Executing Cell "):
            number = message.removeprefix("Executing Cell ").split("-")[0]
            if number.isdigit():
                self.progress.cell_started(int(number))
        else:
            self.progress.refresh()


def _hide_parameter_cells(path: Path) -> None:
    """Tag papermill's injected parameter cell ``remove-cell``: the page shows the chapter's own
    compact parameter table instead of two raw cells of assignments."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if ("injected-parameters" in tags or "parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(nb, path)


def toc_chapters() -> list[str]:
    """Chapter ids in the order of ``_toc.yml`` (files under ``book/``)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return [Path(f).name for f in files]


#: Chapters that read the other chapters' results files: they run after all the others, in this
#: order (the statistics page also reports the ledger's run), and every time the book is built.
READERS = ("ledger", "stats")


_SOLUTION_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}.*?^\1[ \t]*$", re.M | re.S)
_SOLUTION_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}.*?^\1[ \t]*$", re.M | re.S)


def strip_solutions(notebook: Any) -> Any:
    """The notebook without its solutions: everything from a ``{solution-start}`` directive
    through the matching ``{solution-end}``, whether they sit in cells of their own or share a
    markdown cell with an exercise (the students' edition; the exercises stay)."""
    kept, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            if not inside:
                kept.append(cell)
            continue
        text, out = cell.source, []
        while text:
            marker = (_SOLUTION_END if inside else _SOLUTION_START).search(text)
            if marker is None:
                if not inside:
                    out.append(text)
                break
            if not inside:
                out.append(text[: marker.start()])
            inside = not inside
            text = text[marker.end() :]
        cell.source = "".join(out).strip("\n")
        if cell.source.strip():
            kept.append(cell)
    notebook.cells = kept
    return notebook


def _stage_config(stage: Path, *, solutions: bool) -> None:
    """Copy ``_config.yml`` and ``_toc.yml``; the students' edition hides every solution, and
    has no launch buttons (they open the repository's notebooks, which hold the solutions)."""
    import yaml

    shutil.copyfile(ROOT / "_toc.yml", stage / "_toc.yml")
    if solutions:
        shutil.copyfile(ROOT / "_config.yml", stage / "_config.yml")
        return
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = f"{config.get('title', 'QPDM Book')} (students' edition)"
    config.pop("launch_buttons", None)
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def build_book(
    *,
    profile: str = "quick",
    force: bool = False,
    html: bool = True,
    solutions: bool = True,
    log: Callable[[str], None] = print,
    progress: bool = False,
) -> Path:
    """Execute every chapter (resuming), stage the executed notebooks, build the HTML.

    ``solutions=False`` builds the students' edition: the same executed chapters without the
    exercises' solutions, into a folder of its own (``site-students`` beside ``site``), so an
    instructor keeps both. Returns the path of the built ``index.html`` (or of the results
    folder with ``html=False``).
    """
    import nbformat

    resolve("data", profile=profile)  # validates the profile name before any work
    order = [c for c in toc_chapters() if c in CHAPTERS and CHAPTERS[c].executable]
    order = [c for c in order if c not in READERS] + [c for c in READERS if c in order]
    for chapter_id in order:
        run_chapter(
            chapter_id, profile=profile, force=force or chapter_id in READERS, log=log,
            progress=progress,
        )  # fmt: skip
    if not html:
        return results_dir()

    edition = "" if solutions else "-students"
    stage = build_dir() / f"stage{edition}"
    if stage.exists():
        shutil.rmtree(stage)
    (stage / "book").mkdir(parents=True)
    _stage_config(stage, solutions=solutions)
    for path in BOOK_DIR.iterdir():
        if path.suffix == ".ipynb":
            continue
        target = stage / "book" / path.name
        (shutil.copytree if path.is_dir() else shutil.copyfile)(path, target)
    for chapter_id in order:
        executed = results_dir() / chapter_id / f"{profile}.ipynb"
        target = stage / "book" / f"{chapter_id}.ipynb"
        if solutions:
            shutil.copyfile(executed, target)
        else:
            nbformat.write(strip_solutions(nbformat.read(executed, as_version=4)), target)
    out = build_dir() / f"site{edition}"
    cmd = [
        str(Path(sys.executable).with_name("jupyter-book")), "build", str(stage),
        "--path-output", str(out), "-W", "--keep-going",
    ]  # fmt: skip
    log("building HTML: " + " ".join(cmd[1:]))
    started = time.time()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).strip().splitlines()
        problems = [ln for ln in lines if "WARNING" in ln or "ERROR" in ln] or lines[-30:]
        tail = "\n".join(problems[:30])
        raise QPDMError(f"jupyter-book build failed (warnings are errors):\n{tail}")
    index = out / "_build" / "html" / "index.html"
    log(f"book built in {time.time() - started:.0f} s: {index}")
    return index
