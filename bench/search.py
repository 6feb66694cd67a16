"""Every search box at two sizes, interleaved (issue 19): a frequent and a rare two-character word, a
three-character word and a phone fragment, on the list's first page (newest first, 26 rows fetched, related rows
as the page loads them), at the small and the large database in turn (A B A B …), so that a slower minute of the
machine weighs on both. Medians, the ratio large / small, and the rare two-character word against the
three-character one; then each table's size and its search index's size.

    .venv/bin/python bench/search.py [--small URL] [--large URL] [--repeat 30] [--json var/bench/search.json]

Both databases are filled by ``bench/run.sh`` (or the step-by-step recipe in bench/README.md); customer profiles,
which the call generator does not write, are made here once from the callers' numbers (``--no-customers`` to
skip). Targets: every median ≤ 1.5× between the sizes; the rare two-character word within 3× of the
three-character one."""

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csmgmt.settings")

PG = "postgres://postgres@127.0.0.1:5432"

# Customer addresses: building and door in a handful of estates, one of them rare.
ESTATES = [("星河小区", 30), ("阳光花园", 30), ("翠湖苑", 20), ("东方明珠公寓", 19.95), ("紫荆山庄", 0.05)]


def setup(small: str, large: str):
    import environ

    os.environ["DATABASE_URL"] = small
    from django.conf import settings

    settings.DATABASES["large"] = {**environ.Env.db_url_config(large), "ATOMIC_REQUESTS": False,
                                   "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                                   "TIME_ZONE": None, "OPTIONS": {}, "TEST": {}}
    import django

    django.setup()


def customers_from_calls(alias: str) -> int:
    """One profile per caller number that has none (name, organisation, an address), as intake would have made
    them; idempotent."""
    from django.db import connections, transaction

    from tickets.models import Customer, CustomerPhone

    rng = random.Random(19)
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT caller_phone, max(caller_name), max(organisation) FROM tickets_call c "
                       "WHERE caller_phone <> '' AND NOT EXISTS (SELECT 1 FROM tickets_customerphone p "
                       "WHERE p.number = c.caller_phone) GROUP BY caller_phone ORDER BY caller_phone")
        callers = cursor.fetchall()
    if not callers:
        return Customer.objects.using(alias).count()
    names, weights = zip(*ESTATES)
    with transaction.atomic(using=alias):
        profiles = Customer.objects.using(alias).bulk_create(
            [Customer(name=name, organisation=org,
                      address=f"{rng.choices(names, weights)[0]}{rng.randint(1, 30)}号楼{rng.randint(1, 4)}单元"
                              f"{rng.randint(1, 30)}{rng.randint(1, 4):02d}")
             for _phone, name, org in callers], batch_size=5000)
        CustomerPhone.objects.using(alias).bulk_create(
            [CustomerPhone(customer=c, number=phone) for c, (phone, _n, _o) in zip(profiles, callers)],
            batch_size=5000)
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE tickets_customer; ANALYZE tickets_customerphone")
    return Customer.objects.using(alias).count()


def phone_fragment(alias: str, model, column: str) -> str:
    """The first seven digits of the large database's newest number (the same fragment at both sizes)."""
    order = {"Call": "-received_at", "Customer": "-updated_at", "Complaint": "-received_at",
             "FoundItem": "-found_at", "LostReport": "-lost_at"}[model.__name__]
    value = model.objects.using(alias).exclude(**{column: ""}).order_by(order).values_list(column, flat=True).first()
    return (value or "1380013")[:7]


