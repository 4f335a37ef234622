"""The data registry: where each file comes from, its sha256, and where it lives here.

Files are looked up in the data directory, resolved as

1. ``$QPDM_DATA_DIR`` when set (e.g. ``export QPDM_DATA_DIR=../shared/data``),
2. otherwise the user cache ``pooch.os_cache("qpdm")``.

Inside it the layout is ``<dataset>/<file>``, the same as the datasets' own archives. A file
present locally is verified against its sha256 before use; a missing file is downloaded from its
official home with :mod:`pooch` (hash-checked) unless ``QPDM_OFFLINE=1``. Every failure is one
line saying what to do.

MFPT, Paderborn and IMS (QEML-Net section 4.5) come as zip, rar and 7z archives behind web pages,
so they are not downloaded: :data:`HOMES` says where each is and how to unpack it, and a missing
file says the same in one line. None of their files is pinned: we have never had a copy to hash.
The registry lists the files whose names their documentation fixes (MFPT's 20 test-rig files,
Paderborn's 32 bearings x 4 settings x 20 repetitions); IMS snapshots are named by acquisition
time, so no IMS file is listed and :func:`dataset_files` asks the loader what is present.

Examples
--------
>>> entry = REGISTRY["cwru/105.mat"]
>>> entry.sha256[:12]
'f80b0ea04fd0'
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pooch

from ..errors import DataMissingError, HashMismatchError

__all__ = [
    "Entry",
    "REGISTRY",
    "DATASETS",
    "data_dir",
    "is_offline",
    "file_hash",
    "verify",
    "fetch",
    "local_files",
    "Home",
    "HOMES",
    "dataset_files",
]

DATASETS = ("cwru", "cmapss", "pm", "mfpt", "paderborn", "ims")
CMAPSS_SUBSETS = ("FD001", "FD002", "FD003", "FD004")  # the four C-MAPSS subsets

_CWRU_URL = "https://engineering.case.edu/sites/default/files/{name}"
# NASA distributes C-MAPSS as one archive; the registry names the files inside it.
_CMAPSS_ZIP = "https://phm-datasets.s3.amazonaws.com/NASA/6.+Turbofan+Engine+Degradation+Simulation+Data+Set.zip"
_PM_HOME = "https://www.kaggle.com/datasets/hiimanshuagarwal/predictive-maintenance-dataset"


@dataclass(frozen=True)
class Home:
    """Where a dataset that comes as archives lives, and how to unpack it by hand."""

    dataset: str
    title: str
    url: str  # the official page the archives are linked from
    how: str  # one line: what to download and where to unpack it


#: The bearing datasets of QEML-Net section 4.5: official homes and one-line instructions.
HOMES: dict[str, Home] = {
    "mfpt": Home(
        "mfpt",
        "MFPT Condition Based Maintenance Fault Database (Bechhoefer, 2013)",
        "https://www.mfpt.org/fault-data-sets/",
        "download the 'MFPT Fault Data Sets' zip from https://www.mfpt.org/fault-data-sets/ and "
        "unpack the .mat files of its folders 1-4 flat into mfpt/ "
        "(unzip -j <zip> '*/[1-4] - */*.mat' -d mfpt/)",
    ),
    "paderborn": Home(
        "paderborn",
        "Paderborn University KAt bearing data (Lessmeier et al., 2016)",
        "https://mb.uni-paderborn.de/kat/forschung/kat-datacenter/bearing-datacenter/"
        "data-sets-and-download",
        "download the bearing archives (K001.rar ... KI21.rar) from https://mb.uni-paderborn.de/"
        "kat/forschung/kat-datacenter/bearing-datacenter/data-sets-and-download and unpack each "
        "into paderborn/ (unrar x K001.rar paderborn/)",
    ),
    "ims": Home(
        "ims",
        "IMS bearing run-to-failure data (Lee et al., 2007), NASA PCoE repository",
        "https://www.nasa.gov/intelligent-systems-division/discovery-and-systems-health/pcoe/"
        "pcoe-data-set-repository/",
        "download 'IMS Bearings' from NASA's PCoE data set repository (https://www.nasa.gov/"
        "intelligent-systems-division/discovery-and-systems-health/pcoe/pcoe-data-set-repository/"
        "), unpack IMS.7z, then each test's .rar into ims/ (unrar x 2nd_test.rar ims/)",
    ),
}


@dataclass(frozen=True)
class Entry:
    """One file of a dataset."""

    dataset: str  # one of DATASETS
    name: str  # file name inside the dataset folder
    sha256: str | None  # None: not pinned yet (accepted with a warning, see `verify`)
    url: str | None  # official download location; None where a login is needed
    archive: str | None = None  # the file sits inside this archive (C-MAPSS, MFPT, Paderborn)
    how: str = ""  # what to do by hand when it cannot be downloaded

    @property
    def key(self) -> str:
        return f"{self.dataset}/{self.name}"


# sha256 of the byte-identical public copies (see shared/data/MANIFEST.tsv).
_CWRU_HASHES = {
    97: "16bf48babcf1c7ac224bc1a81cd9eafdb27e42d5cf559761907e067e8eeadf3c",
    105: "f80b0ea04fd06b372a0eaec7c056543ea37e4bb4727a5b173d2a5bacd2aa9cab",
    106: "e5cec7cdd138e6cd1deb9ed8634e5aaa9bc1bd7094ddc075bff606580eb6e883",
    107: "111ba8996a115684661a13c913bd74d8029a59294492f88aec7b03e175fdd388",
    118: "b00628f8dd8d1d930af77fa465d1e5cdb385fe259489053f91f3680bda7f640e",
    119: "bc72d9df7668219e004a0f711232b23ec0aed393eb9bd8f9f5483426f6b51330",
    120: "e0b7a584c49af52335ff0904a97d4afcf02d045625c582de63a7c85ce10b489c",
    130: "35a095307d0971477049b343a1b5981dde465a58fb7f233ad89b035068c1717d",
    131: "7883f7b83beadc54b2f301767f9145ce07055707182fb0278fdf0a6bb53ce3cb",
    132: "17a69ed5d2270b42532e678e35bbe2fa04a2cc413cf2bf9e88c7692de8662d18",
    169: "f5448673725c4ea2735fe7d3fe4b16ad82b217eac6b62c4bf351c4549b0a5229",
    170: "bcb73a5208b67265468232a2e342f53719850901671d0ee28494f3af97621f46",
    171: "63d0fdc1a68e64610ddfaf56a9c224d6137ab7b5c0d318eea1d542b9e5ffc029",
    185: "5bea2c60f177215ba3ec4ae287faf745d7e14aed1a12efe9e37b27c27044bafc",
    186: "1b3b6f3ad38e891feaa8026fe957b34f62f9082785089cc74f6878acdfe88ec5",
    187: "0f1338cce89beb5c8d8e5e154579bc576354e7c7d1617ebd1759662c6f3100b2",
    197: "fa571b47cd942f9514a920b403fb7c053cd442bb2963a360a96d0f61432f03e9",
    198: "dbd58e4585ca8f8332c708b15936987ec0990ca701359fd2483dae2719df5b49",
    199: "ca4e6407fdb68845a6973da6028477911a62d018580063749fe956441be95cf2",
    209: "9f723d6d9d2eba714c6dc50f99321dffa73d8b1e4d3605675b2c2251511eff80",
    210: "596692397e77e129a00f7b7a61c4c3ffd6c7a59979b89039e7f70a7431cce1c7",
    211: "8296a02ee489c2d16cbd9fc278ca2e29b22475cec70ebe840558c78b6b743dc1",
    222: "fcc0ee740fa123b1f4683f555458891719efb2857afd9fdee63e8fde0ed14469",
    223: "7287410fd2217e3b332c5ab4732a68963be046d7d17bd40efa41cabe6a0514e5",
    224: "8a16894c2ff4d6bcdb9f4c345c0d5f13737b3bd6d15015d6b566c86e7a3ee7b7",
    234: "ebcbdb96612e8085bbdbf81f0e5e8e8a8d1a693d1ec559c4894f7792771aa9b2",
    235: "667e4bf1f213f92d10dca71d494ad002d8fd22bfd8004b31a4c71ccf0d764b66",
    236: "c411d6d9826cba8073430555dc833e05fcbe4c38535f3eb7f03c525ea6797589",
}
_CMAPSS_HASHES = {
    "train_FD001.txt": "963b5e22825b34d8b21c69e1aeb4af3e647050eb672ee8834ba4b5d91d2de0f8",
    "test_FD001.txt": "3cda7109ce17bafb5443f2ac926cfcf88154b941b8c4cf95eb55d1ddd6f52851",
    "RUL_FD001.txt": "a19c8ec94931949d0485bdc35118206e9c81c4547b422efb9cf86f4ceddbceca",
    "train_FD003.txt": "2abbe9968cc5e8eb091980f51b20f62bb4127336d3482cb52071d53bf23329e2",
    "test_FD003.txt": "299babd63c8d987cef079c4a425429f33b3a34797d803bbe2ad48c29dbd0d790",
    "RUL_FD003.txt": "df1e0566306b174a2de41c67a3e7a51877889598b78643fc3e5685259091b7cb",
}
_PM_HASH = "ac07e907eb0e4fe2333c2b3f6332e52dcceca7355418b1ba6c6d14a1ad52efa1"


def _build_registry() -> dict[str, Entry]:
    from .cwru import RECORDS  # the record table lives with its loader

    entries: list[Entry] = []
    for number in RECORDS:
        name = f"{number}.mat"
        entries.append(Entry("cwru", name, _CWRU_HASHES.get(number), _CWRU_URL.format(name=name)))
    for subset in CMAPSS_SUBSETS:
        for kind in ("train", "test", "RUL"):
            name = f"{kind}_{subset}.txt"
            entries.append(
                Entry(
                    "cmapss", name, _CMAPSS_HASHES.get(name), _CMAPSS_ZIP, archive="CMAPSSData.zip"
                )
            )
    entries.append(
        Entry(
            "pm",
            "predictive_maintenance_dataset.csv",
            _PM_HASH,
            None,
            how=f"download it from {_PM_HOME} (a Kaggle login is needed)",
        )
    )
    # archives behind web pages: listed with their home, never pinned, never downloaded here
    from .mfpt import FILES as MFPT_FILES
    from .paderborn import BEARINGS, SETTINGS

    how = HOMES["mfpt"].how
    for name in MFPT_FILES:
        entries.append(Entry("mfpt", name, None, None, archive="MFPT Fault Data Sets zip", how=how))
    how = HOMES["paderborn"].how
    for code in BEARINGS:
        for setting in SETTINGS:
            for rep in range(1, 21):
                name = f"{code}/{setting}_{code}_{rep}.mat"
                entries.append(Entry("paderborn", name, None, None, archive=f"{code}.rar", how=how))
    return {e.key: e for e in entries}


REGISTRY: dict[str, Entry] = _build_registry()


def data_dir() -> Path:
    """The data directory: ``$QPDM_DATA_DIR`` if set, else the user cache."""
    env = os.environ.get("QPDM_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(pooch.os_cache("qpdm"))


def is_offline() -> bool:
    """True when ``QPDM_OFFLINE`` asks the registry never to touch the network."""
    return os.environ.get("QPDM_OFFLINE", "").lower() in {"1", "true", "yes"}


# Hashing 80 MB of CWRU on every load would cost more than parsing it; remember verified files
# by (path, size, mtime) so a changed file is hashed again.
_VERIFIED: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """sha256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(path: Path, entry: Entry) -> Path:
    """Check ``path`` against ``entry.sha256``; raise :class:`HashMismatchError` if it differs."""
    stat = path.stat()
    stamp = (str(path), stat.st_size, stat.st_mtime_ns)
    if stamp in _VERIFIED:
        return path
    if entry.sha256 is None:
        # Records outside the pinned set (e.g. CWRU 98-100, C-MAPSS FD002/FD004) are read, but say so.
        import warnings

        warnings.warn(
            f"{entry.key}: no sha256 pinned in the registry; file used unverified "
            f"(its sha256 is {file_hash(path)}: add it to qpdm_lib/data/registry.py)",
            stacklevel=3,
        )
        _VERIFIED[stamp] = "unpinned"
        return path
    actual = file_hash(path)
    if actual != entry.sha256:
        raise HashMismatchError(
            f"{path}: sha256 is {actual}, expected {entry.sha256} for {entry.key}; "
            f"the file is corrupt or not the original: delete it and fetch it again"
        )
    _VERIFIED[stamp] = actual
    return path


