"""Every URL pattern of the project, read from the URL resolver, and how to fill its parameters.

The sweeps (tests/test_tenancy_sweep.py, tests/test_bad_input_sweep.py) request each pattern.
A pattern whose route takes a parameter besides `org_slug` needs an entry in URL_CASES, or the
sweeps fail: adding a URL means saying here how to make an object it points at.
"""

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled
from weasyprint import HTML

from accounts.models import Membership, Organization, Role
from guides.forms import PARTS, SECTIONS
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    InvitationFactory,
    guide_document,
    make_guide,
    make_job,
    make_loop,
    member,
    reveal,
    schedule,
    submit,
)

# Namespaces left out of the sweeps, and why; and the URLs of those swept all the same.
NOT_SWEPT = {
    "admin": "Django's admin is for superusers, who look across organizations on purpose.",
    "api": "The API answers keys, not members: tests/api/test_api_sweep.py sweeps every path "
    "of its OpenAPI document.",
}
SWEPT_ANYWAY = {"admin:login"}  # anyone can post to it


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the route as written, e.g. "o/<slug:org_slug>/members/<id:pk>/role/"
    params: tuple[str, ...]
    int_params: tuple[str, ...] = ()

    @property
    def in_organization(self) -> bool:
        return "org_slug" in self.params

    @property
    def object_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p != "org_slug")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            # An unnamed pattern gets its route as its name, so that the sweeps notice it.
            local = entry.name or f"<unnamed {route}>"
            yield (f"{namespace}:{local}" if namespace else local), route


def all_routes() -> list[Route]:
    routes = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in NOT_SWEPT and name not in SWEPT_ANYWAY:
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        int_params = tuple(re.findall(r"<(?:int|id):(\w+)>", route))
        routes.append(Route(name=name, route=route, params=params, int_params=int_params))
    return routes


def _membership(org: Organization) -> dict:
    user = member(org, Role.RECRUITER)
    return {"pk": Membership.objects.get(user=user, organization=org).pk}


def _invitation(org: Organization) -> dict:
    return {"pk": InvitationFactory(organization=org).pk}


def _invitation_token(org: Organization) -> dict:
    return {"token": InvitationFactory(organization=org).token}


def _password_reset(org: Organization) -> dict:
    return {"uidb64": "MQ", "token": "set-password"}


def _guide(org: Organization) -> dict:
    return {"pk": make_guide(org).guide_id}


def _published_guide(org: Organization) -> dict:
    return {"pk": make_guide(org, publish=True).guide_id}


def _guide_with_draft(org: Organization) -> dict:
    from guides import versions

    published = make_guide(org, publish=True)
    versions.start_draft(guide=published.guide, user=None)
    return {"pk": published.guide_id}


def _version(org: Organization) -> dict:
    version = make_guide(org)
    return {"pk": version.guide_id, "number": version.number}


def _stage(org: Organization) -> dict:
    version = make_guide(org)
    return {"pk": version.guide_id, "stage_pk": version.stages.first().pk}


def _part(kind: str) -> Callable[[Organization], dict]:
    def make(org: Organization) -> dict:
        version = make_guide(org)
        return {"pk": version.guide_id, "part_pk": PARTS[kind].queryset(version).first().pk}

    return make


def _parent(kind: str) -> Callable[[Organization], dict]:
    def make(org: Organization) -> dict:
        version = make_guide(org)
        parent = PARTS[PARTS[kind].parent].queryset(version).first()
        return {"pk": version.guide_id, "parent_pk": parent.pk}

    return make


def _job(org: Organization) -> dict:
    return {"pk": make_job(org).pk}


def _candidate(org: Organization) -> dict:
    return {"pk": CandidateFactory(organization=org).pk}


# A résumé's or a packet's file for the sweeps: one small PDF, made once.
_STAND_IN_PDF = HTML(string="<p>A PDF of the sweeps</p>").write_pdf()


def _candidate_with_resume(org: Organization) -> dict:
    from django.core.files.base import ContentFile

    candidate = CandidateFactory(organization=org, resume_name="cv.pdf")
    candidate.resume.save("cv.pdf", ContentFile(_STAND_IN_PDF))
    return {"pk": candidate.pk}


def _job_of(org: Organization):
    """One job per organization for the sweeps' loops, so that a form can name its stages."""
    from candidates.models import Job

    return Job.objects.filter(organization=org).order_by("pk").first() or make_job(org)


def _interviewer_of(org: Organization):
    membership = Membership.objects.filter(organization=org, role=Role.INTERVIEWER).first()
    return membership.user if membership else member(org)


