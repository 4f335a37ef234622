"""Every chapter of the book, one module each (``CHAPTER``, and ``ORDER`` for listing).

A new chapter adds its own module here; nothing else needs to change for ``qpdm`` to know it.
"""

from __future__ import annotations

import importlib
import pkgutil

from ..params import Chapter

__all__ = ["discover"]


def discover() -> dict[str, Chapter]:
    """The chapters, by id, in their listing order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append((module.ORDER, module.CHAPTER))
    return {chapter.id: chapter for _, chapter in sorted(found, key=lambda pair: pair[0])}
