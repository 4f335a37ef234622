"""Data: the registry of real files, the loaders, and synthetic stand-ins.

>>> from qpdm_lib import data
>>> src = data.open_source("cwru", "auto")           # doctest: +SKIP
>>> w = data.cwru.load_windows(src)                   # doctest: +SKIP

CWRU, C-MAPSS and the device fleet feed both papers' main results; MFPT, Paderborn and IMS are
the held-out bearing datasets of QEML-Net section 4.5 (:mod:`.mfpt`, :mod:`.paderborn`,
:mod:`.ims`, stand-ins in :mod:`.bearings_synthetic`).
"""

from . import bearings_synthetic, cmapss, cwru, devices, ims, mfpt, paderborn, registry, synthetic
from .registry import DATASETS, HOMES, REGISTRY, data_dir, fetch
from .source import Source, open_source

__all__ = [
    "bearings_synthetic",
    "cmapss",
    "cwru",
    "devices",
    "ims",
    "mfpt",
    "paderborn",
    "registry",
    "synthetic",
    "DATASETS",
    "HOMES",
    "REGISTRY",
    "data_dir",
    "fetch",
    "Source",
    "open_source",
]
