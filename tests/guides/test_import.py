"""Importing a guide: by command, by the import page (paste or upload), and what is refused."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from guides.models import Criterion, Guide, GuideVersion, Question
from tests.factories import seed_guide
from tests.html import visible_text

pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR / "tests" / "guides" / "data"


def test_the_command_imports_the_seed_and_ends_with_its_counts(org, capsys):
    call_command("import_guide", str(seed_guide()), "--organization", org.slug)
    lines = capsys.readouterr().out.strip().splitlines()
    found = json.loads(lines[-1])
    warnings = found.pop("warnings")
    assert len(found.pop("linked")) == 40 and "Code Quality" in found.pop("unlinked")
    assert found == {
        "stages": 5,
        "questions": 24,
        "criteria": 49,
        "anchors": 290,
        "debrief_questions": 8,
        "reference_questions": 7,
        "reference_criteria": 9,
        "competencies": 5,
        "outcomes": 5,
        "faq": 7,
    }
    assert warnings and all({"line", "text", "message"} <= set(w) for w in warnings)
    version = GuideVersion.objects.get(guide__organization=org)
    assert version.is_draft and version.title == "Backend Developer"
    assert Question.objects.filter(stage__version=version).count() == 24
    assert Criterion.objects.filter(version=version, stage=None).count() == 9
    assert version.import_report["counts"]["anchors"] == 290


def test_the_command_refuses_a_file_that_is_not_a_guide(org):
    with pytest.raises(CommandError, match="interview guide"):
        call_command("import_guide", str(DATA / "not-a-guide.txt"), "--organization", org.slug)
    with pytest.raises(CommandError, match="no organization"):
        call_command("import_guide", str(DATA / "support-lead.txt"), "--organization", "nope")
    assert not Guide.objects.exists()


def test_an_uploaded_guide_becomes_a_draft_that_shows_what_was_read(client, org, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("guide.txt", seed_guide().read_bytes(), content_type="text/plain")
    response = client.post(f"/o/{org.slug}/guides/import/", {"file": upload}, follow=True)
    text = visible_text(response)
    assert "“Backend Developer” was imported as a draft." in text
    assert "Imported: 5 stages, 24 questions, 49 criteria, 11 lines not placed" in text
    assert "Line 1317: “Table of Contents”" in text


def test_a_pasted_guide_in_another_layout_is_read_too(client, org, alice):
    client.force_login(alice)
    pasted = (DATA / "data-analyst.txt").read_text().replace("\n", "\r\n")
    response = client.post(f"/o/{org.slug}/guides/import/", {"text": pasted})
    assert response.status_code == 302
    version = GuideVersion.objects.get(guide__organization=org)
    assert [s.kind for s in version.stages.all()] == ["interview", "take_home", "interview"]
    assert not version.reference_questions.exists()


def test_a_text_that_is_not_a_guide_is_refused_and_kept_in_the_box(client, org, alice):
    client.force_login(alice)
    minutes = (DATA / "not-a-guide.txt").read_text()
    response = client.post(f"/o/{org.slug}/guides/import/", {"text": minutes})
    assert response.status_code == 400
    assert "does not look like an interview guide" in visible_text(response)
    assert minutes.splitlines()[0] in response.content.decode()
    assert not Guide.objects.exists()


def test_nothing_to_import_is_refused(client, org, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/import/", {"text": "   "})
    assert response.status_code == 400
    assert "Upload a file or paste the guide." in visible_text(response)


def test_a_5_mb_paste_gets_a_clear_400_and_changes_nothing(client, org, alice):
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/import/", {"text": "Interview\n" * 500_000})
    assert response.status_code == 400
    assert "larger than Rubric accepts in a form" in visible_text(response)
    assert "imported as a file instead" in visible_text(response)
    assert not Guide.objects.exists()


def test_a_5_mb_upload_gets_a_clear_400_and_changes_nothing(client, org, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile("big.txt", b"Interview\n" * 500_000, content_type="text/plain")
    response = client.post(f"/o/{org.slug}/guides/import/", {"file": upload})
    assert response.status_code == 400
    assert "a guide may have at most 1 million" in visible_text(response)
    assert not Guide.objects.exists()


def test_a_file_that_is_not_text_is_refused(client, org, alice):
    client.force_login(alice)
    upload = SimpleUploadedFile(
        "guide.pdf", b"%PDF-1.7\xff\xfe\x00\x81", content_type="application/pdf"
    )
    response = client.post(f"/o/{org.slug}/guides/import/", {"file": upload})
    assert response.status_code == 400
    assert "This file is not UTF-8 text." in visible_text(response)


def test_the_seed_builder_costs_the_same_as_any_guide(
    client, org, alice, django_assert_num_queries
):
    call_command("import_guide", str(seed_guide()), "--organization", org.slug)
    version = GuideVersion.objects.get(guide__organization=org)
    client.force_login(alice)
    # As pinned for every guide in tests/test_query_counts.py.
    with django_assert_num_queries(2 + 13):
        assert client.get(f"/o/{org.slug}/guides/{version.guide_id}/edit/").status_code == 200
    stage = version.stages.get(name="System Design Interview")
    with django_assert_num_queries(2 + 11):
        response = client.get(f"/o/{org.slug}/guides/{version.guide_id}/edit/stages/{stage.pk}/")
    assert response.text.count('class="item question"') == 6
