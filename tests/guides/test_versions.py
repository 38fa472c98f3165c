"""Versions: a published version never changes, drafts copy it, JSON goes out and comes back
the same, and publishing says exactly what is missing."""

import json

import pytest

from guides import placeholders, versions
from guides.forms import PARTS
from guides.models import Criterion, Guide, GuideVersion
from tests.factories import guide_document, make_guide, member
from tests.html import visible_text
from tests.sweep import snapshot

pytestmark = pytest.mark.django_db


def reread(version: GuideVersion):
    return versions.dump(versions.version_with_parts().get(pk=version.pk))


def test_a_guide_reads_back_as_the_document_it_was_made_from(org):
    assert reread(make_guide(org)) == guide_document()


def test_a_criterion_gives_the_anchor_text_of_each_score(org):
    criterion = Criterion.objects.filter(version=make_guide(org), name="Craft 1").get()
    assert criterion.anchor(0) == "Not enough information gathered"
    assert criterion.anchor(4) == "Craft 1: outstanding"
    with pytest.raises(ValueError, match="0 to 4"):
        criterion.anchor(5)


def test_the_json_export_imports_as_the_same_guide(client, org, other_org, alice, charlie):
    version = make_guide(org)
    client.force_login(alice)
    exported = client.get(f"/o/{org.slug}/guides/{version.guide_id}/v1/export/")
    assert exported["Content-Disposition"] == 'attachment; filename="data-engineer-v1.json"'
    assert json.loads(exported.content)["format"] == "rubric-guide"

    client.force_login(charlie)
    response = client.post(f"/o/{other_org.slug}/guides/import/", {"text": exported.text})
    assert response.status_code == 302
    imported = GuideVersion.objects.get(guide__organization=other_org)
    assert reread(imported) == guide_document()


def test_a_json_file_that_is_not_a_guide_gets_a_clear_error(client, org, alice):
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/guides/import/", {"text": '{"format": "rubric-guide", "stages": 3}'}
    )
    assert response.status_code == 400
    assert "This is not a Rubric guide export" in visible_text(response)
    assert "title" in visible_text(response)
    assert not Guide.objects.exists()


def test_editing_a_published_guide_starts_one_draft_copied_from_it(client, org, alice):
    published = make_guide(org, publish=True)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{published.guide_id}/edit/"
    assert "Start draft v2" in visible_text(client.get(url))
    client.post(url)
    client.post(url)  # a second click finds the draft there is
    draft = GuideVersion.objects.get(guide=published.guide, status="draft")
    assert draft.number == 2
    assert reread(draft) == reread(published)
    assert GuideVersion.objects.filter(guide=published.guide).count() == 2


def test_no_part_of_a_published_version_can_be_changed(client, org, alice):
    published = make_guide(org, publish=True)
    versions.start_draft(guide=published.guide, user=alice)
    client.force_login(alice)
    before = snapshot()
    guide = published.guide_id
    for kind, part in PARTS.items():
        row = part.queryset(published).first()
        for action in ("", "delete/"):
            url = f"/o/{org.slug}/guides/{guide}/edit/{kind}/{row.pk}/{action}"
            response = client.post(url, {"text": "changed", "name": "changed"})
            assert response.status_code == 404, url
        response = client.post(
            f"/o/{org.slug}/guides/{guide}/edit/{kind}/reorder/", {"order": str(row.pk)}
        )
        assert response.status_code == 400
    assert snapshot() == before


def test_publishing_lists_exactly_what_is_missing(client, org, alice):
    version = make_guide(org)
    criterion = Criterion.objects.get(version=version, name="Judgement 2")
    criterion.anchor_2 = ""
    criterion.anchor_3 = " "
    criterion.save()
    version.stages.filter(name="Stage 1").get().criteria.all().delete()
    version.stages.filter(name="Stage 2").get().questions.all().delete()
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/publish/"
    text = visible_text(client.get(url))
    assert "3 things to fix before publishing" in text
    assert "Stage “Stage 1”: Its scorecard has no criteria." in text
    assert "Stage “Stage 2”: An interview stage needs a question." in text
    assert "criterion “Judgement 2”: The anchor text for 2, 3 is missing." in text
    response = client.post(url)
    assert response.status_code == 400
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_complete_draft_is_published_and_the_history_shows_it(client, org, alice):
    version = make_guide(org)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/publish/"
    response = client.post(url, {"unfilled": len(placeholders.unfilled(version, org))})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published" and version.published_by == alice
    history = visible_text(client.get(response.url))
    assert "Version 1 is published." in history
    assert "Published" in history and "by Alice Admin" in history


