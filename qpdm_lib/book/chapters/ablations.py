"""The ``ablations`` chapter: its parameters and the sizes of its three profiles.

The QEML-Net part runs on the bearing protocol the baselines and significance chapters share
(:data:`qpdm_lib.book.params.QEML_PROTOCOL`); the QAQL part reuses the QAQL chapter's settings
and seeds in the same profile, so its full-configuration and greedy runs are read back, not
trained again.
"""

from ..params import COMMON, QEML_PROTOCOL, QEML_PROTOCOL_PARAMS, SCHEDULER, Chapter, Param

ORDER = 65  # position in ``qpdm list``

_SEARCH = {
    "smoke": {"search_trials": 2, "search_folds": 3},
    "quick": {"search_trials": 4, "search_folds": 3},
    "full": {"search_trials": 120, "search_folds": 5},
}

CHAPTER = Chapter(
    id="ablations",
    title="Ablations: what each component contributes",
    params={
        **COMMON,
        **QEML_PROTOCOL_PARAMS,
        "search_trials": Param(
            int,
            "TPE trials of the loss-weight search (QEML-Net section 3.6: 120)",
            low=1,
            high=1000,
        ),
        "search_folds": Param(
            int,
            "cross-validation folds of each trial, inside the training partition (paper: 5)",
            choices=(3, 4, 5),
        ),  # fmt: skip
        "scheduler": SCHEDULER,
    },
    sizes={p: {**QEML_PROTOCOL[p], **_SEARCH[p]} for p in QEML_PROTOCOL},
    defaults={"seed": 0, "data": "auto", "device": "auto", "scheduler": ""},
)
