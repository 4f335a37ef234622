"""The loss-weight search: weights on the simplex, a resumable journal, TPE finds a known optimum."""

import math

import optuna
import pytest

from qpdm_lib.experiments import search

TARGET = (0.55, 0.28, 0.17)


def _objective(weights):
    """A smooth bowl with its top at the paper's weights (a stand-in for a training run)."""
    return [-sum((w - t) ** 2 for w, t in zip(ws, TARGET, strict=True)) for ws in weights]


def test_weights_are_normalised_and_the_search_gets_near_a_known_optimum(tmp_path):
    study = search.open_study(tmp_path / "s.journal", seed=1)
    search.run_search(study, 40, _objective, batch=4)
    table = search.trials_table(study)
    assert len(table) == 40
    sums = table[["lambda1", "lambda2", "lambda3"]].sum(axis=1)
    assert (
        sums.sub(1).abs().max() < 1e-5
        and (table[["lambda1", "lambda2", "lambda3"]] > 0).all().all()
    )
    best = table.iloc[0]
    assert math.dist(best[["lambda1", "lambda2", "lambda3"]], TARGET) < 0.12
    assert table.objective.is_monotonic_decreasing


def test_an_interrupted_search_resumes_from_its_journal(tmp_path):
    path = tmp_path / "s.journal"
    calls = []

    def stopping(weights):
        calls.append(len(weights))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return _objective(weights)

    with pytest.raises(KeyboardInterrupt):
        search.run_search(search.open_study(path, seed=0), 10, stopping, batch=2)
    study = search.open_study(path, seed=0)  # a new process: the journal holds 4 finished trials
    states = [t.state for t in study.get_trials()]
    assert states.count(optuna.trial.TrialState.COMPLETE) == 4
    evaluated = []
    search.run_search(study, 10, lambda ws: evaluated.append(len(ws)) or _objective(ws), batch=2)
    assert sum(evaluated) == 6  # only what was missing
    assert len(search.trials_table(study)) == 10
    assert optuna.trial.TrialState.RUNNING not in [t.state for t in study.get_trials()]


def test_failed_values_and_bad_arguments(tmp_path):
    study = search.open_study(tmp_path / "s.journal")
    calls = []

    def first_fails(weights):
        calls.append(weights)
        values = _objective(weights)
        return [float("nan")] + values[1:] if len(calls) == 1 else values

    search.run_search(study, 2, first_fails, batch=2)
    assert len(search.trials_table(study)) == 2 and len(calls) == 2  # the NaN trial was asked anew
    assert [t.state for t in study.get_trials()][0] == optuna.trial.TrialState.FAIL
    with pytest.raises(ValueError, match="n_trials and batch must be >= 1"):
        search.run_search(study, 0, _objective)
    with pytest.raises(ValueError, match="evaluate returned 1 values for 2 trials"):
        search.run_search(search.open_study(tmp_path / "t.journal"), 2, lambda ws: [0.0], batch=2)
