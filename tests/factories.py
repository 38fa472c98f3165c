import factory
import pytest
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, Role, User
from demo.data import SEED_GUIDE

PASSWORD = "correct horse battery staple"


def seed_guide():
    """The real guide beside the project: the importer's acceptance data. Its absence fails the
    tests that need it rather than skipping them, so that they cannot silently stop running."""
    if not SEED_GUIDE.exists():
        pytest.fail(
            f"The seed guide is missing: put ../shared/seeds/ beside the project ({SEED_GUIDE})."
        )
    return SEED_GUIDE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    company_name = factory.LazyAttribute(lambda o: f"{o.name} GmbH")
    location = factory.Faker("city")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.INTERVIEWER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.RECRUITER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saves the invitation with a fresh token, kept on it as `.token` for the tests."""
        invitation = model_class(*args, **kwargs)
        invitation.token = invitation.new_token()
        with scopes_disabled():
            invitation.save()
        return invitation


def member(organization: Organization, role: Role = Role.INTERVIEWER, **user_fields) -> User:
    """A new user who belongs to `organization` with `role`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def guide_document(title: str = "Data Engineer", stages: int = 2, questions: int = 2):
    """A small guide with every kind of part, placeholders included (our own words)."""
    from guides.documents import (
        CompetencyDoc,
        CriterionDoc,
        DebriefDoc,
        FaqDoc,
        GuideDoc,
        GuidedQuestionDoc,
        JobDoc,
        MeasuresDoc,
        ProfileDoc,
        QuestionDoc,
        ReferencesDoc,
        StageDoc,
    )

    def criterion(name, measures=None):
        return CriterionDoc(
            name=name,
            measures=MeasuresDoc(kind=measures[0], name=measures[1]) if measures else None,
            anchors=[
                "Not enough information gathered",
                f"{name}: weak",
                f"{name}: mixed",
                f"{name}: solid",
                f"{name}: outstanding",
            ],
        )

    stage_docs = [
        StageDoc(
            name=f"Stage {n}",
            interviewer_directions=f"Open stage {n} warmly.\n\n- Take notes\n- Keep time",
            candidate_directions=f"We will talk about pipelines at [Company] in stage {n}.",
            questions=[
                QuestionDoc(
                    text=f"Stage {n} question {i}: tell me about [specific project]?",
                    areas=[f"Area {n}.{i}.a", f"Area {n}.{i}.b"],
                    follow_ups=[f"Follow-up {n}.{i}.a"],
                    competencies=["Ownership"],
                )
                for i in range(1, questions + 1)
            ],
            criteria=[
                criterion(f"Craft {n}", ("competency", "Ownership")),
                criterion(f"Judgement {n}"),
            ],
        )
        for n in range(1, stages + 1)
    ]
    stage_docs.append(
        StageDoc(
            name="Take-home",
            kind="take_home",
            exercise="Build a small ingestion job.\n\n- Read a CSV\n- Load it",
            evaluation_criteria="- Correctness\n- Tests",
            criteria=[criterion("Code")],
        )
    )
    return GuideDoc(
        title=title,
        introduction="How we hire data engineers at [Company].",
        how_to_use="- Score on your own\n- Then meet",
        job=JobDoc(about_company="[Company] is based in [location].", hiring_process="1. Call"),
        profile=ProfileDoc(
            role_overview="Moves data reliably.",
            competencies=[
                CompetencyDoc(name="Ownership", description="Sees work through."),
                CompetencyDoc(name="Clarity", description="Explains plainly."),
            ],
            outcomes=["Pipelines run on time"],
        ),
        stages=stage_docs,
        debrief=DebriefDoc(
            directions="Ratings first.",
            questions=[GuidedQuestionDoc(text="What did we miss?", guidance="Be specific.")],
        ),
        references=ReferencesDoc(
            directions="Call two people.",
            preparation="- Read the notes",
            questions=[GuidedQuestionDoc(text="How did [Candidate] work?", guidance="Listen.")],
            criteria=[criterion("Reliability", ("outcome", "Pipelines run on time"))],
        ),
        faq=[FaqDoc(question="Who decides?", answer="The hiring manager.")],
    )


def make_guide(organization: Organization, *, publish: bool = False, **document_options):
    """A guide of `organization` holding `guide_document()`: a draft, or published."""
    from guides import versions

    with scopes_disabled():
        version = versions.create_guide(
            organization=organization, document=guide_document(**document_options), user=None
        )
        if publish:
            version = versions.publish(version=version, user=None)
    return version


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "candidates.Candidate"

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.test")
    source = "Referral"


def make_job(organization: Organization, *, version=None, **fields):
    """An open job of `organization` running `version`, or a new published guide."""
    from candidates.models import Job

    with scopes_disabled():
        version = version or make_guide(organization, publish=True)
        fields.setdefault("title", "Data Engineer")
        return Job.objects.create(organization=organization, guide_version=version, **fields)


def make_loop(organization: Organization, *, job=None, candidate=None):
    """A candidate of `organization` in a job, as a recruiter would put them there."""
    from candidates import services

    with scopes_disabled():
        job = job or make_job(organization)
        candidate = candidate or CandidateFactory(organization=organization)
        return services.start_loop(candidate=candidate, job=job, user=None)


def schedule(loop, *, interviewers, stage=None, starts_at=None, minutes=60, shadows=()):
    """An interview of the loop's first stage (or `stage`), with drafts for `interviewers` on
    the panel and for `shadows`."""
    from datetime import timedelta

    from django.utils import timezone

    from candidates import scheduling

    with scopes_disabled():
        stage = stage or loop.guide_version.stages.first()
        starts_at = starts_at or timezone.now() + timedelta(days=1)
        slot = scheduling.Slot(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            video_link="https://meet.example.com/abc-defg",
        )
        return scheduling.schedule(
            loop=loop,
            stage=stage,
            slot=slot,
            interviewers=list(interviewers),
            shadows=list(shadows),
            user=None,
        )


def submit(scorecard, *, recommendation=3, summary="Solid.", score=3):
    """The interviewer's scorecard, filled in and submitted (scorecards.submission), once its
    interview has begun if it is still to come."""
    from django.utils import timezone

    from guides.models import Criterion
    from scorecards import submission

    with scopes_disabled():
        values = {"recommendation": recommendation, "summary": summary}
        # Read afresh: a test may have added criteria to the stage since it was loaded.
        for pk in Criterion.objects.filter(stage=scorecard.interview.stage_id).values_list(
            "pk", flat=True
        ):
            values |= {f"score-{pk}": score, f"note-{pk}": "Clear examples."}
        return submission.submit(
            scorecard=scorecard,
            user=scorecard.interviewer,
            values=values,
            at=max(timezone.now(), scorecard.interview.starts_at),
        )


def reveal(loop, *, by=None):
    """The loop's debrief past the reveal, so that its recommendations are no longer sealed:
    revealed through debriefs.meeting by `by`, else the job's hiring manager, else the
    organization's first member."""
    from debriefs import meeting
    from debriefs.models import Debrief

    with scopes_disabled():
        by = by or loop.job.hiring_manager
        by = by or User.objects.filter(memberships__organization=loop.job.organization_id).first()
        debrief, _ = Debrief.objects.get_or_create(loop=loop)
        debrief.loop = loop
        meeting.reveal(debrief=debrief, user=by)
    return debrief
