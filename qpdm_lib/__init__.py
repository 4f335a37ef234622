"""qpdm_lib: the tested helper library of QPDM Book.

Chapters import what they need from here; nothing is configured or seeded at import time.

* :mod:`qpdm_lib.data`      registry, loaders (CWRU, C-MAPSS, device fleet), synthetic data
* :mod:`qpdm_lib.bearing`   bearing kinematics (BPFI, BPFO, BSF, FTF)
* :mod:`qpdm_lib.profiles`  chapters, parameters, the smoke / quick / full profiles
* :mod:`qpdm_lib.report`    what a chapter records for the runner (metrics, claims, banners)
* :mod:`qpdm_lib.ledger`    the papers' claims and our measured values
* :mod:`qpdm_lib.runner`    papermill execution, atomic results, the book build
* :mod:`qpdm_lib.plotting`  figure helpers
"""

from .errors import (
    ChapterFailedError,
    DataError,
    DataFormatError,
    DataMissingError,
    HashMismatchError,
    ParameterError,
    QPDMError,
)

__version__ = "0.1.0"

__all__ = [
    "QPDMError",
    "ParameterError",
    "DataError",
    "DataMissingError",
    "HashMismatchError",
    "DataFormatError",
    "ChapterFailedError",
    "__version__",
]
