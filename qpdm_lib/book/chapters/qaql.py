"""The ``qaql`` chapter: its parameters and the sizes of its three profiles."""

from ...data.source import CMAPSS_SUBSETS
from ...qaql.agent import SELECTORS
from ..params import COMMON, SCHEDULER, Chapter, Param

ORDER = 50  # position in ``qpdm list``

SUMMARY_DESIGNS = ("mean+slope", "last+mean+trend", "last+mean+trend+std+slope")

CHAPTER = Chapter(
    id="qaql",
    title="Annealer runs and QAQL",
    params={
        **COMMON,
        "selectors": Param(str, "action selectors to train with", items=SELECTORS),
        "subsets": Param(str, "C-MAPSS subsets to train on", items=CMAPSS_SUBSETS),
        "episodes": Param(int, "training episodes (QAQL Table 3: 8)", low=1, high=100),
        "n_states": Param(int, "k-means states of the tabular Q-function", low=2, high=4096),
        "summaries": Param(
            str, "window summaries the states are built from", choices=SUMMARY_DESIGNS
        ),
        "standardize": Param(bool, "standardise the summaries before k-means"),
        "seeds": Param(int, "independent runs per configuration (the paper: 30)", low=1, high=100),
        "sensitivity_seeds": Param(
            int, "seeds per cell of the sensitivity table (0 = leave it out)", low=0, high=100
        ),
        "max_train_windows": Param(int, "training windows kept per dataset (0 = all)", low=0),
        "pm_devices": Param(int, "devices of the fleet kept (0 = all)", low=0),
        "num_reads": Param(
            int, "annealer reads per selection (QAQL Table 3: 1000)", low=1, high=100_000
        ),
        "sa_calls": Param(
            int, "selections re-done with SimulatedAnnealingSampler for the analysis", low=1
        ),
        "scheduler": SCHEDULER,
    },
    sizes={
        "smoke": {
            "selectors": "greedy,best-of-n",
            "subsets": "FD001",
            "episodes": 2,
            "n_states": 16,
            "seeds": 2,
            "sensitivity_seeds": 1,
            "max_train_windows": 1500,
            "pm_devices": 150,
            "num_reads": 200,
            "sa_calls": 3,
        },
        "quick": {
            "selectors": "greedy,softmax,best-of-n,one-read",
            "subsets": "FD001,FD003",
            "episodes": 8,
            "n_states": 64,
            "seeds": 5,
            "sensitivity_seeds": 5,
            "max_train_windows": 0,
            "pm_devices": 0,
            "num_reads": 1000,
            "sa_calls": 30,
        },
        "full": {
            "selectors": "greedy,softmax,best-of-n,one-read",
            "subsets": "FD001,FD002,FD003,FD004",
            "episodes": 8,
            "n_states": 64,
            "seeds": 30,
            "sensitivity_seeds": 5,
            "max_train_windows": 0,
            "pm_devices": 0,
            "num_reads": 1000,
            "sa_calls": 200,
        },
    },
    defaults={
        "seed": 0,
        "data": "auto",
        "summaries": "mean+slope",
        "standardize": True,
        "scheduler": "",
    },  # fmt: skip
)
