"""The builder: each change to a draft saves on its own and answers with what the page swaps;
a failed save says why next to the field and changes nothing."""

import pytest
from django.conf import settings

from guides.forms import PARTS
from guides.models import Competency, GuideVersion, Question, QuestionPoint, Stage
from tests.factories import make_guide
from tests.html import visible_text
from tests.sweep import snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def draft(org):
    return make_guide(org)


def edit_url(org, draft, rest=""):
    return f"/o/{org.slug}/guides/{draft.guide_id}/edit/{rest}"


def first_question(draft) -> Question:
    return PARTS["question"].queryset(draft).order_by("stage__position", "position").first()


def test_the_builder_shows_every_part_of_the_draft(client, org, alice, draft):
    client.force_login(alice)
    response = client.get(edit_url(org, draft))
    assert response.status_code == 200
    page = visible_text(response)
    for text in (
        "How we hire data engineers at",
        "Stage 1 Interview · 2 questions · 2 criteria",
        "Take-home Take-home exercise · 0 questions · 1 criterion",
        "What did we miss?",
        "How did [Candidate] work?",
        "The hiring manager.",
        "Pipelines run on time",
        "Sees work through.",
    ):
        assert text in page, text
    assert "Reliability: mixed" in response.text  # the reference scorecard's anchors
    stage = draft.stages.get(name="Stage 2")
    response = client.get(edit_url(org, draft, f"stages/{stage.pk}/"))
    html = response.text
    for text in (
        "Stage 2 question 1: tell me about [specific project]?",
        "Area 2.1.b",
        "Follow-up 2.2.a",
        "Judgement 2: outstanding",
        "Open stage 2 warmly.",
    ):
        assert text in html, text
    assert "Stage 1 question 1" not in html
    take_home = draft.stages.get(name="Take-home")
    assert (
        "Build a small ingestion job."
        in client.get(edit_url(org, draft, f"stages/{take_home.pk}/")).text
    )


def test_a_stage_of_another_guide_is_not_edited_here(client, org, alice, draft):
    other = make_guide(org, title="Other").stages.first()
    client.force_login(alice)
    assert client.get(edit_url(org, draft, f"stages/{other.pk}/")).status_code == 404


def test_a_changed_question_saves_and_says_so(client, org, alice, draft):
    question = first_question(draft)
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, f"question/{question.pk}/"),
        {"text": "What did you ship?"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Saved" in response.text
    assert f'id="question-{question.pk}-text-error" hx-swap-oob="true"' in response.text
    assert "guideChanged" in response["HX-Trigger"]  # the old text had a placeholder
    question.refresh_from_db()
    assert question.text == "What did you ship?"
    assert [c.name for c in question.competencies.all()] == ["Ownership"]  # not sent: kept

    clarity = Competency.objects.get(version=draft, name="Clarity")
    url = edit_url(org, draft, f"question/{question.pk}/")
    client.post(url, {"competencies-present": "1", "competencies": [clarity.pk]}, headers=HTMX)
    assert [c.name for c in question.competencies.all()] == ["Clarity"]
    client.post(url, {"competencies-present": "1"}, headers=HTMX)
    assert not question.competencies.exists()
    again = client.post(
        edit_url(org, draft, f"question/{question.pk}/"),
        {"text": "What did you build?"},
        headers=HTMX,
    )
    assert "HX-Trigger" not in again  # no placeholder before or after: the panel stays


def test_an_empty_question_is_refused_next_to_the_field(client, org, alice, draft):
    question = first_question(draft)
    client.force_login(alice)
    before = snapshot()
    response = client.post(
        edit_url(org, draft, f"question/{question.pk}/"), {"text": "   "}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Not saved: fix what is marked." in response.text
    assert "This field is required." in response.text
    assert f'id="question-{question.pk}-text-error"' in response.text
    assert snapshot() == before


def test_a_section_saves_only_the_fields_sent(client, org, alice, draft):
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, "overview/"),
        {"draft": "1", "introduction": "New intro."},
        headers=HTMX,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.introduction == "New intro."
    assert draft.title == "Data Engineer"
    assert draft.how_to_use == "- Score on your own\n- Then meet"


def test_competencies_of_another_guide_cannot_be_linked(client, org, alice, draft):
    other = make_guide(org, title="Other")
    foreign = Competency.objects.filter(version=other).first()
    question = first_question(draft)
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, f"question/{question.pk}/"),
        {"text": question.text, "competencies": [foreign.pk]},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Choose competencies of this guide." in response.text
    assert list(question.competencies.values_list("name", flat=True)) == ["Ownership"]


def test_a_question_is_added_at_the_end_of_its_stage(client, org, alice, draft):
    stage = draft.stages.get(name="Stage 2")
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, f"question/add/{stage.pk}/"),
        {"draft": "1", "text": "Anything else?"},
        headers=HTMX,
    )
    assert response.status_code == 200
    added = stage.questions.order_by("position").last()
    assert added.text == "Anything else?"
    assert response.text.lstrip().startswith(f'<li class="item question" id="question-{added.pk}"')
    assert "Areas to cover" in response.text


