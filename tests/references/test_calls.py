"""The reference calls' workflows called with plain arguments, as the bench and the API do."""

import pytest

from candidates.erasure import erase_candidate
from candidates.models import Activity
from references import calls
from tests.factories import make_loop, member

pytestmark = pytest.mark.django_db


def test_a_call_is_added_saved_and_removed_on_the_candidates_timeline(org):
    loop = make_loop(org)
    caller = member(org, full_name="Riley Recruiter")
    check = calls.add(loop=loop, user=caller, details={"name": "Jo Reference"})
    assert check.called_by == caller and check.revision == 0
    criterion = loop.guide_version.criteria.get(stage=None)
    calls.save_call(check=check, values={f"score-{criterion.pk}": 4, "rehire_score": 9})
    check.refresh_from_db()
    assert check.revision == 1 and check.rehire_score == 9 and check.ratings.get().score == 4
    calls.edit(check=check, details={"name": "Jo Q. Reference"})
    check.refresh_from_db()
    assert check.name == "Jo Q. Reference"
    calls.remove(check=check, user=caller)
    assert not loop.reference_checks.exists()
    texts = set(Activity.objects.filter(loop=loop).values_list("text", flat=True))
    assert {"Riley Recruiter added a reference to call", "Riley Recruiter removed a reference"} <= (
        texts
    )


def test_nothing_is_written_about_an_erased_candidate(org):
    loop = make_loop(org)
    caller = member(org)
    check = calls.add(loop=loop, user=caller, details={"name": "Jo Reference"})
    erase_candidate(candidate=loop.candidate, user=None)
    check.refresh_from_db()
    for write in (
        lambda: calls.add(loop=check.loop, user=caller, details={"name": "Alex"}),
        lambda: calls.edit(check=check, details={"name": "Alex"}),
        lambda: calls.save_call(check=check, values={"rehire_reason": "Alex is great."}),
    ):
        with pytest.raises(calls.Refused) as refused:
            write()
        assert refused.value.status == 409 and refused.value.message == calls.ERASED
