"""Realistic data at scale for benchmarks (``python -m bench.generate_load_data``).

Each area has a module here with ``generate(ctx, n)``; rows go in with PostgreSQL ``COPY`` (bulk_create
on SQLite), so a million calls take well under ten minutes on two cores."""
