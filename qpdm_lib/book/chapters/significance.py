"""The ``significance`` chapter: its parameters and the sizes of its three profiles.

It trains nothing of its own: the bearing protocol parameters are the ones the ablations and
baselines chapters share (so its cells have their keys), the RUL side reads the QAQL and
baselines chapters' runs for the same profile.
"""

from ..params import COMMON, QEML_PROTOCOL, QEML_PROTOCOL_PARAMS, SCHEDULER, Chapter, Param

ORDER = 75  # position in ``qpdm list``

CHAPTER = Chapter(
    id="significance",
    title="Significance: what the runs can show",
    params={
        **COMMON,
        **QEML_PROTOCOL_PARAMS,
        "power": Param(
            float,
            "power of the sensitivity analysis (minimum detectable effect)",
            low=0.5,
            high=0.99,
        ),  # fmt: skip
        "scheduler": SCHEDULER,
    },
    sizes={profile: dict(sizes) for profile, sizes in QEML_PROTOCOL.items()},
    defaults={"seed": 0, "data": "auto", "device": "auto", "power": 0.8, "scheduler": ""},
)
