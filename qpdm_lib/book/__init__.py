"""The book's machinery: chapters and profiles, the chapter prologue, the runner, the ledger.

* :mod:`~qpdm_lib.book.profiles`  chapters, their parameters, the smoke / quick / full profiles
* :mod:`~qpdm_lib.book.chapter`   the one prologue every chapter starts with (config + recorder)
* :mod:`~qpdm_lib.book.report`    what a chapter records (data sources, metrics, claims, glue)
* :mod:`~qpdm_lib.book.ledger`    the claims ledger page: claims, our values, verdicts
* :mod:`~qpdm_lib.book.runner`    papermill execution, atomic results, the book build
* :mod:`~qpdm_lib.book.cli`       the ``qpdm`` command

The machinery may import every science module (``data``, ``qeml``, ``qaql``, ``stats``); they
never import it.
"""
