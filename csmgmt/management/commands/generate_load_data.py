"""Fill the database with realistic data at scale, for benchmarks (see bench/README.md)."""

import importlib
import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Generate realistic load data (Chinese names, numbers, texts) quickly with COPY on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=200)
        parser.add_argument("--calls", type=int, default=0)
        parser.add_argument("--complaints", type=int, default=0)
        parser.add_argument("--found-items", type=int, default=0)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--days", type=int, default=0,
                            help="spread calls, complaints and found items over this many days instead of the months "
                                 "(a young database at the full daily rate; attendance still covers the months)")
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, employees, calls, complaints, found_items, months, days, seed, **options):
        from bench.loadgen.base import Context

        ctx = Context(rng=random.Random(seed), months=months, days=days, stdout=self.stdout)
        plan = [("people", employees), ("calls", calls), ("complaints", complaints), ("attendance", employees),
                ("lostfound", found_items)]
        started = time.perf_counter()
        for name, n in plan:
            if n <= 0:
                continue
            try:
                module = importlib.import_module(f"bench.loadgen.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"bench.loadgen.{name}":
                    raise
                self.stderr.write(f"  {name}: no generator yet, skipped")
                continue
            t = time.perf_counter()
            with transaction.atomic():
                module.generate(ctx, n)
            self.stdout.write(f"    ({time.perf_counter() - t:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - started:.1f} s"))
