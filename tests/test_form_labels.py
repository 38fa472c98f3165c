"""Every form labels its fields the same way: "Title", never Django's default "Title:"; and the
organization's settings are a page like the others, not a narrow card in the middle."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM_PAGES = [
    ("accounts:org-settings", True),
    ("accounts:members", True),
    ("candidates:job-new", True),
    ("candidates:candidate-new", True),
    ("guides:guide-new", True),
    ("password_change", False),
]


@pytest.mark.parametrize(("name", "in_organization"), FORM_PAGES)
def test_no_label_ends_with_a_colon(client, org, alice, name, in_organization):
    client.force_login(alice)
    page = client.get(reverse(name, args=[org.slug] if in_organization else [])).text
    labels = re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    assert labels
    assert [label for label in labels if label.strip().endswith(":")] == []


def test_the_login_form_has_no_colons_either(client):
    labels = re.findall(r"<label[^>]*>(.*?)</label>", client.get(reverse("login")).text, re.S)
    assert "E-mail address" in labels and not any(label.endswith(":") for label in labels)


def test_the_organization_settings_are_a_page_like_the_others(client, org, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:org-settings", args=[org.slug])).text
    assert '<main id="main" class="container">' in page
    assert '<main id="main" class="narrow">' not in page
