"""The verdicts of a bench run as a markdown table in French, for bench/README.md: each target, its
figure, the same figure in the previous run (``"previous"`` of each verdict, see bench/verdicts.py)
and whether it was held.

Usage: ``python bench/readme_table.py [bench/results_national.json]`` prints the table of that
results file (default: bench/results.json), to paste or to redirect.
"""

import json
import sys
from pathlib import Path

HEADER = ["Objectif", "Mesure", "Précédente", "Verdict"]
RESULTS = {"PASS": "tenu", "FAIL": "manqué"}


def french_number(value):
    """A figure as written in French: decimal comma (1,5), None as a dash (—)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        return text.replace(".", ",")
    return str(value)


def cell(text):
    return str(text).replace("|", "\\|")


def markdown_table(results):
    """The markdown table (a string, no trailing newline) of ``results["verdicts"]``."""
    lines = ["| " + " | ".join(HEADER) + " |", "| " + " | ".join("---" for _ in HEADER) + " |"]
    for verdict in results.get("verdicts", []):
        row = [
            cell(verdict["target"]),
            french_number(verdict.get("value")),
            french_number(verdict.get("previous")),
            RESULTS.get(verdict.get("result"), cell(verdict.get("result", "—"))),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else Path(__file__).with_name("results.json")
    print(markdown_table(json.loads(path.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main()
