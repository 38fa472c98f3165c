import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from functools import partial

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, User
from candidates import scheduling, services
from candidates.models import Activity, Candidate, Interview, Job, Loop
from debriefs import meeting
from debriefs.models import Debrief, RecommendationChange
from demo.data import (
    DEMO_PASSWORD,
    FIRST_SUBMISSION_AFTER,
    GUIDE_VALUES,
    HISTORY,
    JOBS,
    NEXT_SUBMISSION_AFTER,
    ORGANIZATIONS,
    SEED_GUIDE,
    DemoCandidate,
    DemoDebrief,
    DemoHistory,
    DemoJob,
    DemoReference,
    Feedback,
    Meeting,
)
from exercises import sending as exercises
from exercises.models import ExerciseEmail
from guides import placeholders, versions
from guides.importer import read_guide
from guides.models import Criterion, GuideVersion, Recommendation, Stage
from references import calls
from scorecards import submission
from scorecards.models import Amendment, FeedbackReminder, Scorecard


class Command(BaseCommand):
    help = "Creates the demo organizations and logins; running it again changes nothing."

    @scopes_disabled()
    @transaction.atomic
    def handle(self, *args, **options):
        for spec in ORGANIZATIONS:
            organization, _ = Organization.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    key: spec[key]
                    for key in ("name", "company_name", "location", "time_zone", "kit_email_hours")
                    if key in spec
                },
            )
            users = []
            for email, full_name, role in spec["members"]:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
                elif not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                Membership.objects.update_or_create(
                    organization=organization, user=user, defaults={"role": role}
                )
                users.append(user)
            for email, role in spec["invitations"]:
                pending = Invitation.objects.filter(
                    organization=organization, email=email, accepted_at=None
                )
                joined = Membership.objects.filter(organization=organization, user__email=email)
                if not pending.exists() and not joined.exists():
                    invitation = Invitation(
                        organization=organization, email=email, role=role, invited_by=users[0]
                    )
                    # Its link is in no mailbox: "Send again" on the members page sends one.
                    invitation.new_token()
                    invitation.save()
            self.seed_guides(organization, author=users[1])
        for job in JOBS:
            self.seed_job(job)
        seed_history(HISTORY)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    def seed_guides(self, organization: Organization, author: User) -> None:
        """The starter library, published; Acme also runs the real guide beside the project."""
        have = set(
            GuideVersion.objects.filter(guide__organization=organization).values_list(
                "title", flat=True
            )
        )
        drafts = [
            versions.create_from_starter(organization=organization, starter=name, user=author)
            for name, title in versions.starters().items()
            if title not in have
        ]
        if organization.slug == "acme" and SEED_GUIDE.exists():
            document = read_guide(SEED_GUIDE.read_text(encoding="utf-8")).document
            if document.title not in have:
                drafts.append(
                    versions.create_guide(organization=organization, document=document, user=author)
                )
        values = GUIDE_VALUES.get(organization.slug, {})
        for draft in drafts:
            for text in placeholders.unfilled(draft, organization):
                if value := values.get(placeholders.key(text[1:-1])):
                    placeholders.replace(draft, text, value)
            versions.publish(version=draft, user=author)

    def seed_job(self, spec: DemoJob) -> None:
        """The job with its candidates, unless the organization has a job of that title."""
        organization = Organization.objects.get(slug=spec.organization)
        if Job.objects.filter(organization=organization, title=spec.title).exists():
            return  # seeded before: what became of it since is left as it is
        version = published_guide(organization, spec.guides)
        if version is None:
            self.stderr.write(f"{organization.name} has no guide for “{spec.title}”: skipped.")
            return
        people = {
            user.email: user for user in User.objects.filter(memberships__organization=organization)
        }
        hiring_manager = people[spec.hiring_manager]
        recruiter = people.get(spec.recruiter)
        job = Job.objects.create(
            organization=organization,
            title=spec.title,
            department=spec.department,
            location=spec.location,
            guide_version=version,
            hiring_manager=hiring_manager,
            recruiter=recruiter,
            created_by=recruiter or hiring_manager,
        )
        # The timeline names times in the organization's zone, as its members' requests do.
        with timezone.override(organization.zone):
            for candidate in spec.candidates:
                seed_candidate(job, candidate, people, by=recruiter or hiring_manager)


