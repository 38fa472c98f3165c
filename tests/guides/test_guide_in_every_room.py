"""The guide in every room: the kit's guide panel, the competency tags of questions and what
criteria measure, in the kit, the stage preview and the printed guide."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from guides import versions
from guides.importer import read_guide
from guides.models import Competency, Question, Stage
from tests.factories import make_job, make_loop, member, schedule, seed_guide
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_job(org):
    with scopes_disabled():
        document = read_guide(seed_guide().read_text(encoding="utf-8")).document
        draft = versions.create_guide(organization=org, document=document, user=None)
        version = versions.publish(version=draft, user=None)
    return make_job(org, version=version, title="Backend Developer")


def test_the_kit_shows_a_team_and_culture_questions_tags_and_the_guide_panel(client, org, seed_job):
    ada = member(org, Role.INTERVIEWER)
    stage = Stage.objects.get(version=seed_job.guide_version, name="Team & Culture Interview")
    interview = schedule(make_loop(org, job=seed_job), interviewers=[ada], stage=stage)
    question = stage.questions.filter(competencies__isnull=False).first()
    tags = list(question.competencies.all())
    client.force_login(ada)
    response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    text = visible_text(response)
    for competency in tags:
        assert f'href="#competency-{competency.pk}"' in response.text
        assert f'<dt id="competency-{competency.pk}">{competency.name}</dt>' in response.text
    assert "Probes: " + " ".join(c.name for c in tags) in text
    assert "The role and the guide" in text
    for heading in (
        "Key responsibilities",
        "What we're looking for",
        "Competencies",
        "Desired outcomes",
        "Hiring process",
        "Frequently asked questions",
    ):
        assert heading in text
    assert "Measures the competency Adaptability" in text
    assert "Measures the outcome Mentor junior developers" in text
    remaining = seed_job.guide_version.unfilled_placeholders
    assert remaining and f"This guide was published with {remaining} placeholders" in text


def test_the_stage_preview_and_the_printed_guide_show_tags_and_what_criteria_measure(
    client, org, alice
):
    from tests.factories import make_guide

    version = make_guide(org)
    ownership = Competency.objects.get(version=version, name="Ownership")
    stage = version.stages.first()
    client.force_login(alice)
    preview = client.get(f"/o/{org.slug}/guides/{version.guide_id}/stages/{stage.pk}/preview/")
    assert f'/guides/{version.guide_id}/v1/#competency-{ownership.pk}"' in preview.text
    assert "Probes: Ownership" in visible_text(preview)
    assert "Measures the competency Ownership" in visible_text(preview)
    printed = client.get(f"/o/{org.slug}/guides/{version.guide_id}/v1/")
    assert f'<dt id="competency-{ownership.pk}">Ownership</dt>' in printed.text
    assert "Measures the outcome Pipelines run on time" in visible_text(printed)


def test_the_kit_costs_the_same_with_the_guide_panel_for_any_guide(
    client, org, django_assert_max_num_queries
):
    ada = member(org, Role.INTERVIEWER)
    interview = schedule(
        make_loop(org), interviewers=[ada], starts_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(ada)
    with django_assert_max_num_queries(30) as captured:
        client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    small = len(captured)
    with scopes_disabled():
        for n in range(8):
            Competency.objects.create(version=interview.stage.version, name=f"Extra {n}")
    with django_assert_max_num_queries(small):
        client.get(f"/o/{org.slug}/interviews/{interview.pk}/")


def test_a_job_and_its_loops_say_their_guide_holds_unfilled_placeholders(client, org, seed_job):
    alice = member(org, Role.ADMIN)
    loop = make_loop(org, job=seed_job)
    remaining = seed_job.guide_version.unfilled_placeholders
    client.force_login(alice)
    job_page = visible_text(client.get(f"/o/{org.slug}/jobs/{seed_job.pk}/"))
    assert f"was published with {remaining} placeholders nobody filled in" in job_page
    loop_page = visible_text(client.get(f"/o/{org.slug}/loops/{loop.pk}/"))
    assert f"published with {remaining} placeholders nobody filled in" in loop_page


def test_the_builder_links_each_competency_a_question_may_probe_to_its_definition(
    client, org, alice
):
    from tests.factories import make_guide

    version = make_guide(org)
    draft = versions.start_draft(guide=version.guide, user=None)
    ownership = Competency.objects.get(version=draft, name="Ownership")
    stage = draft.stages.first()
    Question.objects.create(stage=stage, text="Tell us about a system you own.")
    client.force_login(alice)
    builder = client.get(f"/o/{org.slug}/guides/{version.guide_id}/edit/")
    assert f'<li class="item" id="competency-{ownership.pk}"' in builder.text
    editor = client.get(f"/o/{org.slug}/guides/{version.guide_id}/edit/stages/{stage.pk}/")
    # The stage editor links to the definitions, which the builder's page lists.
    link = f'href="/o/{org.slug}/guides/{version.guide_id}/edit/#competency-{ownership.pk}"'
    assert link in editor.text
    assert "definition of Ownership" in visible_text(editor)
