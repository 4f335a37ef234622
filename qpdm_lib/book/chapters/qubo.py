"""The ``qubo`` chapter: its parameters and the sizes of its three profiles."""

from ..params import COMMON, Chapter, Param

ORDER = 40  # position in ``qpdm list``

CHAPTER = Chapter(
    id="qubo",
    title="Deriving the QUBO",
    params={
        "profile": COMMON["profile"],
        "seed": COMMON["seed"],
        "num_reads": Param(int, "annealer reads per QUBO", low=1, high=100_000),
        "sa_reads": Param(int, "SA reads for the distribution comparison", low=10),
        "pegasus_size": Param(
            int, "Pegasus graph size of the mock QPU (16 = Advantage)", low=2, high=16
        ),
    },
    sizes={
        "smoke": {"num_reads": 200, "sa_reads": 300, "pegasus_size": 6},
        "quick": {"num_reads": 1000, "sa_reads": 3000, "pegasus_size": 16},
        "full": {"num_reads": 1000, "sa_reads": 10_000, "pegasus_size": 16},
    },
    defaults={"seed": 0},
)
