"""Write the « Plans des requêtes les plus lentes » section of bench/README.md from results.json.

Usage: ``python bench/plans.py [bench/results.json]``: prints the section in French, to paste or
to redirect; each page's slowest query, its time and the head of its EXPLAIN ANALYZE plan.
"""

import json
import sys
from pathlib import Path

PLAN_LINES = 14


def section(results):
    data = results["data"]
    # A dashboard's queries are those of its figures worked out again (cold): sort and label by them.
    pages = sorted(results["pages"].items(), key=lambda item: -item[1].get("cold_p95_ms", item[1]["p95_ms"]))
    machine = results["machine"]
    cpu = f"{machine.get('cpu_model', '')} ({machine.get('cores', '?')} cœurs)"
    lines = [
        "## Plans des requêtes les plus lentes",
        "",
        f"Mesure du {results['date'][:10]}, échelle « {results['scale']} » "
        f"({', '.join(f'{value} {name}' for name, value in data.items())}), "
        f"{cpu}, PostgreSQL {results.get('postgres', '')}.",
        "",
    ]
    for name, page in pages:
        slowest = (page.get("slowest_queries") or [{}])[0]
        timing = f"p95 {page['p95_ms']:.0f} ms"
        if "cold_p95_ms" in page:
            timing = f"chiffres refaits : p95 {page['cold_p95_ms']:.0f} ms (prêts : {page['p95_ms']:.0f} ms)"
        lines += [
            f"### {name} ({page['url']}) — {timing}, {page['queries']} requêtes",
            "",
            f"Requête la plus lente : {slowest.get('ms', slowest.get('time_ms', '?'))} ms — "
            f"`{(slowest.get('sql') or '')[:160]}…`",
            "",
        ]
        plan = page.get("slowest_plan") or ""
        if isinstance(plan, list):
            plan = "\n".join(str(row) for row in plan)
        if plan:
            lines += ["```", *plan.splitlines()[:PLAN_LINES], "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    print(section(json.loads(path.read_text(encoding="utf-8"))))
