"""Fill the database with realistic data at scale, for benchmarks (see bench/README.md):

    python -m bench.generate_load_data --employees 200 --calls 1000000 --complaints 30000 --found-items 5000

Chinese names, numbers and texts, written quickly with COPY on PostgreSQL (plain inserts elsewhere). The rows are
synthetic history, written in bulk as the product would have left them: this is a benchmark tool, not part of
the product, so it lives here and nothing the product ships imports it."""

import argparse
import importlib
import os
import random
import sys
import time

PLAN = ("people", "calls", "complaints", "attendance", "lostfound")


def run(*, employees: int = 200, calls: int = 0, complaints: int = 0, found_items: int = 0, months: int = 12,
        days: int = 0, seed: int = 20261123, stdout=sys.stdout, stderr=sys.stderr) -> None:
    from django.db import transaction

    from bench.loadgen.base import Context

    ctx = Context(rng=random.Random(seed), months=months, days=days, stdout=stdout)
    counts = {"people": employees, "calls": calls, "complaints": complaints, "attendance": employees,
              "lostfound": found_items}
    started = time.perf_counter()
    for name in PLAN:
        n = counts[name]
        if n <= 0:
            continue
        try:
            module = importlib.import_module(f"bench.loadgen.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"bench.loadgen.{name}":
                raise
            stderr.write(f"  {name}: no generator yet, skipped\n")
            continue
        t = time.perf_counter()
        with transaction.atomic():
            module.generate(ctx, n)
        stdout.write(f"    ({time.perf_counter() - t:.1f} s)\n")
    stdout.write(f"done in {time.perf_counter() - started:.1f} s\n")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate_load_data", description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--calls", type=int, default=0)
    parser.add_argument("--complaints", type=int, default=0)
    parser.add_argument("--found-items", type=int, default=0)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--days", type=int, default=0,
                        help="spread calls, complaints and found items over this many days instead of the months "
                             "(a young database at the full daily rate; attendance still covers the months)")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")
    import django

    django.setup()
    run(employees=args.employees, calls=args.calls, complaints=args.complaints, found_items=args.found_items,
        months=args.months, days=args.days, seed=args.seed)


if __name__ == "__main__":
    main()
