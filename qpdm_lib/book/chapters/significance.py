"""The ``significance`` chapter: its parameters and the sizes of its three profiles.

It trains nothing of its own: the bearing protocol parameters are the ones the ablations and
baselines chapters share (so its cells have their keys), and the baselines chapter's parameters
that enter a run's key (:data:`BASELINES_KEYS`, the RUL seeds among them) are its own too, with
the same values per profile: the run it reads is the one the baselines chapter ran with the same
parameters, in any profile, shrunk or not.
"""

from ..params import COMMON, QEML_PROTOCOL, QEML_PROTOCOL_PARAMS, SCHEDULER, Chapter, Param
from .baselines import CHAPTER as BASELINES

ORDER = 75  # position in ``qpdm list``

#: Parameters of the baselines chapter that decide which baseline runs (cells) are read.
BASELINES_KEYS = ("sizes", "latency_repeats", "train_windows", "rul_seeds")

CHAPTER = Chapter(
    id="significance",
    title="Significance: what the runs can show",
    params={
        **COMMON,
        **QEML_PROTOCOL_PARAMS,
        **{name: BASELINES.params[name] for name in BASELINES_KEYS},
        "power": Param(
            float,
            "power of the sensitivity analysis (minimum detectable effect)",
            low=0.5,
            high=0.99,
        ),  # fmt: skip
        "scheduler": SCHEDULER,
    },
    sizes={
        profile: {**protocol, **{name: BASELINES.sizes[profile][name] for name in BASELINES_KEYS}}
        for profile, protocol in QEML_PROTOCOL.items()
    },
    defaults={"seed": 0, "data": "auto", "device": "auto", "power": 0.8, "scheduler": ""},
)
