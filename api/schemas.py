"""The shapes of the API's answers, as the OpenAPI document describes them."""

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


def _iso(value):
    """A date and time as ISO 8601 writes it, not a number that pydantic would take for one."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d.*", value):
        raise ValueError("Write a date and time as ISO 8601: 2026-05-04T10:00:00Z.")
    return value


def _in_utc(value: datetime) -> datetime:
    """The moment in UTC (a time without a zone is taken as UTC)."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise ValueError("This moment is out of range.") from None


Moment = Annotated[datetime, BeforeValidator(_iso), AfterValidator(_in_utc)]


class Error(Schema):
    code: str = Field(description="What went wrong, for machines: not_found, invalid, …")
    message: str = Field(description="What went wrong, in words")
    fields: dict[str, list[str]] = Field(default={}, description="What is wrong with each field")


class ErrorBody(Schema):
    error: Error


class Person(Schema):
    name: str
    email: str


class VersionRef(Schema):
    guide_id: int
    number: int
    title: str


class Job(Schema):
    id: int
    title: str
    department: str
    location: str
    status: str
    guide_version: VersionRef
    hiring_manager: Person | None
    recruiter: Person | None
    created_at: datetime
    updated_at: datetime


class Candidate(Schema):
    id: int
    name: str
    email: str
    phone: str
    links: list[str]
    source: str
    notes: str
    erased: bool
    created_at: datetime
    updated_at: datetime


class Stage(Schema):
    id: int
    name: str
    kind: str
    position: int


class Seat(Schema):
    interviewer: Person
    kind: Literal["panel", "shadow"] = Field(
        description="shadow: in training, scored and sealed like anyone, never counted"
    )


class Interview(Schema):
    id: int
    stage_id: int
    status: str
    starts_at: datetime
    ends_at: datetime
    location: str
    video_link: str
    interviewers: list[Person] = Field(description="Everyone seated, the shadows included")
    seats: list[Seat]


class Loop(Schema):
    id: int
    candidate_id: int
    job_id: int
    status: str
    rejection_reason: str
    guide_version: VersionRef
    stages: list[Stage]
    interviews: list[Interview]
    created_at: datetime
    updated_at: datetime


class Rating(Schema):
    criterion_id: int
    criterion: str
    score: int | None = Field(description="0 to 4; 0 means not enough information gathered")
    anchor: str = Field(description="The anchor text of the score, as the interviewer saw it")
    note: str


class QuestionNote(Schema):
    question_id: int
    question: str
    text: str


class Scorecard(Schema):
    id: int
    loop_id: int
    interview_id: int
    stage: str
    interviewer: Person
    seat: Literal["panel", "shadow"] = Field(
        description="shadow: in training; not counted in the debrief, decision or insights"
    )
    submitted_at: datetime | None
    updated_at: datetime
    ratings: list[Rating]
    question_notes: list[QuestionNote]
    summary: str
    recommendation: int | None = Field(
        description="1 Strong No Hire to 4 Strong Hire; null while sealed until the debrief "
        "reveals the recommendations"
    )
    recommendation_sealed: bool


class Debrief(Schema):
    loop_id: int
    phase: str
    decision: str
    to_find_out: str
    rationale: str
    next_steps: str
    revealed_at: datetime | None
    decided_at: datetime | None
    updated_at: datetime


class ReferenceAnswer(Schema):
    question_id: int
    question: str
    text: str


class ReferenceCheck(Schema):
    id: int
    loop_id: int
    name: str
    relationship: str
    company: str
    contact: str
    worked_together: str
    rehire_score: int | None
    rehire_reason: str
    answers: list[ReferenceAnswer]
    ratings: list[Rating]
    updated_at: datetime


class GuideVersionSummary(Schema):
    number: int
    status: str
    title: str
    published_at: datetime | None


class Guide(Schema):
    id: int
    versions: list[GuideVersionSummary]
    edited_at: datetime


class CandidateIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    email: Text = Field(min_length=3, max_length=254)
    phone: Text = Field(default="", max_length=40)
    links: list[Text] = Field(default=[], max_length=20)
    source: Text = Field(default="", max_length=100)


class LoopIn(Schema):
    candidate_id: int
    job_id: int


class InterviewIn(Schema):
    stage_id: int
    starts_at: Moment
    ends_at: Moment
    interviewer_emails: list[Text] = Field(
        min_length=1, max_length=10, description="The panel: members whose feedback counts"
    )
    shadow_emails: list[Text] = Field(
        default=[],
        max_length=10,
        description="Members seated as shadows: in training, scored and sealed like anyone, "
        "never counted",
    )
    location: Text = Field(default="", max_length=200)
    video_link: Text = Field(default="", max_length=500)


class StageTraining(Schema):
    guide_id: int
    guide_title: str
    stage: str = Field(description="A stage is named alike across its guide's versions")
    shadow_seats: int = Field(description="Shadow seats on it with feedback submitted")
    panel_seats: int = Field(description="Panel seats on it with feedback submitted")
    qualified_by_admin: bool
    qualified: bool = Field(
        description="By an admin's word, a panel seat, or the organization's number of shadow seats"
    )
    training_asked: bool = Field(
        description="Someone is qualified for the stage, so others shadow it first"
    )


class MemberTraining(Schema):
    member: Person
    stages: list[StageTraining]


class LoopStatusIn(Schema):
    reason: Text = Field(default="", max_length=5000)


class Agreement(Schema):
    name: str
    kind: str = Field(description='"criterion", "competency" or "outcome"')
    alpha: float | None = Field(description="Krippendorff's alpha (ordinal); null when undefined")
    interval: tuple[float, float] | None = Field(description="Its bootstrap 95% interval")
    loops: int
    distribution: list[int] = Field(description="How many scores of 1, 2, 3 and 4")
    zero_share: float = Field(description="The share of 0s: not enough information gathered")
    separates: bool = Field(description="False when it hardly separates candidates")


class Leniency(Schema):
    mean: float = Field(description="Score minus the mean of the others in the same cells")
    interval: tuple[float, float] | None
    cells: int


class InterviewerFigures(Schema):
    name: str
    leniency: Leniency | None = Field(
        description="Null below the organization's minimum of shared cells"
    )
    zero_share: float


class Insights(Schema):
    loops: int
    agreements: list[Agreement]
    interviewers: list[InterviewerFigures]
