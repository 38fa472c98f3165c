"""What criteria measure: the importer's links, the JSON round trip, the builder's choice, the
database's check and the publish page's warning."""

import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from guides import placeholders, versions
from guides.models import Competency, Criterion, GuideVersion, Outcome
from tests.factories import make_guide, seed_guide
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_version(org, capsys):
    call_command("import_guide", str(seed_guide()), "--organization", org.slug)
    return GuideVersion.objects.get(guide__organization=org)


def test_the_seed_links_every_outcome_criterion_and_the_competencies_it_names(seed_version):
    criteria = Criterion.objects.filter(version=seed_version)
    assert criteria.filter(measures_outcome__isnull=False, stage__isnull=False).count() == 25
    assert criteria.filter(measures_outcome__isnull=False, stage=None).count() == 5
    for criterion in criteria.filter(measures_outcome__isnull=False):
        assert criterion.name == criterion.measures_outcome.text
    named_alike = criteria.filter(name__in=["Adaptability", "Attention to Detail"])
    assert named_alike.count() == 3
    assert all(c.measures_competency.name == c.name for c in named_alike)
    by_name = {c.name: c.measures for c in criteria.filter(measures_competency__isnull=False)}
    assert str(by_name["Communication Skills"]) == "Communication"
    assert str(by_name["System Design Skills"]) == "System Design"
    assert str(by_name["Problem Solving"]) == "Technical Problem Solving"
    assert not criteria.get(name="Code Quality", stage__name="Technical Assessment").measures


def test_the_import_summary_says_what_it_linked_and_what_it_left(org, capsys):
    call_command("import_guide", str(seed_guide()), "--organization", org.slug)
    out = capsys.readouterr().out.strip().splitlines()
    found = json.loads(out[-1])
    assert len(found["linked"]) == 40
    assert {"criterion": "Adaptability", "kind": "competency", "name": "Adaptability"} in (
        found["linked"]
    )
    assert "Database Design" in found["unlinked"]
    assert "Teamwork & Collaboration" in found["unlinked"]
    assert "  Linked 40 criteria to the competency or outcome they measure." in out


def test_the_builder_shows_the_import_summary_of_links(client, org, alice, seed_version):
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/guides/{seed_version.guide_id}/edit/"))
    assert "Linked 40 criteria to the competency or desired outcome they measure." in text
    assert "Left for you to link (each criterion's “Measures”): Technical Knowledge" in text


def test_the_json_export_carries_the_links_and_imports_them_back(
    client, org, other_org, alice, charlie
):
    version = make_guide(org)
    client.force_login(alice)
    exported = client.get(f"/o/{org.slug}/guides/{version.guide_id}/v1/export/")
    doc = json.loads(exported.content)
    assert doc["stages"][0]["criteria"][0]["measures"] == {
        "kind": "competency",
        "name": "Ownership",
    }
    assert doc["stages"][0]["criteria"][1]["measures"] is None
    assert doc["references"]["criteria"][0]["measures"] == {
        "kind": "outcome",
        "name": "Pipelines run on time",
    }
    client.force_login(charlie)
    client.post(f"/o/{other_org.slug}/guides/import/", {"text": exported.text})
    imported = Criterion.objects.filter(version__guide__organization=other_org)
    assert imported.get(name="Craft 1").measures_competency.name == "Ownership"
    assert imported.get(name="Craft 1").measures_competency.version.guide.organization == other_org
    assert imported.get(name="Reliability").measures_outcome.text == "Pipelines run on time"


def test_a_json_criterion_measuring_what_the_guide_lacks_is_refused(client, org, alice):
    doc = versions.dump(versions.version_with_parts().get(pk=make_guide(org).pk))
    data = doc.model_dump()
    data["stages"][0]["criteria"][1]["measures"] = {"kind": "competency", "name": "Telepathy"}
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/guides/import/", {"text": json.dumps(data)})
    assert response.status_code == 400
    assert "Telepathy" in visible_text(response)


def test_the_builder_links_a_criterion_to_an_outcome_and_back_to_nothing(client, org, alice):
    version = make_guide(org)
    criterion = Criterion.objects.get(version=version, name="Judgement 1")
    outcome = Outcome.objects.get(version=version)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/criterion/{criterion.pk}/"
    page = visible_text(
        client.get(f"/o/{org.slug}/guides/{version.guide_id}/edit/stages/{criterion.stage_id}/")
    )
    assert "Measures" in page
    response = client.post(
        url, {"draft": 1, "measures": f"outcome-{outcome.pk}"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    criterion.refresh_from_db()
    assert criterion.measures == outcome
    client.post(url, {"draft": 1, "measures": ""}, HTTP_HX_REQUEST="true")
    criterion.refresh_from_db()
    assert criterion.measures is None


def test_the_builder_refuses_another_guides_competency(client, org, alice):
    version = make_guide(org)
    other = make_guide(org, title="Other")
    foreign = Competency.objects.filter(version=other).first()
    criterion = Criterion.objects.get(version=version, name="Judgement 1")
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/criterion/{criterion.pk}/"
    response = client.post(
        url, {"draft": 1, "measures": f"competency-{foreign.pk}"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Choose a competency or desired outcome of this guide." in response.text
    criterion.refresh_from_db()
    assert criterion.measures is None


def test_a_criterion_cannot_measure_both(org):
    version = make_guide(org)
    criterion = Criterion.objects.get(version=version, name="Craft 1")
    criterion.measures_outcome = Outcome.objects.get(version=version)
    with pytest.raises(IntegrityError):
        criterion.save()


def test_publishing_lists_the_criteria_that_measure_nothing_but_allows_it(client, org, alice):
    version = make_guide(org)
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/publish/"
    text = visible_text(client.get(url))
    assert "3 criteria measure no competency or desired outcome" in text
    assert "Stage 1: Judgement 1" in text and "Take-home: Code" in text
    client.post(url, {"unfilled": len(placeholders.unfilled(version, org))})
    version.refresh_from_db()
    assert not version.is_draft


def test_publishing_with_unfilled_placeholders_asks_to_confirm_how_many(client, org, alice):
    version = make_guide(org)
    remaining = placeholders.unfilled(version, org)
    assert "[specific project]" in remaining
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/publish/"
    page = visible_text(client.get(url))
    assert remaining == ["[specific project]"]  # the company and location are the settings'
    assert "1 placeholder not filled in" in page
    assert "Publish with 1 placeholder unfilled" in page
    assert "Everything is in place" not in page
    refused = client.post(url)
    assert refused.status_code == 400
    assert "Not published: confirm that you publish it with" in visible_text(refused)
    assert client.post(url, {"unfilled": len(remaining) - 1}).status_code == 400
    version.refresh_from_db()
    assert version.is_draft
    assert client.post(url, {"unfilled": len(remaining)}).status_code == 302
    version.refresh_from_db()
    assert not version.is_draft and version.unfilled_placeholders == len(remaining)


def test_a_guide_with_every_placeholder_filled_is_everything_in_place(client, org, alice):
    version = make_guide(org)
    for text in placeholders.unfilled(version, org):
        placeholders.replace(version, text, "filled")
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{version.guide_id}/edit/publish/"
    assert "Everything is in place." in visible_text(client.get(url))
    assert client.post(url).status_code == 302
    version.refresh_from_db()
    assert version.unfilled_placeholders == 0