def published_guide(organization: Organization, titles: tuple[str, ...]) -> GuideVersion | None:
    """The newest published version of the first of `titles` that the organization has."""
    published = GuideVersion.objects.filter(
        guide__organization=organization, status=GuideVersion.Status.PUBLISHED
    ).order_by("-published_at", "-pk")
    for title in titles:
        if version := published.filter(title=title).first():
            return version
    return None


def working_day(today: date, offset: int) -> date:
    """The day `offset` working days (Monday to Friday) after today, before it if negative."""
    day, step = today, timedelta(days=1 if offset > 0 else -1)
    for _ in range(abs(offset)):
        day += step
        while day.weekday() >= 5:
            day += step
    return day


def seed_candidate(job: Job, spec: DemoCandidate, people: dict[str, User], *, by: User) -> None:
    """The candidate in the job, with the interviews and feedback of `spec`, backdated."""
    zone = job.organization.zone
    now = timezone.now()
    today = timezone.localdate(now, zone)
    added_at = datetime.combine(working_day(today, -spec.added), time(9, 30), tzinfo=zone)
    candidate = Candidate.objects.filter(organization=job.organization, email=spec.email).first()
    if candidate is None:  # else they are in another job already, and join this one too
        candidate = Candidate(
            organization=job.organization,
            name=spec.name,
            email=spec.email,
            phone=spec.phone,
            links=spec.links,
            source=spec.source,
            notes=spec.notes,
            time_zone=spec.time_zone,
        )
        with happened(job.organization, added_at):
            services.add_candidate(candidate=candidate, user=by, job=None)
        Candidate.objects.filter(pk=candidate.pk).update(created_at=added_at)
    with happened(job.organization, added_at):
        loop = services.start_loop(candidate=candidate, job=job, user=by)
    Loop.objects.filter(pk=loop.pk).update(created_at=added_at)
    # What happens in the loop, in the order it happened, so that its timeline reads in order.
    events: list[tuple[datetime, Callable[[], object]]] = []
    stages = job.guide_version.stages.all()
    # A guide with fewer stages than the demo has meetings gets fewer interviews.
    for stage, planned in zip(stages, spec.meetings, strict=False):
        events += meeting_events(
            loop, stage, planned, people, by=by, today=today, added_at=added_at, now=now
        )
    for moment, happen in sorted(events, key=lambda event: event[0]):
        with happened(job.organization, moment):
            happen()
    if spec.take_home_sent:
        send_take_home(loop, people, by=by, today=today, now=now)
    # The references were called before the debrief.
    with happened(job.organization, now - timedelta(hours=3, minutes=30)):
        for reference in spec.references:
            seed_reference(loop, reference, by=by)
    if spec.debrief:
        seed_debrief(loop, spec.debrief, people, now=now)