def boxes(small_alias: str):
    """box -> (model, the page's queryset for (q, alias), {label: q})."""
    from complaints.models import Complaint
    from complaints.selectors import COMPLAINT_SEARCH, LIST_RELATED
    from csmgmt.core.search import search
    from lostfound.models import FoundItem, LostReport
    from lostfound.selectors import found_items_search, lost_reports_search
    from tickets.models import Call, Customer
    from tickets.selectors import apply_call_filters, customers_search

    def calls(q, alias):
        return (apply_call_filters(Call.objects.using(alias), {"q": q})
                .select_related("agent", "owner", "department").order_by("-received_at", "-id"))

    def customers(q, alias):
        return customers_search(q).using(alias)

    def complaints(q, alias):
        return (search(Complaint.objects.using(alias), q, COMPLAINT_SEARCH).select_related(*LIST_RELATED)
                .order_by("-received_at", "-id"))

    def found(q, alias):
        return found_items_search(q=q).using(alias)

    def lost(q, alias):
        return lost_reports_search(q=q).using(alias)

    return {
        "calls": (Call, calls, {"frequent 2": "咨询", "rare 2": "退款", "3 chars": "热水器",
                                "phone": phone_fragment(small_alias, Call, "caller_phone")}),
        "customers": (Customer, customers, {"frequent 2": "花园", "rare 2": "紫荆", "3 chars": "翠湖苑",
                                            "phone": _customer_phone(small_alias)}),
        "complaints": (Complaint, complaints, {"frequent 2": "客服", "rare 2": "退款", "3 chars": "配送员",
                                               "phone": phone_fragment(small_alias, Complaint, "complainant_phone")}),
        "found items": (FoundItem, found, {"frequent 2": "手机", "rare 2": "微单", "3 chars": "双肩包",
                                           "phone": phone_fragment(small_alias, FoundItem, "finder_phone")}),
        "lost reports": (LostReport, lost, {"frequent 2": "手机", "rare 2": "微单", "3 chars": "双肩包",
                                            "phone": phone_fragment(small_alias, LostReport, "owner_phone")}),
    }


def _customer_phone(alias):
    from tickets.models import CustomerPhone

    value = CustomerPhone.objects.using(alias).order_by("-id").values_list("number", flat=True).first()
    return (value or "1380013")[:7]


def index_sizes(alias: str) -> dict:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("""
            SELECT t.relname, t.reltuples::bigint, pg_relation_size(t.oid), i.relname, pg_relation_size(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE i.relname LIKE '%%search_bigram_gin' ORDER BY t.relname""")
        return {row[0]: {"rows": row[1], "table_mb": row[2] / 2**20, "index": row[3], "index_mb": row[4] / 2**20}
                for row in cursor.fetchall()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", default=f"{PG}/bench_10k")
    parser.add_argument("--large", default=f"{PG}/bench_1m")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", default="")
    parser.add_argument("--no-customers", action="store_true")
    args = parser.parse_args(argv)
    setup(args.small, args.large)
    sizes = ("default", "large")
    if not args.no_customers:
        for alias in sizes:
            print(f"customer profiles in {alias}: {customers_from_calls(alias)}")
    from tickets.models import Call

    calls = {alias: Call.objects.using(alias).count() for alias in sizes}
    print(f"calls: small {calls['default']:,}, large {calls['large']:,}")
    plan = boxes("large")
    times = {(box, label, alias): [] for box, (_m, _f, words) in plan.items() for label in words for alias in sizes}
    found = {}
    for box, (_model, page, words) in plan.items():
        for label, q in words.items():
            for alias in sizes:  # warm-up, and the number of rows the page shows
                found[(box, label, alias)] = len(list(page(q, alias)[:26]))
    for _round in range(args.repeat):
        for box, (_model, page, words) in plan.items():
            for label, q in words.items():
                for alias in sizes:  # A B A B: the two sizes side by side
                    t = time.perf_counter()
                    list(page(q, alias)[:26])
                    times[(box, label, alias)].append((time.perf_counter() - t) * 1000)
    rows = []
    print(f"\n{'box':<13} {'word':<11} {'q':<9} {'rows':>9} {'small ms':>9} {'large ms':>9} {'ratio':>6}")
    for box, (_model, _page, words) in plan.items():
        medians = {}
        for label, q in words.items():
            small = statistics.median(times[(box, label, "default")])
            large = statistics.median(times[(box, label, "large")])
            medians[label] = (small, large)
            flag = "  > 1.5×" if large > 1.5 * small else ""
            print(f"{box:<13} {label:<11} {q:<9} {found[(box, label, 'default')]:>4}/{found[(box, label, 'large')]:<4} "
                  f"{small:9.2f} {large:9.2f} {large / small:6.2f}{flag}")
            rows.append({"box": box, "word": label, "q": q, "small_ms": small, "large_ms": large,
                         "ratio": large / small})
        for i, size in enumerate(("small", "large")):
            r = medians["rare 2"][i] / medians["3 chars"][i]
            print(f"{'':<13} rare 2 / 3 chars ({size}): {r:.2f}{'  > 3×' if r > 3 else ''}")
    print("\nsearch indexes (large):")
    sizes_large = index_sizes("large")
    for table, s in sizes_large.items():
        print(f"  {table:<22} {s['rows']:>10,} rows  table {s['table_mb']:8.1f} MB  {s['index']:<28} {s['index_mb']:7.1f} MB")
    if args.json:
        os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
        with open(args.json, "w") as fh:
            json.dump({"calls": calls, "rows": rows, "indexes": sizes_large}, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
