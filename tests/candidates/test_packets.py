"""The candidate packet: its PDF's contents, who may have one, and the Celery task that
renders it. Tests marked with `celery_worker` run the task in a real worker on Redis."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from candidates.models import Packet
from candidates.tasks import build_packet
from debriefs.models import Debrief, RecommendationChange
from references.models import ReferenceAnswer, ReferenceCheck
from scorecards.models import QuestionNote
from tests.factories import make_loop, member, reveal, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(org):
    return member(org, Role.RECRUITER, email="rita@alpha.test", full_name="Rita Recruiter")


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, email="ada@alpha.test", full_name="Ada Lovelace")


@pytest.fixture
def loop(org, bob, ada):
    """Bob and Ada interviewed yesterday and submitted; Ada's card has a question note."""
    loop = make_loop(org, candidate=None)
    loop.candidate.name = "Mira Okafor"
    loop.candidate.save()
    interview = schedule(loop, interviewers=[bob, ada], starts_at=timezone.now() - timedelta(1))
    bobs, adas = (
        interview.scorecards.get(interviewer=bob),
        interview.scorecards.get(interviewer=ada),
    )
    submit(bobs, recommendation=4, summary="Bob's summary: ship it.", score=3)
    submit(adas, recommendation=1, summary="Ada's summary: not yet.", score=1)
    QuestionNote.objects.create(
        scorecard=adas,
        question=interview.stage.questions.first(),
        text="Ada's note <script>alert('x')</script> & more",
    )
    return loop


def packet_url(loop):
    return f"/o/{loop.job.organization.slug}/loops/{loop.pk}/packet/"


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def outline_titles(pdf: bytes) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(PdfReader(io.BytesIO(pdf)).outline))


def export(client, loop, user) -> Packet:
    """Export as `user` and run the task here, as a worker would."""
    client.force_login(user)
    response = client.post(packet_url(loop), headers={"HX-Request": "true"})
    assert response.status_code == 200, response.content
    packet = Packet.objects.filter(loop=loop, requested_by=user).first()
    build_packet.apply(args=[packet.pk])
    packet.refresh_from_db()
    return packet


@pytest.mark.sqlite  # the demo's worker renders on SQLite
def test_the_packet_holds_the_scorecards_with_their_anchors_notes_and_summaries(
    client, loop, recruiter
):
    packet = export(client, loop, recruiter)
    assert packet.status == Packet.Status.READY, packet.error
    pdf = packet.file.read()
    text = pdf_text(pdf)
    criterion = loop.guide_version.stages.first().criteria.first()
    assert "Mira Okafor" in text
    assert loop.job.title in text
    assert " ".join(criterion.anchor(3).split()) in text  # Bob's score, in words
    assert " ".join(criterion.anchor(1).split()) in text  # Ada's
    assert "Bob's summary: ship it." in text
    assert "Clear examples." in text  # a criterion's note
    # User text is printed as it was typed, never read as markup.
    assert "Ada's note <script>alert('x')</script> & more" in text
    assert f"Page 2 of {packet.pages}" in text
    titles = outline_titles(pdf)
    assert {"Mira Okafor", "Summary", "Scorecards", "Debrief", "References"} <= set(titles)
    stage = loop.guide_version.stages.first().name
    assert f"{stage}: Bob Interviewer" in titles


