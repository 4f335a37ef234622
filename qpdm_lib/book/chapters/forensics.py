"""The ``forensics`` chapter: its parameters and the sizes of its three profiles.

The checks are arithmetic on the papers' printed numbers, so every profile runs all of them; the
chapter comes before the ledger, which reads the checks it records.
"""

from ..params import COMMON, PROFILES, Chapter

ORDER = 850  # position in ``qpdm list``: after every measuring chapter, before the ledger

CHAPTER = Chapter(
    id="forensics",
    title="Do the papers agree with themselves?",
    params={"profile": COMMON["profile"]},
    sizes={p: {} for p in PROFILES},
)