def meeting_events(
    loop: Loop,
    stage: Stage,
    planned: Meeting,
    people: dict[str, User],
    *,
    by: User,
    today: date,
    added_at: datetime,
    now: datetime,
) -> list[tuple[datetime, Callable[[], object]]]:
    """The stage's interview at the meeting's time, scheduled in the afternoon two working days
    ahead (not before the candidate came and, for an interview to come, not later than
    yesterday), then its feedback: each event with when it happened."""
    zone = loop.job.organization.zone
    starts_at = datetime.combine(working_day(today, planned.day), planned.start, tzinfo=zone)
    slot = scheduling.Slot(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=planned.minutes),
        location=planned.location,
        video_link=planned.video_link,
    )
    day = min(working_day(starts_at.date(), -2), working_day(today, -1))
    scheduled_at = max(added_at, datetime.combine(day, time(16, 0), tzinfo=zone))
    interviews: list[Interview] = []

    def schedule() -> None:
        seated = [(people[f.interviewer], f.shadow) for f in planned.feedback]
        interview = scheduling.schedule(
            loop=loop,
            stage=stage,
            slot=slot,
            interviewers=[user for user, shadow in seated if not shadow],
            shadows=[user for user, shadow in seated if shadow],
            user=by,
        )
        interviews.append(interview)
        for feedback in planned.feedback:
            submission.save_draft(scorecard=card_of(feedback), values=typed(feedback, stage))

    def hand_in(at: datetime) -> None:
        exercise = interviews[0].exercise
        # Sent when the stage was scheduled, the link already e-mailed.
        ExerciseEmail.objects.create(exercise=exercise, kind="link", sent_at=scheduled_at)
        exercises.hand_in(
            exercise=exercise,
            repository_url=planned.hand_in.repository_url,
            note=planned.hand_in.note,
            at=at,
        )
        ExerciseEmail.objects.create(exercise=exercise, kind="handed_in", sent_at=at)

    def card_of(feedback: Feedback) -> Scorecard:
        return interviews[0].scorecards.get(interviewer=people[feedback.interviewer])

    events: list[tuple[datetime, Callable[[], object]]] = [(scheduled_at, schedule)]
    if planned.hand_in and stage.is_take_home:
        handed_in_at = max(scheduled_at + timedelta(hours=1), starts_at - timedelta(hours=20))
        events.append((handed_in_at, partial(hand_in, handed_in_at)))
    submitted_at = slot.ends_at + FIRST_SUBMISSION_AFTER
    due_at = slot.ends_at + timedelta(hours=loop.job.organization.feedback_due_hours)
    for feedback in planned.feedback:
        if feedback.recommendation is not None:
            at = min(submitted_at, now)
            if feedback.reminded:
                # The periodic run's reminder, a quarter of an hour after the card fell due.
                reminded_at = min(due_at + timedelta(minutes=15), now)
                events.append((reminded_at, partial(remind, card_of, feedback, at=reminded_at)))
                at = min(reminded_at + timedelta(hours=2), now)
            events.append((at, partial(submit, card_of, feedback, at=at)))
            submitted_at += NEXT_SUBMISSION_AFTER
        if feedback.amended:
            amended_at = min(submitted_at, now)
            events.append(
                (amended_at, partial(amend, card_of, feedback, *feedback.amended, at=amended_at))
            )
    return events


def send_take_home(
    loop: Loop, people: dict[str, User], *, by: User, today: date, now: datetime
) -> None:
    """The loop's take-home stage sent half an hour ago, as the send page sends it, due in five
    working days at six in the evening; its link not yet opened."""
    stage = loop.guide_version.stages.filter(kind=Stage.Kind.TAKE_HOME).first()
    if stage is None:
        return
    zone = loop.job.organization.zone
    due_at = datetime.combine(working_day(today, 5), time(18, 0), tzinfo=zone)
    reviewers = [people["ada@acme.test"], people["linus@acme.test"]]
    sent_at = now - timedelta(minutes=30)
    slot = scheduling.Slot(starts_at=sent_at, ends_at=due_at)
    with happened(loop.job.organization, sent_at):
        scheduling.schedule(loop=loop, stage=stage, slot=slot, interviewers=reviewers, user=by)


def score_at(scores: str, index: int, *, every: bool) -> int | None:
    """The score of the index-th criterion. A submitted scorecard rates `every` criterion: its
    digits start over should the guide have more criteria than the demo has digits."""
    if every:
        index %= len(scores)
    digit = scores[index] if index < len(scores) else "-"
    return None if digit == "-" else int(digit)


def typed(feedback: Feedback, stage: Stage) -> dict[str, object]:
    """The ratings and notes the interviewer has written so far, by the kit's field names."""
    submitted = feedback.recommendation is not None
    values: dict[str, object] = {}
    for index, criterion in enumerate(stage.criteria.all()):
        score = score_at(feedback.scores, index, every=submitted)
        note = feedback.criterion_notes[index] if index < len(feedback.criterion_notes) else ""
        if score is not None or note:
            values[f"score-{criterion.pk}"] = score
            values[f"note-{criterion.pk}"] = note
    for question, text in zip(stage.questions.all(), feedback.question_notes, strict=False):
        if text:
            values[f"question-{question.pk}"] = text
    return values


