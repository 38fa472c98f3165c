# The README's two commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# The demo: SQLite, a Celery worker and beat on a broker of files, e-mail on the console. Nothing
# else to install. It runs as production does (DEBUG off, static files through WhiteNoise, the
# background work in a worker), only on plain HTTP; beat runs the e-mail tasks every minute.
DEMO_DIR ?= $(CURDIR)/.demo
DEMO := $(abspath $(DEMO_DIR))
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings \
	DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost \
	SECRET_KEY=$$(cat $(DEMO)/secret_key) \
	DATABASE_URL=sqlite:///$(DEMO)/rubric.sqlite3 \
	CACHE_URL=locmemcache:// \
	CELERY_BROKER_URL=filesystem://localhost/ \
	CELERY_BROKER_FOLDER=$(DEMO)/broker \
	CELERY_RESULT_BACKEND= \
	BEAT_MINUTES=1 \
	WEBHOOK_ALLOW_HTTP=true \
	EMAIL_URL=consolemail:// \
	MEDIA_ROOT=$(DEMO)/media \
	SITE_URL=http://127.0.0.1:$(PORT) \
	DEMO_DIR=$(DEMO)

.PHONY: install demo test lint e2e bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: install staticfiles/staticfiles.json
	@mkdir -p $(DEMO)/broker/messages
	@test -s $(DEMO)/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $(DEMO)/secret_key
	@$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput -v0
	@# Seeding runs its tasks in-process: its months of history would otherwise queue some 150
	@# (mostly nothing to send) ahead of the first packet a visitor exports.
	@$(DEMO_ENV) CELERY_TASK_ALWAYS_EAGER=true $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Rubric is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it, its worker and beat)"
	@echo "Every demo password is: rubric-demo"
	@echo "  Acme:   admin@acme.test (admin), hm@acme.test (hiring manager), recruiter@acme.test (recruiter),"
	@echo "          ada@acme.test, grace@acme.test, linus@acme.test (interviewers)"
	@echo "  Globex: admin@globex.test (admin), hm@globex.test (hiring manager)"
	@echo "Try Jobs > Backend Developer as recruiter@acme.test, and My interviews as grace@acme.test (her overdue scorecard)."
	@echo ""
	@# honcho runs web, worker and beat (demo/Procfile) and stops them all together. It reads no
	@# .env: that file is docker compose's.
	@$(DEMO_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --env /dev/null \
		--procfile demo/Procfile start --port $(PORT)

# Collected (and compressed, which takes minutes) again only when a static file or a package
# changed.
staticfiles/staticfiles.json: $(shell find static -type f) $(VENV)/.installed
	@DJANGO_SETTINGS_MODULE=config.settings DEBUG=false SECRET_KEY=collectstatic-only $(BIN)/python manage.py collectstatic --noinput -v0

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pytest keeps the test modules and its plugins' modules, assertions rewritten, as .pyc files:
# where PYTHONDONTWRITEBYTECODE is set, each test process would rewrite some 500 modules again
# (about 10 s of CPU each). An empty value turns the setting off.
TEST_ENV := PYTHONDONTWRITEBYTECODE=

# Everything on PostgreSQL, then the tests marked `sqlite` (races, ids) on the demo's SQLite.
test: lint
	$(TEST_ENV) $(BIN)/pytest
	$(TEST_ENV) $(BIN)/pytest --ds config.test_settings_sqlite -m sqlite

e2e: install
	$(TEST_ENV) $(BIN)/pytest tests/e2e

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf .demo staticfiles
