"""Candidates: one per e-mail, résumés checked by content and served to those allowed, the
timeline, and erasure on request."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from candidates.models import Activity, Candidate, Interview, Loop
from tests.factories import CandidateFactory, make_job, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def recruiter(org):
    return member(org, Role.RECRUITER, email="rita@alpha.test", full_name="Rita Recruiter")


def test_a_recruiter_adds_a_candidate_straight_into_a_job(client, org, recruiter):
    job = make_job(org, title="Data Engineer")
    client.force_login(recruiter)
    response = client.post(
        f"/o/{org.slug}/candidates/new/",
        {
            "name": "Nina Novak",
            "email": "Nina@Example.com ",
            "phone": "+49 30 1234",
            "links": "https://github.com/nina\nhttps://nina.dev",
            "source": "Referral",
            "job": job.pk,
            "resume": SimpleUploadedFile("Nina CV.pdf", PDF, "application/pdf"),
        },
    )
    candidate = Candidate.objects.get(organization=org)
    loop = Loop.objects.get(candidate=candidate)
    assert response.url == f"/o/{org.slug}/loops/{loop.pk}/"
    assert candidate.email == "nina@example.com"
    assert loop.guide_version == job.guide_version
    page = client.get(f"/o/{org.slug}/candidates/{candidate.pk}/").text
    assert "Nina CV.pdf" in page and "https://nina.dev" in page
    assert "Candidate added" in page and "Added to Data Engineer" in page
    assert "Rita Recruiter" in page  # who did it
    resume = client.get(f"/o/{org.slug}/candidates/{candidate.pk}/resume/")
    assert b"".join(resume.streaming_content) == PDF
    assert resume["Content-Type"] == "application/pdf"


def test_a_second_candidate_with_the_same_email_is_offered_the_existing_one(client, org, recruiter):
    existing = CandidateFactory(organization=org, name="Nina Novak", email="nina@example.com")
    job = make_job(org, title="Data Engineer")
    client.force_login(recruiter)
    response = client.post(
        f"/o/{org.slug}/candidates/new/",
        {
            "name": "N. Novak",
            "email": "NINA@example.com",
            "notes": "Met at a meetup",
            "job": job.pk,
        },
    )
    assert response.status_code == 400
    assert "A candidate with this e-mail address already exists." in response.text
    assert "Nina Novak</strong> already has the e-mail address nina@example.com" in response.text
    assert f"/o/{org.slug}/candidates/{existing.pk}/" in response.text
    assert "Add Nina Novak to “Data Engineer”" in response.text
    assert "Met at a meetup" in response.text  # nothing typed is lost
    assert Candidate.objects.count() == 1
    # the offered button puts the existing candidate in the job
    client.post(f"/o/{org.slug}/candidates/{existing.pk}/loops/new/", {"job": job.pk})
    assert Loop.objects.filter(candidate=existing, job=job).exists()


def test_the_same_email_in_another_organization_is_another_candidate(
    client, org, other_org, recruiter
):
    CandidateFactory(organization=other_org, email="nina@example.com")
    client.force_login(recruiter)
    response = client.post(
        f"/o/{org.slug}/candidates/new/", {"name": "Nina", "email": "nina@example.com"}
    )
    assert response.status_code == 302
    assert "already" not in client.get(response.url).text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00 this is an executable", "not a PDF or Word"),
        ("cv.pdf", b"<html><script>alert(1)</script>", "not a PDF or Word"),
        ("cv.docx", b"PK\x03\x04 not really a zip", "not a PDF or Word"),
        ("cv.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "a résumé can be at most 10 MB"),
    ],
)
def test_a_fake_or_oversized_resume_is_refused(client, org, recruiter, name, content, message):
    client.force_login(recruiter)
    response = client.post(
        f"/o/{org.slug}/candidates/new/",
        {
            "name": "Nina",
            "email": "nina@example.com",
            "resume": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Nina"' in response.text
    assert not Candidate.objects.exists()


def test_a_word_resume_is_accepted_and_downloaded_as_an_attachment(client, org, recruiter):
    client.force_login(recruiter)
    client.post(
        f"/o/{org.slug}/candidates/new/",
        {
            "name": "Nina",
            "email": "nina@example.com",
            "resume": SimpleUploadedFile("CV.docx", docx()),
        },
    )
    candidate = Candidate.objects.get()
    assert candidate.resume_name == "CV.docx"
    response = client.get(f"/o/{org.slug}/candidates/{candidate.pk}/resume/")
    assert response["Content-Disposition"].startswith("attachment")


def test_the_resume_is_served_only_to_members_allowed_to_see_the_candidate(
    client, org, recruiter, bob
):
    loop = make_loop(org)
    candidate = loop.candidate
    candidate.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF))
    url = f"/o/{org.slug}/candidates/{candidate.pk}/resume/"
    client.force_login(bob)
    assert client.get(url).status_code == 404  # not his interview
    interview = schedule(loop, interviewers=[bob])
    assert client.get(url).status_code == 200  # now he interviews them
    from candidates import scheduling

    scheduling.cancel(interview=interview, user=None)
    assert client.get(url).status_code == 404
    manager = member(org, Role.HIRING_MANAGER)
    client.force_login(manager)
    assert client.get(url).status_code == 404  # not a job of theirs
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_hiring_manager_sees_the_candidates_of_their_jobs(client, org):
    manager = member(org, Role.HIRING_MANAGER)
    mine = make_loop(org, job=make_job(org, hiring_manager=manager)).candidate
    other = make_loop(org).candidate
    client.force_login(manager)
    listing = client.get(f"/o/{org.slug}/candidates/").text
    assert mine.name in listing and other.name not in listing
    assert client.get(f"/o/{org.slug}/candidates/{other.pk}/").status_code == 404


def test_the_candidate_list_searches_and_pages(client, org, recruiter):
    for n in range(55):
        CandidateFactory(organization=org, name=f"Person {n:02d}", source="Job board")
    CandidateFactory(organization=org, name="Zelda Quill", email="zelda@quill.example")
    client.force_login(recruiter)
    newest = client.get(f"/o/{org.slug}/candidates/").text
    assert "Page 1 of 2 · 56 candidates" in newest
    assert newest.index("Zelda Quill") < newest.index("Person 54")
    by_name = client.get(f"/o/{org.slug}/candidates/", {"order": "name"}).text
    assert "Person 00" in by_name and "Zelda Quill" not in by_name
    assert "order=name&amp;page=2" in by_name
    found = client.get(f"/o/{org.slug}/candidates/", {"q": "quill.example"}).text
    assert "Zelda Quill" in found and "Person 01" not in found
    none = client.get(f"/o/{org.slug}/candidates/", {"q": "nobody"}).text
    assert "No candidate matches" in none


def test_erasure_removes_personal_data_and_keeps_the_scores(
    client, org, alice, bob, django_capture_on_commit_callbacks
):
    loop = make_loop(org)
    candidate = loop.candidate
    Candidate.objects.filter(pk=candidate.pk).update(
        phone="+1 555", links="https://nina.dev", notes="Knows Rust"
    )
    candidate.resume.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF))
    stored = candidate.resume.name
    Loop.objects.filter(pk=loop.pk).update(status="rejected", rejection_reason="Nina lacked depth")
    card = submit(schedule(loop, interviewers=[bob]).scorecards.get(), summary="Nina was great")
    other_loop = make_loop(org, candidate=candidate)
    upcoming = schedule(other_loop, interviewers=[bob])
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/o/{org.slug}/candidates/{candidate.pk}/erase/", {"confirm": "erase"}, follow=True
        )
    candidate.refresh_from_db()
    card.refresh_from_db()
    assert candidate.name == f"Erased candidate #{candidate.pk}"
    assert (candidate.email, candidate.phone, candidate.links, candidate.notes) == ("", "", "", "")
    assert not candidate.resume and not candidate.resume.storage.exists(stored)
    assert not Interview.objects.filter(loop=loop).exclude(video_link="").exists()
    assert Loop.objects.get(pk=loop.pk).rejection_reason == ""
    assert card.summary == "" and card.recommendation == 3
    assert list(card.ratings.values_list("score", "note").distinct()) == [(3, "")]
    other_loop.refresh_from_db()
    upcoming.refresh_from_db()
    assert other_loop.status == "withdrawn" and upcoming.status == "cancelled"
    assert upcoming.scorecards.get().archived_at is not None
    entry = Activity.objects.filter(candidate=candidate).first()
    assert entry.actor == alice and "erased" in entry.text
    assert "Personal data erased" in response.text and "Alice Admin" in response.text
    assert "Nina" not in response.text.replace(f"Erased candidate #{candidate.pk}", "")


def test_erasure_needs_confirmation_and_the_right_role(client, org, alice):
    candidate = CandidateFactory(organization=org, name="Nina Novak")
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/candidates/{candidate.pk}/erase/")
    assert response.status_code == 400
    assert "Tick the box" in response.text
    manager = member(org, Role.HIRING_MANAGER)
    client.force_login(manager)
    response = client.post(f"/o/{org.slug}/candidates/{candidate.pk}/erase/", {"confirm": "erase"})
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.name == "Nina Novak"


def test_candidate_text_is_escaped(client, org, alice):
    script = "<script>alert('x')</script>"
    loop = make_loop(org, candidate=CandidateFactory(organization=org, name=script, notes=script))
    client.force_login(alice)
    for url in (
        f"/o/{org.slug}/candidates/",
        f"/o/{org.slug}/candidates/{loop.candidate.pk}/",
        f"/o/{org.slug}/loops/{loop.pk}/",
        f"/o/{org.slug}/jobs/{loop.job.pk}/",
    ):
        text = client.get(url).text
        assert "<script>alert" not in text and "&lt;script&gt;" in text, url


def test_editing_a_candidate_replaces_the_resume_and_notes_what_changed(
    client, org, alice, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(organization=org, name="Nina Novak", email="nina@example.com")
    candidate.resume.save("old.pdf", SimpleUploadedFile("old.pdf", PDF))
    old = candidate.resume.name
    client.force_login(alice)
    form = client.get(f"/o/{org.slug}/candidates/{candidate.pk}/edit/").text
    assert f'href="/o/{org.slug}/candidates/{candidate.pk}/resume/">résumé</a>' in form
    assert "/media/" not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/o/{org.slug}/candidates/{candidate.pk}/edit/",
            {
                "name": "Nina Novak",
                "email": "nina@example.com",
                "phone": "+49 1",
                "resume": SimpleUploadedFile("New CV.docx", docx()),
            },
            follow=True,
        )
    candidate.refresh_from_db()
    assert candidate.resume_name == "New CV.docx"
    assert not candidate.resume.storage.exists(old)
    assert "Details changed: phone, résumé" in response.text


def test_a_candidate_cannot_join_a_job_of_another_organization(client, org, other_org, alice):
    candidate = CandidateFactory(organization=org)
    foreign = make_job(other_org)
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/candidates/{candidate.pk}/loops/new/", {"job": foreign.pk}, follow=True
    )
    assert "Choose an open job you may manage." in response.text
    assert not Loop.objects.exists()


def test_a_hiring_manager_is_not_told_whose_email_it_is(client, org):
    CandidateFactory(organization=org, name="Secret Person", email="secret@example.com")
    manager = member(org, Role.HIRING_MANAGER)
    client.force_login(manager)
    response = client.post(
        f"/o/{org.slug}/candidates/new/", {"name": "S. Person", "email": "secret@example.com"}
    )
    assert response.status_code == 400
    assert "A candidate with this e-mail address already exists." in response.text
    assert "Secret Person" not in response.text


def test_a_hiring_manager_reads_only_their_jobs_in_a_candidates_timeline(client, org):
    manager = member(org, Role.HIRING_MANAGER)
    candidate = CandidateFactory(organization=org)
    make_loop(org, job=make_job(org, title="Mine", hiring_manager=manager), candidate=candidate)
    make_loop(org, job=make_job(org, title="Other team's"), candidate=candidate)
    client.force_login(manager)
    page = client.get(f"/o/{org.slug}/candidates/{candidate.pk}/").text
    assert "Added to Mine" in page and "Other team" not in page
    listing = client.get(f"/o/{org.slug}/candidates/").text
    row = listing.split(candidate.name)[1].split("</tr>")[0]
    assert "Mine" in row and "Other team" not in row


def test_links_are_web_addresses_one_per_line(client, org, alice):
    client.force_login(alice)
    url = f"/o/{org.slug}/candidates/new/"
    data = {"name": "Nina", "email": "nina@example.com", "links": "github.com/nina\n\nnot a url"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Line 3 is not a web address" in response.text
    client.post(url, data | {"links": "github.com/nina\nhttps://nina.dev "})
    assert Candidate.objects.get().links == "https://github.com/nina\nhttps://nina.dev"


def test_an_erased_candidates_loop_stays_closed(client, org, alice):
    loop = make_loop(org)
    client.force_login(alice)
    client.post(f"/o/{org.slug}/candidates/{loop.candidate.pk}/erase/", {"confirm": "erase"})
    response = client.post(f"/o/{org.slug}/loops/{loop.pk}/status/", {"status": "active"})
    assert response.status_code == 400
    assert "This candidate&#x27;s data was erased: their loops stay closed." in response.text
    loop.refresh_from_db()
    assert loop.status == "withdrawn"
