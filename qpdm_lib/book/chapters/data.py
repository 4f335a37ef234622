"""The ``data`` chapter: its parameters and the sizes of its three profiles."""

from ...data.source import CMAPSS_SUBSETS
from ..params import COMMON, Chapter, Param

ORDER = 10  # position in ``qpdm list``

CHAPTER = Chapter(
    id="data",
    title="The data",
    params={
        **COMMON,
        "cwru_windows_per_record": Param(int, "CWRU windows kept per record (0 = all)", low=0),
        "cmapss_subset": Param(str, "C-MAPSS subset shown", choices=CMAPSS_SUBSETS),
        "pm_devices": Param(int, "devices of the fleet kept (0 = all)", low=0),
    },
    sizes={
        "smoke": {"cwru_windows_per_record": 24, "pm_devices": 150},
        "quick": {"cwru_windows_per_record": 0, "pm_devices": 0},
        "full": {"cwru_windows_per_record": 0, "pm_devices": 0},
    },
    defaults={"seed": 0, "data": "auto", "cmapss_subset": "FD001"},
)
