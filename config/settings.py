"""Settings for every way Rubric runs, read from the environment.

The defaults are production's: DEBUG off, HTTPS on, PostgreSQL and Redis on
localhost. The demo (`make demo`) and the tests set what they need.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# A key for local use only: without DEBUG the environment must provide one.
SECRET_KEY = env.str("SECRET_KEY") if not DEBUG else env.str("SECRET_KEY", default="dev-only-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]
# Where Rubric is reached, for links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "anymail",
    "accounts",
    "guides",
    "candidates",
    "scorecards",
    "debriefs",
    "references",
    "exercises",
    "api",
    "ninja",
    "insights",
    "workspace",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.OrganizationMiddleware",
    "accounts.middleware.method_not_allowed_page",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.organizations",
                "accounts.context_processors.capabilities",
            ],
        },
    },
]
# Labels without Django's trailing colon, in every form.
FORM_RENDERER = "config.forms.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/rubric"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's SQLite, written by the web server and the Celery worker at once. Transactions
    # take the write lock when they begin (so `select_for_update`'s read-then-write cannot
    # deadlock), readers never wait for the writer (WAL), and a writer waits its turn (timeout,
    # in seconds) instead of answering "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # A form's choices read through a server-side cursor cost a DECLARE and a round trip more
    # than reading them: no page reads more rows than it shows (and a connection pooler in
    # transaction mode, as a managed PostgreSQL often has, needs them off anyway).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {"default": env.cache_url("CACHE_URL", default=REDIS_URL)}
# Sessions are read from the cache (Redis) and kept in the database, so any web process
# can serve any request and a flushed cache logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
INVITATION_MAX_AGE = timedelta(days=7)

# Login throttling: five failures for one e-mail from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field name, which holds the e-mail
AXES_USERNAME_CALLABLE = "accounts.access.login_username"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {
        "BACKEND": env.str("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# For an S3-compatible store set STORAGE_BACKEND=storages.backends.s3.S3Storage and these.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None

# E-mail: console in the demo, SMTP (EMAIL_URL=smtp://…) or a provider through django-anymail
# (EMAIL_BACKEND=anymail.backends.mailgun.EmailBackend and ANYMAIL={...}) in production.
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
_email_backend = env.str("EMAIL_BACKEND", default="") or _email["EMAIL_BACKEND"]
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": _email.get("EMAIL_HOST") or "localhost",
            "port": _email.get("EMAIL_PORT") or 25,
            "username": _email.get("EMAIL_HOST_USER", ""),
            "password": _email.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": _email.get("EMAIL_USE_TLS", False),
            "use_ssl": _email.get("EMAIL_USE_SSL", False),
            "timeout": 10,
        }
        if _email_backend == "django.core.mail.backends.smtp.EmailBackend"
        else {},
    }
}
ANYMAIL = env.json("ANYMAIL", default={})
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rubric <rubric@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The demo's broker, which needs no server: messages are files in a folder (kombu's
    # filesystem transport) that the web server, the worker and beat share.
    _broker_folder = Path(env.str("CELERY_BROKER_FOLDER"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder / "messages"),
        "data_folder_out": str(_broker_folder / "messages"),
        "control_folder": str(_broker_folder / "control"),
    }
# Empty for none: the tasks keep no results (below), so the demo needs no backend.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL) or None
CELERY_TASK_IGNORE_RESULT = True  # tasks tell how they went on their rows (a Packet, say)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# The e-mails about interviews, every 15 minutes or as often as BEAT_MINUTES says (the demo: every
# minute). Each may run twice at once harmlessly; a run that waited in the queue past the next one
# is dropped.
_beat = timedelta(minutes=env.int("BEAT_MINUTES", default=15))
CELERY_BEAT_SCHEDULE = {
    name.rpartition(".")[2]: {
        "task": name,
        "schedule": _beat,
        "options": {"expires": _beat.total_seconds() * 0.9},
    }
    for name in (
        "scorecards.tasks.send_feedback_reminders",
        "scorecards.tasks.send_kit_emails",
        "scorecards.tasks.send_feedback_in_emails",
        "exercises.tasks.send_exercise_emails",
        "exercises.tasks.send_confirmations",
    )
}
# Transient failures of a packet (storage, database) are retried this many times, after 10 s,
# 20 s, 40 s… by default.
PACKET_RETRIES = env.int("PACKET_RETRIES", default=3)
PACKET_RETRY_SECONDS = env.int("PACKET_RETRY_SECONDS", default=10)
# A broker that is down is told to the user within a second or two, not after a long wait.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# The API: requests a minute per key, above which it answers 429 with Retry-After.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=600)
# Webhooks go to public https addresses only (plain http in the demo); each attempt waits this
# long for an answer; a failed one is tried again after each of these waits (about a day).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=False)
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=5)
WEBHOOK_RETRY_SECONDS = env.list(
    "WEBHOOK_RETRY_SECONDS", cast=int, default=[5, 300, 1800, 7200, 18000, 36000, 36000]
)

# HTTPS: on unless DEBUG; a demo on http sets HTTPS=false.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a proxy (BEHIND_PROXY=true) the client's address and scheme come from the headers it
# sets; otherwise those headers are the client's own words and ignored.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
AXES_CLIENT_IP_CALLABLE = "accounts.access.client_ip"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools tell of every page and glyph at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
