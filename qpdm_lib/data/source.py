"""Where a dataset's files come from: the real registry files, or synthetic stand-ins.

:func:`open_source` is the one door to data for chapters. With ``mode="auto"`` it uses the real
files when they are in the data directory (or can be downloaded), and otherwise generates
physics-based synthetic files *in the same original formats*, so the very same loaders run. The
returned :class:`Source` says which it is, and why, so a page can show a banner.

MFPT, Paderborn and IMS (:data:`registry.HOMES`) are never downloaded: they are real when their
folder in the data directory holds files their loader reads, and otherwise synthetic, with a
note that says how to get them.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import pooch

from ..errors import DataMissingError, ParameterError
from . import registry

__all__ = ["Source", "open_source", "synthetic_dir", "CMAPSS_SUBSETS", "ARCHIVED"]

CMAPSS_SUBSETS = registry.CMAPSS_SUBSETS
MODES = ("auto", "real", "synthetic")
#: Datasets that come as archives behind web pages: read when unpacked, never downloaded.
ARCHIVED = tuple(registry.HOMES)


@dataclass(frozen=True)
class Source:
    """A dataset's files: ``kind`` is ``"real"`` or ``"synthetic"``."""

    dataset: str
    kind: str
    root: Path
    note: str = ""  # why synthetic was used, when `auto` fell back
    missing: tuple[str, ...] = ()  # registry files of the dataset's pinned set that are absent

    @property
    def is_real(self) -> bool:
        return self.kind == "real"

    def fingerprint(self, keys: list[str] | None = None) -> str:
        """What the data are, for a run's cache key: the sha256 of each real file (the registry's
        pin, else the file's own hash), or the synthetic folder (its seed). For the archived
        datasets, pass the ``keys`` a run reads: hashing every unpinned file of Paderborn or IMS
        (gigabytes) for a run that reads a few would cost more than the run."""
        import hashlib

        if not self.is_real:
            return f"synthetic:{self.root.name}:{self.dataset}"
        keys = keys or registry.dataset_files(self.dataset, self.root)
        h = hashlib.sha256()
        for key in sorted(keys):
            entry = registry.REGISTRY.get(key)
            path = self.root / key
            digest = entry.sha256 if entry and entry.sha256 else registry.file_hash(path)
            h.update(f"{key}:{digest}".encode())
        return f"real:{self.dataset}:{h.hexdigest()[:16]}"

    def path(self, key: str) -> Path:
        """Path of ``"<dataset>/<file>"``; real files are hash-verified (and fetched if allowed)."""
        if self.is_real:
            return registry.fetch(key)
        path = self.root / key
        if not path.is_file():
            raise DataMissingError(
                f"synthetic file {path} is missing; delete {self.root} to regenerate"
            )
        return path

    def cwru_records(self) -> list[int]:
        """Numbers of the CWRU records present, ascending."""
        from .cwru import RECORDS

        folder = self.root / "cwru"
        present = {int(p.stem) for p in folder.glob("*.mat") if p.stem.isdigit()}
        return sorted(present & set(RECORDS))


def synthetic_dir(seed: int) -> Path:
    """Folder of the synthetic files generated with ``seed`` (under the user cache)."""
    base = os.environ.get("QPDM_SYNTHETIC_DIR")
    root = Path(base) if base else Path(pooch.os_cache("qpdm")) / "synthetic"
    return root / f"seed{seed}"


def _required(dataset: str, subset: str) -> list[str]:
    if dataset == "cmapss":
        return [f"cmapss/{kind}_{subset}.txt" for kind in ("train", "test", "RUL")]
    return ["pm/predictive_maintenance_dataset.csv"]


def _open_real(dataset: str, subset: str) -> Source:
    root = registry.data_dir()
    if dataset in ARCHIVED:
        if not registry.dataset_files(dataset, root):
            raise DataMissingError(
                f"no {dataset} files in {root / dataset}: {registry.HOMES[dataset].how}"
            )
        return Source(dataset, "real", root)
    if dataset == "cwru":
        present = registry.local_files("cwru")
        if present:
            for entry in present:
                registry.verify(root / entry.key, entry)
            # the pinned set is what the book expects; a record absent from it is said on the page
            pinned = [e.key for e in registry.REGISTRY.values() if e.dataset == "cwru" and e.sha256]
            have = {e.key for e in present}
            return Source(dataset, "real", root, missing=tuple(k for k in pinned if k not in have))
        # nothing local: download the pinned set (the records the paper's CWRU subset uses)
        for entry in registry.REGISTRY.values():
            if entry.dataset == "cwru" and entry.sha256:
                registry.fetch(entry.key)
        return Source(dataset, "real", root)
    for key in _required(dataset, subset):
        registry.fetch(key)
    return Source(dataset, "real", root)


def _open_synthetic(dataset: str, subset: str, seed: int, note: str = "") -> Source:
    from . import synthetic

    root = synthetic_dir(seed)
    # A set is complete only when its marker exists: the marker is written after every file, so a
    # run interrupted while writing leaves no marker and the next run writes the set again.
    marker = root / dataset / f".complete-{subset if dataset == 'cmapss' else 'all'}"
    if not marker.is_file():
        if dataset == "cwru":
            synthetic.write_cwru(root, seed=seed)
        elif dataset == "cmapss":
            synthetic.write_cmapss(root, subset=subset, seed=seed)
        elif dataset == "pm":
            synthetic.write_devices(root, seed=seed)
        else:  # an archived bearing set: its writer replaces the dataset's folder as a whole
            from . import bearings_synthetic

            getattr(bearings_synthetic, f"write_{dataset}")(root, seed=seed)
        marker.write_text("every file of this synthetic set was written\n", encoding="utf-8")
    return Source(dataset, "synthetic", root, note)


def open_source(
    dataset: str, mode: str = "auto", *, seed: int = 0, subset: str = "FD001"
) -> Source:
    """Open a dataset's files.

    Parameters
    ----------
    dataset
        One of :data:`registry.DATASETS`: ``"cwru"``, ``"cmapss"``, ``"pm"``, ``"mfpt"``,
        ``"paderborn"`` or ``"ims"``.
    mode
        ``"real"`` (fail with a clear message if the files cannot be had), ``"synthetic"``, or
        ``"auto"`` (real when possible, else synthetic with a warning saying why).
    seed
        Seed of the synthetic generator (ignored for real data).
    subset
        C-MAPSS subset, ``"FD001"`` to ``"FD004"``.
    """
    if dataset not in registry.DATASETS:
        raise ParameterError(
            f"unknown dataset {dataset!r}; datasets: {', '.join(registry.DATASETS)}"
        )
    if mode not in MODES:
        raise ParameterError(f"data mode must be one of {', '.join(MODES)}, got {mode!r}")
    if subset not in CMAPSS_SUBSETS:
        raise ParameterError(
            f"unknown C-MAPSS subset {subset!r}; subsets: {', '.join(CMAPSS_SUBSETS)}"
        )
    if mode == "synthetic":
        return _open_synthetic(dataset, subset, seed, "synthetic data requested")
    try:
        return _open_real(dataset, subset)
    except DataMissingError as exc:
        if mode == "real":
            raise
        warnings.warn(f"{dataset}: using synthetic data: {exc}", stacklevel=2)
        return _open_synthetic(dataset, subset, seed, str(exc))
