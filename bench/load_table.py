"""`make load`, the printed table (in French): each page alone, then one line per level."""

from bench.load_http import PAGE_SAMPLES


def print_table(levels, pages):
    print()
    print("Pages seules (sans charge), médiane sur", PAGE_SAMPLES, "requêtes :")
    for page in pages:
        print(f"  {page['role']:<14} {page['path']:<32} {page['median_ms']:>7.1f} ms  {page['bytes']:>8} octets")
    print()
    header = (
        f"{'connexions':>10} {'req/s':>8} {'erreurs':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'req/cœur':>8}   cœurs : {'total':>5} {'guni':>5} {'pg':>5} {'wrk':>5} {'autre':>5}"
    )
    print(header)
    print("-" * len(header))
    for level in levels:
        latency, cpu = level["latency_ms"], level["cpu_cores"]
        print(
            f"{level['connections']:>10} {level['rps']:>8.1f} {level['errors']:>8} {latency['p50']:>8.1f} "
            f"{latency['p95']:>8.1f} {latency['p99']:>8.1f} {latency['max']:>8.1f}"
            f" {level['rps_per_core']:>8.1f}           {cpu['machine']:>5.2f} {cpu['gunicorn']:>5.2f}"
            f" {cpu['postgres']:>5.2f} {cpu['wrk']:>5.2f} {cpu['other']:>5.2f}"
        )
    held = [level for level in levels if level["errors"] == 0]
    if held:
        best = max(held, key=lambda level: level["rps"])
        print(f"\nTenu sans erreur : {best['rps']:.1f} req/s ({best['connections']} connexions).")
    else:
        print("\nAucun palier sans erreur.")