def _download(entry: Entry, root: Path) -> Path:
    if entry.url is None:
        raise DataMissingError(
            f"{entry.key} is not in {root}: {entry.how}, then put it at {root / entry.key} "
            f"or set QPDM_DATA_DIR to a folder holding {entry.key}"
        )
    target_dir = root / entry.dataset
    target_dir.mkdir(parents=True, exist_ok=True)
    downloader = pooch.HTTPDownloader(timeout=30, progressbar=False)
    try:
        if entry.archive:
            # Fetch the archive once, unpack only what we need next to it.
            members = pooch.retrieve(
                entry.url,
                known_hash=None,  # the archive itself is not pinned; each member is (below)
                fname=entry.archive,
                path=target_dir,
                downloader=downloader,
                processor=pooch.Unzip(extract_dir="."),
            )
            found = [Path(m) for m in members if Path(m).name == entry.name]
            for inner in (Path(m) for m in members if m.endswith(".zip")):
                # NASA's archive wraps CMAPSSData.zip inside another zip
                if not found:
                    found = [p for p in _unzip(inner, target_dir) if p.name == entry.name]
            if not found:
                raise DataMissingError(f"{entry.archive} from {entry.url} has no {entry.name}")
            final = target_dir / entry.name
            if found[0] != final:
                os.replace(found[0], final)
            return final
        return Path(
            pooch.retrieve(
                entry.url,
                known_hash=f"sha256:{entry.sha256}" if entry.sha256 else None,
                fname=entry.name,
                path=target_dir,
                downloader=downloader,
            )
        )
    except DataMissingError:
        raise
    except ValueError as exc:  # pooch's hash mismatch
        raise HashMismatchError(f"{entry.key} downloaded from {entry.url}: {exc}") from None
    except Exception as exc:  # network errors of every kind end the same way for the reader
        raise DataMissingError(
            f"{entry.key} is not in {root} and downloading it from {entry.url} failed "
            f"({type(exc).__name__}); connect to the internet or set QPDM_DATA_DIR to a folder "
            f"holding {entry.key}"
        ) from None


