"""The demo runs on SQLite: every page each role opens answers there as on PostgreSQL, never a
5xx. Pages come from the sweeps' machinery over the demo's data, as in the browser's every-page
check (tests/e2e/test_every_page.py), which runs on PostgreSQL; this one runs only in `make
test`'s second pass, on SQLite, where a query PostgreSQL accepts can fail (an ordered
aggregate, say)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Organization, User
from tests.e2e.test_every_page import demo_pages, sweep_pages

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

PEOPLE = ["admin@acme.test", "hm@acme.test", "recruiter@acme.test", "grace@acme.test"]


def test_every_page_of_the_demo_answers_each_role_on_sqlite(client):
    if connection.vendor != "sqlite":
        pytest.skip("the browser's every-page check covers PostgreSQL")
    call_command("seed_demo", stdout=io.StringIO())
    acme = Organization.objects.get(slug="acme")
    urls = list(dict.fromkeys(sweep_pages(acme) + demo_pages(acme)))
    client.raise_request_exception = False  # all the failures, not the first one
    failed, opened = [], 0
    for email in PEOPLE:
        client.force_login(User.objects.get(email=email))
        for url in urls:
            status = client.get(url).status_code
            opened += status == 200
            if status >= 500:
                failed.append(f"{email} {url}: {status}")
    assert not failed, "\n".join(failed)
    assert opened > len(urls), opened  # the logins worked: more than one role's worth opened
