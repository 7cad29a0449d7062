"""`make bench`, the printed table (in French) of a run's results."""

from bench.pages import CACHED_PAGES, PAGES


def print_table(results):
    pages = results["pages"]
    demo = results.get("demo_query_counts", {})
    header = (
        f"{'page':<34} {'req.':>5} {'démo':>5} {'médiane ms':>11} {'p95 ms':>8} {'plancher ms':>12} {'ratio':>6}"
        f" {'budget':>7}"
    )
    print()
    print(f"Clausier — banc d'essai, échelle {results['scale']}, {results['date']}")
    print(f"{results['machine']['cpu_model']} ({results['machine']['cores']} cœurs), PostgreSQL {results['postgres']}")
    print(f"Données : {results['data']}")
    print()
    print(header)
    print("-" * len(header))
    for name, label in PAGES:
        page = pages[name]
        queries = f"{page['warm_queries']}/{page['queries']}" if name in CACHED_PAGES else page["queries"]
        print(
            f"{label:<34} {queries:>5} {demo.get(name, '-'):>5} {page['median_ms']:>11.1f} "
            f"{page['p95_ms']:>8.1f} {page['floor_median_ms']:>12.2f} {page['ratio']!s:>6}"
            f" {page.get('budget_ratio')!s:>7}"
        )
        if name in CACHED_PAGES:
            print(
                f"{'  … sans cache':<34} {page['queries']:>5} {'':>5} "
                f"{page['cold_median_ms']:>11.1f} {page['cold_p95_ms']:>8.1f}"
            )
    baselines = sorted({page.get("baseline_p95_ms") for page in pages.values()} - {None})
    if baselines:
        url = results.get("subjects", {}).get("baseline_url", "")
        print(
            f"budget = p95 ÷ (p95 du plancher + p95 de la page la moins chère {url}, même utilisateur : "
            f"{', '.join(f'{value:.1f}' for value in baselines)} ms)"
        )
    report = results["report"]
    print()
    print(f"Bilan d'impact {report.get('year')} (Ain entier, worker réel via Redis) : {report.get('seconds')} s")
    if results.get("compliance_report"):
        pnad = results["compliance_report"]
        print(
            f"Bilan PNAD et SPASER {pnad.get('year')} (Ain entier, {pnad.get('published_contracts')} marchés DECP) : "
            f"{pnad.get('seconds')} s"
        )
    if results.get("import"):
        importing = results["import"]
        print(
            f"Import CSV de {importing['rows']} lignes : {importing['seconds']} s, {importing['rows_per_s']} lignes/s"
        )
    print()
    for verdict in results["verdicts"]:
        previous = f" ; précédente : {verdict['previous']}" if verdict.get("previous") is not None else ""
        print(f"  {verdict['result']:<4}  {verdict['target']}  ({verdict['value']}{previous})")
    failed = sum(1 for verdict in results["verdicts"] if verdict["result"] == "FAIL")
    print()
    print(f"{len(results['verdicts']) - failed} objectifs tenus, {failed} manqués.")
