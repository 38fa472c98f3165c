"""What the tests change: fast hashing and plain HTTP. Everything else is real.

(Django's test runner itself swaps the mailers for the in-memory one.)
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SITE_URL = "http://testserver"
# Each test process (pytest-xdist runs two) has a cache of its own: rate limits and throttles
# count per process, as its database is its own.
CACHES["default"]["KEY_PREFIX"] = f"rubric-tests-{os.getpid()}"  # noqa: F405
# Uploaded files (résumés) go to a directory of the test run's own.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="rubric-media-"))  # noqa: F405
# Each test run has a Celery queue of its own on the real Redis, so that two runs on one machine
# (or a task left over from an interrupted run) never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"rubric-tests-{os.getpid()}"
PACKET_RETRY_SECONDS = 0
