"""Fixtures of the baseline tests: the synthetic problems, built once, and models fitted once."""

from __future__ import annotations

import pytest

from qpdm_lib import baselines

from . import problems


@pytest.fixture(scope="session")
def bearing_problem():
    return problems.bearing_problem()


@pytest.fixture(scope="session")
def bearing_fitted(bearing_problem):
    """name -> the model fitted once on the tone problem with its tiny configuration."""
    data, split = bearing_problem
    cache = {}

    def fitted(name: str):
        if name not in cache:
            model = baselines.get(name, family="bearing", **problems.BEARING_TINY[name])
            cache[name] = model.fit(data, split, seed=0)
        return cache[name]

    return fitted


@pytest.fixture(scope="session")
def rul_problems():
    """(degradation train, degradation test, regimes, regime of each window)."""
    train = problems.degradation(6, seed=0)
    test = problems.degradation(3, seed=1)
    walk, regime = problems.regimes()
    return train, test, walk, regime


@pytest.fixture(scope="session")
def rul_fitted(rul_problems):
    """name -> the model fitted once with its tiny configuration (supervised models on the
    degradation engines, learners on the regime walk with γ = 0, see test_rul_rl)."""
    train, _, walk, _ = rul_problems
    cache = {}

    def fitted(name: str):
        if name not in cache:
            if name in problems.SUPERVISED_TINY:
                model = baselines.get(name, family="rul", **problems.SUPERVISED_TINY[name])
                cache[name] = model.fit(train, seed=0)
            else:
                model = baselines.get(name, family="rul", discount=0.0, **problems.RL_TINY[name])
                cache[name] = model.fit(walk, seed=0)
        return cache[name]

    return fitted


@pytest.fixture(scope="session", autouse=True)
def _one_thread():
    """Tiny problems run fastest on one thread (torch, and the OpenMP of scikit-learn's histogram
    boosting, which spins badly on a loaded machine); the book's machines share two cores."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(before)
