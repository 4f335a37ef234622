"""The claim files hold every number the two papers print, and only numbers the papers print.

``qpdm_lib/claims/qeml_net.csv`` and ``qpdm_lib/claims/qaql.csv`` transcribe each quantitative claim
of the two papers, one row per claim and per place it is printed; ``excluded.csv`` lists the
numbers of the in-scope text that are deliberately not claims (years, version numbers, exponents in
formulas, OCR debris, introduction economics), each with a few words of context and a reason.

The format checks run everywhere. The coverage checks need the papers' text, which CI keeps in
``../shared/papers`` beside the repository; without it they are skipped with the reason.

How coverage is proved
----------------------
Each paper's text is cut into *places* by marker strings that occur verbatim in it, in reading order
(``abs`` = abstract, ``t3`` = Table 3, ``s4.5`` = section 4.5, ``fig2`` = Figure 2, ...). A claim's
place is the part of its id after the paper prefix (``qeml.t3.svm-rbf.acc`` lies in ``t3``).

Every numeric token of an in-scope place (``97.3``, ``0.988``, ``57,164``, ``0.05/9`` -> 0.05 and
9, the glued ``435.2812.40`` -> 435.28 and 12.40) and every number word from two to thirty
("six datasets", "thirty runs"; "one" is left out, it is mostly prose) must be

* the ``value`` or ``pm`` of a claim of the same paper and place, or
* an ``excluded.csv`` row of that paper with the same number whose ``context`` is found around it.

Conversely every legible claim's value (and ± value) must occur in its place, unless its note says
"OCR" (a value read out of garbled text, e.g. ``771`` for 77.1) or it is a derived claim whose
note starts "in words:" (a statement such as "the lowest variance" kept as a rank); and every exclusion's context must
occur in the paper. So a deleted row, a typo in a value, or a claim filed under the wrong place all
fail here, with the place and the words around the number.

Tokens skipped by rule rather than listed (see :func:`_skipped`): citation brackets ``[12]``,
numbers right after Table/Figure/Fig./Section/Equation/Algorithm, equation tags ``| (3) |``, list
and heading numbers at the start of a line ("4.2 Hardware", "1."), enumerators ``(1)``..``(9)``,
citation years ``(Jin et al., 2022)``, model names (ResNet-50, 1D-CNN) and digits glued to letters
without a decimal point (FD001, lambda2, P16, RQ1). Everything else is listed.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

CLAIMS_DIR = Path(__file__).resolve().parents[2] / "qpdm_lib" / "claims"
PAPERS_DIR = Path(__file__).resolve().parents[3] / "shared" / "papers"

FILES = {"QEML-Net": "qeml_net.csv", "QAQL": "qaql.csv"}
PREFIX = {"QEML-Net": "qeml", "QAQL": "qaql"}
PAPER_TEXT = {"QEML-Net": "qeml-net.txt", "QAQL": "qaql.txt"}

COLUMNS = (
    "id,paper,source,kind,quantity,what,dataset,protocol,method,variant,value,pm,unit,scale,"
    "tested_by,tolerance,legible,note,restates"
).split(",")
EXCLUDED_COLUMNS = ["paper", "number", "context", "reason"]

KINDS = {"result", "statistic", "setting", "dataset", "hardware", "literature", "derived"}
UNITS = {
    "%", "pp", "", "ms", "us", "s", "min", "FPS", "M", "cycles", "cycles2", "days", "days2",
    "windows", "samples", "files", "classes", "rows", "devices", "units", "sensors", "features",
    "qubits", "layers", "bins", "epochs", "trials", "seeds", "runs", "folds", "datasets", "methods",
    "comparisons", "Hz", "kHz", "rpm", "dB", "params", "GB", "count", "rank",
}  # fmt: skip
CHAPTERS = {
    "data", "preprocessing", "hybrid-network", "ablations", "baselines", "significance",
    "generalisation", "interpretability", "deployment", "qubo", "qaql", "forensics",
}  # fmt: skip
DATASETS = {
    "", "CWRU", "MFPT", "IMS", "Paderborn", "PRONOSTIA", "combined benchmark",
    "FD001", "FD002", "FD003", "FD004", "device fleet",
}  # fmt: skip
ID_RE = re.compile(r"^(qeml|qaql)\.[a-z0-9._-]+$")

# (marker, place) in reading order; each marker is searched after the previous one. Text before the
# first marker and after a ``None`` place (until the next marker) is out of scope.
PLACES: dict[str, list[tuple[str, str | None]]] = {
    "QEML-Net": [
        ("Abstract\nThe economic value", "abs"),
        ("\nPublished\n", None),  # journal boilerplate: copyright year, licence version
        ("1. INTRODUCTION", "intro"),
        ("This research has the following main contributions", "contrib"),
        ("2. RELATED WORK", "s2.1"),
        ("2.2 Deep Learning for Fault Diagnosis", "s2.2"),
        ("2.3 Quantum Machine Learning", "s2.3"),
        ("2.4 Literature Comparison", "s2.4"),
        ("Table 1. Literature Comparison Matrix", "t1"),
        ("3. METHODOLOGY", "s3.1"),
        ("ResNet-50\n+ CBAM Attn", "fig1"),
        ("3.2 Dataset Construction and Splits", "s3.2"),
        ("Table 2. Benchmark Dataset Summary", "t2"),
        ("3.3 CBAM Attention Mechanism", "s3.3"),
        ("3.4 Parameterized Quantum Circuit", "s3.4"),
        ("3.5 Hybrid Classification Head", "s3.5"),
        ("3.6 Compound Hybrid Loss Function", "s3.6"),
        ("4. RESULTS AND DISCUSSION", "s4.1"),
        ("(a) Classification Accuracy", "fig2"),
        ("4.2 Comparative Performance", "s4.2"),
        ("Table 3. Comparative Performance", "t3"),
        (" I Classical", "fig3"),
        ("4.3 Ablation Study", "s4.3"),
        ("Table 4. Ablation Study", "t4"),
        ("4.4 Statistical Analysis", "s4.4"),
        ("Table 5. Statistical Significance", "t5"),
        ("4.5 Cross-Dataset Generalization", "s4.5"),
        ("4.6 Interpretability Analysis", "s4.6"),
        ("5. CONCLUSION", "concl"),
    ],
    "QAQL": [
        ("Abstract\nRemaining useful life", "abs"),
        ("aCentral University", None),  # affiliations
        ("Highlights", "hl"),
        ("Keywords:", None),
        ("1 Introduction", "intro"),
        ("Research questions.", "rq"),  # research questions, objectives and outcomes
        ("The remainder of the paper", "intro"),
        ("2 Literature Survey", "s2"),
        ("| Reference | Model | Objective", "t1"),
        ("Three patterns recur", "s2"),
        ("3 QAQL: Quantum Annealing Enhanced Q-Learning", "s3"),
        ("| Symbol | Description |", "t2"),
        ("Q-learning is a model-free", "s3"),
        ("Initialize Parameters", "alg1"),
        ("Algorithm 1 summarises QAQL", "s3"),
        ("| Hyperparameter | Value |", "t3"),
        ("4 Case Studies", "s4"),
        ("4.1 Datasets Description", "s4.1"),
        ("4.2 Hardware and Software Setup", "s4.2"),
        ("| Model | C-MAPSS FD001 (s)", "t4"),
        ("The QAQL training cost is dominated", "s4.2"),
        ("4.3 Data Preprocessing", "s4.3"),
        ("4.4 Results and Discussion", "s4.4"),
        ("| Metric | Definition |", "t5"),
        ("| Model | MSE | RMSE", "t6"),
        ("| Model | MSE | RMSE", "t7"),
        ("Reading these results in context", "s4.4"),
        ("4.5 Ablation Study", "s4.5"),
        ("| Model | MSE | RMSE", "t8"),
        ("4.6 Statistical Significance", "s4.6"),
        ("| Model | C-MAPSS RMSE", "t9"),
        ("4.7 Generalisation to the Multi-Condition", "s4.7"),
        ("| Subset | MSE", "t10"),
        ("| Model | FD002 | FD003 | FD004 |", "t11"),
        ("4.8 Computational Complexity Analysis", "s4.8"),
        ("| Component | Q-Learning | QAQL |", "t12"),
        ("For the one-hot action encoding used", "s4.8"),
        ("4.9 Operational and Managerial", "s4.9"),
        ("4.10 Threats to Validity", "s4.10"),
        ("5 Conclusion and Future Work", "concl"),
        ("\nReferences\n", None),  # the reference list: journal volumes, pages, years
    ],
}
KNOWN_PLACES = {p: {w for _, w in marks if w} for p, marks in PLACES.items()}

# -- tokens ------------------------------------------------------------------------------------------
NUMBER = re.compile(
    r"(?<![0-9.])(?:"
    r"(?P<glued_a>\d+\.\d{2})(?P<glued_b>\d+\.\d{2})(?![\d.])"  # QAQL tables: 435.2812.40 = 435.28 ± 12.40
    r"|(?P<thousands>\d{1,3}(?:,\d{3})+)(?!\d)"  # 57,164
    r"|(?P<plain>\d+(?:\.\d+)?)"  # 97.3, 0.05/9 -> 0.05 and 9
    r"|(?<=[\s(])(?P<lead>\.\d+)"  # OCR "(.28" = 0.28
    r")"
)
WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}  # fmt: skip
WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)

CITATION = re.compile(r"\[\s*\d+(?:\s*[,–-]\s*\d+)*\s*\]")  # [12], [3, 4]
EQUATION_TAG = re.compile(r"\|\s*\(\d+\)\s*\|")  # | (3) |
# "4.2 Hardware ...", "1. QEML-Net: ...", an algorithm step "3.1" alone on its line
LINE_NUMBERING = re.compile(r"(?m)^[ \t]*\d+(?:\.\d+)*\.?(?=[ \t]+[A-Z]|[ \t]*$)")
ENUMERATOR = re.compile(r"\(\d\)(?=\s)")  # (1) Bandpass filtering ...
MODEL_NAME = re.compile(r"ResNet-50|1D-CNNs?")
REFERENCE_WORD = re.compile(
    r"(?:Table|Tables|Figure|Figures|Fig\.|Equation|Equations|Section|Sections|Algorithm)\s*"
    r"(?:\d+[a-z]?(?:\.\d+)?\s*(?:,|and|to)\s*)*$"
)
CITATION_YEAR = re.compile(r"(?:19|20)\d\d")


def _spans(rx: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


def _skipped(text: str) -> list[tuple[int, int]]:
    """Spans whose digits are not numbers of the paper: citations, tags, numbering, model names."""
    return [
        *_spans(CITATION, text),
        *_spans(EQUATION_TAG, text),
        *_spans(LINE_NUMBERING, text),
        *_spans(ENUMERATOR, text),
        *_spans(MODEL_NAME, text),
    ]


def _places(paper: str, text: str) -> list[tuple[int, int, str]]:
    marks, pos = [], 0
    for marker, place in PLACES[paper]:
        at = text.find(marker, pos)
        assert at >= 0, f"{paper}: marker {marker!r} not found after offset {pos}"
        marks.append((at, place))
        pos = at + len(marker)
    marks.append((len(text), None))
    return [(a, b, w) for (a, w), (b, _) in pairwise(marks) if w]


def _tokens(paper: str, text: str) -> list[dict]:
    """Every in-scope number of ``text`` with its place and surroundings."""
    skip = _skipped(text)
    out = []
    for start, end, place in _places(paper, text):
        for m in NUMBER.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in skip):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            if REFERENCE_WORD.search(before):
                continue
            raw = m.group(0)
            prev = text[m.start() - 1] if m.start() else " "
            if (prev.isalpha() or prev == "_") and "." not in raw:
                continue  # identifier: FD001, lambda2, P16, RQ1, psi_0
            if (
                CITATION_YEAR.fullmatch(raw)
                and re.match(r"[a-z]?[);]", text[m.end() : m.end() + 2])
                and re.search(r"(?:\(|,\s|al\.\s)$", before)
            ):
                continue  # (Jin et al., 2022)
            parts = [g for g in ("glued_a", "glued_b", "thousands", "plain", "lead") if m.group(g)]
            for g in parts:
                tok = m.group(g)
                out.append(
                    {
                        "place": place,
                        "text": tok,
                        "value": float(tok.replace(",", "")),
                        "start": m.start(),
                        "end": m.end(),
                    }
                )
        for m in WORD.finditer(text, start, end):
            out.append(
                {
                    "place": place,
                    "text": m.group(0),
                    "value": float(WORDS[m.group(0).lower()]),
                    "start": m.start(),
                    "end": m.end(),
                }
            )
    return out


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


def _window(text: str, start: int, end: int, width: int = 120) -> str:
    return _norm(text[max(0, start - width) : end + width])


# -- loading -----------------------------------------------------------------------------------------
def _read(name: str) -> tuple[list[str], list[dict]]:
    with open(CLAIMS_DIR / name, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _claims() -> dict[str, list[dict]]:
    return {paper: _read(name)[1] for paper, name in FILES.items()}


def _place_of(claim_id: str, paper: str) -> str | None:
    rest = claim_id[len(PREFIX[paper]) + 1 :]
    hits = [w for w in KNOWN_PLACES[paper] if rest.startswith(w + ".")]
    return max(hits, key=len) if hits else None


def _in_words(row: dict) -> bool:
    """A derived claim that encodes a statement printed in words (a rank: "the lowest variance")
    as a number the paper never prints; its note starts with "in words:" and quotes the words."""
    return row["kind"] == "derived" and row["note"].startswith("in words:")


def _float(s: str) -> float | None:
    try:
        return float(s)
    except ValueError:
        return None


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


# -- format ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*FILES.values()])
def test_claim_files_have_the_columns_in_order(name):
    header, rows = _read(name)
    assert header == COLUMNS
    assert rows, f"{name} is empty"


def test_excluded_file_has_its_columns():
    header, rows = _read("excluded.csv")
    assert header == EXCLUDED_COLUMNS
    assert all(r["paper"] in FILES for r in rows)
    assert all(r["number"] and r["context"] and r["reason"] for r in rows)


def test_ids_are_unique_and_well_formed():
    seen: dict[str, str] = {}
    for paper, rows in _claims().items():
        for row in rows:
            cid = row["id"]
            assert ID_RE.match(cid), f"malformed id {cid!r}"
            assert cid.startswith(PREFIX[paper] + "."), f"{cid} is not a {paper} id"
            assert cid not in seen, f"duplicate id {cid} ({seen.get(cid)} and {paper})"
            seen[cid] = paper


def test_every_claim_lies_in_a_known_place():
    bad = [
        r["id"]
        for paper, rows in _claims().items()
        for r in rows
        if _place_of(r["id"], paper) is None
    ]
    assert not bad, f"ids whose place is none of {sorted(KNOWN_PLACES['QAQL'])}...: {bad}"


def test_fields_take_allowed_values():
    problems = []
    for paper, rows in _claims().items():
        for r in rows:
            cid = r["id"]
            if r["paper"] != paper:
                problems.append(f"{cid}: paper {r['paper']!r} in {FILES[paper]}")
            if r["kind"] not in KINDS:
                problems.append(f"{cid}: kind {r['kind']!r}")
            if r["unit"] not in UNITS:
                problems.append(f"{cid}: unit {r['unit']!r}")
            if r["tested_by"] not in CHAPTERS:
                problems.append(f"{cid}: tested_by {r['tested_by']!r}")
            if r["dataset"] not in DATASETS:
                problems.append(f"{cid}: dataset {r['dataset']!r}")
            if r["scale"] not in {"full", "any"}:
                problems.append(f"{cid}: scale {r['scale']!r}")
            if not (r["source"] and r["quantity"] and r["what"]):
                problems.append(f"{cid}: source, quantity and what are required")
            if r["legible"] == "yes":
                if _float(r["value"]) is None:
                    problems.append(f"{cid}: legible value {r['value']!r} is not a number")
            elif r["legible"] == "no":
                if r["value"] != "" or r["pm"] != "":
                    problems.append(f"{cid}: illegible claim with a value")
                if not r["note"]:
                    problems.append(f"{cid}: illegible claim without a note saying what is printed")
            else:
                problems.append(f"{cid}: legible {r['legible']!r}")
            for col in ("pm", "tolerance"):
                if r[col] != "" and _float(r[col]) is None:
                    problems.append(f"{cid}: {col} {r[col]!r} is not a number")
            if r["kind"] == "statistic" and r["tolerance"] != "":
                problems.append(f"{cid}: statistics take no tolerance")
    assert not problems, "\n".join(problems)


# -- coverage ----------------------------------------------------------------------------------------
def _paper_text(paper: str) -> str:
    path = PAPERS_DIR / PAPER_TEXT[paper]
    if not path.is_file():
        pytest.skip(f"paper text absent: {path} (CI keeps the papers in ../shared/papers)")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("paper", [*FILES])
def test_every_number_of_the_paper_is_a_claim_or_excluded(paper):
    text = _paper_text(paper)
    covered: dict[str, list[float]] = defaultdict(list)
    for r in _claims()[paper]:
        place = _place_of(r["id"], paper)
        covered[place] += [float(r[c]) for c in ("value", "pm") if r[c] != ""]
    excluded = [r for r in _read("excluded.csv")[1] if r["paper"] == paper]

    missing = []
    for tok in _tokens(paper, text):
        if any(_same(tok["value"], v) for v in covered[tok["place"]]):
            continue
        window = _window(text, tok["start"], tok["end"])
        if any(
            (_norm(e["number"]) == tok["text"].lower() or _float(e["number"]) == tok["value"])
            and _norm(e["context"]) in window
            for e in excluded
        ):
            continue
        context = _norm(text[max(0, tok["start"] - 50) : tok["end"] + 30])
        missing.append(f"  [{tok['place']}] {tok['text']!r}: ...{context}...")
    assert not missing, (
        f"{len(missing)} number(s) of {paper} are neither a claim of their place nor excluded:\n"
        + "\n".join(missing)
    )


@pytest.mark.parametrize("paper", [*FILES])
def test_every_claim_value_is_printed_in_its_place(paper):
    text = _paper_text(paper)
    printed: dict[str, list[float]] = defaultdict(list)
    for tok in _tokens(paper, text):
        printed[tok["place"]].append(tok["value"])
    wrong = []
    for r in _claims()[paper]:
        if _in_words(r):  # the quoted words, not a number, must be in the paper
            quoted = re.search(r'"(.+?)"', r["note"].replace('""', '"'))
            if not quoted or _norm(quoted.group(1)) not in _norm(text):
                wrong.append(f"  {r['id']}: the words its note quotes are not in the paper")
            continue
        if r["legible"] != "yes" or "OCR" in r["note"]:
            continue
        place = _place_of(r["id"], paper)
        for col in ("value", "pm"):
            if r[col] != "" and not any(_same(float(r[col]), v) for v in printed[place]):
                wrong.append(f"  {r['id']}: {col} {r[col]} is not printed in {place}")
    assert not wrong, "claim values the paper does not print there:\n" + "\n".join(wrong)


@pytest.mark.parametrize("paper", [*FILES])
def test_every_exclusion_is_found_in_the_paper(paper):
    text = _norm(_paper_text(paper))
    stale = [
        f"  {e['number']!r} in {e['context']!r}"
        for e in _read("excluded.csv")[1]
        if e["paper"] == paper
        and (_norm(e["context"]) not in text or _norm(e["number"]) not in _norm(e["context"]))
    ]
    assert not stale, (
        "exclusions whose context (with the number) is not in the text:\n" + "\n".join(stale)
    )


def test_a_restatement_points_at_a_claim_of_the_same_paper_and_value():
    rows = {row["id"]: row for name in FILES.values() for row in _read(name)[1]}
    for row in rows.values():
        target = row["restates"]
        if not target:
            continue
        assert target in rows, f"{row['id']} restates unknown claim {target}"
        assert rows[target]["paper"] == row["paper"] and not rows[target]["restates"], row["id"]
        assert float(rows[target]["value"]) == float(row["value"]), row["id"]
