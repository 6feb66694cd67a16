#!/usr/bin/env bash
# A busy shift for 60 seconds: 50 agents logging calls and reading lists, 5 supervisors approving,
# against gunicorn (deploy/gunicorn.conf.py, DEBUG off) on loopback. Prints throughput, latency
# percentiles and errors per request; exits 1 if any request failed.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m bench/load.sh [users] [seconds]
#
# The database must hold the demo and the generated data (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the bench database}"
users=${1:-55}
seconds=${2:-60}
port=${LOAD_PORT:-8100}
py=.venv/bin/python
[ -x .venv/bin/locust ] || .venv/bin/pip install --quiet -r bench/requirements.txt

export DEBUG=false SECRET_KEY=${SECRET_KEY:-load-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false LOG_LEVEL=WARNING
export GUNICORN_BIND=127.0.0.1:$port
out=${LOAD_OUT:-var/load}
mkdir -p "$out"
$py manage.py collectstatic --noinput -v0

.venv/bin/gunicorn csmgmt.wsgi:application --config deploy/gunicorn.conf.py \
  --access-logfile "$out/access.log" --error-logfile "$out/error.log" &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; wait $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done

# Users log in as they are spawned; the locustfile resets the figures once all have logged in and stops
# $seconds later (-t is only a safety net).
LOAD_SECONDS=$seconds .venv/bin/locust -f bench/load/locustfile.py --headless -u "$users" -r "${RATE:-10}" \
  -t "$((seconds + 180))s" \
  --host "http://127.0.0.1:$port" --csv "$out/locust" --only-summary --loglevel WARNING >"$out/locust.txt" 2>&1 || true

$py bench/load/summary.py "$out"