def _unzip(archive: Path, target_dir: Path) -> list[Path]:
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target_dir)
        return [target_dir / n for n in zf.namelist()]


def fetch(key: str, *, download: bool | None = None) -> Path:
    """Path of a verified registry file, downloading it when missing and allowed.

    Parameters
    ----------
    key
        ``"<dataset>/<file>"``, e.g. ``"cmapss/train_FD001.txt"``.
    download
        Try the official home when the file is missing. Default: unless ``QPDM_OFFLINE=1``.
    """
    try:
        entry = REGISTRY[key]
    except KeyError:
        dataset = key.split("/", 1)[0]
        known = sorted(k for k in REGISTRY if k.startswith(dataset + "/")) or list(DATASETS)
        raise DataMissingError(
            f"{key!r} is not a registry file; known {'files' if '/' in key else 'datasets'}: "
            f"{', '.join(known[:12])}{' …' if len(known) > 12 else ''}"
        ) from None
    root = data_dir()
    path = root / entry.key
    if path.is_file():
        return verify(path, entry)
    if entry.url is None:  # a login or an archive to unpack: the reader must fetch it by hand
        return verify(_download(entry, root), entry)
    if download is None:
        download = not is_offline()
    if not download:
        raise DataMissingError(
            f"{entry.key} is not in {root}; set QPDM_DATA_DIR to a folder holding it, "
            f"or unset QPDM_OFFLINE so it can be downloaded"
        )
    return verify(_download(entry, root), entry)


