"""On a phone the header's menus fold into one "Menu" button, and the keyboard alone works the
kit: every stop of the Tab key shows where the focus is, and Tab leaves the page at the end."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, OrganizationFactory, make_loop, member, schedule

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def test_an_admins_menus_fold_into_one_menu_on_a_phone(page, live_server, log_in):
    org = OrganizationFactory(name="Acme", slug="acme")
    member(org, Role.ADMIN, email="admin@acme.test", full_name="Avery Admin")
    page.set_viewport_size(PHONE)
    log_in(page, "admin@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Your day")).to_be_visible()
    nav = page.get_by_role("navigation", name="Organization")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    # The keyboard opens it; every link is then on screen, one under the other.
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in ("Home", "Guides", "Jobs", "Candidates", "Members", "Settings", "Integrations"):
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Escape closes it from inside and gives the focus back to the button.
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()

    # At a laptop's width there is no menu button: the links are in the header.
    page.set_viewport_size(LAPTOP)
    expect(menu).to_be_hidden()
    expect(nav.get_by_role("link", name="Members", exact=True)).to_be_visible()


# Where the focus is, and whether it shows: an outline or a ring on the element or on the label
# that draws it (the kit's score buttons are labels around hidden radio inputs), on screen and
# not covered by anything (such as the kit's sticky save status).
FOCUS = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawn = (e) => {
    const style = getComputedStyle(e);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none";
  };
  const holder = drawn(el) ? el : el.closest("label");
  const box = (holder || el).getBoundingClientRect();
  // The middle of the part of it that is on screen.
  const top = Math.max(box.top, 0), bottom = Math.min(box.bottom, innerHeight);
  const left = Math.max(box.left, 0), right = Math.min(box.right, innerWidth);
  const onTop = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
  return {
    name: (el.getAttribute("aria-label") || el.textContent || el.name || el.tagName).slice(0, 60),
    shown: Boolean(holder && drawn(holder)),
    onScreen: bottom > top && right > left,
    uncovered: Boolean(onTop && ((holder || el).contains(onTop) || onTop.contains(el))),
  };
}"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_tab_stop_of_the_kit_shows_its_focus_and_tab_leaves_the_page(
    page, live_server, log_in, viewport
):
    org = OrganizationFactory(name="Acme", slug="acme")
    ada = member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    interview = schedule(
        make_loop(org), interviewers=[ada], starts_at=timezone.now() - timedelta(hours=1)
    )
    page.set_viewport_size(viewport)
    log_in(page, "ada@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/interviews/{interview.pk}/")
    expect(page.get_by_role("button", name="Submit")).to_be_visible()

    stops = []
    for _ in range(400):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus is None:
            break  # past the last stop: the focus left the page, nothing held it
        stops.append(focus)
    else:
        pytest.fail(f"Tab never left the page: {stops[-5:]}")
    assert len(stops) > 20, stops  # the menu, the guide's folds, every score, every note
    assert [s for s in stops if not (s["shown"] and s["onScreen"] and s["uncovered"])] == []
