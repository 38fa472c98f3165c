"""What an applicant tracking system writes through the API: candidates taken in idempotently
on their e-mail, put in a job, scheduled, withdrawn or rejected. Each is atomic and refuses
with `Refused`, which the API answers in its error shape."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organization, User, normalize_email
from candidates import scheduling, services
from candidates.models import Activity, Candidate, Interview, Job, Loop
from guides.models import Stage

CANDIDATE_FIELDS = ["name", "email", "phone", "links", "source"]


class Refused(Exception):
    def __init__(self, message: str, *, status: int = 400, code: str = "refused", fields=None):
        super().__init__(message)
        self.status, self.code, self.fields = status, code, fields or {}


def _valid(candidate: Candidate) -> None:
    try:
        candidate.full_clean(
            exclude=["resume", "organization", "created_by"], validate_unique=False
        )
    except ValidationError as error:
        raise Refused(
            "Some values are invalid.", status=422, code="invalid", fields=error.message_dict
        ) from None


def take_candidate(*, organization: Organization, values: dict) -> tuple[Candidate, bool]:
    """The organization's candidate with this e-mail, updated with `values`, or a new one: and
    whether they are new. Sent twice, the second changes nothing."""
    values = {**values, "email": normalize_email(values["email"])}
    values["links"] = "\n".join(values.get("links") or [])
    try:
        return _take(organization, values)
    except IntegrityError:  # added by another request meanwhile: now there is one to update
        return _take(organization, values)


@transaction.atomic
def _take(organization: Organization, values: dict) -> tuple[Candidate, bool]:
    candidate = (
        Candidate.objects.select_for_update()
        .filter(organization=organization, email__iexact=values["email"])
        .first()
    )
    if candidate is None:
        candidate = Candidate(organization=organization, **values)
        _valid(candidate)
        services.add_candidate(candidate=candidate, user=None, job=None)
        return candidate, True
    if candidate.erased_at:
        raise Refused("This candidate's data was erased.", status=409, code="erased")
    changed = [
        Candidate._meta.get_field(name).verbose_name
        for name in CANDIDATE_FIELDS
        if getattr(candidate, name) != values[name]
    ]
    for name in CANDIDATE_FIELDS:
        setattr(candidate, name, values[name])
    _valid(candidate)
    if changed:
        candidate.save()
        Activity.record(
            candidate, f"Details changed through the API: {', '.join(changed)}", actor=None
        )
    return candidate, False


@transaction.atomic
def add_to_job(*, candidate: Candidate, job: Job) -> tuple[Loop, bool]:
    """The candidate's loop in the job, started now or already there: and whether it is new."""
    if candidate.erased_at:
        raise Refused("This candidate's data was erased.", status=409, code="erased")
    if job.status != Job.Status.OPEN:
        raise Refused("This job is not open.", status=409, code="job_not_open")
    try:
        return services.start_loop(candidate=candidate, job=job, user=None), True
    except services.AlreadyInJob as already:
        return already.loop, False


@transaction.atomic
def schedule(
    *,
    loop: Loop,
    stage_id: int,
    slot: scheduling.Slot,
    emails: list[str],
    shadow_emails: list[str] = (),
) -> Interview:
    """An interview of one of the loop's stages with the members of these e-mails on its
    panel, and those of `shadow_emails` shadowing it."""
    loop = (
        Loop.objects.select_for_update(of=("self",))
        .select_related("job", "candidate")
        .get(pk=loop.pk)
    )
    if loop.status != Loop.Status.ACTIVE:
        raise Refused("This loop has ended.", status=409, code="loop_ended")
    if slot.ends_at <= slot.starts_at:
        raise Refused("An interview ends after it starts.", status=422, code="invalid")
    stage = Stage.objects.filter(pk=stage_id, version=loop.guide_version_id).first()
    if stage is None:
        raise Refused("There is no such stage in this loop's guide.", status=422, code="invalid")
    panel = {normalize_email(email) for email in emails}
    shadowing = {normalize_email(email) for email in shadow_emails}
    wanted = panel | shadowing
    members = list(
        User.objects.filter(
            email__in=wanted, is_active=True, memberships__organization=loop.job.organization_id
        )
    )
    if missing := wanted - {user.email for user in members}:
        raise Refused(
            f"Not members of this organization: {', '.join(sorted(missing))}.",
            status=422,
            code="invalid",
        )
    try:
        return scheduling.schedule(
            loop=loop,
            stage=stage,
            slot=slot,
            interviewers=[user for user in members if user.email in panel],
            shadows=[user for user in members if user.email in shadowing],
            user=None,
        )
    except scheduling.Refused as refused:
        raise Refused(str(refused), status=409) from None


@transaction.atomic
def end_loop(*, loop: Loop, status: str, reason: str) -> Loop:
    """Withdraw or reject: the loop's interviews to come are cancelled."""
    loop = (
        Loop.objects.select_for_update(of=("self",))
        .select_related("job", "candidate")
        .get(pk=loop.pk)
    )
    if loop.status != Loop.Status.ACTIVE:
        raise Refused("This loop has already ended.", status=409, code="loop_ended")
    services.set_loop_status(loop=loop, status=status, reason=reason, user=None)
    return loop
