"""Put two runs of bench/pages.py side by side (small and large database) with the ratio of their medians.

    python bench/compare.py var/bench/pages-10k.json var/bench/pages-1m.json

A ratio at or under 1.5 means the page scales (REGULATIONS of issue 10: within 1.5x at 1,000,000 calls)."""

import json
import sys


def main(small_path, large_path, limit=1.5):
    small, large = (json.load(open(p, encoding="utf-8")) for p in (small_path, large_path))
    by_page = {r["page"]: r for r in small["pages"]}
    head = f"{small['calls']:,} calls", f"{large['calls']:,} calls"
    print(f"{'':32s} | {head[0]:^36s} | {head[1]:^36s} |")
    print(f"{'page':32s} | {'median':>8s} {'p95':>8s} {'SQL':>7s} {'q':>3s} {'x':>5s} | "
          f"{'median':>8s} {'p95':>8s} {'SQL':>7s} {'q':>3s} {'x':>5s} | {'large/small':>11s}")
    worst = 0.0
    for r in large["pages"]:
        s = by_page.get(r["page"])
        if s is None:
            continue
        ratio = r["median_ms"] / s["median_ms"] if s["median_ms"] else 0
        worst = max(worst, ratio)

        def cells(x):
            overhead = x["median_ms"] / x["main_sql_ms"] if x["main_sql_ms"] else 0
            return (f"{x['median_ms']:7.1f}m {x['p95_ms']:7.1f}m {x['main_sql_ms']:6.2f}m {x['queries']:3d} "
                    f"{overhead:5.0f}")

        flag = "" if ratio <= limit else "  <-- over"
        print(f"{r['page']:32s} | {cells(s)} | {cells(r)} | {ratio:10.2f}x{flag}")
    print(f"(times in ms; SQL = the page's main query run alone; x = page time / main SQL; worst ratio {worst:.2f})")
    return 0 if worst <= limit else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
