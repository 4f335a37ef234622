"""The loss-weight search of QEML-Net section 3.6: Optuna's TPE over (lambda1, lambda2, lambda3).

The paper chose its weights 0.55 / 0.28 / 0.17 "by Bayesian optimisation with a Tree-structured
Parzen Estimator (TPE) with 120 trials using 5-fold cross-validation on the training partition".
Its three weights sum to one, so a trial proposes three positive raw numbers and the weights are
their normalisation (our reading: the paper names neither the search space nor the objective; we
maximise the mean held-out accuracy of the inner folds).

The study lives in an Optuna journal file (:class:`optuna.storages.JournalStorage`), so several
processes can share it and an interrupted search resumes: finished trials are read back, trials
left running by an interrupted process are marked failed and proposed anew. Trials are asked in
batches (TPE with the constant liar, so a batch does not propose one point several times), and
each batch is evaluated by a function the caller gives, typically a run grid on Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["open_study", "weights_of", "run_search", "trials_table"]

RAW_LOW, RAW_HIGH = 0.01, 1.0  # range of each raw weight before normalisation


def open_study(path: Path, *, name: str = "loss-weights", seed: int = 0):
    """The study in the journal file ``path``: created, or loaded to resume."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    storage = JournalStorage(JournalFileBackend(str(path)))
    sampler = optuna.samplers.TPESampler(seed=seed, constant_liar=True, n_startup_trials=10)
    return optuna.create_study(
        study_name=name, storage=storage, sampler=sampler, direction="maximize",
        load_if_exists=True,
    )  # fmt: skip


def weights_of(trial) -> tuple[float, float, float]:
    """The trial's (lambda1, lambda2, lambda3): three raw numbers, normalised to sum to 1."""
    raw = [trial.suggest_float(f"raw_{k}", RAW_LOW, RAW_HIGH) for k in (1, 2, 3)]
    total = sum(raw)
    weights = tuple(round(r / total, 6) for r in raw)
    trial.set_user_attr("weights", list(weights))
    return weights


def run_search(
    study,
    n_trials: int,
    evaluate: Callable[[Sequence[tuple[float, float, float]]], Sequence[float]],
    *,
    batch: int = 2,
):
    """Complete the study up to ``n_trials`` finished trials, ``batch`` at a time.

    ``evaluate`` maps a list of weight triples to their objective values (higher is better); a
    value that is NaN marks the trial failed.
    """
    import math

    import optuna

    if n_trials < 1 or batch < 1:
        raise ValueError(f"n_trials and batch must be >= 1, got {n_trials} and {batch}")
    for trial in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        study.tell(trial.number, state=optuna.trial.TrialState.FAIL)  # left by an interrupted run

    def complete() -> int:
        return len(study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)))

    while (done := complete()) < n_trials:
        trials = [study.ask() for _ in range(min(batch, n_trials - done))]
        values = list(evaluate([weights_of(t) for t in trials]))
        if len(values) != len(trials):
            raise ValueError(f"evaluate returned {len(values)} values for {len(trials)} trials")
        for trial, value in zip(trials, values, strict=True):
            if value is None or math.isnan(value):
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(trial, float(value))
    return study


def trials_table(study):
    """The finished trials: number, the three weights and the objective, best first."""
    import optuna
    import pandas as pd

    rows = [
        {
            "trial": t.number,
            **dict(zip(("lambda1", "lambda2", "lambda3"), t.user_attrs["weights"], strict=True)),
            "objective": t.value,
        }  # fmt: skip
        for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    ]
    return pd.DataFrame(rows).sort_values("objective", ascending=False, ignore_index=True)
