"""Guide versions: writing a document into rows and reading it back, drafts, publishing, and
what changed between two versions.

A new draft, a copy of a guide, an import and a JSON upload all go the same way: a document
(`guides.documents.GuideDoc`) loaded into fresh rows.
"""

import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from accounts.models import Organization, User
from guides import placeholders
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
    counts,
)
from guides.importer import ImportedGuide, read_guide
from guides.models import (
    Competency,
    Criterion,
    DebriefQuestion,
    FaqEntry,
    Guide,
    GuideVersion,
    Outcome,
    Question,
    QuestionPoint,
    Recommendation,
    ReferenceQuestion,
    Stage,
)

RECOMMENDATIONS = Recommendation.choices
STARTERS = Path(__file__).parent / "starters"

JOB_FIELDS = list(JobDoc.model_fields)


def _criterion_rows(
    docs: list[CriterionDoc], version, measured: dict, stage=None
) -> list[Criterion]:
    """The rows of `docs`; `measured` finds a competency or outcome by (kind, name)."""
    return [
        Criterion(
            version=version,
            stage=stage,
            position=i,
            name=doc.name,
            description=doc.description,
            **{f"anchor_{score}": text for score, text in enumerate(doc.anchors)},
            **_measures_fields(doc, measured),
        )
        for i, doc in enumerate(docs)
    ]


def _measures_fields(doc: CriterionDoc, measured: dict) -> dict:
    if not doc.measures:
        return {}
    name = doc.measures.name
    target = measured.get(
        (doc.measures.kind, name.casefold() if doc.measures.kind == "competency" else name)
    )
    return {f"measures_{doc.measures.kind}": target} if target else {}


def _load_rows(doc: GuideDoc, version: GuideVersion) -> None:
    competencies = Competency.objects.bulk_create(
        Competency(version=version, position=i, name=c.name, description=c.description)
        for i, c in enumerate(doc.profile.competencies)
    )
    competency_by_name = {c.name.casefold(): c for c in competencies}
    outcomes = Outcome.objects.bulk_create(
        Outcome(version=version, position=i, text=text)
        for i, text in enumerate(doc.profile.outcomes)
    )
    measured = {("competency", name): c for name, c in competency_by_name.items()}
    measured |= {("outcome", o.text): o for o in reversed(outcomes)}
    stages = Stage.objects.bulk_create(
        Stage(
            version=version,
            position=i,
            **stage.model_dump(exclude={"questions", "criteria"}),
        )
        for i, stage in enumerate(doc.stages)
    )
    question_docs = [
        (stage, q) for stage, s in zip(stages, doc.stages, strict=True) for q in s.questions
    ]
    positions: dict[int, int] = {}
    questions = []
    for stage, q in question_docs:
        positions[stage.pk] = positions.get(stage.pk, -1) + 1
        questions.append(Question(stage=stage, position=positions[stage.pk], text=q.text))
    questions = Question.objects.bulk_create(questions)
    points, links = [], []
    for question, (_, q) in zip(questions, question_docs, strict=True):
        for kind, texts in (
            (QuestionPoint.Kind.AREA, q.areas),
            (QuestionPoint.Kind.FOLLOW_UP, q.follow_ups),
        ):
            points += [
                QuestionPoint(question=question, kind=kind, position=i, text=text)
                for i, text in enumerate(texts)
            ]
        for name in q.competencies:
            if competency := competency_by_name.get(name.casefold()):
                links.append(
                    Question.competencies.through(question=question, competency=competency)
                )
    QuestionPoint.objects.bulk_create(points)
    Question.competencies.through.objects.bulk_create(links, ignore_conflicts=True)
    criteria = []
    for stage, s in zip(stages, doc.stages, strict=True):
        criteria += _criterion_rows(s.criteria, version, measured, stage)
    criteria += _criterion_rows(doc.references.criteria, version, measured)
    Criterion.objects.bulk_create(criteria)
    DebriefQuestion.objects.bulk_create(
        DebriefQuestion(version=version, position=i, text=q.text, guidance=q.guidance)
        for i, q in enumerate(doc.debrief.questions)
    )
    ReferenceQuestion.objects.bulk_create(
        ReferenceQuestion(version=version, position=i, text=q.text, guidance=q.guidance)
        for i, q in enumerate(doc.references.questions)
    )
    FaqEntry.objects.bulk_create(
        FaqEntry(version=version, position=i, question=f.question, answer=f.answer)
        for i, f in enumerate(doc.faq)
    )


