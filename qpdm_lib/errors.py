"""Errors that carry one actionable line.

Every error the library raises on purpose derives from :class:`QPDMError`. Its message is a
single line saying what is wrong and what to do. Inside a notebook, IPython calls
``_render_traceback_`` instead of printing the stack, so a reader sees that one line and not a
traceback from deep inside a library; the ``qpdm`` command prints the same line and exits
non-zero.
"""

from __future__ import annotations

__all__ = [
    "QPDMError",
    "ParameterError",
    "DataError",
    "DataMissingError",
    "HashMismatchError",
    "DataFormatError",
    "ChapterFailedError",
]


class QPDMError(Exception):
    """Base class: an error whose message is one line telling the reader what to do."""

    def _render_traceback_(self) -> list[str]:
        # IPython uses this hook in place of the traceback (see IPython.core.interactiveshell).
        return [f"{type(self).__name__}: {self}"]


class ParameterError(QPDMError, ValueError):
    """A chapter parameter is unknown, of the wrong type or out of range."""


class DataError(QPDMError):
    """Base class for problems with data files."""


class DataMissingError(DataError, FileNotFoundError):
    """A data file is not in the data directory and could not be downloaded."""


class HashMismatchError(DataError):
    """A data file's sha256 differs from the registry's: corrupt or a different file."""


class DataFormatError(DataError, ValueError):
    """A data file has the right name but not the structure of its original format."""


class ChapterFailedError(QPDMError):
    """Executing a chapter notebook raised an error."""
