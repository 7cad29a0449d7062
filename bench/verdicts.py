"""`make bench`, the targets and the verdicts: pure functions of the results."""

from bench.pages import PAGES

TARGETS = {
    "department": {"page_p95_ms": 150, "floor_ratio": 3.0, "report_s": 10, "import_rows_per_s": 2000},
    "national": {"page_p95_ms": 500, "report_s": 60},
}


def verdicts(scale, pages, demo_counts, report, importing, decp_import=None):
    from bench import decp

    target = TARGETS[scale]
    checks = list(decp.verdicts(decp_import or {}))
    for name, _ in PAGES:
        page = pages[name]
        checks.append(
            (f"{name}: p95 < {target['page_p95_ms']} ms", page["p95_ms"] < target["page_p95_ms"], page["p95_ms"])
        )
        if name == "facilitator_dashboard":
            # Worked out again in the request after each change: the page's target holds for it too.
            checks.append(
                (
                    f"{name} sans cache : p95 < {target['page_p95_ms']} ms",
                    page["cold_p95_ms"] < target["page_p95_ms"],
                    page["cold_p95_ms"],
                )
            )
        if name == "department_dashboard":
            # Worked out again by a worker while the last figures are served: a job, like the report.
            checks.append(
                (
                    f"{name} sans cache (worker) : p95 < {target['report_s']} s",
                    page["cold_p95_ms"] < target["report_s"] * 1000,
                    page["cold_p95_ms"],
                )
            )
        if scale == "department":
            checks.append(
                (
                    f"{name}: page ≤ {target['floor_ratio']:g} × plancher",
                    page["ratio"] is not None and page["ratio"] <= target["floor_ratio"],
                    page["ratio"],
                )
            )
            demo = demo_counts.get(name)
            checks.append(
                (
                    f"{name}: requêtes = démo ({demo})",
                    demo is not None and page["queries"] == demo,
                    page["queries"],
                )
            )
    checks.append(
        (
            f"bilan annuel < {target['report_s']} s",
            report.get("status") == "done" and report["seconds"] < target["report_s"],
            report.get("seconds"),
        )
    )
    if scale == "department":
        checks.append(
            (
                f"import > {target['import_rows_per_s']} lignes/s",
                importing.get("rows_per_s", 0) > target["import_rows_per_s"],
                importing.get("rows_per_s"),
            )
        )
    return [{"target": label, "value": value, "result": "PASS" if ok else "FAIL"} for label, ok, value in checks]
