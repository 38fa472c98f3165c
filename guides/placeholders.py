"""Placeholders such as [Company] or [specific problem …] in a guide's texts: where they are,
which the organization, the job or the candidate fills, and replacing one in a draft."""

import re
from dataclasses import dataclass, field

from accounts.models import Organization
from guides.documents import TEXT_MAX
from guides.models import (
    Competency,
    Criterion,
    DebriefQuestion,
    FaqEntry,
    GuideVersion,
    Outcome,
    Question,
    QuestionPoint,
    ReferenceQuestion,
    Stage,
)

PATTERN = re.compile(r"\[([^\[\]\n]{1,120})\]")

# Filled when the guide is shown for a job or a candidate (the later pages pass them in).
RUN_TIME = {"candidate", "candidate name", "job title", "role", "position"}


def key(name: str) -> str:
    return " ".join(name.lower().split())


def organization_values(organization: Organization) -> dict[str, str]:
    """What the organization's settings fill, by placeholder key."""
    values = {
        "company": organization.company_name or organization.name,
        "company name": organization.company_name or organization.name,
        "organization": organization.company_name or organization.name,
    }
    if organization.location:
        values["location"] = organization.location
    return values


def loop_values(organization: Organization, *, job_title: str, candidate: str) -> dict[str, str]:
    """What fills a guide shown for one candidate's loop: the organization's values and the
    run-time ones."""
    values = organization_values(organization)
    values |= {"candidate": candidate, "candidate name": candidate}
    values |= {"job title": job_title, "role": job_title, "position": job_title}
    return values


@dataclass
class Found:
    text: str  # as written, with the brackets
    filled_by: str  # "organization", "job or candidate", or "" when nothing fills it
    value: str = ""
    # (where, and its place in the builder relative to the draft's page, e.g. "#section-job")
    places: list[tuple[str, str]] = field(default_factory=list)


STAGE_TEXTS = ["interviewer_directions", "candidate_directions", "exercise", "evaluation_criteria"]

# The version's own texts, by the builder section that edits them.
VERSION_TEXTS = {
    ("Overview", "#section-overview"): ["title", "introduction", "how_to_use"],
    ("Job description", "#section-job"): [
        "about_company",
        "role_summary",
        "responsibilities",
        "requirements",
        "why_join",
        "hiring_process",
    ],
    ("Candidate profile", "#section-profile"): ["role_overview", "ideal_traits"],
    ("Debrief", "#section-debrief"): ["debrief_directions"],
    ("Reference calls", "#section-references"): ["reference_directions", "reference_preparation"],
}


def _criterion_text(criterion: Criterion) -> str:
    return "\n".join([criterion.name, criterion.description, *(t for _, t in criterion.anchors())])


