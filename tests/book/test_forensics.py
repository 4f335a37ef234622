"""qpdm_lib.book.forensics: the forensics page's tables and counts, on hand-made checks."""

import re

from qpdm_lib import claims
from qpdm_lib.book import forensics as page
from qpdm_lib.claims import forensics as fx


def _rows():
    # two rows of QAQL Table 6 (FD001), as a hand-made table: one impossible, one fine
    return [
        fx.mae_le_rmse(42.47, 37.44, name="qaql.t6.mae_le_rmse.fd001.bi-lstm",
                       claims=("qaql.t6.fd001.bi-lstm.mae", "qaql.t6.fd001.bi-lstm.rmse")),
        fx.mae_le_rmse(14.18, 20.86, name="qaql.t6.mae_le_rmse.fd001.qaql",
                       claims=("qaql.t6.fd001.qaql.mae", "qaql.t6.fd001.qaql.rmse")),
    ]  # fmt: skip


def test_wide_table_has_one_anchored_row_per_check_with_the_printed_numbers():
    rows = _rows()
    html = page.html_checks(rows)
    assert re.findall(r'<tr id="([^"]+)"', html) == [page.anchor(c.name) for c in rows]
    assert "the paper prints" in html and "recomputed" in html
    assert "<td>42.47</td><td>37.44</td><td>5.03</td>" in html  # MAE, RMSE, MAE - RMSE
    assert "<td>Table 6</td><td>FD001</td><td>Bi-LSTM</td>" in html
    assert html.count("<strong>inconsistent</strong>") == 1
    assert html.count("<strong>consistent</strong>") == 1
    assert 'title="MAE 42.47 exceeds RMSE 37.44' in html  # the finding on hover


def test_mixed_checks_get_the_long_table_and_long_cells_fold():
    mixed = [*_rows(), fx.sum_matches({f"part {k}": 1000 + k for k in range(30)}, 1, name="s")]
    html = page.html_checks(mixed)
    assert html.count("<tr id=") == 3 and "<th>finding</th>" in html
    assert "<details><summary>" in html  # thirty parts are folded behind their beginning
    assert "MAE 42.47 exceeds RMSE 37.44" in html
    assert page.html_checks([]) == "<p>No checks.</p>"


def test_tally_counts_every_check_once_in_family_order():
    checks = fx.run_all(claims)
    tally = page.tally(checks)
    assert list(tally.index) == list(fx.FAMILIES)
    assert tally.checks.sum() == len(checks)
    assert (tally.consistent + tally.inconsistent + tally["not checkable"] == tally.checks).all()
    assert tally.loc["fixed_ratio", "inconsistent"] == 3


def test_tally_sentence_in_words():
    bad, good = _rows()
    missing = fx.mae_le_rmse(None, 1.0)
    assert page.tally_sentence([good]) == "The one check finds the paper consistent with itself."
    assert page.tally_sentence([good, good]) == (
        "None of the 2 checks finds the paper inconsistent with itself."
    )
    assert page.tally_sentence([bad, bad]) == (
        "All 2 checks find the paper inconsistent with itself."
    )
    assert page.tally_sentence([bad, good, good, missing]) == (
        "1 of 4 checks finds the paper inconsistent with itself; 2 are consistent and 1 cannot "
        "be checked because the paper leaves a number out."
    )
    assert page.tally_sentence([]) == "No check of this kind ran."
