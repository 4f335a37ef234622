"""Data: the registry of real files, the loaders, and synthetic stand-ins.

>>> from qpdm_lib import data
>>> src = data.open_source("cwru", "auto")           # doctest: +SKIP
>>> w = data.cwru.load_windows(src)                   # doctest: +SKIP
"""

from . import cmapss, cwru, devices, registry, synthetic
from .registry import DATASETS, REGISTRY, data_dir, fetch
from .source import Source, open_source

__all__ = [
    "cmapss",
    "cwru",
    "devices",
    "registry",
    "synthetic",
    "DATASETS",
    "REGISTRY",
    "data_dir",
    "fetch",
    "Source",
    "open_source",
]
