"""qpdm_lib: the tested helper library of QPDM Book.

Chapters import what they need from here; nothing is configured or seeded at import time.

* :mod:`qpdm_lib.data`      registry, loaders (CWRU, C-MAPSS, device fleet), synthetic data
* :mod:`qpdm_lib.bearing`   bearing kinematics (BPFI, BPFO, BSF, FTF)
* :mod:`qpdm_lib.signal`    QEML-Net preprocessing (filters, envelope, spectra, wavelet packets)
* :mod:`qpdm_lib.splits`    the paper's split over windows and the leakage-free split by record
* :mod:`qpdm_lib.qubo`      QAQL's one-hot QUBO, penalty bounds, Ising form, decoding
* :mod:`qpdm_lib.samplers`  every sampler behind ``get_sampler(name)``
* :mod:`qpdm_lib.qaql`      the agent, its selectors, trajectories
* :mod:`qpdm_lib.models`    QEML-Net: ResNet + CBAM, the circuit (PennyLane and torch), head, loss
* :mod:`qpdm_lib.training`  QEML-Net's trainer, evaluation, safe checkpoints
* :mod:`qpdm_lib.qeml`      QEML-Net runs on both splits, resumable sweeps, latency
* :mod:`qpdm_lib.metrics`   classification metrics, RUL error metrics (QAQL Table 5), NASA score
* :mod:`qpdm_lib.profiles`  chapters, parameters, the smoke / quick / full profiles
* :mod:`qpdm_lib.report`    what a chapter records for the runner (metrics, claims, banners)
* :mod:`qpdm_lib.ledger`    the papers' claims and our measured values
* :mod:`qpdm_lib.runner`    papermill execution, atomic results, the book build
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