def _new_version(
    doc: GuideDoc, *, guide: Guide, user: User | None, import_report: dict | None = None
) -> GuideVersion:
    number = (guide.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = GuideVersion.objects.create(
        guide=guide,
        number=number,
        created_by=user,
        import_report=import_report or {},
        title=doc.title,
        introduction=doc.introduction,
        how_to_use=doc.how_to_use,
        **doc.job.model_dump(),
        role_overview=doc.profile.role_overview,
        ideal_traits=doc.profile.ideal_traits,
        debrief_directions=doc.debrief.directions,
        reference_directions=doc.references.directions,
        reference_preparation=doc.references.preparation,
    )
    _load_rows(doc, version)
    return version


@transaction.atomic
def create_guide(
    *,
    organization: Organization,
    document: GuideDoc,
    user: User | None,
    import_report: dict | None = None,
) -> GuideVersion:
    """A new guide whose first version, a draft, holds `document`."""
    guide = Guide.objects.create(organization=organization, edited_by=user)
    return _new_version(document, guide=guide, user=user, import_report=import_report)


SHOWN_WARNINGS = 200  # a file of junk can have thousands; the draft keeps the first ones


def import_report(imported: ImportedGuide) -> dict:
    """What an import read and what it could not place, kept beside the draft."""
    return {
        "counts": counts(imported.document),
        "warnings": [warning.as_dict() for warning in imported.warnings[:SHOWN_WARNINGS]],
        "warnings_total": len(imported.warnings),
        "linked": len(imported.links),
        "unlinked": imported.unlinked,
    }


@cache
def _starter_documents() -> dict[str, GuideDoc]:
    return {
        path.stem: read_guide(path.read_text(encoding="utf-8")).document
        for path in sorted(STARTERS.glob("*.txt"))
    }


def starters() -> dict[str, str]:
    """The starter library: guides the team wrote, by file name, with their titles."""
    return {name: document.title for name, document in _starter_documents().items()}


def create_from_starter(*, organization: Organization, starter: str, user: User | None):
    """A new draft guide copied from the starter library."""
    document = _starter_documents()[starter].model_copy(deep=True)
    return create_guide(organization=organization, document=document, user=user)


def version_parts() -> list:
    """The prefetches that read every part of a version, in a constant number of queries."""
    questions = Question.objects.prefetch_related("points", "competencies")
    criteria = Criterion.objects.select_related("measures_competency", "measures_outcome")
    return [
        "competencies",
        "outcomes",
        Prefetch("stages", Stage.objects.all()),
        Prefetch("stages__questions", questions),
        Prefetch("stages__criteria", criteria),
        Prefetch("criteria", criteria.filter(stage=None), to_attr="reference_criteria"),
        "debrief_questions",
        "reference_questions",
        "faq",
    ]


def version_with_parts(queryset=None):
    """Versions with every part prefetched: a constant number of queries for any size."""
    return (queryset if queryset is not None else GuideVersion.objects).prefetch_related(
        *version_parts()
    )


def _criterion_doc(criterion: Criterion) -> CriterionDoc:
    return CriterionDoc(
        name=criterion.name,
        description=criterion.description,
        anchors=[text for _, text in criterion.anchors()],
        measures=measures_doc(criterion),
    )


def measures_doc(criterion: Criterion) -> MeasuresDoc | None:
    if criterion.measures_competency:
        return MeasuresDoc(kind="competency", name=criterion.measures_competency.name)
    if criterion.measures_outcome:
        return MeasuresDoc(kind="outcome", name=criterion.measures_outcome.text)
    return None


def dump(version: GuideVersion) -> GuideDoc:
    """The version as a document; prefetch with `version_with_parts` to read it in few queries."""
    return GuideDoc(
        title=version.title,
        introduction=version.introduction,
        how_to_use=version.how_to_use,
        job=JobDoc(**{field: getattr(version, field) for field in JOB_FIELDS}),
        profile=ProfileDoc(
            role_overview=version.role_overview,
            ideal_traits=version.ideal_traits,
            competencies=[
                CompetencyDoc(name=c.name, description=c.description)
                for c in version.competencies.all()
            ],
            outcomes=[o.text for o in version.outcomes.all()],
        ),
        stages=[
            StageDoc(
                name=stage.name,
                kind=stage.kind,
                duration_minutes=stage.duration_minutes,
                interviewer_directions=stage.interviewer_directions,
                candidate_directions=stage.candidate_directions,
                exercise=stage.exercise,
                evaluation_criteria=stage.evaluation_criteria,
                questions=[
                    QuestionDoc(
                        text=q.text,
                        areas=[p.text for p in q.areas()],
                        follow_ups=[p.text for p in q.follow_ups()],
                        competencies=[c.name for c in q.competencies.all()],
                    )
                    for q in stage.questions.all()
                ],
                criteria=[_criterion_doc(c) for c in stage.criteria.all()],
            )
            for stage in version.stages.all()
        ],
        debrief=DebriefDoc(
            directions=version.debrief_directions,
            questions=[
                GuidedQuestionDoc(text=q.text, guidance=q.guidance)
                for q in version.debrief_questions.all()
            ],
        ),
        references=ReferencesDoc(
            directions=version.reference_directions,
            preparation=version.reference_preparation,
            questions=[
                GuidedQuestionDoc(text=q.text, guidance=q.guidance)
                for q in version.reference_questions.all()
            ],
            criteria=[_criterion_doc(c) for c in _reference_criteria(version)],
        ),
        faq=[FaqDoc(question=f.question, answer=f.answer) for f in version.faq.all()],
    )


def _reference_criteria(version: GuideVersion) -> list[Criterion]:
    if hasattr(version, "reference_criteria"):
        return version.reference_criteria
    return list(version.criteria.filter(stage=None))


def touch(guide: Guide, user: User) -> None:
    """Mark the guide as edited now by `user`, for the guide list."""
    Guide.objects.filter(pk=guide.pk).update(edited_at=timezone.now(), edited_by=user)


@transaction.atomic
def start_draft(*, guide: Guide, user: User) -> GuideVersion:
    """The guide's draft: the one there is, or a new one copied from the latest version."""
    Guide.objects.select_for_update().get(pk=guide.pk)
    draft = guide.versions.filter(status=GuideVersion.Status.DRAFT).first()
    if draft:
        return draft
    latest = version_with_parts(guide.versions.order_by("-number"))[0]
    draft = _new_version(dump(latest), guide=guide, user=user)
    touch(guide, user)
    return draft


@transaction.atomic
def copy_guide(*, version: GuideVersion, user: User) -> GuideVersion:
    """A new guide of the same organization whose draft starts from `version`."""
    document = dump(version_with_parts().get(pk=version.pk))
    document.title = f"{document.title} (copy)"[:300]
    return create_guide(organization=version.guide.organization, document=document, user=user)


@dataclass(frozen=True)
class Problem:
    """Something that keeps a draft from being published, and where it is."""

    where: str
    message: str
    anchor: str  # where to fix it, relative to the draft's builder page


def publish_problems(version: GuideVersion) -> list[Problem]:
    """Everything that must be fixed before `version` can be published (prefetched)."""
    problems = []
    stages = list(version.stages.all())
    if not version.title.strip():
        problems.append(Problem("The guide", "It needs a title.", "#section-overview"))
    if not stages:
        problems.append(Problem("The guide", "It has no stages.", "#stages"))
    for stage in stages:
        where = f"Stage “{stage.name}”"
        page = f"stages/{stage.pk}/"
        anchor = f"{page}#stage-{stage.pk}"
        criteria = list(stage.criteria.all())
        if not criteria:
            problems.append(Problem(where, "Its scorecard has no criteria.", anchor))
        if stage.is_take_home and not stage.exercise.strip():
            problems.append(Problem(where, "A take-home stage needs the exercise.", anchor))
        if not stage.is_take_home and not stage.questions.all():
            problems.append(Problem(where, "An interview stage needs a question.", anchor))
        for question in stage.questions.all():
            if not question.text.strip():
                problems.append(
                    Problem(where, "A question has no text.", f"question-{question.pk}")
                )
        problems += _criterion_problems(criteria, where, page)
    problems += _criterion_problems(_reference_criteria(version), "Reference scorecard", "")
    return problems


def _criterion_problems(criteria: list[Criterion], where: str, page: str) -> list[Problem]:
    problems = []
    for criterion in criteria:
        missing = [str(score) for score, text in criterion.anchors() if not text.strip()]
        if missing:
            problems.append(
                Problem(
                    f"{where}, criterion “{criterion.name}”",
                    f"The anchor text for {', '.join(missing)} is missing.",
                    f"{page}#{'' if page else 'reference-'}criterion-{criterion.pk}",
                )
            )
    return problems


def unmeasured_criteria(version: GuideVersion) -> list[tuple[str, Criterion]]:
    """The criteria that measure nothing, with where they are (prefetched): a warning only."""
    found = [(stage.name, c) for stage in version.stages.all() for c in stage.criteria.all()]
    found += [("Reference scorecard", c) for c in _reference_criteria(version)]
    return [(where, c) for where, c in found if not c.measures]


class PublishBlocked(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems keep this version from being published.")
        self.problems = problems


@transaction.atomic
def publish(*, version: GuideVersion, user: User) -> GuideVersion:
    """Publish the draft; raises PublishBlocked with what is missing."""
    GuideVersion.objects.select_for_update().get(pk=version.pk)
    version = version_with_parts(GuideVersion.objects).get(pk=version.pk)
    if not version.is_draft:
        raise PublishBlocked([Problem("The guide", "This version is already published.", "")])
    if problems := publish_problems(version):
        raise PublishBlocked(problems)
    version.status = GuideVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.unfilled_placeholders = len(placeholders.unfilled(version, version.guide.organization))
    version.save(update_fields=["status", "published_at", "published_by", "unfilled_placeholders"])
    touch(version.guide, user)
    return version


WORD = re.compile(r"\S+\s*|\s+")  # a word with the space after it


@dataclass(frozen=True)
class Change:
    where: str
    before: str
    after: str

    def words(self) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
        """Both texts as runs of words, each marked whether this change touched it."""
        old, new = WORD.findall(self.before), WORD.findall(self.after)
        before, after = [], []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if i2 > i1:
                before.append(("".join(old[i1:i2]), tag != "equal"))
            if j2 > j1:
                after.append(("".join(new[j1:j2]), tag != "equal"))
        return before, after


# How version history names the parts of a document.
LABELS = {
    "job": "Job description",
    "profile": "Candidate profile",
    "debrief": "Debrief",
    "references": "Reference calls",
    "how_to_use": "How to use this guide",
    "about_company": "About the company",
    "role_summary": "The role",
    "responsibilities": "Key responsibilities",
    "requirements": "What we're looking for",
    "why_join": "Why join",
    "hiring_process": "Hiring process",
    "ideal_traits": "Ideal candidate traits",
    "interviewer_directions": "Directions for the interviewer",
    "candidate_directions": "Directions to share with the candidate",
    "evaluation_criteria": "How to evaluate the exercise",
    "duration_minutes": "Minutes",
    "areas": "Areas to cover",
    "follow_ups": "Follow-up questions",
    "anchors": "Anchors 0–4",
    "faq": "FAQ entry",
    "stages": "Stage",
    "questions": "Question",
    "criteria": "Criterion",
    "competencies": "Competency",
    "outcomes": "Desired outcomes",
}


def _label(key: str) -> str:
    return LABELS.get(key, key.replace("_", " ").capitalize())


def _flatten(value, path: str = "", label: str = "") -> dict[str, tuple[str, str]]:
    """A document's texts by where they are: {path: (label, text)}. Paths count list items
    ("stages.2.questions.3.text") so that a renamed stage is the same stage; labels name them
    ("Stage 2 “System Design” › Question 3 › Text")."""
    if isinstance(value, dict):
        items = {}
        for key, inner in value.items():
            inner_path = f"{path}.{key}" if path else key
            if isinstance(inner, list) and inner and isinstance(inner[0], dict):
                for i, item in enumerate(inner, start=1):
                    name = item.get("name") or ""
                    item_label = f"{_label(key)} {i}" + (f" “{name[:60]}”" if name else "")
                    inner_label = f"{label} › {item_label}" if label else item_label
                    items |= _flatten(item, f"{inner_path}.{i}", inner_label)
            else:
                inner_label = f"{label} › {_label(key)}" if label else _label(key)
                items |= _flatten(inner, inner_path, inner_label)
        return items
    if isinstance(value, list):
        # An empty list of parts and a missing one read the same.
        return {path: (label, "\n".join(map(str, value)))} if value else {}
    return {path: (label, "" if value is None else str(value))}


def diff(old: GuideDoc, new: GuideDoc) -> list[Change]:
    """What changed from `old` to `new`, text by text, in document order."""
    before = _flatten(old.model_dump(exclude={"format", "format_version"}))
    after = _flatten(new.model_dump(exclude={"format", "format_version"}))
    changes = []
    for path in list(before) + [path for path in after if path not in before]:
        label, was = before.get(path, ("", ""))
        new_label, now = after.get(path, (label, ""))
        if was != now:
            changes.append(Change(new_label or label, was, now))
    return changes