def _loop(org: Organization) -> dict:
    return {"pk": make_loop(org, job=_job_of(org)).pk}


def _interview(org: Organization) -> dict:
    loop = make_loop(org, job=_job_of(org))
    return {"pk": schedule(loop, interviewers=[_interviewer_of(org)]).pk}


def _admins_scorecard(org: Organization):
    """A scorecard of the organization's first admin (Alice in Alpha) for an interview held
    yesterday, on the first stage of the sweeps' job."""
    from datetime import timedelta

    from django.utils import timezone

    membership = Membership.objects.filter(organization=org, role=Role.ADMIN).first()
    admin = membership.user if membership else member(org, Role.ADMIN)
    loop = make_loop(org, job=_job_of(org))
    interview = schedule(loop, interviewers=[admin], starts_at=timezone.now() - timedelta(days=1))
    with scopes_disabled():
        return interview.scorecards.get()


def _scorecard(org: Organization) -> dict:
    return {"pk": _admins_scorecard(org).pk}


def _submitted_scorecard(org: Organization) -> dict:
    return {"pk": submit(_admins_scorecard(org)).pk}


def _scorecard_form(org: Organization) -> dict:
    """Every field of a scorecard of the first stage of the sweeps' job, filled in."""
    with scopes_disabled():
        stage = _job_of(org).guide_version.stages.first()
        criteria = list(stage.criteria.values_list("pk", flat=True))
        questions = list(stage.questions.values_list("pk", flat=True))
    return {
        "revision": "0",
        **{f"score-{pk}": "3" for pk in criteria},
        **{f"note-{pk}": "Clear reasoning." for pk in criteria},
        **{f"question-{pk}": "Spoke about queues." for pk in questions},
        "recommendation": "3",
        "summary": "Would hire.",
    }


def _revealed_loop(org: Organization) -> dict:
    """A loop whose debrief has revealed the recommendations, the admin's feedback in."""
    card = submit(_admins_scorecard(org))
    with scopes_disabled():
        loop = card.interview.loop
    reveal(loop)
    return {"pk": loop.pk}


def _reference(org: Organization) -> dict:
    from references.models import ReferenceCheck

    loop = make_loop(org, job=_job_of(org))
    return {"pk": ReferenceCheck.objects.create(loop=loop, name="Jo Reference").pk}


def _packet(org: Organization) -> dict:
    """A ready packet that the organization's first admin exported."""
    from django.core.files.base import ContentFile

    from candidates.models import Packet

    membership = Membership.objects.filter(organization=org, role=Role.ADMIN).first()
    admin = membership.user if membership else member(org, Role.ADMIN)
    loop = make_loop(org, job=_job_of(org))
    packet = Packet(loop=loop, requested_by=admin, status="ready", content_as_of=loop.updated_at)
    packet.file.save("packet.pdf", ContentFile(_STAND_IN_PDF))
    return {"pk": packet.pk}


def _api_key(org: Organization) -> dict:
    from api.keys import create_key

    return {"pk": create_key(organization=org, name="ATS", can_write=False, user=None)[0].pk}


def _webhook(org: Organization) -> dict:
    from api import webhooks

    url = "https://hooks.example.com/rubric"
    return {"pk": webhooks.create_endpoint(organization=org, url=url, events=[], user=None).pk}


def _delivery(org: Organization) -> dict:
    from api.models import Delivery, WebhookEndpoint

    endpoint = WebhookEndpoint.objects.get(pk=_webhook(org)["pk"])
    delivery = Delivery.objects.create(
        endpoint=endpoint, message_id="msg_sweep", event="packet.ready", subject_id=1, payload={}
    )
    return {"pk": delivery.pk}


def _reference_parts(org: Organization) -> tuple[list[int], list[int]]:
    """The sweeps' job's reference criteria and questions."""
    with scopes_disabled():
        version = _job_of(org).guide_version
        criteria = list(version.criteria.filter(stage=None).values_list("pk", flat=True))
        questions = list(version.reference_questions.values_list("pk", flat=True))
    return criteria, questions


def _call_form(org: Organization) -> dict:
    criteria, questions = _reference_parts(org)
    return {
        "revision": "0",
        **{f"answer-{pk}": "Two years on one team." for pk in questions},
        **{f"score-{pk}": "3" for pk in criteria},
        **{f"note-{pk}": "Dependable." for pk in criteria},
        "rehire_score": "9",
        "rehire_reason": "At once.",
    }