def find(version: GuideVersion, organization: Organization) -> list[Found]:
    """Each placeholder of a (prefetched) version once, with the places that use it."""
    known = organization_values(organization)
    found: dict[str, Found] = {}

    def scan(text: str, where: str, anchor: str):
        for match in PATTERN.finditer(text or ""):
            name = key(match.group(1))
            if name not in found:
                if name in known:
                    found[name] = Found(match.group(0), "organization", known[name])
                elif name in RUN_TIME:
                    found[name] = Found(match.group(0), "job or candidate")
                else:
                    found[name] = Found(match.group(0), "")
            # Each place once, linked to where it first stands.
            if all(where != seen for seen, _ in found[name].places):
                found[name].places.append((where, anchor))

    for (where, anchor), fields in VERSION_TEXTS.items():
        for text_field in fields:
            scan(getattr(version, text_field), where, anchor)
    for c in version.competencies.all():
        scan(f"{c.name} {c.description}", f"Competency “{c.name}”", f"#competency-{c.pk}")
    for o in version.outcomes.all():
        scan(o.text, "Desired outcomes", f"#outcome-{o.pk}")
    for stage in version.stages.all():
        where = f"Stage “{stage.name}”"
        page = f"stages/{stage.pk}/"
        for text_field in ("name", *STAGE_TEXTS):
            scan(getattr(stage, text_field), where, f"{page}#stage-{stage.pk}")
        for i, q in enumerate(stage.questions.all(), start=1):
            texts = [q.text, *(p.text for p in q.points.all())]
            scan("\n".join(texts), f"{where}, question {i}", f"{page}#question-{q.pk}")
        for c in stage.criteria.all():
            scan(_criterion_text(c), where, f"{page}#criterion-{c.pk}")
    for c in getattr(version, "reference_criteria", []):
        scan(_criterion_text(c), "Reference scorecard", f"#reference-criterion-{c.pk}")
    for q in version.debrief_questions.all():
        scan(f"{q.text}\n{q.guidance}", "Debrief questions", f"#debrief-question-{q.pk}")
    for q in version.reference_questions.all():
        scan(f"{q.text}\n{q.guidance}", "Reference questions", f"#reference-question-{q.pk}")
    for f in version.faq.all():
        scan(f"{f.question}\n{f.answer}", "FAQ", f"#faq-{f.pk}")
    order = {"": 0, "job or candidate": 1, "organization": 2}
    return sorted(found.values(), key=lambda f: (order[f.filled_by], key(f.text)))


# The text columns of every part of a version, for replacing a placeholder everywhere.
REPLACEABLE = [
    (GuideVersion, "pk", [name for fields in VERSION_TEXTS.values() for name in fields]),
    (Competency, "version", ["name", "description"]),
    (Outcome, "version", ["text"]),
    (
        Stage,
        "version",
        [
            "name",
            "interviewer_directions",
            "candidate_directions",
            "exercise",
            "evaluation_criteria",
        ],
    ),
    (Question, "stage__version", ["text"]),
    (QuestionPoint, "question__stage__version", ["text"]),
    (Criterion, "version", ["name", "description", *(f"anchor_{s}" for s in Criterion.SCORES)]),
    (DebriefQuestion, "version", ["text", "guidance"]),
    (ReferenceQuestion, "version", ["text", "guidance"]),
    (FaqEntry, "version", ["question", "answer"]),
]


class FillRefused(ValueError):
    """Filling in the value would break a text: too long, or two competencies alike."""


def unfilled(version: GuideVersion, organization: Organization) -> list[str]:
    """The placeholders that nothing fills: not the organization, the job or the candidate."""
    return [found.text for found in find(version, organization) if not found.filled_by]


def replace(version: GuideVersion, placeholder: str, value: str) -> int:
    """Write `value` wherever `placeholder` (with its brackets) stands in the draft; returns
    how many texts changed. Raises FillRefused, changing nothing, if a text would outgrow its
    limit or two competencies would have one name."""
    updates = []
    for model, lookup, fields in REPLACEABLE:
        rows = model.objects.filter(**{lookup: version.pk})
        for name in fields:
            limit = model._meta.get_field(name).max_length or TEXT_MAX
            for pk, text in rows.filter(**{f"{name}__contains": placeholder}).values_list(
                "pk", name
            ):
                new = text.replace(placeholder, value)
                if len(new) > limit:
                    label = model._meta.get_field(name).verbose_name
                    raise FillRefused(
                        f"With that, a {label} of the {model._meta.verbose_name} would be "
                        f"longer than {limit} characters. Use a shorter value."
                    )
                updates.append((model, pk, name, new))
    renamed = {
        pk: new for model, pk, name, new in updates if model is Competency and name == "name"
    }
    names = [renamed.get(pk, name) for pk, name in version.competencies.values_list("pk", "name")]
    if len({name.casefold() for name in names}) < len(names):
        raise FillRefused("With that, two competencies would have the same name.")
    for model, pk, name, new in updates:
        model.objects.filter(pk=pk).update(**{name: new})
    return len(updates)
