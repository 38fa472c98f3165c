"""The header's search: it finds candidates, jobs, guides and loops by name, e-mail or title,
only what the viewer may open (rules 1 and 2, the roles table), never an erased candidate."""

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from candidates import erasure
from tests.factories import CandidateFactory, make_guide, make_job, make_loop, member, schedule
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def _search(client, org, query, *, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(f"/o/{org.slug}/search/", {"q": query}, headers=headers)


def _candidate(org, name, email=None):
    with scopes_disabled():
        return CandidateFactory(organization=org, name=name, **({"email": email} if email else {}))


def test_an_admin_finds_each_kind_by_part_of_its_name_grouped_and_linked(client, org, alice):
    job = make_job(org, title="Backend Developer")
    loop = make_loop(org, job=job, candidate=_candidate(org, "Ada Lovelace"))
    guide = make_guide(org, title="Backend Developer Guide")
    client.force_login(alice)

    page = _search(client, org, "backend")
    text = visible_text(page)
    assert page.status_code == 200
    assert "Jobs Backend Developer" in text
    assert "Guides Backend Developer Guide" in text
    assert "Loops Ada Lovelace for Backend Developer" in text
    assert f'href="/o/{org.slug}/jobs/{job.pk}/"' in page.text
    assert f'href="/o/{org.slug}/guides/{guide.guide_id}/"' in page.text
    assert f'href="/o/{org.slug}/loops/{loop.pk}/"' in page.text

    page = _search(client, org, "lovel")
    assert "Candidates Ada Lovelace" in visible_text(page)
    assert f'href="/o/{org.slug}/candidates/{loop.candidate_id}/"' in page.text


def test_a_candidate_is_found_by_e_mail_case_aside(client, org, alice):
    _candidate(org, "Grace Hopper", email="grace@navy.example")
    client.force_login(alice)
    assert "Grace Hopper" in visible_text(_search(client, org, "GRACE@NAVY"))


def test_words_in_any_order_and_a_near_spelling_find_on_postgresql(client, org, alice):
    job = make_job(org, title="Backend Developer")
    make_loop(org, job=job, candidate=_candidate(org, "Ada Lovelace"))
    client.force_login(alice)
    assert "Ada Lovelace for Backend Developer" in visible_text(_search(client, org, "ada backend"))
    assert "Ada Lovelace" in visible_text(_search(client, org, "Lovelase"))


def test_as_one_types_the_suggestions_are_an_accessible_listbox(client, org, alice):
    _candidate(org, "Ada Lovelace")
    client.force_login(alice)
    part = _search(client, org, "ada", htmx=True)
    assert part.status_code == 200
    assert "<html" not in part.text
    assert 'role="listbox"' in part.text and 'role="option"' in part.text
    assert "Ada Lovelace" in part.text
    assert "All results for “ada”" in visible_text(part)
    assert part["Vary"].count("HX-Request") == 1


def test_nothing_found_says_so(client, org, alice):
    client.force_login(alice)
    assert "Nothing found for “zebra”" in visible_text(_search(client, org, "zebra"))
    assert "Nothing found for “zebra”" in visible_text(_search(client, org, "zebra", htmx=True))


def test_an_empty_query_asks_for_one_and_a_long_one_is_refused_plainly(client, org, alice):
    client.force_login(alice)
    empty = _search(client, org, "   ")
    assert empty.status_code == 200
    assert "Type a candidate's name or e-mail" in visible_text(empty)
    assert _search(client, org, "", htmx=True).text.strip() == ""

    for htmx in (False, True):
        long = _search(client, org, "a" * 101, htmx=htmx)
        assert long.status_code == 400
        assert "Search for at most 100 characters" in visible_text(long)
    assert _search(client, org, "nul\x00byte").status_code == 200


def test_an_interviewer_finds_only_the_candidates_and_loops_of_their_interviews(client, org, bob):
    job = make_job(org, title="Backend Developer")
    mine = make_loop(org, job=job, candidate=_candidate(org, "Ada Mine"))
    theirs = make_loop(org, job=job, candidate=_candidate(org, "Ada Theirs"))
    interview = schedule(mine, interviewers=[bob])
    schedule(theirs, interviewers=[member(org)])
    make_guide(org, title="Ada Guide")
    client.force_login(bob)

    page = _search(client, org, "ada")
    text = visible_text(page)
    assert "Ada Mine" in text
    assert "Ada Theirs" not in text
    assert "Ada Guide" not in text  # interviewers do not build guides
    # The candidate opens in the kit, the loop in its debrief: the pages an interviewer has.
    assert f'href="/o/{org.slug}/interviews/{interview.pk}/"' in page.text
    assert f'href="/o/{org.slug}/loops/{mine.pk}/debrief/"' in page.text
    assert f"/candidates/{mine.candidate_id}/" not in page.text
    # Nor jobs, whose pages are not theirs.
    assert "Jobs" not in visible_text(_search(client, org, "backend"))


def test_a_hiring_manager_finds_her_own_jobs_candidates_only(client, org):
    manager = member(org, Role.HIRING_MANAGER)
    own = make_job(org, title="Analyst North", hiring_manager=manager)
    other = make_job(org, title="Analyst South")
    make_loop(org, job=own, candidate=_candidate(org, "Nell Own"))
    make_loop(org, job=other, candidate=_candidate(org, "Nell Other"))
    client.force_login(manager)
    text = visible_text(_search(client, org, "analyst"))
    assert "Analyst North" in text and "Analyst South" not in text
    text = visible_text(_search(client, org, "nell"))
    assert "Nell Own" in text and "Nell Other" not in text


def test_an_erased_candidate_is_never_found(client, org, alice):
    loop = make_loop(org, candidate=_candidate(org, "Erin Erased", email="erin@example.test"))
    with scopes_disabled():
        erasure.erase_candidate(candidate=loop.candidate, user=alice)
    client.force_login(alice)
    for query in ("Erin", "erin@example", "Erased candidate"):
        assert "Nothing found" in visible_text(_search(client, org, query))
    text = visible_text(_search(client, org, "Data Engineer"))  # the job is found, not the loop
    assert "Data Engineer" in text and "Erased candidate" not in text


def test_the_header_of_every_organization_page_has_the_search_box(client, org, alice):
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/")
    assert 'role="combobox"' in page.text
    assert f'action="/o/{org.slug}/search/"' in page.text
    assert 'aria-keyshortcuts="/"' in page.text