def test_an_empty_new_item_gets_its_form_back_with_the_error(client, org, alice, draft):
    stage = draft.stages.get(name="Stage 2")
    client.force_login(alice)
    before = snapshot()
    response = client.post(
        edit_url(org, draft, f"question/add/{stage.pk}/"), {"draft": "1", "text": ""}, headers=HTMX
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "this" and response["HX-Reswap"] == "outerHTML"
    assert "This field is required." in visible_text(response)
    assert snapshot() == before


def test_points_are_added_to_the_right_list(client, org, alice, draft):
    question = first_question(draft)
    client.force_login(alice)
    client.post(
        edit_url(org, draft, f"follow-up/add/{question.pk}/"),
        {"draft": "1", "text": "And then?"},
        headers=HTMX,
    )
    client.post(
        edit_url(org, draft, f"area/add/{question.pk}/"),
        {"draft": "1", "text": "Trade-offs"},
        headers=HTMX,
    )
    question.refresh_from_db()
    assert [p.text for p in question.follow_ups()] == ["Follow-up 1.1.a", "And then?"]
    assert [p.text for p in question.areas()] == ["Area 1.1.a", "Area 1.1.b", "Trade-offs"]


def test_a_stage_is_added_and_deleted(client, org, alice, draft):
    client.force_login(alice)
    client.post(
        edit_url(org, draft, "stage/add/"),
        {"draft": "1", "name": "Onsite", "kind": "interview"},
        headers=HTMX,
    )
    stage = draft.stages.get(name="Onsite")
    assert list(draft.stages.values_list("name", flat=True))[-1] == "Onsite"
    response = client.post(edit_url(org, draft, f"stage/{stage.pk}/delete/"), headers=HTMX)
    assert response.status_code == 200 and response.text == ""
    assert not draft.stages.filter(name="Onsite").exists()


def test_questions_are_reordered(client, org, alice, draft):
    stage = draft.stages.get(name="Stage 1")
    first, second = stage.questions.all()
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, "question/reorder/"),
        {"order": f"{second.pk},{first.pk}"},
        headers=HTMX,
    )
    assert response.status_code == 204
    assert list(stage.questions.all()) == [second, first]


@pytest.mark.sqlite
@pytest.mark.parametrize(
    "order",
    ["mine,theirs", "foreign", "one-of-two", "twice", "nonsense", "empty", "2**63", "2**64", "0"],
)
def test_a_reorder_that_does_not_match_the_list_changes_nothing(client, org, alice, draft, order):
    stage = draft.stages.get(name="Stage 1")
    first, second = stage.questions.all()
    other = first_question(make_guide(org, title="Other"))
    other_stage = draft.stages.get(name="Stage 2").questions.first()
    ids = {
        "mine,theirs": f"{first.pk},{second.pk},{other.pk}",
        "foreign": f"{other_stage.pk},{first.pk},{second.pk}",
        "one-of-two": f"{second.pk}",
        "twice": f"{second.pk},{first.pk},{first.pk}",
        "nonsense": "1;DROP TABLE",
        "empty": "",
        "2**63": f"{first.pk},{2**63}",
        "2**64": f"{2**64},{second.pk}",
        "0": f"0,{first.pk},{second.pk}",
    }[order]
    client.force_login(alice)
    before = snapshot()
    response = client.post(edit_url(org, draft, "question/reorder/"), {"order": ids}, headers=HTMX)
    assert response.status_code == 400
    assert len(response.text) > 20
    assert snapshot() == before


def test_a_question_of_another_guide_answers_404(client, org, alice, draft):
    other = first_question(make_guide(org, title="Other"))
    client.force_login(alice)
    before = snapshot()
    for url in (f"question/{other.pk}/", f"question/{other.pk}/delete/"):
        assert (
            client.post(edit_url(org, draft, url), {"text": "x"}, headers=HTMX).status_code == 404
        )
    assert snapshot() == before


def test_an_empty_stage_name_is_refused(client, org, alice, draft):
    stage = draft.stages.first()
    client.force_login(alice)
    response = client.post(edit_url(org, draft, f"stage/{stage.pk}/"), {"name": ""}, headers=HTMX)
    assert response.status_code == 400
    assert Stage.objects.get(pk=stage.pk).name == "Stage 1"


def test_without_javascript_a_change_returns_to_the_builder(client, org, alice, draft):
    point = QuestionPoint.objects.filter(question__stage__version=draft).first()
    client.force_login(alice)
    response = client.post(edit_url(org, draft, f"area/{point.pk}/"), {"text": "Depth"})
    assert response.status_code == 302
    assert response.url.endswith(f"/edit/stages/{point.question.stage_id}/#area-{point.pk}")
    response = client.post(edit_url(org, draft, f"area/{point.pk}/"), {"text": ""})
    assert response.status_code == 400
    assert "Text: This field is required." in visible_text(response)


