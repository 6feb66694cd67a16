"""Run bench/pages.py on several (code, database) pairs in interleaved rounds and merge the figures.

    python bench/interleave.py --run 10k=.@postgres://.../bench_10k --run 1m=.@postgres://.../bench_1m \\
        [--rounds 5] [--repeat 6] [--only "roster,dashboard"] [--out var/bench]

Each ``--run LABEL=CODE@DATABASE_URL`` is a checkout of the code (``.`` is this one; another directory, e.g. an
export of main, times the code before a change) and a database. Round after round, every run times every
page (``--repeat`` requests after two warm-ups, in its own process), so a machine that gets busier or quieter
meanwhile weighs on all runs alike instead of on whichever ran second. The requests of all rounds are merged:
median and 95th percentile over them all, written to ``OUT/pages-LABEL.json`` (``bench/compare.py`` reads two
of them) and printed side by side with each run's ratio to the first."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="append", required=True, help="LABEL=CODE_DIR@DATABASE_URL")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=6, help="requests per page per round")
    parser.add_argument("--only", help="pages whose name contains one of these (comma-separated)")
    parser.add_argument("--out", default="var/bench")
    args = parser.parse_args()
    runs = []
    for spec in args.run:
        label, rest = spec.split("=", 1)
        code, url = rest.split("@", 1)
        runs.append((label, Path(code).resolve(), url))
    for code in {code for _l, code, _u in runs}:  # the pages need their static files' manifest
        subprocess.run([sys.executable, str(code / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True,
                       cwd=code, env={**os.environ, "DEBUG": "false"})
    merged = {label: {} for label, _c, _u in runs}
    calls = {}
    tmp = Path(tempfile.mkdtemp())
    for r in range(args.rounds):
        for label, code, url in runs:
            out = tmp / f"{label}-{r}.json"
            cmd = [sys.executable, str(HERE / "pages.py"), "--repeat", str(args.repeat), "--json", str(out)]
            if args.only:
                cmd += ["--only", args.only]
            print(f"== round {r + 1}/{args.rounds}: {label}", flush=True)
            subprocess.run(cmd, check=True, cwd=code, env={**os.environ, "DATABASE_URL": url, "DEBUG": "false",
                                                           "BENCH_CODE_ROOT": str(code)})
            data = json.loads(out.read_text(encoding="utf-8"))
            calls[label] = data["calls"]
            for page in data["pages"]:
                into = merged[label].setdefault(page["page"], {**page, "times_ms": [], "sql": []})
                into["times_ms"] += page["times_ms"]
                into["sql"].append(page["main_sql_ms"])
                into["queries"] = max(into["queries"], page["queries"])
    Path(args.out).mkdir(parents=True, exist_ok=True)
    first = runs[0][0]
    head = "".join(f" | {label:>9s} {'p95':>7s} {'q':>3s}" + ("" if label == first else f" {'/' + first:>7s}")
                   for label, _c, _u in runs)
    print(f"{'page':32s}{head}")
    for label, _c, _u in runs:
        pages = []
        for page in merged[label].values():
            page["median_ms"] = statistics.median(page["times_ms"])
            page["p95_ms"] = p95(page["times_ms"])
            page["main_sql_ms"] = statistics.median(page.pop("sql"))
            pages.append(page)
        (Path(args.out) / f"pages-{label}.json").write_text(
            json.dumps({"calls": calls[label], "pages": pages}, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in merged[first]:
        line = f"{name:32s}"
        for label, _c, _u in runs:
            page = merged[label].get(name)
            if page is None:
                line += f" | {'-':>9s} {'':>7s} {'':>3s}" + ("" if label == first else f" {'':>7s}")
                continue
            line += f" | {page['median_ms']:7.1f}ms {page['p95_ms']:7.1f} {page['queries']:3d}"
            if label != first:
                line += f" {page['median_ms'] / merged[first][name]['median_ms']:6.2f}x"
        print(line)
    print(f"(medians over {args.rounds} rounds x {args.repeat} requests; figures in {args.out}/pages-LABEL.json)")


if __name__ == "__main__":
    main()
