"""The papers' baselines, one fit/predict shape per family, by the names the papers print.

* :data:`BEARING`: the bearing classifiers of QEML-Net Table 3 (``fit(data, split, *, seed)``,
  ``predict_proba(data, index) -> (n, 8)``, ``n_parameters()``), on a
  :class:`~qpdm_lib.baselines.bearing.BearingInputs`;
* :data:`RUL`: the RUL predictors of QAQL Tables 6 and 7 (``fit(train, *, seed)``,
  ``predict(x) -> (n,)``, ``n_parameters()``), on a :class:`~qpdm_lib.baselines.rul.RULInputs`,
  plus one strong classical reference the paper lacks (gradient-boosted trees);
* :data:`GNN_LEFT_OUT` and :data:`LEFT_OUT`: the rows not built, each with its reason.

:func:`get` builds a model by name with its configuration given as keywords:

>>> from qpdm_lib import baselines
>>> model = baselines.get("Random Forest", n_estimators=50)
>>> model.name, model.config.n_estimators
('Random Forest', 50)
>>> baselines.get("XGBoost")
Traceback (most recent call last):
...
ValueError: unknown baseline 'XGBoost'; bearing: SVM-RBF, Random Forest, LSTM, 1D-CNN, ResNet-50, AutoML, Transformer, Hybrid-QNN; RUL: Bi-LSTM, GRU, SGD, SARSA, Deep Q-Network, PPO, Transformer, Quantum VQL, Quantum DQN, Quantum LSTM, Gradient-Boosted Trees

"Transformer" names a row of both papers: :func:`get` takes ``family="bearing"`` or ``"rul"`` to
choose (bearing first when not given).
"""

from __future__ import annotations

import dataclasses

from .bearing import GNN_LEFT_OUT, BearingInputs, BearingModel
from .bearing_classical import SVMRBF, AutoML, RandomForest
from .bearing_deep import CNN1D, HybridQNN, LSTMClassifier, ResNet50, TransformerClassifier
from .rul import (
    LEFT_OUT,
    BiLSTM,
    GradientBoostedTrees,
    GRURegressor,
    RULInputs,
    RULModel,
    SGDLinear,
    TransformerRegressor,
)
from .rul_quantum import QuantumDQN, QuantumLSTM, QuantumVQL
from .rul_rl import PPO, SARSA, DeepQNetwork

__all__ = [
    "BEARING",
    "RUL",
    "GNN_LEFT_OUT",
    "LEFT_OUT",
    "get",
    "BearingInputs",
    "BearingModel",
    "RULInputs",
    "RULModel",
]

#: QEML-Net Table 3's bearing baselines, by the name the table prints (GNN: see GNN_LEFT_OUT).
BEARING: dict[str, type[BearingModel]] = {
    cls.name: cls
    for cls in (
        SVMRBF,
        RandomForest,
        LSTMClassifier,
        CNN1D,
        ResNet50,
        AutoML,
        TransformerClassifier,
        HybridQNN,
    )  # fmt: skip
}

#: QAQL Tables 6-7's RUL baselines by printed name, and the reference of our own (see LEFT_OUT).
RUL: dict[str, type[RULModel]] = {
    cls.name: cls
    for cls in (
        BiLSTM,
        GRURegressor,
        SGDLinear,
        SARSA,
        DeepQNetwork,
        PPO,
        TransformerRegressor,
        QuantumVQL,
        QuantumDQN,
        QuantumLSTM,
        GradientBoostedTrees,
    )  # fmt: skip
}


def get(name: str, *, family: str | None = None, **config):
    """A new, unfitted baseline ``name`` with ``Config(**config)``.

    ``family`` ("bearing" or "rul") picks between rows of the same name ("Transformer"). Lists
    in ``config`` (as a JSON config returns tuples) become tuples.
    Unknown names and configuration fields fail with one line listing what exists.
    """
    if family not in (None, "bearing", "rul"):
        raise ValueError(f"family must be 'bearing' or 'rul', got {family!r}")
    tables = {"bearing": BEARING, "rul": RUL}
    order = [family] if family else ["bearing", "rul"]
    factory = next((tables[f][name] for f in order if name in tables[f]), None)
    if factory is None:
        left_out = {**dict.fromkeys(["GNN"], GNN_LEFT_OUT), **LEFT_OUT}
        if name in left_out:
            raise ValueError(f"{name!r} is not built: {left_out[name]}")
        raise ValueError(
            f"unknown baseline {name!r}; bearing: {', '.join(BEARING)}; RUL: {', '.join(RUL)}"
        )
    fields = [f.name for f in dataclasses.fields(factory.Config)]
    unknown = sorted(set(config) - set(fields))
    if unknown:
        raise ValueError(
            f"unknown config field {unknown[0]!r} for {name}; fields: {', '.join(fields)}"
        )
    # a grid's JSON config brings tuples back as lists; the frozen configs hold tuples
    config = {k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}
    return factory(factory.Config(**config))