def amend(
    card_of: Callable, feedback: Feedback, index: int, score: int, reason: str, *, at: datetime
) -> None:
    """A score changed after submitting, through the kit's amendment."""
    scorecard = card_of(feedback)
    rating = scorecard.ratings.order_by("criterion__position", "criterion__pk")[index]
    amendment = submission.amend(
        scorecard=scorecard,
        user=scorecard.interviewer,
        values={f"score-{rating.criterion_id}": score},
        reason=reason,
    )
    Amendment.objects.filter(pk=amendment.pk).update(created_at=at)


def remind(card_of: Callable, feedback: Feedback, *, at: datetime) -> None:
    """The reminder that the periodic run sent about the overdue scorecard, as the loop page
    lists it."""
    FeedbackReminder.objects.create(scorecard=card_of(feedback), number=1, sent_at=at)


def submit(card_of: Callable, feedback: Feedback, *, at: datetime) -> None:
    """The interviewer's recommendation and summary, submitted as the kit submits them."""
    scorecard = card_of(feedback)
    values = {
        "recommendation": feedback.recommendation,
        "summary": feedback.summary,
        "next_note": feedback.next_note,
    }
    submission.submit(scorecard=scorecard, user=scorecard.interviewer, values=values, at=at)


def seed_debrief(loop: Loop, spec: DemoDebrief, people: dict[str, User], *, now: datetime) -> None:
    """The loop's debrief as far as `spec` goes, run by the job's hiring manager through the
    meeting's steps, three hours ago."""
    facilitator = loop.job.hiring_manager
    at = now - timedelta(hours=3)
    debrief, _ = Debrief.objects.get_or_create(loop=loop)
    debrief.loop = loop
    with happened(loop.job.organization, at):
        meeting.open_discussion(debrief=debrief, user=facilitator)
    questions = list(loop.guide_version.debrief_questions.all())
    for author, index, text in spec.notes:
        if index < len(questions):
            notes = meeting.Notes(debrief=debrief, author=people[author])
            notes.write(f"question-{questions[index].pk}", text)
    if spec.phase in (Debrief.Phase.REVEALED, Debrief.Phase.DECIDED):
        with happened(loop.job.organization, at + timedelta(minutes=25)):
            meeting.reveal(debrief=debrief, user=facilitator)
    if spec.change:
        email, stage_index, after, reason = spec.change
        stage = loop.guide_version.stages.all()[stage_index]
        card = Scorecard.objects.get(
            interview__loop=loop, interview__stage=stage, interviewer=people[email]
        )
        # Between the reveal and the decision.
        with happened(loop.job.organization, at + timedelta(minutes=35)):
            change = meeting.change_recommendation(
                debrief=debrief,
                scorecard=card,
                user=card.interviewer,
                recommendation=after,
                reason=reason,
            )
        RecommendationChange.objects.filter(pk=change.pk).update(
            created_at=at + timedelta(minutes=35)
        )
    if spec.decision:
        values = debrief.decision_values() | {
            "decision": spec.decision,
            "rationale": spec.rationale,
            "next_steps": spec.next_steps,
        }
        with happened(loop.job.organization, at + timedelta(minutes=50)):
            meeting.decide(debrief=debrief, user=facilitator, values=values)
    Debrief.objects.filter(pk=debrief.pk).update(
        opened_at=at,
        revealed_at=at + timedelta(minutes=25) if debrief.revealed_at else None,
        decided_at=at + timedelta(minutes=50) if debrief.decided_at else None,
    )


@contextmanager
def happened(organization: Organization, moment: datetime) -> Iterator[None]:
    """What the block writes on candidates' timelines is dated when it happened: a line is
    dated when it is written, and the demo writes its past today."""
    lines = Activity.objects.filter(organization=organization)
    last = lines.aggregate(last=Max("pk"))["last"] or 0
    yield
    lines.filter(pk__gt=last).update(created_at=moment)