def test_its_pages_carry_the_candidate_and_organization_and_its_fonts_are_embedded(
    client, loop, recruiter
):
    reader = PdfReader(io.BytesIO(export(client, loop, recruiter).file.read()))
    second = " ".join(reader.pages[1].extract_text().split())
    assert "Mira Okafor" in second and "Alpha" in second
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts.append(descriptor.get_object())
    assert fonts
    assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d.keys()) for d in fonts)


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_paper_size_is_the_organizations(client, org, loop, recruiter, paper, size):
    org.paper_size = paper
    org.save()
    reader = PdfReader(io.BytesIO(export(client, loop, recruiter).file.read()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_drafts_are_left_out_and_recommendations_stay_sealed_until_the_reveal(
    client, org, loop, recruiter
):
    grace = member(org, Role.INTERVIEWER, email="grace@alpha.test", full_name="Grace Hopper")
    later = schedule(
        loop,
        interviewers=[grace],
        stage=loop.guide_version.stages.last(),
        starts_at=timezone.now() - timedelta(hours=3),
    )
    draft = later.scorecards.get()
    draft.summary = "Grace's unfinished draft"
    draft.save()
    linus = member(org, Role.INTERVIEWER, email="linus@alpha.test", full_name="Linus T")
    schedule(loop, interviewers=[linus], stage=list(loop.guide_version.stages.all())[1])
    text = pdf_text(export(client, loop, recruiter).file.read())
    assert "Grace's unfinished draft" not in text
    assert "Grace Hopper Not submitted" in text
    assert "Linus T Upcoming" in text
    assert "Strong Hire" not in text and "Strong No Hire" not in text
    assert "Sealed" in text

    reveal(loop)
    text = pdf_text(export(client, loop, recruiter).file.read())
    assert "Strong Hire" in text and "Strong No Hire" in text


def test_the_debrief_and_the_references_are_in_it(client, org, loop, recruiter, bob):
    debrief = reveal(loop)
    bobs = loop.interviews.get().scorecards.get(interviewer=bob)
    RecommendationChange.objects.create(
        debrief=debrief, scorecard=bobs, author=bob, before=4, after=3, reason="Heard Ada out."
    )
    debrief.phase, debrief.decision = Debrief.Phase.DECIDED, Debrief.Decision.HIRE
    debrief.decided_at, debrief.rationale = timezone.now(), "Strong on every outcome."
    debrief.next_steps = "Offer by Friday."
    debrief.save()
    check = ReferenceCheck.objects.create(
        loop=loop, name="Tom Former", relationship="Manager", rehire_score=9
    )
    ReferenceAnswer.objects.create(
        reference=check,
        question=loop.guide_version.reference_questions.first(),
        text="Would take her back tomorrow.",
    )
    text = pdf_text(export(client, loop, recruiter).file.read())
    for expected in (
        "Decision: Hire",
        "Strong on every outcome.",
        "Offer by Friday.",
        "Heard Ada out.",
        "Tom Former",
        "Would take her back tomorrow.",
        "9/10",
    ):
        assert expected in text


def test_a_manager_who_still_owes_feedback_gets_no_packet(client, org, loop, recruiter):
    harper = member(org, Role.HIRING_MANAGER, email="harper@alpha.test", full_name="Harper")
    loop.job.hiring_manager = harper
    loop.job.save()
    schedule(loop, interviewers=[harper], stage=loop.guide_version.stages.last())
    client.force_login(harper)
    page = client.get(f"/o/{org.slug}/loops/{loop.pk}/")
    assert "You still owe feedback in this loop" in visible_text(page)
    response = client.post(packet_url(loop))
    assert response.status_code == 403
    assert not Packet.objects.exists()


def test_a_packet_whose_requester_came_to_owe_feedback_meanwhile_fails_with_the_reason(
    client, org, loop, recruiter
):
    client.force_login(recruiter)
    client.post(packet_url(loop))
    packet = Packet.objects.get()
    schedule(loop, interviewers=[recruiter], stage=loop.guide_version.stages.last())
    build_packet.apply(args=[packet.pk])
    packet.refresh_from_db()
    assert packet.status == Packet.Status.FAILED
    assert "You still owe feedback" in packet.error
    assert not packet.file


BROKEN_STORAGE = {
    "default": {"BACKEND": "tests.broken_storage.FullDisk"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def test_run_in_process_as_in_the_demo_a_failing_packet_fails_at_once_with_its_reason(
    client, loop, recruiter
):
    with override_settings(STORAGES=BROKEN_STORAGE):
        packet = export(client, loop, recruiter)
    assert packet.status == Packet.Status.FAILED
    assert packet.attempts == 1
    assert "No space left on device" in packet.error


def test_only_the_member_who_exported_it_downloads_it(client, org, other_org, loop, recruiter):
    packet = export(client, loop, recruiter)
    url = f"/o/{org.slug}/packets/{packet.pk}/download/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="Mira Okafor' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(member(org, Role.ADMIN, email="other-admin@alpha.test"))
    assert client.get(url).status_code == 404
    client.force_login(member(other_org, Role.ADMIN, email="admin@bravo.test"))
    assert client.get(f"/o/{other_org.slug}/packets/{packet.pk}/download/").status_code == 404


def test_a_packet_older_than_the_loops_latest_change_says_so(client, org, loop, recruiter):
    export(client, loop, recruiter)
    page = visible_text(client.get(packet_url(loop)))
    assert "Download the packet" in page
    assert "changed since" not in page
    ReferenceCheck.objects.create(loop=loop, name="Late Reference")
    page = visible_text(client.get(packet_url(loop)))
    assert "The loop has changed since this packet was made" in page
    assert "Export a new packet" in page


def test_erasing_the_candidate_deletes_their_packets(
    client, org, loop, recruiter, alice, django_capture_on_commit_callbacks
):
    from candidates.erasure import erase_candidate

    packet = export(client, loop, recruiter)
    storage, name = packet.file.storage, packet.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        erase_candidate(candidate=loop.candidate, user=alice)
    assert not Packet.objects.exists()
    assert not storage.exists(name)


def test_the_command_renders_the_same_packet_synchronously(loop, tmp_path, capsys):
    output = tmp_path / "packet.pdf"
    call_command("build_packet", str(loop.pk), "--output", str(output))
    text = pdf_text(output.read_bytes())
    assert "Mira Okafor" in text and "Bob's summary: ship it." in text
    # It reads as the organization: every card, and no recommendation before the reveal.
    assert "Strong Hire" not in text
    assert "Wrote" in capsys.readouterr().out
    with pytest.raises(CommandError, match="There is no loop"):
        call_command("build_packet", "999999", "--output", str(output))


# With a real worker on Redis.


def wait_for(packet: Packet, seconds: float = 60) -> Packet:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        packet.refresh_from_db()
        if not packet.is_working:
            return packet
        time.sleep(0.1)
    raise AssertionError(f"Packet still {packet.status} after {seconds} s")


def test_a_worker_renders_the_packet_and_the_page_offers_the_download(
    celery_worker, client, org, loop, recruiter
):
    client.force_login(recruiter)
    response = client.post(packet_url(loop), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Queued" in visible_text(response) or "Rendering" in visible_text(response)
    assert 'hx-trigger="every 1s"' in response.content.decode()
    packet = wait_for(Packet.objects.get())
    assert packet.status == Packet.Status.READY, packet.error
    assert packet.attempts == 1
    card = client.get(packet_url(loop), headers={"HX-Request": "true"})
    assert "Download the packet" in visible_text(card)
    assert "every 1s" not in card.content.decode()  # the polling stops
    download = client.get(f"/o/{org.slug}/packets/{packet.pk}/download/")
    text = pdf_text(b"".join(download.streaming_content))
    assert "Mira Okafor" in text
    criterion = loop.guide_version.stages.first().criteria.first()
    assert " ".join(criterion.anchor(3).split()) in text


def test_a_packet_that_fails_midway_is_retried_then_says_why(
    celery_worker, client, org, loop, recruiter
):
    client.force_login(recruiter)
    with override_settings(STORAGES=BROKEN_STORAGE):
        client.post(packet_url(loop))
        packet = wait_for(Packet.objects.get())
    assert packet.status == Packet.Status.FAILED
    assert packet.attempts == 1 + build_packet.max_retries
    page = visible_text(client.get(packet_url(loop)))
    assert "The packet could not be made: The file could not be stored" in page
    assert "No space left on device" in page
    assert "Try again" in page


def test_with_the_broker_unreachable_export_says_so_and_keeps_nothing(
    broker_down, client, loop, recruiter
):
    client.force_login(recruiter)
    response = client.post(packet_url(loop), headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert "task queue cannot be reached" in visible_text(response)
    assert not Packet.objects.exists()


def test_a_packet_lost_with_its_worker_can_be_tried_again(client, loop, recruiter):
    client.force_login(recruiter)
    client.post(packet_url(loop))
    assert client.post(packet_url(loop)).status_code == 409  # one at a time
    Packet.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    page = visible_text(client.get(packet_url(loop)))
    assert "it was still not done after 15 min" in page
    assert "Try again" in page
    assert client.post(packet_url(loop)).status_code == 302
    assert Packet.objects.count() == 2


def test_a_packet_made_after_the_loop_ended_is_withheld_once_it_is_reopened_unrevealed(
    client, org, loop, recruiter, alice
):
    from candidates.services import set_loop_status

    set_loop_status(loop=loop, status="rejected", reason="Another candidate.", user=alice)
    packet = export(client, loop, recruiter)
    assert "Strong Hire" in pdf_text(packet.file.read())  # an ended loop keeps nothing sealed
    set_loop_status(loop=loop, status="active", reason="", user=alice)
    url = f"/o/{org.slug}/packets/{packet.pk}/download/"
    response = client.get(url)
    assert response.status_code == 409
    assert "stay sealed again" in visible_text(response)
    card = visible_text(client.get(packet_url(loop)))
    assert "Download the packet" not in card and "Export a new packet" in card


def test_a_new_packet_replaces_the_members_earlier_ones_files_and_all(client, loop, recruiter):
    first = export(client, loop, recruiter)
    storage, name = first.file.storage, first.file.name
    second = export(client, loop, recruiter)
    assert list(Packet.objects.all()) == [second]
    assert not storage.exists(name)
    assert storage.exists(second.file.name)


def test_renaming_the_job_makes_the_packet_stale(client, loop, recruiter):
    export(client, loop, recruiter)
    loop.job.title = "Staff Engineer"
    loop.job.save()
    assert "The loop has changed since" in visible_text(client.get(packet_url(loop)))


def test_a_file_the_storage_will_not_hand_back_gets_a_clear_answer(client, org, loop, recruiter):
    packet = export(client, loop, recruiter)
    unreadable = {**BROKEN_STORAGE, "default": {"BACKEND": "tests.broken_storage.UnreadableBucket"}}
    with override_settings(STORAGES=unreadable):
        response = client.get(f"/o/{org.slug}/packets/{packet.pk}/download/")
    assert response.status_code == 410
    assert "cannot be read from storage" in visible_text(response)


def test_no_packet_for_a_member_who_may_not_read_every_scorecard(org, loop):
    from accounts.models import Membership
    from candidates.packets import PacketRefused, packet_context

    outsider = member(org, Role.INTERVIEWER, email="ivy@alpha.test")
    with pytest.raises(PacketRefused, match="may not read every scorecard"):
        packet_context(loop, Membership.objects.get(user=outsider))


# The packet's pages about the whole story (issue 16)


def test_the_packet_has_the_role_the_grouped_table_and_the_take_home(client, loop, recruiter):
    check = ReferenceCheck.objects.create(loop=loop, name="Tom Former", relationship="Manager")
    packet = export(client, loop, recruiter)
    pdf = packet.file.read()
    text = pdf_text(pdf)
    titles = outline_titles(pdf)
    assert {"The role", "Each competency and outcome", "Take-home: the exercise"} <= set(titles)
    assert titles.index("Each competency and outcome") < titles.index("Scorecards")
    # The guide and its version, the competencies with their definitions, the outcomes.
    assert f"version {loop.guide_version.number}" in text
    assert "Ownership Sees work through." in text and "Pipelines run on time" in text
    # Craft 1 measures Ownership: Bob scored 3 and Ada 1, so the mean is 2.0 and the spread 2.
    # The job has too few loops for its panels' agreement on Ownership to say anything yet.
    assert "Ownership 2.0 2 too few loops 3 1" in text
    assert "Criteria that measure no competency or outcome" in text
    assert "Build a small ingestion job." in text and "How it is evaluated" in text
    # The reference criterion nobody rated is named, as not rated.
    assert check.name in text and "Reliability: not rated" in text


def test_a_pdf_resume_is_appended_bookmarked_and_a_broken_one_is_named(client, loop, recruiter):
    from django.core.files.base import ContentFile

    from config.pdf import render_pdf

    resume_pdf, _ = render_pdf("pdf/base.html", {}, paper_size="a4")
    candidate = loop.candidate
    candidate.resume.save("cv.pdf", ContentFile(resume_pdf), save=False)
    candidate.resume_name = "mira-cv.pdf"
    candidate.save()
    packet = export(client, loop, recruiter)
    pdf = packet.file.read()
    assert "Résumé" in outline_titles(pdf)
    assert "mira-cv.pdf" in pdf_text(pdf) and "appended after the packet" in pdf_text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == packet.pages

    candidate.resume.save("cv.pdf", ContentFile(b"%PDF-1.7 torn"), save=False)
    candidate.save()
    packet = export(client, loop, recruiter)
    assert packet.status == Packet.Status.READY, packet.error
    text = pdf_text(packet.file.read())
    assert "could not be read, so it is not included" in text


def test_the_packet_has_each_hand_in_as_the_candidate_typed_it(client, loop, recruiter, bob):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from exercises import sending

    take_home = loop.guide_version.stages.get(kind="take_home")
    interview = schedule(loop, stage=take_home, interviewers=[bob], minutes=60 * 24)
    exercise = interview.exercise
    early = timezone.now() - timedelta(minutes=5)
    sending.hand_in(
        exercise=exercise,
        repository_url="https://git.example.com/mira/ingest?a=1&b=2",
        note="Run <b>make</b> & <script>alert('x')</script> first",
        file=SimpleUploadedFile("mira-solution.pdf", b"%PDF-1.4 nothing much"),
        at=early,
    )
    exercise.due_at = timezone.now() - timedelta(minutes=1)
    exercise.save()
    sending.hand_in(exercise=exercise, repository_url="https://git.example.com/mira/ingest2")
    text = pdf_text(export(client, loop, recruiter).file.read())
    assert "What Mira Okafor handed in" in text
    assert "https://git.example.com/mira/ingest?a=1&b=2" in text
    assert "Run <b>make</b> & <script>alert('x')</script> first" in text
    assert "File: mira-solution.pdf" in text
    assert "ingest2" in text and "late" in text
    assert timezone.localtime(early).strftime("%-d %b %Y, %H:%M") in text
