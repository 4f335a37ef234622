"""The ``preprocessing`` chapter: its parameters and the sizes of its three profiles."""

from ..params import COMMON, WINDOWS_PER_RECORD, Chapter, Param

ORDER = 20  # position in ``qpdm list``

CHAPTER = Chapter(
    id="preprocessing",
    title="Preprocessing",
    params={
        **COMMON,
        "windows_per_record": WINDOWS_PER_RECORD,
        "image_size": Param(int, "side of the network's input image in pixels", low=8, high=512),
    },
    sizes={
        "smoke": {"windows_per_record": 16, "image_size": 32},
        "quick": {"windows_per_record": 0, "image_size": 64},
        "full": {"windows_per_record": 0, "image_size": 224},
    },
    defaults={"seed": 0, "data": "auto"},
)
