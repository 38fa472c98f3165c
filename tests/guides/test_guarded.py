"""What the builder refuses, and why nothing lands in a published version: stale pages, a
publish in the middle of a change, texts that would outgrow their limits, bad JSON."""

import threading

import pytest
from django.db import connection, transaction
from django_scopes import scopes_disabled

from guides import placeholders, versions
from guides.documents import TEXT_MAX
from guides.forms import PARTS
from guides.models import Competency, Criterion, GuideVersion, Stage
from tests.conftest import ProductionScopeClient
from tests.factories import guide_document, make_guide
from tests.html import visible_text
from tests.sweep import snapshot

HTMX = {"HX-Request": "true"}


def edit_url(org, version, rest=""):
    return f"/o/{org.slug}/guides/{version.guide_id}/edit/{rest}"


@pytest.mark.django_db
def test_a_page_of_a_draft_that_was_published_since_saves_nothing(client, org, alice):
    version = make_guide(org)
    versions.publish(version=version, user=alice)
    versions.start_draft(guide=version.guide, user=alice)  # v2
    client.force_login(alice)
    before = snapshot()
    stale = {"draft": "1"}
    for url, data in (
        ("overview/", {"introduction": "From an old tab."}),
        ("competency/add/", {"name": "Grit"}),
        ("placeholders/", {"placeholder": "[specific project]", "value": "x"}),
    ):
        response = client.post(edit_url(org, version, url), {**stale, **data}, headers=HTMX)
        assert response.status_code == 409, url
        assert "This draft was published or replaced since the page was loaded" in response.text
    assert snapshot() == before


@pytest.mark.django_db
def test_a_guide_filled_to_every_limit_still_exports_copies_and_gets_a_new_draft(
    client, org, alice
):
    version = make_guide(org)
    client.force_login(alice)
    for kind, part in PARTS.items():
        row = part.queryset(version).first()
        form = part.form(instance=row, version=version)
        data = {
            name: "x" * TEXT_MAX
            for name, field in form.fields.items()
            if getattr(field, "max_length", None) == TEXT_MAX
        }
        if data:
            response = client.post(edit_url(org, version, f"{kind}/{row.pk}/"), data, headers=HTMX)
            assert response.status_code == 200, kind
    unfilled = len(placeholders.unfilled(version, org))
    response = client.post(edit_url(org, version, "publish/"), {"unfilled": unfilled})
    assert response.status_code == 302
    assert client.get(f"/o/{org.slug}/guides/{version.guide_id}/v1/export/").status_code == 200
    assert client.post(f"/o/{org.slug}/guides/{version.guide_id}/copy/").status_code == 302
    assert client.post(edit_url(org, version)).status_code == 302
    assert GuideVersion.objects.filter(guide=version.guide, number=2).exists()


@pytest.mark.django_db
def test_a_placeholder_value_that_would_overflow_a_name_is_refused(client, org, alice):
    version = make_guide(org)
    Stage.objects.filter(version=version, name="Stage 1").update(
        name="Call about [topic] " + "a" * 260
    )
    client.force_login(alice)
    before = snapshot()
    response = client.post(
        edit_url(org, version, "placeholders/"),
        {"draft": "1", "placeholder": "[topic]", "value": "b" * 100},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "a name of the stage would be longer than 300 characters" in visible_text(response)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: setattr(d, "title", "A\u0000B"), "control characters"),
        (lambda d: setattr(d, "introduction", "a\u0000b"), "NUL"),
        (lambda d: d.profile.competencies[1].__setattr__("name", "ownership"), "same name"),
        (lambda d: d.stages[0].questions[0].__setattr__("competencies", ["Grit"]), "'Grit'"),
    ],
)
def test_a_json_guide_that_does_not_hold_together_is_refused(client, org, alice, change, message):
    document = guide_document()
    change(document)
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/guides/import/", {"text": document.model_dump_json(round_trip=True)}
    )
    assert response.status_code == 400
    assert message in visible_text(response)
    assert not GuideVersion.objects.exists()


@pytest.mark.django_db
def test_two_competencies_of_one_name_are_refused(client, org, alice):
    version = make_guide(org)
    clarity = Competency.objects.get(version=version, name="Clarity")
    client.force_login(alice)
    for url, data in (
        ("competency/add/", {"name": "OWNERSHIP"}),
        (f"competency/{clarity.pk}/", {"name": "ownership"}),
    ):
        response = client.post(edit_url(org, version, url), {"draft": "1", **data}, headers=HTMX)
        assert response.status_code == 400
        assert "This guide already has a competency of that name." in visible_text(response)
    assert Competency.objects.filter(version=version).count() == 2


