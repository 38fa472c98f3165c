"""A guide version printed as PDF, for the hiring team: the packet's machinery, here and now."""

import io

import pytest
from pypdf import PdfReader

from accounts.models import Role
from tests.factories import make_guide, member

pytestmark = pytest.mark.django_db


def test_a_guide_prints_as_a_pdf_with_its_stages_anchors_and_bookmarks(client, org, alice):
    version = make_guide(org, publish=True)
    guide = version.guide
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/guides/{guide.pk}/v1/")
    assert f"/o/{org.slug}/guides/{guide.pk}/v1/pdf/" in page.content.decode()

    response = client.get(f"/o/{org.slug}/guides/{guide.pk}/v1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="data-engineer-v1.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    stage = version.stages.first()
    criterion = stage.criteria.first()
    assert version.title in text
    assert " ".join(criterion.anchor(4).split()) in text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert stage.name in " ".join(titles)
    assert "Contents" in titles


def test_the_guide_pdf_takes_the_organizations_paper_size(client, org, alice):
    org.paper_size = "letter"
    org.save()
    guide = make_guide(org, publish=True).guide
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/guides/{guide.pk}/v1/pdf/")
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_interviewers_do_not_print_guides(client, org):
    guide = make_guide(org, publish=True).guide
    client.force_login(member(org, Role.INTERVIEWER, email="ivy@alpha.test"))
    assert client.get(f"/o/{org.slug}/guides/{guide.pk}/v1/pdf/").status_code == 403


def test_a_published_guide_reads_with_the_organizations_current_name(client, org, alice):
    version = make_guide(org, publish=True)
    client.force_login(alice)
    path = f"/o/{org.slug}/guides/{version.guide_id}/v1/"
    assert 'pipelines at <span class="filled" title="[Company]">Alpha GmbH</span>' in (
        client.get(path).text
    )
    org.company_name = "Alpha & Sons"
    org.save()
    page = client.get(path).text
    assert 'pipelines at <span class="filled" title="[Company]">Alpha &amp; Sons</span>' in page
    assert "Interview guide · Alpha &amp; Sons · Version 1" in page
    pdf = client.get(f"{path}pdf/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Alpha & Sons" in text


def test_a_draft_reads_as_it_is_now(client, org, alice):
    draft = make_guide(org)
    client.force_login(alice)
    path = f"/o/{org.slug}/guides/{draft.guide_id}/v1/"
    assert "Draft v1" in client.get(path).text
    stage = draft.stages.first()
    stage.name = "Renamed while drafting"
    stage.save()
    assert "Renamed while drafting" in client.get(path).text
