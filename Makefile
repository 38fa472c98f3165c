# The README's two commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# The demo: SQLite, Celery tasks in-process, e-mail on the console. Nothing else to install.
# It runs as production does (DEBUG off, static files through WhiteNoise), only on plain HTTP.
DEMO_ENV := DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=$$(cat .demo/secret_key) \
	DATABASE_URL=sqlite:///$(CURDIR)/.demo/rubric.sqlite3 \
	CACHE_URL=locmemcache:// \
	CELERY_TASK_ALWAYS_EAGER=true \
	WEBHOOK_ALLOW_HTTP=true \
	EMAIL_URL=consolemail:// \
	MEDIA_ROOT=$(CURDIR)/.demo/media \
	SITE_URL=http://127.0.0.1:$(PORT)

.PHONY: install demo test lint e2e bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	@mkdir -p .demo
	@test -s .demo/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .demo/secret_key
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	@$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Rubric is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@echo "Every demo password is: rubric-demo"
	@echo "  Acme:   admin@acme.test (admin), hm@acme.test (hiring manager), recruiter@acme.test (recruiter),"
	@echo "          ada@acme.test, grace@acme.test, linus@acme.test (interviewers)"
	@echo "  Globex: admin@globex.test (admin), hm@globex.test (hiring manager)"
	@echo "Try Jobs > Backend Developer as recruiter@acme.test, and My interviews as grace@acme.test (her overdue scorecard)."
	@echo ""
	@$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Everything on PostgreSQL, then the tests marked `sqlite` (races, ids) on the demo's SQLite.
test: lint
	$(BIN)/pytest
	$(BIN)/pytest --ds config.test_settings_sqlite -m sqlite

e2e: install
	$(BIN)/pytest tests/e2e

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf .demo staticfiles
