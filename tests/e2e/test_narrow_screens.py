"""At 390 px the header's menu wraps: an admin's every link stays on screen and the page does
not scroll sideways because of it."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, OrganizationFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admins_home_fits_a_phone_with_every_menu_link_on_screen(page, live_server, log_in):
    org = OrganizationFactory(name="Acme", slug="acme")
    member(org, Role.ADMIN, email="admin@acme.test", full_name="Avery Admin")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "admin@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Your day")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for name in ("Home", "Guides", "Jobs", "Candidates", "Members", "Settings", "Integrations"):
        box = (
            page.get_by_role("navigation", name="Organization")
            .get_by_role("link", name=name, exact=True)
            .bounding_box()
        )
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, name