def _debrief_note_form(org: Organization) -> dict:
    with scopes_disabled():
        question = _job_of(org).guide_version.debrief_questions.first()
    return {f"question-{question.pk}": "Ask about the queue design.", "base": ""}


def _exercise_of(org: Organization):
    """A take-home of the sweeps' job sent to a new candidate, due in three days."""
    from datetime import timedelta

    from django.utils import timezone

    loop = make_loop(org, job=_job_of(org))
    with scopes_disabled():
        stage = loop.guide_version.stages.get(kind="take_home")
    interview = schedule(
        loop,
        interviewers=[_interviewer_of(org)],
        stage=stage,
        starts_at=timezone.now(),
        minutes=int(timedelta(days=3).total_seconds() // 60),
    )
    with scopes_disabled():
        return interview.exercise


def _exercise(org: Organization) -> dict:
    return {"pk": _exercise_of(org).pk}


def _exercise_token(org: Organization) -> dict:
    return {"token": _exercise_of(org).token()}


def _hand_in(org: Organization) -> dict:
    from django.core.files.base import ContentFile

    from exercises.models import HandIn

    hand_in = HandIn(exercise=_exercise_of(org), file_name="work.pdf", note="Run make.")
    hand_in.file.save("work.pdf", ContentFile(_STAND_IN_PDF))
    return {"pk": hand_in.pk}


@dataclass(frozen=True)
class Case:
    make: Callable[[Organization], dict]  # creates an object in `org`; returns the URL kwargs
    tenant_object: bool = True  # False: the parameter is not an object of an organization
    why_not: str = ""


# One entry per URL pattern that takes a parameter besides org_slug.
URL_CASES: dict[str, Case] = {
    "accounts:member-role": Case(_membership),
    "accounts:member-remove": Case(_membership),
    "accounts:member-training": Case(_membership),
    "accounts:invitation-revoke": Case(_invitation),
    "accounts:invitation-resend": Case(_invitation),
    "accounts:invitation-accept": Case(
        _invitation_token,
        tenant_object=False,
        why_not="The signed link is the invitee's key; see tests/accounts/test_invitations.py.",
    ),
    "guides:guide-detail": Case(_guide),
    "guides:guide-edit": Case(_published_guide),
    "guides:guide-publish": Case(_guide),
    "guides:guide-copy": Case(_guide),
    "guides:guide-delete": Case(_guide),
    "guides:draft-discard": Case(_guide_with_draft),
    "guides:guide-compare": Case(_guide),
    "guides:placeholder-fill": Case(_guide),
    "guides:guide-version": Case(_version),
    "guides:guide-export": Case(_version),
    "guides:guide-pdf": Case(_version),
    "guides:stage-preview": Case(_stage),
    "guides:stage-edit": Case(_stage),
    **{f"guides:{section}-update": Case(_guide) for section in SECTIONS},
    **{
        f"guides:{kind}-{action}": Case(_part(kind))
        for kind in PARTS
        for action in ("update", "delete")
    },
    **{f"guides:{kind}-reorder": Case(_guide) for kind in PARTS},
    **{
        f"guides:{kind}-add": Case(_parent(kind) if part.parent else _guide)
        for kind, part in PARTS.items()
    },
    "candidates:job-detail": Case(_job),
    "insights:job-insights": Case(_job),
    "candidates:job-edit": Case(_job),
    "candidates:candidate-detail": Case(_candidate),
    "candidates:candidate-edit": Case(_candidate),
    "candidates:candidate-resume": Case(_candidate_with_resume),
    "candidates:candidate-erase": Case(_candidate),
    "candidates:loop-new": Case(_candidate),
    "candidates:loop-detail": Case(_loop),
    "candidates:loop-status": Case(_loop),
    "candidates:interview-new": Case(_loop),
    "candidates:loop-packet": Case(_loop),
    "candidates:packet-download": Case(_packet),
    "candidates:interview-edit": Case(_interview),
    "candidates:interview-cancel": Case(_interview),
    "candidates:interview-calendar": Case(_interview),
    "scorecards:kit": Case(_interview),
    "scorecards:scorecard-detail": Case(_scorecard),
    "scorecards:scorecard-field": Case(_scorecard),
    "scorecards:scorecard-submit": Case(_scorecard),
    "scorecards:scorecard-amend": Case(_submitted_scorecard),
    "debriefs:debrief": Case(_revealed_loop),
    "debriefs:debrief-phase": Case(_loop),
    "debriefs:debrief-notes": Case(_revealed_loop),
    "debriefs:recommendation-change": Case(_revealed_loop),
    "debriefs:decision": Case(_revealed_loop),
    "debriefs:job-compare": Case(_job),
    "references:reference-list": Case(_loop),
    "references:reference-new": Case(_loop),
    "references:reference-call": Case(_reference),
    "references:reference-field": Case(_reference),
    "references:reference-edit": Case(_reference),
    "references:reference-delete": Case(_reference),
    "exercises:exercise-send": Case(_loop),
    "exercises:exercise-resend": Case(_exercise),
    "exercises:exercise-extend": Case(_exercise),
    "exercises:exercise-revoke": Case(_exercise),
    "exercises:loop-confirmations": Case(_loop),
    "exercises:hand-in-file": Case(_hand_in),
    "exercises:hand-in": Case(
        _exercise_token,
        tenant_object=False,
        why_not="The private link is the candidate's key; see tests/exercises/.",
    ),
    "integrations:key-revoke": Case(_api_key),
    "integrations:webhook-detail": Case(_webhook),
    "integrations:webhook-switch": Case(_webhook),
    "integrations:webhook-delete": Case(_webhook),
    "integrations:delivery-resend": Case(_delivery),
    "password_reset_confirm": Case(
        _password_reset,
        tenant_object=False,
        why_not="Django's own signed reset link for a user, not an organization's object.",
    ),
}


def _invite_form(org: Organization) -> dict:
    return {"email": "someone@example.test", "role": "recruiter"}


def _settings_form(org: Organization) -> dict:
    return {
        "name": "Alpha",
        "company_name": "Alpha Ltd",
        "location": "Porto",
        "time_zone": "Europe/Lisbon",
        "feedback_due_hours": "24",
        "reminder_interval_hours": "24",
        "kit_email_hours": "24",
        "stuck_after_days": "7",
        "paper_size": "letter",
        "leniency_minimum": "10",
        "shadows_to_qualify": "2",
    }


def _sign_up_form(org: Organization) -> dict:
    return {"full_name": "Nina", "password1": "a long new secret", "password2": "a long new secret"}


def _login_form(org: Organization) -> dict:
    return {"username": "alice@alpha.test", "password": PASSWORD}


# A valid form for each URL that takes one, and who sends it ("admin" is Alice of the tests'
# personas): the sweep spoils one field at a time, so that bad values get past the other
# fields into the workflow behind the form.
FORM_CASES: dict[str, tuple[str, Callable[[Organization], dict]]] = {
    "accounts:members": ("admin", _invite_form),
    "accounts:org-settings": ("admin", _settings_form),
    "accounts:member-role": ("admin", lambda org: {"role": "recruiter"}),
    "accounts:account-emails": ("admin", lambda org: {"notification_emails": "on"}),
    "accounts:invitation-accept": ("anonymous", _sign_up_form),
    "login": ("anonymous", _login_form),
    "admin:login": ("anonymous", _login_form),
    "password_reset": ("anonymous", lambda org: {"email": "nobody@example.test"}),
    "password_change": (
        "admin",
        lambda org: {
            "old_password": PASSWORD,
            "new_password1": "a new long secret",
            "new_password2": "a new long secret",
        },
    ),
}


ANCHORS = {f"anchor_{score}": f"Score {score} means this." for score in range(5)}

FORM_CASES |= {
    "guides:guide-new": ("admin", lambda org: {"title": "Analytics Engineer"}),
    "guides:guide-starter": ("admin", lambda org: {"starter": "software-engineer"}),
    "guides:guide-import": ("admin", lambda org: {"text": guide_document().model_dump_json()}),
    "guides:placeholder-fill": (
        "admin",
        lambda org: {
            "draft": "1",
            "placeholder": "[specific project]",
            "value": "the billing migration",
        },
    ),
    "guides:overview-update": (
        "admin",
        lambda org: {
            "draft": "1",
            "title": "Data Engineer",
            "introduction": "Hello.",
            "how_to_use": "- Read",
        },
    ),
    "guides:stage-add": (
        "admin",
        lambda org: {"draft": "1", "name": "Onsite", "kind": "interview"},
    ),
    "guides:stage-update": (
        "admin",
        lambda org: {"name": "Onsite", "kind": "take_home", "duration_minutes": "45"},
    ),
    "guides:question-add": ("admin", lambda org: {"draft": "1", "text": "What did you ship last?"}),
    "guides:question-update": ("admin", lambda org: {"text": "What did you ship?"}),
    "guides:area-add": ("admin", lambda org: {"draft": "1", "text": "Scope of the work"}),
    "guides:criterion-add": ("admin", lambda org: {"draft": "1", "name": "Curiosity"}),
    "guides:criterion-update": ("admin", lambda org: {"name": "Curiosity", **ANCHORS}),
    "guides:faq-update": ("admin", lambda org: {"question": "Why?", "answer": "Because."}),
}


_numbers = itertools.count()


def _candidate_form(org: Organization) -> dict:
    return {
        "name": "Nina Candidate",
        "email": f"nina{next(_numbers)}@example.test",
        "time_zone": "Europe/Berlin",
    }


def _interview_form(org: Organization) -> dict:
    return {
        "date": "2030-05-04",
        "start": "10:00",
        "end": "11:00",
        "location": "Room 1",
        "video_link": "https://meet.example/abc",
        "interviewers": str(_interviewer_of(org).pk),
        "confirm": "1",
    }


FORM_CASES |= {
    "candidates:job-new": (
        "admin",
        lambda org: {
            "title": "Analyst",
            "guide_version": str(make_guide(org, publish=True).pk),
            "status": "open",
        },
    ),
    "candidates:job-edit": (
        "admin",
        lambda org: {
            "title": "Analyst",
            "guide_version": str(make_guide(org, publish=True).pk),
            "status": "on_hold",
        },
    ),
    "candidates:candidate-new": ("admin", _candidate_form),
    "candidates:candidate-edit": ("admin", _candidate_form),
    "candidates:candidate-erase": ("admin", lambda org: {"confirm": "erase"}),
    "candidates:loop-new": ("admin", lambda org: {"job": str(make_job(org).pk)}),
    "candidates:loop-status": (
        "admin",
        lambda org: {"status": "rejected", "rejection_reason": "Not yet senior enough."},
    ),
    "candidates:interview-new": (
        "admin",
        lambda org: {
            "stage": str(_job_of(org).guide_version.stages.first().pk),
            **_interview_form(org),
        },
    ),
    "candidates:interview-edit": ("admin", _interview_form),
    "scorecards:scorecard-field": ("admin", lambda org: {"revision": "0", "summary": "Good."}),
    "scorecards:scorecard-submit": (
        "admin",
        lambda org: {**_scorecard_form(org), "intent": "submit"},
    ),
    "scorecards:scorecard-amend": (
        "admin",
        # A submitted scorecard's revision is 1: submitting (tests.factories.submit) wrote it.
        lambda org: {**_scorecard_form(org), "revision": "1", "reason": "Reread my notes."},
    ),
}


FORM_CASES |= {
    "debriefs:debrief-phase": ("admin", lambda org: {"to": "discussing"}),
    "debriefs:debrief-notes": ("admin", _debrief_note_form),
    "debriefs:recommendation-change": (
        "admin",
        lambda org: {"recommendation": "4", "reason": "The discussion moved me."},
    ),
    "debriefs:decision": (
        "admin",
        lambda org: {
            "revision": "0",
            "decision": "more_information",
            "to_find_out": "How they handle on-call.",
            "rationale": "Strong, one open question.",
            "next_steps": "A call with the team lead.",
        },
    ),
    "references:reference-new": (
        "admin",
        lambda org: {
            "name": "Jo Reference",
            "relationship": "Manager",
            "company": "Initech",
            "contact": "jo@initech.example",
            "worked_together": "2 years",
        },
    ),
    "references:reference-edit": ("admin", lambda org: {"name": "Jo Reference", "company": "X"}),
    "references:reference-call": ("admin", _call_form),
    "references:reference-field": ("admin", lambda org: {"revision": "0", "rehire_score": "7"}),
    "integrations:keys": ("admin", lambda org: {"name": "Greenhouse", "can_write": "on"}),
    "integrations:webhook-list": (
        "admin",
        lambda org: {"url": "https://hooks.example.com/rubric", "events": ["packet.ready"]},
    ),
    "integrations:webhook-switch": ("admin", lambda org: {"on": "0"}),
}


def routes_with_parameters() -> list[Route]:
    return [r for r in all_routes() if r.object_params]


def tenant_object_routes() -> list[Route]:
    return [
        r
        for r in routes_with_parameters()
        if r.name not in URL_CASES or URL_CASES[r.name].tenant_object
    ]


def url_for(route: Route, **kwargs) -> str:
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model of ours, to show that a request changed nothing."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        for model in config.get_models():
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows
