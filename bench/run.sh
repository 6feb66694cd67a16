#!/usr/bin/env bash
# The whole benchmark: two scratch PostgreSQL databases at the same daily rate (~2,000 calls, ~60 complaints,
# ~10 found items a day) but different history: 10,000 calls = a department's first 5 days, 1,000,000 calls =
# 17 months; both with 17 months of attendance for 200 employees. Then the page timings on each, the
# comparison, and the monthly workbook. Not part of `make test`. Takes about 10 minutes here; needs
# PostgreSQL on 127.0.0.1:5432.
#
#   bench/run.sh            # both sizes (re-uses a database that is already filled)
#   FRESH=1 bench/run.sh    # drop and fill them again
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
pg=${PG:-postgres://postgres@127.0.0.1:5432}
out=var/bench
mkdir -p "$out"
export DEBUG=false SECRET_KEY=bench-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false LOG_LEVEL=WARNING
$py manage.py collectstatic --noinput -v0

fill() {  # name calls complaints found_items [more generate_load_data options]
  local db=$1 calls=$2 complaints=$3 items=$4
  shift 4
  if [ -n "${FRESH:-}" ] || ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    DATABASE_URL=$pg/$db $py manage.py migrate -v0
    DATABASE_URL=$pg/$db $py manage.py load_demo --force >/dev/null
    echo "== filling $db"
    DATABASE_URL=$pg/$db $py -m bench.generate_load_data --employees 200 --months 17 \
      --calls "$calls" --complaints "$complaints" --found-items "$items" "$@"
  else
    DATABASE_URL=$pg/$db $py manage.py migrate -v0
  fi
}

fill bench_10k 10000 300 50 --days 5
fill bench_1m 1000000 30000 5000
echo "== pages on bench_10k and bench_1m, interleaved (${ROUNDS:-5} rounds)"
rounds=${ROUNDS:-5}
$py bench/interleave.py --run 10k=.@$pg/bench_10k --run 1m=.@$pg/bench_1m --rounds "$rounds" \
  --repeat $(( (${REPEAT:-30} + rounds - 1) / rounds )) --out "$out"
echo "== 10,000 against 1,000,000 calls"
$py bench/compare.py "$out/pages-10k.json" "$out/pages-1m.json" || true
echo "== monthly workbook (its own database: it fills whole months of 10,000 and 100,000 calls)"
fill bench_workbook 0 0 0
DATABASE_URL=$pg/bench_workbook $py bench/workbook.py
echo "== the workbook against bare openpyxl writing the same cells (interleaved pairs)"
DATABASE_URL=$pg/bench_workbook $py bench/workbook_bare.py --months 2001-01 2001-02 --pairs "${PAIRS:-5}"
