"""qpdm_lib: the tested helper library of QPDM Book.

Chapters import what they need from here; nothing is configured or seeded at import time. The
folders show the design: the two papers' science apart, the book's machinery on top.

* :mod:`qpdm_lib.data`     registry (hashes, ``QPDM_DATA_DIR``), loaders, synthetic stand-ins
* :mod:`qpdm_lib.qeml`     QEML-Net: ``signal`` (section 3.1), ``splits``, ``training``, ``runs``,
  ``models`` (ResNet + CBAM, the circuit in PennyLane and torch, the head, the compound loss)
* :mod:`qpdm_lib.qaql`     QAQL: ``qubo`` (Eq. 13-21), ``samplers``, ``trajectories``, ``agent``
* :mod:`qpdm_lib.claims`   both papers' quantitative claims as data, and the verdict rules
* :mod:`qpdm_lib.book`     the machinery: ``profiles``, ``chapter`` (the prologue), ``report``,
  ``tables``, ``ledger``, ``runner``, ``cli``; it may import everything, nothing imports it
* shared: :mod:`~qpdm_lib.metrics` (classification and RUL metrics), :mod:`~qpdm_lib.stats`
  (tests, intervals, effect sizes, power), :mod:`~qpdm_lib.bearing` (fault frequencies),
  :mod:`~qpdm_lib.errors` (one-line errors), ``_io`` (atomic writes), ``_progress`` (console)
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
