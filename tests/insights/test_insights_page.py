"""The insights pages: what an admin reads, what rule 2 keeps out, and their query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import make_job, make_loop, member, schedule, submit
from tests.html import visible_text

# The figures and their cache, on SQLite too (the demo's database).
pytestmark = pytest.mark.sqlite

YESTERDAY = timezone.now() - timedelta(days=1)


def panel(org, job, ada, grace, *, ada_score, grace_score):
    loop = make_loop(org, job=job)
    interview = schedule(loop, interviewers=[ada, grace], starts_at=YESTERDAY)
    submit(interview.scorecards.get(interviewer=ada), score=ada_score)
    submit(interview.scorecards.get(interviewer=grace), score=grace_score)
    return loop


def test_an_admin_reads_agreement_and_leniency(client, org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    for ada_score, grace_score in [(4, 3), (3, 2), (2, 1), (4, 3), (3, 2)]:
        panel(org, job, ada, grace, ada_score=ada_score, grace_score=grace_score)
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/"))
    assert "Ada Lovelace" in text and "Grace Hopper" in text
    assert "Krippendorff's alpha" in text
    org.leniency_minimum = 2
    org.save()
    text = visible_text(client.get(f"/o/{org.slug}/insights/"))
    assert "1.00" in text and "-1.00" in text  # Ada one above Grace, Grace one below


def test_a_loop_in_which_the_viewer_owes_feedback_is_left_out(client, org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    job = make_job(org)
    loop = make_loop(org, job=job)
    interview = schedule(loop, interviewers=[ada, alice], starts_at=YESTERDAY)
    submit(interview.scorecards.get(interviewer=ada), score=4)
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/insights/"))
    assert "Ada Lovelace" not in text
    submit(interview.scorecards.get(interviewer=alice), score=2)
    assert "Ada Lovelace" in visible_text(client.get(f"/o/{org.slug}/insights/"))


def test_an_interviewer_may_not_read_insights(client, org, bob):
    client.force_login(bob)
    assert client.get(f"/o/{org.slug}/insights/").status_code == 403


def test_a_backwards_date_range_says_so(client, org, alice):
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/insights/?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 400
    assert "after its end" in response.text


def test_the_query_count_does_not_grow_with_the_loops(
    client, org, alice, django_assert_max_num_queries
):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    for i in range(12):
        panel(org, job, ada, grace, ada_score=1 + i % 4, grace_score=1 + (i + 1) % 4)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/")


def test_each_figure_links_the_paper_behind_it(client, org, alice):
    import re

    ada = member(org, Role.INTERVIEWER)
    job = make_job(org)
    panel(org, job, ada, alice, ada_score=3, grace_score=2)
    client.force_login(alice)
    html = client.get(f"/o/{org.slug}/insights/").text
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html))
    assert links["Krippendorff (2011)"] == "https://repository.upenn.edu/asc_papers/43"
    assert links["Hayes &amp; Krippendorff (2007)"] == "https://doi.org/10.1080/19312450709336664"
    assert links["Huffcutt et al. 2013"] == "https://doi.org/10.1111/ijsa.12036"
    assert links["Sackett et al. 2022"] == "https://doi.org/10.1037/apl0000994"
    assert links["Levashina et al. 2014"] == "https://doi.org/10.1111/peps.12052"
    assert links["Hoyt 2000"] == "https://doi.org/10.1037/1082-989X.5.1.64"


def test_the_filters_show_what_was_typed_each_time_and_the_versions_counted(client, org, alice):
    """The filters' HTML is kept with the figures: each visit still shows its own dates, and a
    new job's loops bring their guide version into the choice."""
    from tests.factories import make_guide

    ada = member(org, Role.INTERVIEWER)
    grace = member(org, Role.INTERVIEWER)
    panel(org, make_job(org), ada, grace, ada_score=3, grace_score=2)
    client.force_login(alice)
    client.get(f"/o/{org.slug}/insights/")
    for since in ("2026-01-02", "2026-03-04"):
        page = client.get(f"/o/{org.slug}/insights/", {"since": since})
        assert f'name="since" value="{since}"' in page.text
    assert "Later Role v1" not in client.get(f"/o/{org.slug}/insights/").text
    version = make_guide(org, publish=True, title="Later Role")
    panel(org, make_job(org, version=version), ada, grace, ada_score=1, grace_score=1)
    assert "Later Role v1" in client.get(f"/o/{org.slug}/insights/").text