def local_files(dataset: str) -> list[Entry]:
    """Registry entries of ``dataset`` whose file is present in the data directory."""
    if dataset not in DATASETS:
        raise DataMissingError(f"unknown dataset {dataset!r}; datasets: {', '.join(DATASETS)}")
    root = data_dir()
    return [e for e in REGISTRY.values() if e.dataset == dataset and (root / e.key).is_file()]


def dataset_files(dataset: str, root: Path | None = None) -> list[str]:
    """Keys (``"<dataset>/..."``) of the files of ``dataset`` present under ``root`` (default: the
    data directory) that its loader reads: registry files for CWRU, C-MAPSS and the fleet, what
    the loader finds for MFPT, Paderborn and IMS (files outside the registry's list included)."""
    if dataset not in DATASETS:
        raise DataMissingError(f"unknown dataset {dataset!r}; datasets: {', '.join(DATASETS)}")
    root = data_dir() if root is None else Path(root)
    if dataset not in HOMES:
        return sorted(
            e.key for e in REGISTRY.values() if e.dataset == dataset and (root / e.key).is_file()
        )
    from importlib import import_module

    from .source import Source

    loader = import_module(f"{__package__}.{dataset}")
    found = loader.files(Source(dataset, "real", root))
    return [k if k.startswith(f"{dataset}/") else f"{dataset}/{k}" for k in found]
