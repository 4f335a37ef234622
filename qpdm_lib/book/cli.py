"""The ``qpdm`` command: list, run and build chapters; inspect and fetch data.

    qpdm list [--params]
    qpdm run <chapter> [--profile smoke|quick|full] [-p name=value ...] [--resume]
    qpdm build [--profile quick] [--force] [--no-html] [--no-solutions]
    qpdm data status
    qpdm data fetch <dataset> [--subset FD001]

``run`` prints the path of the results file as its last line. Every error is one line on stderr
and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import warnings

from ..errors import HashMismatchError, ParameterError, QPDMError
from .profiles import CHAPTERS, PROFILES

__all__ = ["main"]


def _parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ParameterError(f"-p takes name=value, got {pair!r}")
        overrides[name.strip()] = value
    return overrides


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning on the command line reads as one line, not Python's ``file.py:115: Warning``."""
    print(f"qpdm: warning: {message}", file=file or sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qpdm", description="QPDM Book: run chapters, build the book"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_list = sub.add_parser("list", help="chapter ids and titles")
    p_list.add_argument("--params", action="store_true", help="also list each chapter's parameters")
    p_run = sub.add_parser("run", help="execute one chapter; prints the results file last")
    p_run.add_argument("chapter")
    p_run.add_argument("--profile", default="quick", choices=PROFILES)
    p_run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    p_run.add_argument("--resume", action="store_true", help="skip when results are current")
    p_build = sub.add_parser("build", help="execute every chapter and build the HTML book")
    p_build.add_argument("--profile", default="quick", choices=PROFILES)
    p_build.add_argument(
        "--force", action="store_true", help="re-run chapters with current results"
    )
    p_build.add_argument("--no-html", action="store_true", help="execute only")
    p_build.add_argument(
        "--no-solutions",
        action="store_true",
        help="the students' edition: exercises without their solutions, in a folder of its own",
    )
    p_data = sub.add_parser("data", help="data directory status and downloads")
    data_sub = p_data.add_subparsers(dest="data_command", required=True)
    data_sub.add_parser(
        "status", help="which registry files are present, and which of them are verified"
    )
    p_fetch = data_sub.add_parser("fetch", help="download a dataset's files (hash-checked)")
    p_fetch.add_argument("dataset", choices=("cwru", "cmapss", "pm", "mfpt", "paderborn", "ims"))
    p_fetch.add_argument("--subset", default="FD001")
    return parser


def _data(args: argparse.Namespace) -> None:
    from ..data import registry

    root = registry.data_dir()
    if args.data_command == "status":
        print(f"data directory: {root}")
        bad = 0
        for dataset in registry.DATASETS:
            if dataset in registry.HOMES:
                _archived_status(registry, dataset, root)
                continue
            entries = [e for e in registry.REGISTRY.values() if e.dataset == dataset]
            verified, unpinned, mismatched = [], [], []
            for entry in registry.local_files(dataset):
                if entry.sha256 is None:  # read by the chapters, but nothing to check it against
                    unpinned.append(entry.key)
                    continue
                try:
                    registry.verify(root / entry.key, entry)
                    verified.append(entry.key)
                except HashMismatchError:
                    mismatched.append(entry.key)
            present = len(verified) + len(unpinned) + len(mismatched)
            print(f"  {dataset}: {present} of {len(entries)} registry files present")
            print(f"    {len(verified)} present and verified (sha256 matches the registry)")
            if unpinned:
                print(
                    f"    {len(unpinned)} present, used unverified (no sha256 pinned in the "
                    f"registry): {', '.join(unpinned)}"
                )
            if mismatched:
                print(
                    f"    {len(mismatched)} present but refused (sha256 differs from the "
                    f"registry's): {', '.join(mismatched)}"
                )
            bad += len(mismatched)
        if bad:
            raise QPDMError(f"{bad} file(s) differ from their registry sha256: fetch them again")
        return
    if args.dataset in registry.HOMES:
        raise QPDMError(
            f"{args.dataset} comes as archives behind a web page and is not downloaded here: "
            f"{registry.HOMES[args.dataset].how}"
        )
    keys = [
        e.key
        for e in registry.REGISTRY.values()
        if e.dataset == args.dataset
        and (args.dataset != "cmapss" or args.subset in e.name)
        and (args.dataset != "cwru" or e.sha256)
    ]
    for key in keys:
        print(registry.fetch(key, download=True))


def _archived_status(registry, dataset: str, root) -> None:
    """Status of a dataset that comes as archives (MFPT, Paderborn, IMS): what the loader finds,
    against what the registry lists, and how to get it (nothing of it is pinned)."""
    listed = sum(e.dataset == dataset for e in registry.REGISTRY.values())
    present = registry.dataset_files(dataset, root)
    if listed:
        print(f"  {dataset}: {len(present)} of {listed} registry files present")
    else:
        print(
            f"  {dataset}: {len(present)} files present (named by acquisition time: the registry "
            "lists none)"
        )
    print(
        "    none pinned (no sha256 in the registry: we have had no copy to hash), so present files "
        "are used unverified"
    )
    if not present:
        print(f"    to get it: {registry.HOMES[dataset].how}")


def _drop_dead_kernel_reports(record: logging.LogRecord) -> bool:
    """Keep asyncio's log free of "Task exception was never retrieved ... Kernel died".

    When Ctrl-C reaches the kernel and papermill together, the kernel can die before papermill's
    cell task is awaited; asyncio then reports that task when it is garbage-collected, as a
    traceback after our one line. The interruption is already said; every other record passes.
    """
    exc = record.exc_info[1] if record.exc_info else None
    return type(exc).__name__ != "DeadKernelError"


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so temporary folders and the kernel are cleaned up
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    logging.getLogger("asyncio").addFilter(_drop_dead_kernel_reports)
    warnings.showwarning = _one_line_warning
    try:
        if args.command == "list":
            for chapter in CHAPTERS.values():
                print(f"{chapter.id:16s} {chapter.title}")
                if args.params:
                    for name, spec in chapter.params.items():
                        print(f"    {name:28s} {spec.allowed():32s} {spec.help}")
        elif args.command == "run":
            from .runner import run_chapter

            path = run_chapter(
                args.chapter,
                profile=args.profile,
                overrides=_parse_overrides(args.param),
                force=not args.resume,
                log=lambda m: print(m, file=sys.stderr),
                progress=True,
            )
            print(path)
        elif args.command == "build":
            from .runner import build_book

            print(
                build_book(
                    profile=args.profile, force=args.force, html=not args.no_html,
                    solutions=not args.no_solutions, log=lambda m: print(m, file=sys.stderr),
                    progress=True,
                )
            )  # fmt: skip
        elif args.command == "data":
            with warnings.catch_warnings():
                warnings.simplefilter("always")
                _data(args)
    except QPDMError as exc:
        print(f"qpdm: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "qpdm: interrupted; finished chapters keep their results, re-run to resume",
            file=sys.stderr,
        )
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
