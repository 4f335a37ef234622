"""Experiments: the run grid on Dask (:mod:`~qpdm_lib.experiments.grid`) and the loss-weight
search with Optuna (:mod:`~qpdm_lib.experiments.search`)."""
