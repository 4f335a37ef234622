"""The claims ledger: every quantitative claim of the two papers, and what we measured.

Each :class:`Claim` names the paper, where it is stated (table, section, equation), its value and
unit, and the chapter that tests it. Chapters record our value with
:meth:`qpdm_lib.report.Recorder.claim`; the runner writes it to the chapter's results file, and
:func:`table` joins the claims with the newest results of a profile for the ledger page.

A claim's status is

``not yet tested``  no chapter has recorded it (for this profile);
``synthetic``       measured on synthetic data: says nothing about the paper;
``agrees``          within the claim's tolerance of the paper's value;
``differs``         outside it; the chapter says why we think it does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = ["Claim", "CLAIMS", "get_claim", "status", "table", "load_results", "format_value"]


class Claim(NamedTuple):
    id: str  # stable key, "<paper>.<what>"
    paper: str  # "QEML-Net" or "QAQL"
    what: str  # one line
    value: float  # as printed in the paper
    unit: str
    source: str  # where in the paper
    chapter: str  # chapter id that tests it
    tolerance: float  # |ours - paper| within this counts as agreement (same unit)


_Q, _A = "QEML-Net", "QAQL"
CLAIMS: tuple[Claim, ...] = (
    # --- data -------------------------------------------------------------------------------
    Claim(
        "qeml.cwru_samples",
        _Q,
        "CWRU samples in the harmonised benchmark",
        15520,
        "windows",
        "Table 2",
        "data",
        0,
    ),
    Claim(
        "qeml.cwru_classes", _Q, "fault classes present in CWRU", 8, "classes", "Table 2", "data", 0
    ),
    Claim(
        "qeml.total_samples",
        _Q,
        "samples over the six harmonised datasets",
        57164,
        "windows",
        "Table 2, abstract",
        "data",
        0,
    ),
    Claim(
        "qaql.fd001_train_windows",
        _A,
        "FD001 training windows (30 cycles, stride 1)",
        17731,
        "windows",
        "section 4.3",
        "data",
        0,
    ),
    Claim(
        "qaql.cmapss_state_dim",
        _A,
        "C-MAPSS state dimensionality",
        17,
        "features",
        "Table 3",
        "data",
        0,
    ),
    Claim(
        "qaql.pm_rows",
        _A,
        "daily readings in the device-failure file",
        124494,
        "rows",
        "section 4.1",
        "data",
        0,
    ),
    Claim("qaql.pm_devices", _A, "devices in the fleet", 1169, "devices", "section 4.1", "data", 0),
    # --- QEML-Net results --------------------------------------------------------------------
    Claim(
        "qeml.accuracy",
        _Q,
        "QEML-Net test accuracy on CWRU",
        97.3,
        "%",
        "Table 3",
        "hybrid-network",
        1.0,
    ),
    Claim(
        "qeml.precision",
        _Q,
        "QEML-Net macro precision",
        97.1,
        "%",
        "Table 3",
        "hybrid-network",
        1.0,
    ),
    Claim("qeml.recall", _Q, "QEML-Net macro recall", 96.8, "%", "Table 3", "hybrid-network", 1.0),
    Claim("qeml.f1", _Q, "QEML-Net macro F1", 96.9, "%", "Table 3", "hybrid-network", 1.0),
    Claim(
        "qeml.auc",
        _Q,
        "QEML-Net macro one-vs-rest AUC",
        0.988,
        "",
        "Table 3",
        "hybrid-network",
        0.01,
    ),
    Claim("qeml.params_m", _Q, "QEML-Net parameters", 31.4, "M", "Table 3", "hybrid-network", 0.5),
    Claim(
        "qeml.fidelity",
        _Q,
        "quantum fidelity at epoch 200",
        0.962,
        "",
        "section 4.1",
        "hybrid-network",
        0.02,
    ),
    Claim(
        "qeml.latency_ms",
        _Q,
        "inference latency (TensorRT FP16)",
        19,
        "ms",
        "Table 3",
        "hybrid-network",
        5,
    ),
    Claim(
        "qeml.fps",
        _Q,
        "inference throughput (TensorRT FP16)",
        52,
        "FPS",
        "Table 3",
        "hybrid-network",
        10,
    ),
    Claim(
        "qeml.quantum_params",
        _Q,
        "trainable quantum parameters",
        96,
        "",
        "section 3.4",
        "hybrid-network",
        0,
    ),
    # --- QAQL results ------------------------------------------------------------------------
    Claim("qaql.fd001_mse", _A, "QAQL MSE on FD001", 435.28, "cycles²", "Table 6", "qaql", 25.0),
    Claim("qaql.fd001_rmse", _A, "QAQL RMSE on FD001", 20.86, "cycles", "Table 6", "qaql", 0.6),
    Claim("qaql.fd001_mae", _A, "QAQL MAE on FD001", 14.18, "cycles", "Table 6", "qaql", 0.5),
    Claim(
        "qaql.pm_mse", _A, "QAQL MSE on the device fleet", 126.28, "days²", "Table 6", "qaql", 8.2
    ),
    Claim(
        "qaql.pm_rmse", _A, "QAQL RMSE on the device fleet", 11.23, "days", "Table 6", "qaql", 0.36
    ),
    Claim("qaql.pm_mae", _A, "QAQL MAE on the device fleet", 12.49, "days", "Table 6", "qaql", 0.4),
    Claim(
        "qaql.fd001_rmse_no_qa",
        _A,
        "FD001 RMSE without quantum annealing",
        27.96,
        "cycles",
        "Table 8",
        "qaql",
        0.6,
    ),
    Claim(
        "qaql.qpu_ms_per_update",
        _A,
        "QPU access time per update",
        26,
        "ms",
        "section 4.2",
        "qaql",
        5,
    ),
)


def get_claim(claim_id: str) -> Claim:
    for claim in CLAIMS:
        if claim.id == claim_id:
            return claim
    raise KeyError(f"unknown claim {claim_id!r}; see qpdm_lib.ledger.CLAIMS")


def status(claim: Claim, ours: float | None, data_source: str | None) -> str:
    """The ledger status of ``ours`` against ``claim`` (see module docstring)."""
    if ours is None or (isinstance(ours, float) and math.isnan(ours)):
        return "not yet tested"
    if data_source != "real":
        return "synthetic"
    return "agrees" if abs(ours - claim.value) <= claim.tolerance else "differs"


def format_value(value: float | None) -> str:
    """A claim value for the page: thousands grouped, two decimals at most, three below 10, and
    four significant digits below 1 (so an AUC of 0.99987 does not read as 1).

    >>> format_value(124494.0), format_value(841.506), format_value(2.5), format_value(0.9881)
    ('124,494', '841.51', '2.5', '0.9881')
    >>> format_value(0.99987), format_value(0.962), format_value(None)
    ('0.9999', '0.962', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if 0 < abs(value) < 1:
        return f"{value:.4g}"
    text = f"{value:,.2f}" if abs(value) >= 10 else f"{value:.3f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_results(results_dir: Path, profile: str) -> list[dict]:
    """Every chapter's results file of ``profile`` under ``results_dir``."""
    found = []
    for path in sorted(Path(results_dir).glob(f"*/{profile}.json")):
        found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


def table(results: list[dict]) -> pd.DataFrame:
    """One row per claim: the paper's value beside ours, with profile, data and status."""
    recorded: dict[str, tuple[dict, dict]] = {}
    for res in results:
        for entry in res.get("claims", []):
            recorded[entry["id"]] = (entry, res)
    rows = []
    for claim in CLAIMS:
        entry, res = recorded.get(claim.id, (None, None))
        ours = entry["ours"] if entry else None
        source = (entry.get("data_source") or res["data_source"]) if entry else None
        rows.append(
            {
                "claim": claim.id,
                "paper": claim.paper,
                "what": claim.what,
                "where": claim.source,
                "paper value": claim.value,
                "ours": ours,
                "unit": claim.unit,
                "chapter": claim.chapter,
                "profile": res["profile"] if res else "",
                "data": source or "",
                "status": status(claim, ours, source),
                "note": entry.get("note", "") if entry else "",
            }
        )
    return pd.DataFrame(rows)
