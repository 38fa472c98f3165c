from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from candidates.models import Interview, Loop
from guides.models import Question, Rated, Recommendation


class Sheet(models.Model):
    """A form kept in rows: its own fields, a score and a note per criterion (`ratings`) and a
    text per question (the related manager that TEXTS names), read and written by the field
    names of its form: `score-<criterion pk>`, `note-<criterion pk>`, `<prefix>-<question pk>`
    and its own fields' names. A scorecard, a reference call."""

    OWN: tuple[str, ...]  # its own fields that the form fills in
    TEXTS: tuple[str, str]  # the texts' field name prefix and related manager

    class Meta:
        abstract = True

    def values(self) -> dict[str, object]:
        """What has been filled in, by the field names of its form."""
        values = {name: getattr(self, name) for name in self.OWN}
        for rating in self.ratings.all():
            values[f"score-{rating.criterion_id}"] = rating.score
            values[f"note-{rating.criterion_id}"] = rating.note
        prefix, texts = self.TEXTS
        for row in getattr(self, texts).all():
            values[f"{prefix}-{row.question_id}"] = row.text
        return values

    def value(self, name: str) -> object:
        """One field's saved value, as `values()` has it (None when never filled in): a query
        for a score, a note or a text, none for its own fields."""
        kind, _, pk = name.partition("-")
        prefix, texts = self.TEXTS
        if kind in ("score", "note"):
            rows, field, key = self.ratings, kind, "criterion_id"
        elif kind == prefix:
            rows, field, key = getattr(self, texts), "text", "question_id"
        else:
            return getattr(self, name)
        return rows.filter(**{key: int(pk)}).values_list(field, flat=True).first()

    def write(self, values: dict[str, object]) -> None:
        """Store these fields (named as in `values`) and bump the revision; the caller locks.

        A handful of queries however many fields change.
        """
        prefix, texts = self.TEXTS
        ratings, rows, own = {}, {}, []
        for name, value in values.items():
            kind, _, pk = name.partition("-")
            if kind in ("score", "note"):
                ratings.setdefault(int(pk), {})[kind] = value
            elif kind == prefix:
                rows[int(pk)] = {"text": value}
            else:
                setattr(self, name, value)
                own.append(name)
        if ratings:
            store_rows(self.ratings, "criterion_id", ratings, ["score", "note"])
        if rows:
            store_rows(getattr(self, texts), "question_id", rows, ["text"])
        self.revision += 1
        self.save(update_fields=[*own, "revision", "updated_at"])


class Scorecard(Sheet):
    """One interviewer's feedback on one interview; its existence is their assignment to it.

    A cancelled interview or a swapped-out interviewer leaves the draft archived, not deleted.
    """

    OWN = ("recommendation", "summary", "next_note")
    TEXTS = ("question", "question_notes")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Seat(models.TextChoices):
        """On the panel, or shadowing it (in training: scored and sealed like anyone, never
        counted in a tally, a decision, a packet or the insights)."""

        PANEL = "panel", "Panel"
        SHADOW = "shadow", "Shadow"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    seat = models.CharField(max_length=10, choices=Seat.choices, default=Seat.PANEL)
    recommendation = models.PositiveSmallIntegerField(
        choices=Recommendation.choices, null=True, blank=True
    )
    summary = models.TextField(blank=True)
    # The one text that crosses rule 2: later stages of the loop read it before they score.
    next_note = models.TextField("for the next interviewers", blank=True)
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every save, so that a page that missed another window's save is told so.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="interview__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"],
                condition=Q(archived_at__isnull=True),
                name="one_scorecard_per_interviewer_and_interview",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_scorecards_have_a_date",
            ),
            models.CheckConstraint(
                condition=Q(seat__in=["panel", "shadow"]), name="scorecard_seat_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["interviewer", "status", "due_at"]),
            # The periodic reminders look for open drafts past their due time.
            models.Index(
                fields=["due_at"],
                condition=Q(status="draft", archived_at__isnull=True),
                name="open_scorecards_by_due_time",
            ),
        ]

    def __str__(self):
        return f"{self.interviewer} on {self.interview_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_shadow(self) -> bool:
        return self.seat == self.Seat.SHADOW

    def overdue_by(self, now=None):
        """How long past due a draft is, or None."""
        now = now or timezone.now()
        if self.is_submitted or self.due_at > now:
            return None
        return now - self.due_at

    def label(self, name: str) -> str:
        """A field's name in words (reads prefetched ratings and question notes)."""
        kind, _, pk = name.partition("-")
        if kind in ("score", "note"):
            rating = next((r for r in self.ratings.all() if str(r.criterion_id) == pk), None)
            criterion = rating.criterion.name if rating else "A criterion"
            return f"{criterion}: {kind}"
        if kind == "question":
            note = next((n for n in self.question_notes.all() if str(n.question_id) == pk), None)
            return f"Notes on “{note.question.text}”" if note else "Notes on a question"
        return {
            "recommendation": "Recommendation",
            "summary": "Summary",
            "next_note": "For the next interviewers",
        }.get(name, name)

    @property
    def is_open(self) -> bool:
        """Still the interviewer's to fill in."""
        return self.status == self.Status.DRAFT and self.archived_at is None