def test_version_history_shows_what_changed_between_two_versions(client, org, alice):
    published = make_guide(org, publish=True)
    draft = versions.start_draft(guide=published.guide, user=alice)
    question = PARTS["question"].queryset(draft).get(text__startswith="Stage 1 question 2")
    question.text = "What would you measure first?"
    question.save()
    draft.stages.get(name="Take-home").delete()
    client.force_login(alice)
    response = client.get(
        f"/o/{org.slug}/guides/{published.guide_id}/compare/", {"old": 1, "new": 2}
    )
    text = visible_text(response)
    assert "Stage 1 “Stage 1” › Question 2 › Text" in text
    assert "Stage 1 question 2: tell me about [specific project]?" in text
    assert "What would you measure first?" in text
    assert "Stage 3 “Take-home” › Name Take-home —" in text


def test_a_copy_is_a_new_guide_with_its_own_draft(client, org, alice):
    version = make_guide(org, publish=True)
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/{version.guide_id}/copy/")
    copy = GuideVersion.objects.exclude(guide=version.guide).get()
    assert response.url == f"/o/{org.slug}/guides/{copy.guide_id}/edit/"
    assert copy.title == "Data Engineer (copy)" and copy.is_draft
    assert reread(copy).stages == reread(version).stages


def test_interviewers_do_not_build_guides(client, org, bob):
    make_guide(org)
    client.force_login(bob)
    response = client.get(f"/o/{org.slug}/guides/")
    assert response.status_code == 403
    assert "Only admins, hiring managers and recruiters can do this." in visible_text(response)
    assert "Guides" not in visible_text(client.get(f"/o/{org.slug}/"))


def test_hiring_managers_and_recruiters_build_guides(client, org):
    from accounts.models import Role

    for role in (Role.HIRING_MANAGER, Role.RECRUITER):
        client.force_login(member(org, role))
        response = client.post(f"/o/{org.slug}/guides/new/", {"title": f"Guide of a {role}"})
        assert response.status_code == 302
    assert GuideVersion.objects.filter(title__startswith="Guide of a").count() == 2


def test_operators_see_every_organizations_guides_in_the_admin_but_change_none(
    client, org, other_org
):
    from tests.factories import UserFactory

    version = make_guide(org, publish=True)
    make_guide(other_org, title="Support Lead")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = visible_text(client.get("/admin/guides/guideversion/"))
    assert "Data Engineer" in listing and "Support Lead" in listing
    page = client.get(f"/admin/guides/guideversion/{version.pk}/change/")
    assert page.status_code == 200 and "Save" not in visible_text(page)


def test_a_guide_is_deleted_with_its_versions_after_confirming(client, org, alice):
    version = make_guide(org, publish=True)
    versions.start_draft(guide=version.guide, user=alice)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/delete/"
    assert "all its 2 versions (v2 draft, v1 published)" in visible_text(client.get(url))
    response = client.post(url, follow=True)
    assert "“Data Engineer” was deleted, with its 2 versions." in visible_text(response)
    assert not Guide.objects.exists() and not Criterion.objects.exists()


def test_a_draft_is_discarded_and_the_published_version_stays(client, org, alice):
    published = make_guide(org, publish=True)
    versions.start_draft(guide=published.guide, user=alice)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{published.guide_id}/edit/discard/"
    response = client.post(url, follow=True)
    assert "Draft v2 was discarded." in visible_text(response)
    assert list(GuideVersion.objects.values_list("number", "status")) == [(1, "published")]
    assert client.post(url).status_code == 404  # no draft left to discard


def test_a_guide_that_is_only_a_draft_is_not_discarded(client, org, alice):
    version = make_guide(org)
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/{version.guide_id}/edit/discard/")
    assert response.status_code == 400
    assert "This draft is all the guide has: delete the guide instead." in visible_text(response)
    assert GuideVersion.objects.filter(pk=version.pk).exists()


def test_a_new_criterion_starts_with_the_meaning_of_0(client, org, alice):
    version = make_guide(org)
    stage = version.stages.first()
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/guides/{version.guide_id}/edit/criterion/add/{stage.pk}/",
        {"draft": "1", "name": "Curiosity"},
        headers={"HX-Request": "true"},
    )
    criterion = Criterion.objects.get(stage=stage, name="Curiosity")
    assert criterion.anchor(0) == "Not enough information gathered to evaluate"
    assert criterion.anchor(1) == ""


def test_the_changed_words_are_marked():
    change = versions.Change(
        "Stage 1 › Name", "Phone screen with the lead", "Video screen with the lead"
    )
    before, after = change.words()
    assert before == [("Phone ", True), ("screen with the lead", False)]
    assert after == [("Video ", True), ("screen with the lead", False)]
