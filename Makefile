# csmgmt — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo messages clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py serve 127.0.0.1:8000

# One test process per core (pytest-xdist; each has its own test database); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Developers: re-extract strings, fill Chinese from locale_src/zh_Hans/*.json, compile (commit all).
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete --no-location
	$(PY) manage.py i18n_fill
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf var db.sqlite3
