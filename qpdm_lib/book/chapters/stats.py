"""The ``stats`` chapter: how every other chapter of the build ran, read from the results files.

It runs after the ledger (``runner.READERS``), so its table includes the ledger's own run.
"""

from ..params import COMMON, PROFILES, Chapter

ORDER = 980  # position in ``qpdm list``: after the ledger

CHAPTER = Chapter(
    id="stats",
    title="Execution statistics",
    params={"profile": COMMON["profile"]},
    sizes={p: {} for p in PROFILES},
)
