import json
import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import Invitation, Membership, Organization, User
from tests.factories import seed_guide

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def manage(*args, **env):
    """Runs manage.py in a fresh process with only `env` (and PATH) in its environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rubric.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="rubric.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_settings_come_from_the_environment():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL, "
        "s.MAILERS['default']['BACKEND'], s.DEBUG, s.SECURE_SSL_REDIRECT]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "k" * 50,
            "DATABASE_URL": "postgres://u@db:5432/hiring",
            "REDIS_URL": "redis://cache:6379/3",
            "EMAIL_URL": "consolemail://",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "hiring",
        "redis://cache:6379/3",
        "django.core.mail.backends.console.EmailBackend",
        False,
        True,
    ]


@pytest.mark.django_db
def test_the_demo_seed_can_run_twice(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert Organization.objects.filter(slug__in=["acme", "globex"]).count() == 2
    roles = dict(
        Membership.objects.filter(organization__slug="acme").values_list("user__email", "role")
    )
    assert roles == {
        "admin@acme.test": "admin",
        "hm@acme.test": "hiring_manager",
        "recruiter@acme.test": "recruiter",
        "ada@acme.test": "interviewer",
        "grace@acme.test": "interviewer",
        "linus@acme.test": "interviewer",
    }
    assert set(
        Membership.objects.filter(organization__slug="globex").values_list("user__email", flat=True)
    ) == {"admin@globex.test", "hm@globex.test"}
    assert User.objects.count() == 8
    assert Invitation.objects.count() == 1
    assert all(user.check_password("rubric-demo") for user in User.objects.all())

    from guides.models import GuideVersion

    published = GuideVersion.objects.filter(status="published")
    starters = {"Software Engineer", "Product Designer", "Customer Success Manager"}
    assert (
        set(published.filter(guide__organization__slug="globex").values_list("title", flat=True))
        == starters
    )
    acme = set(published.filter(guide__organization__slug="acme").values_list("title", flat=True))
    seed_guide()  # beside the project, the demo imports it into Acme
    assert acme == starters | {"Backend Developer"}
    assert GuideVersion.objects.count() == len(acme) + 3


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_a_demo_login_works(client):
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"username": "recruiter@acme.test", "password": "rubric-demo"}
    )
    assert response.status_code == 302
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/o/acme/"


@pytest.mark.django_db
def test_the_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
