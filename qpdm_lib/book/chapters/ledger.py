"""The ``ledger`` chapter: its parameters and the sizes of its three profiles."""

from ..params import COMMON, PROFILES, Chapter

ORDER = 900  # position in ``qpdm list``

CHAPTER = Chapter(
    id="ledger",
    title="The claims ledger",
    params={"profile": COMMON["profile"]},
    sizes={p: {} for p in PROFILES},
)
