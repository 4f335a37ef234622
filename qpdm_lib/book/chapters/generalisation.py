"""The ``generalisation`` chapter: its parameters and the sizes of its three profiles.

QEML-Net runs at the size of the shared bearing protocol (:data:`~qpdm_lib.book.params.
QEML_PROTOCOL`, without its folds: this chapter's partitions are by load and by dataset); the
QAQL runs at the QAQL chapter's sizes, so the in-domain C-MAPSS runs are that chapter's runs.
"""

from ...baselines import BEARING, RUL
from ...data.paderborn import SETTINGS as PADERBORN_SETTINGS
from ...qaql.agent import SELECTORS
from ..params import COMMON, QEML_PROTOCOL, QEML_PROTOCOL_PARAMS, SCHEDULER, Chapter, Param

ORDER = 70  # position in ``qpdm list``


def _protocol(profile: str) -> dict:
    return {k: v for k, v in QEML_PROTOCOL[profile].items() if k != "folds"}


CHAPTER = Chapter(
    id="generalisation",
    title="Generalisation: unseen loads, datasets and operating conditions",
    params={
        **COMMON,
        **{k: v for k, v in QEML_PROTOCOL_PARAMS.items() if k != "folds"},
        "bearing_baselines": Param(
            str, "bearing baselines run beside QEML-Net", items=tuple(BEARING)
        ),
        "target_windows_per_record": Param(
            int, "windows kept per MFPT/Paderborn file or IMS channel (0 = all)", low=0
        ),
        "ims_files": Param(
            int, "IMS snapshots kept per labelled part of each test (0 = all)", low=0
        ),
        "paderborn_settings": Param(
            str,
            "Paderborn operating settings read (speed, torque, radial force)",
            items=PADERBORN_SETTINGS,
        ),
        "finetune_epochs": Param(
            int, "fine-tuning epochs on a target (QEML-Net section 4.5: 20)", low=1, high=1000
        ),
        "finetune_per_class": Param(
            int, "labelled target windows per class for fine-tuning", low=2, high=100_000
        ),
        "finetune_lr": Param(float, "AdamW's learning rate when fine-tuning", low=1e-7, high=1.0),
        "selectors": Param(str, "QAQL action selectors", items=SELECTORS),
        "n_states": Param(int, "k-means states of the tabular Q-function", low=2, high=4096),
        "episodes": Param(int, "QAQL training episodes (QAQL Table 3: 8)", low=1, high=100),
        "num_reads": Param(int, "annealer reads per selection (QAQL Table 3: 1000)", low=1),
        "qaql_seeds": Param(
            int, "QAQL runs per selector and subset (the paper: 30)", low=1, high=100
        ),
        "max_train_windows": Param(int, "C-MAPSS training windows kept (0 = all)", low=0),
        "rul_baselines": Param(str, "RUL baselines across subsets", items=tuple(RUL)),
        "rul_seeds": Param(int, "runs per RUL baseline", low=1, high=100),
        "scheduler": SCHEDULER,
    },
    sizes={
        "smoke": {
            **_protocol("smoke"),
            "seeds": 1,
            "bearing_baselines": "SVM-RBF,Hybrid-QNN",
            "target_windows_per_record": 6,
            "ims_files": 0,
            "paderborn_settings": "N15_M07_F10,N09_M07_F10",
            "finetune_per_class": 6,
            "selectors": "greedy,best-of-n",
            "n_states": 16,
            "episodes": 2,
            "num_reads": 200,
            "qaql_seeds": 1,
            "max_train_windows": 1500,
            "rul_baselines": "Gradient-Boosted Trees,Bi-LSTM",
            "rul_seeds": 1,
        },
        "quick": {
            **_protocol("quick"),
            "bearing_baselines": "SVM-RBF,Random Forest,1D-CNN,Hybrid-QNN",
            "target_windows_per_record": 60,
            "ims_files": 20,
            "paderborn_settings": "N15_M07_F10",
            "finetune_per_class": 20,
            "selectors": "greedy,best-of-n",
            "n_states": 64,
            "episodes": 8,
            "num_reads": 1000,
            "qaql_seeds": 5,
            "max_train_windows": 0,
            "rul_baselines": "Gradient-Boosted Trees,Bi-LSTM",
            "rul_seeds": 2,
        },
        "full": {
            **_protocol("full"),
            "bearing_baselines": ",".join(BEARING),
            "target_windows_per_record": 0,
            "ims_files": 0,
            "paderborn_settings": ",".join(PADERBORN_SETTINGS),
            "finetune_per_class": 50,
            "selectors": "greedy,softmax,best-of-n,one-read",
            "n_states": 64,
            "episodes": 8,
            "num_reads": 1000,
            "qaql_seeds": 30,
            "max_train_windows": 0,
            "rul_baselines": ",".join(RUL),
            "rul_seeds": 5,
        },
    },  # fmt: skip
    defaults={
        "seed": 0,
        "data": "auto",
        "device": "auto",
        "finetune_epochs": 20,
        "finetune_lr": 1e-4,
        "scheduler": "",
    },  # fmt: skip
)
