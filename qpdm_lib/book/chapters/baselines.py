"""The ``baselines`` chapter: its parameters and the sizes of its three profiles.

The bearing protocol (data, partitions, network size, training budget, seeds) is the one the
ablations and significance chapters share (:data:`~qpdm_lib.book.params.QEML_PROTOCOL`), so the
QEML-Net runs of this chapter are the ablations' and every baseline is paired with them. The RUL
side takes its data settings and seeds from the QAQL chapter's profile, so every RUL baseline
sees QAQL's windows, split and seeds (``rul_seeds``: the QAQL chapter's seeds of the same
profile, fewer only to shrink a run).
"""

from ..params import COMMON, QEML_PROTOCOL, QEML_PROTOCOL_PARAMS, SCHEDULER, Chapter, Param
from .qaql import CHAPTER as QAQL

ORDER = 60  # position in ``qpdm list``

RUL_DATASETS = ("FD001", "FD002", "FD003", "FD004", "fleet")

CHAPTER = Chapter(
    id="baselines",
    title="Baselines under one protocol",
    params={
        **COMMON,
        **QEML_PROTOCOL_PARAMS,
        "sizes": Param(
            str,
            "baseline model sizes: tiny (tests), small (a 2-core CPU), paper (the papers' scale)",
            choices=("tiny", "small", "paper"),
        ),
        "latency_repeats": Param(int, "timed single-window calls per latency figure", low=1),
        "budget_epochs": Param(
            int, "epochs of the budget check on the raw-window networks (0 = leave it out)", low=0
        ),
        "rul_datasets": Param(str, "datasets of the RUL baselines", items=RUL_DATASETS),
        "train_windows": Param(
            int, "training windows per dataset for the RUL baselines (0 = all of QAQL's)", low=0
        ),
        "rul_seeds": Param(
            int,
            "seeds of the RUL comparison, QAQL's and every baseline's (the paper: 30; an SD needs 2)",
            low=2,
            high=100,
        ),  # fmt: skip
        "scheduler": SCHEDULER,
    },
    sizes={
        "smoke": {
            **QEML_PROTOCOL["smoke"],
            "sizes": "tiny",
            "latency_repeats": 3,
            "budget_epochs": 0,
            "rul_datasets": "FD001,fleet",
            "train_windows": 0,
            "rul_seeds": QAQL.sizes["smoke"]["seeds"],
        },
        "quick": {
            **QEML_PROTOCOL["quick"],
            "sizes": "small",
            "latency_repeats": 20,
            "budget_epochs": 48,
            "rul_datasets": "FD001,fleet",
            "train_windows": 10_000,
            "rul_seeds": QAQL.sizes["quick"]["seeds"],
        },
        "full": {
            **QEML_PROTOCOL["full"],
            "sizes": "paper",
            "latency_repeats": 50,
            "budget_epochs": 0,
            "rul_datasets": "FD001,FD002,FD003,FD004,fleet",
            "train_windows": 0,
            "rul_seeds": QAQL.sizes["full"]["seeds"],
        },
    },  # fmt: skip
    defaults={"seed": 0, "data": "auto", "device": "auto", "scheduler": ""},
)