def test_the_placeholders_are_listed_filled_and_replaced(client, org, alice, draft):
    client.force_login(alice)
    text = visible_text(client.get(edit_url(org, draft)))
    assert f"[Company] filled by your settings: “{org.company_name}”" in text
    assert "[Candidate] filled from the job or candidate when shown" in text
    assert "[specific project] not filled" in text
    response = client.post(
        edit_url(org, draft, "placeholders/"),
        {"draft": "1", "placeholder": "[specific project]", "value": "the billing migration"},
        headers=HTMX,
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    texts = Question.objects.filter(stage__version=draft).values_list("text", flat=True)
    assert all("the billing migration" in t for t in texts)
    page = visible_text(client.get(edit_url(org, draft)))
    assert "[specific project] was replaced in 4 places." in page
    assert "[specific project] not filled" not in page


def test_a_placeholder_that_is_gone_gets_a_clear_400(client, org, alice, draft):
    client.force_login(alice)
    response = client.post(
        edit_url(org, draft, "placeholders/"),
        {"draft": "1", "placeholder": "[nowhere]", "value": "x"},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "[nowhere] is no longer in this draft." in visible_text(response)


def test_the_preview_shows_a_stage_as_the_interviewer_sees_it(client, org, alice, draft):
    stage = draft.stages.get(name="Stage 1")
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/guides/{draft.guide_id}/stages/{stage.pk}/preview/")
    text = visible_text(response)
    assert f"We will talk about pipelines at {org.company_name} in stage 1." in text
    assert "Area 1.2.b" in text and "Craft 1: outstanding" in text and "4 Strong Hire" in text
    assert '<mark class="placeholder">[specific project]</mark>' in response.text


def test_the_print_view_holds_the_whole_guide(client, org, alice, draft):
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/guides/{draft.guide_id}/v1/")
    text = visible_text(response)
    for expected in (
        f"{org.company_name} is based in {org.location} .",
        "Take-home",
        "Read a CSV",
        "What did we miss?",
        "Reliability: outstanding",
        "Who decides?",
    ):
        assert expected in text, expected
    stylesheet = (settings.BASE_DIR / "static" / "css" / "rubric.css").read_text()
    assert "@media print" in stylesheet and "break-before: page" in stylesheet


def test_the_guide_list_searches_and_filters(client, org, alice):
    make_guide(org, title="Data Engineer", publish=True)
    make_guide(org, title="Support Lead")
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/"
    assert "Support Lead" in visible_text(client.get(url))
    found = visible_text(client.get(url, {"q": "support"}, headers=HTMX))
    assert "Support Lead" in found and "Data Engineer" not in found
    published = visible_text(client.get(url, {"status": "published"}))
    assert "Data Engineer" in published and "Support Lead" not in published


def test_a_blank_guide_needs_a_title(client, org, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/new/", {"title": "  "})
    assert response.status_code == 400
    assert "This field is required." in visible_text(response)
    assert not GuideVersion.objects.exists()


def test_a_renamed_stage_gets_its_new_heading_and_a_new_kind_reloads_the_page(
    client, org, alice, draft
):
    stage = draft.stages.get(name="Stage 1")
    url = edit_url(org, draft, f"stage/{stage.pk}/")
    client.force_login(alice)
    response = client.post(url, {"name": "Phone screen"}, headers=HTMX)
    assert f'<span id="stage-{stage.pk}-heading" hx-swap-oob="true">Phone screen</span>' in (
        response.text
    )
    response = client.post(url, {"kind": "take_home"}, headers=HTMX)
    assert response["HX-Refresh"] == "true"
    stage.refresh_from_db()
    assert (stage.name, stage.kind) == ("Phone screen", "take_home")


def test_a_fixed_field_clears_its_message(client, org, alice, draft):
    question = first_question(draft)
    url = edit_url(org, draft, f"question/{question.pk}/")
    client.force_login(alice)
    client.post(url, {"text": ""}, headers=HTMX)
    response = client.post(url, {"text": "Fixed?"}, headers=HTMX)
    assert (
        f'<p class="field-error" id="question-{question.pk}-text-error" hx-swap-oob="true"></p>'
        in (response.text)
    )
    assert f'id="question-{question.pk}--error" hx-swap-oob="true"></p>' in response.text


def test_an_organization_without_guides_starts_from_the_library(client, org, alice):
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/guides/"))
    assert "Start from the library" in text
    for title in ("Software Engineer", "Product Designer", "Customer Success Manager"):
        assert title in text
    response = client.post(f"/o/{org.slug}/guides/new/starter/", {"starter": "product-designer"})
    version = GuideVersion.objects.get(guide__organization=org)
    assert response.url == f"/o/{org.slug}/guides/{version.guide_id}/edit/"
    assert version.title == "Product Designer" and version.stages.count() == 4


def test_a_second_guide_of_the_same_name_is_pointed_out(client, org, alice):
    make_guide(org, title="Product Designer")
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/guides/new/starter/", {"starter": "product-designer"}, follow=True
    )
    assert "Another guide is also called “Product Designer”" in visible_text(response)
