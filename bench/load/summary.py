"""Print the load test's figures from locust's CSV files and gunicorn's access log (bench/load.sh).

    python bench/load/summary.py var/load

Exits 1 when any request failed or gunicorn answered any 5xx."""

import csv
import re
import sys
from pathlib import Path


def main(folder: Path) -> int:
    rows = list(csv.DictReader((folder / "locust_stats.csv").open(encoding="utf-8")))
    print(f"{'request':22s} {'count':>7s} {'fail':>5s} {'req/s':>7s} {'p50':>6s} {'p95':>6s} {'p99':>6s} {'max':>7s}  (ms)")
    for r in rows:
        if not int(r["Request Count"]):
            continue
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        print(f"{name:22s} {int(r['Request Count']):7d} {int(r['Failure Count']):5d} {float(r['Requests/s']):7.1f} "
              f"{r['50%']:>6s} {r['95%']:>6s} {r['99%']:>6s} {float(r['Max Response Time']):7.0f}")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    failures = int(total["Failure Count"]) if total else 0
    failed = folder / "locust_failures.csv"
    if failed.exists():
        for r in csv.DictReader(failed.open(encoding="utf-8")):
            print(f"  failure: {r['Method']} {r['Name']}: {r['Error']} ×{r['Occurrences']}")
    status = re.compile(r'" (\d{3}) ')
    codes = {}
    log = folder / "access.log"
    if log.exists():
        for line in log.open(encoding="utf-8", errors="replace"):
            m = status.search(line)
            if m:
                codes[m.group(1)] = codes.get(m.group(1), 0) + 1
    print("gunicorn status codes:", ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())) or "none logged")
    errors = failures + sum(v for k, v in codes.items() if k.startswith("5"))
    print(f"errors: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/load")))