def seed_reference(loop: Loop, spec: DemoReference, *, by: User) -> None:
    """A reference called, through the reference call's page's steps."""
    details = {
        "name": spec.name,
        "relationship": spec.relationship,
        "company": spec.company,
        "contact": spec.contact,
        "worked_together": spec.worked_together,
    }
    check = calls.add(loop=loop, user=by, details=details)
    values: dict[str, object] = {"rehire_score": spec.rehire, "rehire_reason": spec.rehire_reason}
    criteria = Criterion.objects.filter(version=loop.guide_version, stage__isnull=True)
    for criterion, digit in zip(criteria, spec.scores, strict=False):
        if digit != "-":
            values[f"score-{criterion.pk}"] = int(digit)
    questions = loop.guide_version.reference_questions.all()
    for question, text in zip(questions, spec.answers, strict=False):
        if text:
            values[f"answer-{question.pk}"] = text
    calls.save_call(check=check, values=values)


def seed_history(spec: DemoHistory) -> None:
    """The job's past loops (see DemoHistory), through the same workflows as the demo's other
    loops, each step dated when it happened; once: a job that has them keeps them."""
    organization = Organization.objects.get(slug=spec.organization)
    job = Job.objects.filter(organization=organization, title=spec.job).first()
    first, last = spec.first_names.split(), spec.last_names.split()
    if (
        job is None
        or Candidate.objects.filter(
            organization=organization, email=_history_email(first[0], last[0])
        ).exists()
    ):
        return
    people = {
        user.email: user for user in User.objects.filter(memberships__organization=organization)
    }
    stages = [stage for stage in job.guide_version.stages.all() if not stage.is_take_home]
    criteria = {stage.pk: list(stage.criteria.all()) for stage in stages}
    by = job.recruiter or job.hiring_manager
    with timezone.override(organization.zone):
        today = timezone.localdate()
        for n in range(spec.loops):
            name = (first[n % len(first)], last[(n * 7) % len(last)])
            added = working_day(today, -(spec.first_day - 4 * n))
            rng = random.Random(n)  # noqa: S311 (a story, not a secret)
            _past_loop(job, spec, stages, criteria, people, name, added, rng, by=by)


def _history_email(first: str, last: str) -> str:
    return f"{first}.{last}@example.net".lower()


def _past_loop(job, spec, stages, criteria, people, name, added, rng, *, by) -> None:
    """One past loop: the candidate, stage after stage while the panel recommends going on,
    then the debrief (revealed, perhaps a recommendation changed, decided)."""
    zone = job.organization.zone
    added_at = datetime.combine(added, time(9, 30), tzinfo=zone)
    candidate = Candidate(
        organization=job.organization,
        name=" ".join(name),
        email=_history_email(*name),
        source=rng.choice(["Referral", "Job board", "Careers page"]),
    )
    with happened(job.organization, added_at):
        services.add_candidate(candidate=candidate, user=by, job=None)
        loop = services.start_loop(candidate=candidate, job=job, user=by)
    Candidate.objects.filter(pk=candidate.pk).update(created_at=added_at)
    Loop.objects.filter(pk=loop.pk).update(created_at=added_at)
    # The candidate's strength on each criterion, which every interviewer sees through noise.
    strength = rng.gauss(2.3, 0.7)
    truth = {c.pk: strength + rng.gauss(0, 0.6) for cs in criteria.values() for c in cs}
    cards: list[Scorecard] = []
    day = working_day(added, 3)
    interview = _past_interview(loop, stages[0], day, 0, spec, people, rng, by=by)
    for index, stage in enumerate(stages):
        typed = [
            (card, _past_scores(card, criteria[stage.pk], truth, spec, rng))
            for card in (interview.scorecards.select_related("interviewer"))
        ]
        recommendations = [values["recommendation"] for _, values in typed]
        going_on = min(recommendations) >= 2 and sum(recommendations) >= 2.5 * len(typed)
        held = interview
        if going_on and index + 1 < len(stages):
            # Booked as the panel left the room, on its word: the cards come in later.
            day = working_day(day, 3)
            booked = held.ends_at + timedelta(minutes=15)
            interview = _past_interview(
                loop, stages[index + 1], day, index + 1, spec, people, rng, by=by, booked=booked
            )
        handed_in = []
        for card, values in typed:
            late = card.interviewer.email == spec.slow and rng.random() < 0.4
            hours = rng.uniform(26, 40) if late else rng.uniform(0.5, 6)
            handed_in.append((held.ends_at + timedelta(hours=hours), card, values))
        for at, card, values in sorted(handed_in, key=lambda row: row[0]):
            with happened(job.organization, at):
                cards.append(
                    submission.submit(scorecard=card, user=card.interviewer, values=values, at=at)
                )
        if not going_on:
            break
    hire = going_on and min(recommendations) >= 3
    # Two working days on, when the last card (at most two days late) is in.
    _past_debrief(loop, cards, rng, hire=hire, day=working_day(day, 2))