@pytest.mark.django_db
def test_a_stage_of_no_minutes_is_refused_with_a_plain_message(client, org, alice):
    stage = make_guide(org).stages.first()
    client.force_login(alice)
    response = client.post(
        edit_url(org, stage.version, f"stage/{stage.pk}/"), {"duration_minutes": "0"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in visible_text(response)
    assert "Constraint" not in visible_text(response)


@pytest.mark.django_db
def test_new_questions_go_into_the_stages_question_list(client, org, alice):
    version = make_guide(org)
    stage = version.stages.first()
    client.force_login(alice)
    page = client.get(edit_url(org, version, f"stages/{stage.pk}/")).text
    assert f'<ol class="sortable questions" id="list-question-{stage.pk}"' in page
    assert f'hx-target="#list-question-{stage.pk}"' in page
    criterion = Criterion.objects.filter(stage=stage).first()
    assert f'hx-target="#list-criterion-{stage.pk}"' in page and criterion.name in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [("a\tb", "single line"), ("Ownership", "two competencies would have the same name")],
)
def test_a_fill_that_would_break_a_name_is_refused(client, org, alice, value, message):
    version = make_guide(org)
    Competency.objects.filter(version=version, name="Clarity").update(name="[Trait]")
    client.force_login(alice)
    before = snapshot()
    response = client.post(
        edit_url(org, version, "placeholders/"),
        {"draft": "1", "placeholder": "[Trait]", "value": value},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert message in visible_text(response)
    assert snapshot() == before


@pytest.mark.django_db
def test_competency_names_alike_after_case_folding_are_refused(client, org, alice):
    version = make_guide(org)
    client.force_login(alice)
    url = edit_url(org, version, "competency/add/")
    assert client.post(url, {"draft": "1", "name": "Straße"}, headers=HTMX).status_code == 200
    response = client.post(url, {"draft": "1", "name": "STRASSE"}, headers=HTMX)
    assert response.status_code == 400
    assert client.get(f"/o/{org.slug}/guides/{version.guide_id}/v1/export/").status_code == 200


@pytest.mark.django_db
def test_a_stale_add_form_keeps_its_own_draft_number(client, org, alice):
    version = make_guide(org, publish=True)
    versions.start_draft(guide=version.guide, user=alice)
    client.force_login(alice)
    response = client.post(
        edit_url(org, version, "faq/add/"), {"draft": "1", "question": "Why?"}, headers=HTMX
    )
    assert response.status_code == 409
    assert 'name="draft" value="1"' in response.text
    assert 'value="Why?"' in response.text  # what was typed stays in the box


def post_while_locked(version, user, url, data, then):
    """POST while another transaction holds the version's row lock and then calls `then`
    before committing; the request must wait for it. Returns the response."""
    locked, release, answers = threading.Event(), threading.Event(), {}

    def hold_the_lock():
        with scopes_disabled(), transaction.atomic():
            GuideVersion.objects.select_for_update().get(pk=version.pk)
            locked.set()
            release.wait(5)
            then()
        connection.close()

    def post():
        client = ProductionScopeClient()
        client.force_login(user)
        answers["response"] = client.post(url, data, headers=HTMX)
        connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(5)
    poster = threading.Thread(target=post)
    poster.start()
    poster.join(0.5)
    assert poster.is_alive(), "the request did not wait for the lock"
    release.set()
    holder.join()
    poster.join()
    return answers["response"]


@pytest.mark.django_db(transaction=True)
def test_a_change_waits_for_a_publish_under_way_and_then_finds_no_draft(org, alice):
    version = make_guide(org)
    response = post_while_locked(
        version,
        alice,
        edit_url(org, version, "overview/"),
        {"draft": "1", "introduction": "Typed while publishing."},
        then=lambda: versions.publish(version=version, user=alice),
    )
    assert response.status_code == 404
    with scopes_disabled():
        version.refresh_from_db()
    assert version.status == "published"
    assert version.introduction == "How we hire data engineers at [Company]."


@pytest.mark.django_db(transaction=True)
def test_deleting_a_guide_waits_for_a_change_under_way(org, alice):
    version = make_guide(org)
    response = post_while_locked(
        version,
        alice,
        f"/o/{org.slug}/guides/{version.guide_id}/delete/",
        {},
        then=lambda: Stage.objects.filter(version=version).update(name="Renamed"),
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not GuideVersion.objects.filter(pk=version.pk).exists()
