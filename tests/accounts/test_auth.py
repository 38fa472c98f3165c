import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD
from tests.html import visible_text

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra})


def test_it_logs_in_with_email_and_lands_in_the_only_organization(client, alice, org):
    response = log_in(client, "alice@alpha.test", PASSWORD, follow=False)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == f"/o/{org.slug}/"
    assert "Alice Admin" in response.text
    assert "admin in Alpha" in visible_text(response)


def test_the_email_is_not_case_sensitive(client, alice):
    response = log_in(client, "Alice@ALPHA.test", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_says_so_and_keeps_the_email(client, alice):
    response = log_in(client, "alice@alpha.test", "wrong")
    assert response.status_code == 400
    assert "Please enter a correct e-mail address and password" in response.text
    assert 'value="alice@alpha.test"' in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("email", "password", "empty"),
    [("", PASSWORD, "username"), ("alice@alpha.test", "", "password"), ("", "", "both")],
)
def test_an_empty_email_or_password_says_so_beside_the_field(client, alice, email, password, empty):
    response = log_in(client, email, password)
    assert response.status_code == 400
    missing = ["username", "password"] if empty == "both" else [empty]
    for field in missing:
        assert f'id="id_{field}_error"' in response.text
        assert f'aria-describedby="id_{field}_error"' in response.text
    assert visible_text(response).count("This field is required.") == len(missing)
    assert "_auth_user_id" not in client.session


def test_a_malformed_reset_request_answers_400_and_says_why(client, alice):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in visible_text(response)
    assert mail.outbox == []


def test_a_new_password_that_does_not_match_answers_400(client, alice):
    client.post(reverse("password_reset"), {"email": "alice@alpha.test"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form, {"new_password1": "a new and long secret", "new_password2": "another long one"}
    )
    assert response.status_code == 400
    assert "didn’t match" in visible_text(response)


def test_a_wrong_old_password_in_the_change_form_answers_400(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a new and long secret",
            "new_password2": "a new and long secret",
        },
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in visible_text(response)


def test_the_login_goes_back_to_where_the_user_was_going(client, alice, org):
    response = client.get(f"/o/{org.slug}/members/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/o/{org.slug}/members/"
    response = log_in(client, "alice@alpha.test", PASSWORD, next=f"/o/{org.slug}/members/")
    assert response.url == f"/o/{org.slug}/members/"


def test_someone_in_several_organizations_picks_one_after_login(client, alice, org, other_org):
    from tests.factories import MembershipFactory

    MembershipFactory(user=alice, organization=other_org)
    log_in(client, "alice@alpha.test", PASSWORD)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/orgs/"
    assert "Choose an organization" in response.text
    assert f'href="/o/{org.slug}/"' in response.text
    assert f'href="/o/{other_org.slug}/"' in response.text


def test_a_user_without_organization_is_told_how_to_get_in(client, db):
    from tests.factories import UserFactory

    UserFactory(email="loner@example.test")
    log_in(client, "loner@example.test", PASSWORD)
    response = client.get("/", follow=True)
    assert "You are not in an organization yet" in response.text


def test_logout_ends_the_session(client, alice, org):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(f"/o/{org.slug}/").status_code == 302


def test_logout_by_get_is_refused_without_logging_out(client, alice, org):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(f"/o/{org.slug}/").status_code == 200


def test_a_forgotten_password_is_reset_by_email(client, alice):
    response = client.post(reverse("password_reset"), {"email": "ALICE@alpha.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@alpha.test"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a new and long secret", "new_password2": "a new and long secret"},
    )
    assert response.status_code == 302
    assert log_in(client, "alice@alpha.test", PASSWORD).status_code == 400
    assert log_in(client, "alice@alpha.test", "a new and long secret").status_code == 302


def test_a_reset_link_works_once(client, alice):
    client.post(reverse("password_reset"), {"email": "alice@alpha.test"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a new and long secret", "new_password2": "a new and long secret"},
    )
    again = client.get(link, follow=True)
    assert "This link does not work any more" in again.text


def test_a_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_repeated_failures_lock_the_login_even_for_the_right_password(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@alpha.test", "guess")
    response = log_in(client, "alice@alpha.test", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@alpha.test", "guess")
    assert log_in(client, "alice@alpha.test", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert log_in(client, "alice@alpha.test", PASSWORD).status_code == 302


def test_failures_for_one_account_do_not_lock_another(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@alpha.test", "guess")
    assert log_in(client, "bob@alpha.test", PASSWORD).status_code == 302


def test_changing_the_case_of_the_email_does_not_dodge_the_lock(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@alpha.test" if n % 2 else "ALICE@alpha.test", "guess")
    assert log_in(client, "Alice@Alpha.test", PASSWORD).status_code == 429


def test_an_overlong_login_name_is_refused_without_error(client, db):
    # Rubric's login answers a refused form with 400; Django's admin keeps its own 200.
    for path, status in ((LOGIN, 400), ("/admin/login/", 200)):
        response = client.post(path, {"username": "x" * 300 + "@example.test", "password": "x"})
        assert response.status_code == status, path


def test_a_lookalike_address_neither_logs_in_nor_dodges_the_lock(client, alice, settings):
    lookalike = "al\u0131ce@alpha.test"  # a dotless ı, which PostgreSQL's UPPER() makes "I"
    assert log_in(client, lookalike, PASSWORD).status_code == 400
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice@alpha.test", "guess")
    assert log_in(client, lookalike, PASSWORD).status_code in (400, 429)
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_sent_to_the_login_page_goes_home(client, alice, org):
    client.force_login(alice)
    response = client.get(f"{LOGIN}?next={LOGIN}")
    assert response.status_code == 302
    assert response.url == "/"


def test_forwarded_addresses_are_ignored_unless_behind_a_proxy(client, alice, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "alice@alpha.test", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "alice@alpha.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429


def log_in_from(client, forwarded_for, password):
    return client.post(
        LOGIN,
        {"username": "alice@alpha.test", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_the_client_cannot_choose_its_address(client, alice, settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    # The proxy appends what it saw (198.51.100.7); the left part is the client's own words.
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in_from(client, f"203.0.113.{n}, 198.51.100.7", "guess")
    assert log_in_from(client, "203.0.113.99, 198.51.100.7", PASSWORD).status_code == 429


def test_behind_a_proxy_one_client_cannot_lock_out_another(client, alice, settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_from(client, "198.51.100.7", "guess")
    assert log_in_from(client, "192.0.2.10", PASSWORD).status_code == 302