def _past_interview(loop, stage, day, index, spec, people, rng, *, by, booked=None) -> Interview:
    """The stage's interview on `day` with a pair of the history's panels, booked when given,
    else the working day before."""
    zone = loop.job.organization.zone
    starts_at = datetime.combine(day, time(10 + 4 * (index % 2), 0), tzinfo=zone)
    slot = scheduling.Slot(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    panel = [people[email] for email in spec.panels[(rng.randrange(99) + index) % 6]]
    booked = booked or datetime.combine(working_day(day, -1), time(16, 0), tzinfo=zone)
    with happened(loop.job.organization, booked):
        return scheduling.schedule(loop=loop, stage=stage, slot=slot, interviewers=panel, user=by)


def _past_scores(card, criteria, truth, spec, rng) -> dict[str, object]:
    """What the card's interviewer scored (their noise, and the lenient one's bias about the
    candidate's strength per criterion; now and then a 0) and recommended from it."""
    bias = 0.9 if card.interviewer.email == spec.lenient else 0.0
    values: dict[str, object] = {"summary": rng.choice(spec.summaries)}
    scores = []
    for criterion in criteria:
        score = round(truth[criterion.pk] + bias + rng.gauss(0, 0.5))
        score = 0 if rng.random() < 0.05 else min(4, max(1, score))
        values[f"score-{criterion.pk}"] = score
        scores += [score] if score else []
    mean = sum(scores) / len(scores) if scores else 2.5
    values["recommendation"] = 4 if mean >= 3.4 else 3 if mean >= 2.6 else 2 if mean >= 1.8 else 1
    return values


def _past_debrief(loop, cards, rng, *, hire: bool, day) -> None:
    """The debrief on `day`: revealed; an interviewer on the
    other side from the decision changes their mind now and then; decided."""
    facilitator = loop.job.hiring_manager
    at = datetime.combine(day, time(16, 0), tzinfo=loop.job.organization.zone)
    debrief, _ = Debrief.objects.get_or_create(loop=loop)
    debrief.loop = loop
    with happened(loop.job.organization, at):
        meeting.open_discussion(debrief=debrief, user=facilitator)
        meeting.reveal(debrief=debrief, user=facilitator)
        dissenters = [card for card in cards if (card.recommendation >= 3) != hire]
        if dissenters and rng.random() < 0.4:
            card = rng.choice(dissenters)
            meeting.change_recommendation(
                debrief=debrief,
                scorecard=card,
                user=card.interviewer,
                recommendation=Recommendation.HIRE if hire else Recommendation.NO_HIRE,
                reason="The others' examples were more concrete than mine.",
            )
        values = debrief.decision_values() | {
            "decision": Debrief.Decision.HIRE if hire else Debrief.Decision.NO_HIRE,
            "rationale": "Decided on the panel's evidence per competency.",
        }
        meeting.decide(debrief=debrief, user=facilitator, values=values)
    Debrief.objects.filter(pk=debrief.pk).update(
        opened_at=at, revealed_at=at + timedelta(minutes=20), decided_at=at + timedelta(minutes=45)
    )
    RecommendationChange.objects.filter(debrief=debrief).update(
        created_at=at + timedelta(minutes=30)
    )