def store_rows(rows, key: str, values: dict[int, dict], fields: list[str]):
    """Set `values` ({criterion or question pk: {field: value}}) on the rows of a related
    manager (a scorecard's ratings, say), creating those it lacks: three queries at most."""
    existing = {getattr(row, key): row for row in rows.filter(**{f"{key}__in": values})}
    new = []
    for pk, changes in values.items():
        row = existing.get(pk)
        if row is None:
            row = rows.model(**{rows.field.name: rows.instance, key: pk})
            new.append(row)
        for name, value in changes.items():
            setattr(row, name, value)
    rows.model.objects.bulk_create(new)
    if existing:
        rows.model.objects.bulk_update(existing.values(), fields)


class Rating(Rated):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="one_rating_per_criterion"
            ),
            Rated.score_check("scores_from_0_to_4"),
        ]


class QuestionNote(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="question_notes"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "question"], name="one_note_per_question")
        ]

    def __str__(self):
        return self.text[:50]


class Amendment(models.Model):
    """An audit event: a change to a submitted scorecard, with the fields it changed.

    `before` and `after` map scorecard field names (see scorecards.forms) to their values.
    """

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} amended {self.scorecard_id}"

    def changes(self) -> list[tuple[str, str, str]]:
        """What changed, in words: (field, before, after)."""
        return [
            (self.scorecard.label(name), shown(name, self.before.get(name)), shown(name, after))
            for name, after in self.after.items()
        ]


def same(saved: object, value: object) -> bool:
    """Whether two values of a field say the same; a score of 0 is a value, "" is none."""
    return (None if saved == "" else saved) == (None if value == "" else value)


def shown(name: str, value) -> str:
    """A scorecard field's value in words."""
    if value in (None, ""):
        return "(empty)"
    if name == "recommendation":
        return Recommendation(value).label
    return str(value)


class FeedbackReminder(models.Model):
    """A reminder e-mailed to an interviewer whose feedback is overdue: the loop page lists
    them, and they keep each scorecard to one reminder per reminder interval.

    The n-th reminder of a scorecard is numbered n, once: two runs that read the same history
    at once both try to insert the same number, and the constraint lets one through.
    """

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="reminders")
    number = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "number"], name="one_reminder_per_scorecard_and_number"
            )
        ]

    def __str__(self):
        return f"Reminder {self.number} about {self.scorecard_id}"


class KitEmail(models.Model):
    """The interview kit e-mailed to an interviewer before the interview: once a scorecard
    and start time, so that a rescheduled interview's kit goes again, with the new time."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="kit_emails")
    starts_at = models.DateTimeField()  # the interview's start that the e-mail gave
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "starts_at"], name="one_kit_email_per_scorecard_and_start"
            )
        ]

    def __str__(self):
        return f"Kit e-mail for {self.scorecard_id}"


class FeedbackInEmail(models.Model):
    """The "all feedback is in" e-mail to the job's hiring manager: once a loop."""

    loop = models.OneToOneField(Loop, on_delete=models.CASCADE, related_name="feedback_in_email")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(organization="loop__job__organization")

    def __str__(self):
        return f"All feedback in for {self.loop_id}"
