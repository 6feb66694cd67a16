"""Issue 20: the targets pages at 10,000 and 1,000,000 calls, interleaved (not part of the test suite).

    .venv/bin/python bench/targets_page.py [--small postgres://.../bench_10k] [--large postgres://.../bench_1m] \\
        [--rounds 5] [--repeat 6]

Both databases are filled as bench/README.md says (``load_demo`` then ``generate_load_data``); this script
migrates them (the targets tables and the indexes of the figures), sets the demo targets and stores the months'
figures the nightly job stores (``targets.demo.load``), then times "targets: department" (the manager's page with
its 12-month trend), "targets: team" and "targets: my month" through ``bench/interleave.py``: medians, p95,
queries and the ratio 1M / 10k. The goal (issue 20): ≤ 1.5× and a median under 300 ms at 1,000,000 calls, the
number of queries the same at both sizes."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
PREPARE = ("import django; django.setup(); import sys; from targets import demo; demo.load(stdout=sys.stdout)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default=f"{PG}/bench_10k")
    parser.add_argument("--large", default=f"{PG}/bench_1m")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=6)
    parser.add_argument("--out", default="var/bench/targets")
    args = parser.parse_args()
    for url in (args.small, args.large):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "csmgmt.settings"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, cwd=ROOT, env=env)
        subprocess.run([sys.executable, "-c", PREPARE], check=True, cwd=ROOT, env=env)
    subprocess.run([sys.executable, str(ROOT / "bench" / "interleave.py"), "--run", f"10k=.@{args.small}",
                    "--run", f"1m=.@{args.large}", "--rounds", str(args.rounds), "--repeat", str(args.repeat),
                    "--only", "targets", "--out", args.out], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
