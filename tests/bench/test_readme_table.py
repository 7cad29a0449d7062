"""The bench's markdown table for bench/README.md (bench/readme_table.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.readme_table import french_number, markdown_table

ROOT = Path(__file__).resolve().parent.parent.parent

RESULTS = {
    "verdicts": [
        {"target": "lot_list: p95 < 200 ms", "value": 225.95, "result": "FAIL", "previous": 309.4},
        {"target": "bilan annuel < 10 s", "value": 1.5, "result": "PASS", "previous": None},
        {"target": "import > 2000 lignes/s", "value": 3847, "result": "PASS"},
        {"target": "lot_detail: p95 ≤ 3 × (plancher + page la moins chère)", "value": None, "result": "FAIL"},
    ]
}


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.5, "1,5"), (225.95, "225,95"), (8574.07, "8574,07"), (2.0, "2"), (3847, "3847"), (0.333, "0,33"), (None, "—")],
)
def test_french_numbers(value, text):
    assert french_number(value) == text


def test_markdown_table():
    assert markdown_table(RESULTS).splitlines() == [
        "| Objectif | Mesure | Précédente | Verdict |",
        "| --- | --- | --- | --- |",
        "| lot_list: p95 < 200 ms | 225,95 | 309,4 | manqué |",
        "| bilan annuel < 10 s | 1,5 | — | tenu |",
        "| import > 2000 lignes/s | 3847 | — | tenu |",
        "| lot_detail: p95 ≤ 3 × (plancher + page la moins chère) | — | — | manqué |",
    ]


def test_a_pipe_in_a_label_does_not_break_the_row():
    table = markdown_table({"verdicts": [{"target": "a | b", "value": 1, "result": "PASS"}]})
    assert table.splitlines()[-1] == "| a \\| b | 1 | — | tenu |"


def test_no_verdicts_gives_the_header_only():
    assert markdown_table({}).count("\n") == 1


def test_command_prints_the_table_of_a_results_file(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(RESULTS, ensure_ascii=False), encoding="utf-8")
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "readme_table.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert output == markdown_table(RESULTS) + "\n"
