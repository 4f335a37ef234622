"""Experiments: the run grid on Dask (:mod:`~qpdm_lib.experiments.grid`), the loss-weight
search with Optuna (:mod:`~qpdm_lib.experiments.search`) and the generalisation cells (unseen
loads, datasets and operating conditions, :mod:`~qpdm_lib.experiments.generalisation`)."""
