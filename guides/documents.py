"""A guide version as one document: what the text importer produces, what JSON export writes
and import reads, what a new draft is copied from, and what version history compares.

Long texts keep their paragraphs (separated by blank lines) and lists (lines that start with
"- " or "1. "); `guides.templatetags.guide_text` renders them.
"""

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

FORMAT = "rubric-guide"
NAME_MAX = 300  # names and titles: one line
TEXT_MAX = 20_000  # any other text; the seed's longest is under 1,500 characters


def _one_line(value: str) -> str:
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError("must be a single line without control characters")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(_one_line),
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX), AfterValidator(_no_nul)
]
Line = Text  # an item of a list (an area to cover, an anchor): the same limits as any text


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MeasuresDoc(Part):
    """What a criterion measures: a competency (by name) or a desired outcome (by its text)."""

    kind: Literal["competency", "outcome"]
    name: Text = Field(min_length=1)


class CriterionDoc(Part):
    name: Name
    description: Text = ""
    # The texts for the scores 0 to 4, in that order; a draft may leave some blank.
    anchors: list[Line] = Field(min_length=5, max_length=5)
    measures: MeasuresDoc | None = None


class QuestionDoc(Part):
    text: Text = Field(min_length=1)
    areas: list[Line] = []
    follow_ups: list[Line] = []
    competencies: list[Name] = []  # names of the version's competencies that it probes


class StageDoc(Part):
    name: Name
    kind: Literal["interview", "take_home"] = "interview"
    duration_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    interviewer_directions: Text = ""
    candidate_directions: Text = ""
    exercise: Text = ""  # take-home stages
    evaluation_criteria: Text = ""  # take-home stages
    questions: list[QuestionDoc] = []
    criteria: list[CriterionDoc] = []


class JobDoc(Part):
    about_company: Text = ""
    role_summary: Text = ""
    responsibilities: Text = ""
    requirements: Text = ""
    why_join: Text = ""
    hiring_process: Text = ""


class CompetencyDoc(Part):
    name: Name
    description: Text = ""


class ProfileDoc(Part):
    role_overview: Text = ""
    competencies: list[CompetencyDoc] = []
    outcomes: list[Line] = []
    ideal_traits: Text = ""


class GuidedQuestionDoc(Part):
    text: Text = Field(min_length=1)
    guidance: Text = ""


class DebriefDoc(Part):
    directions: Text = ""
    questions: list[GuidedQuestionDoc] = []


class ReferencesDoc(Part):
    directions: Text = ""
    preparation: Text = ""
    questions: list[GuidedQuestionDoc] = []
    criteria: list[CriterionDoc] = []


class FaqDoc(Part):
    question: Text = Field(min_length=1)
    answer: Text = ""


class GuideDoc(Part):
    format: Literal["rubric-guide"] = FORMAT
    format_version: Literal[1] = 1
    title: Name
    introduction: Text = ""
    how_to_use: Text = ""
    job: JobDoc = JobDoc()
    profile: ProfileDoc = ProfileDoc()
    stages: list[StageDoc] = []
    debrief: DebriefDoc = DebriefDoc()
    references: ReferencesDoc = ReferencesDoc()
    faq: list[FaqDoc] = []

    @model_validator(mode="after")
    def _competencies_are_the_profiles(self):
        names = [c.name.casefold() for c in self.profile.competencies]
        if len(set(names)) != len(names):
            raise ValueError("two competencies have the same name")
        for stage in self.stages:
            for question in stage.questions:
                unknown = [n for n in question.competencies if n.casefold() not in names]
                if unknown:
                    raise ValueError(f"a question probes {unknown[0]!r}, not a competency")
        outcomes = set(self.profile.outcomes)
        for criterion in self.criteria():
            if not criterion.measures:
                continue
            kind, name = criterion.measures.kind, criterion.measures.name
            if (kind == "competency" and name.casefold() not in names) or (
                kind == "outcome" and name not in outcomes
            ):
                raise ValueError(
                    f"the criterion {criterion.name!r} measures {name!r}, not a {kind} of the guide"
                )
        return self

    def criteria(self) -> list[CriterionDoc]:
        """Every criterion: the stages' in order, then the reference calls'."""
        return [c for stage in self.stages for c in stage.criteria] + self.references.criteria


def counts(doc: GuideDoc) -> dict[str, int]:
    """What a guide holds, in the names that `import_guide` prints."""
    stage_criteria = [c for stage in doc.stages for c in stage.criteria]
    all_criteria = stage_criteria + doc.references.criteria
    return {
        "stages": len(doc.stages),
        "questions": sum(len(stage.questions) for stage in doc.stages),
        "criteria": len(stage_criteria),
        "anchors": sum(1 for c in all_criteria for anchor in c.anchors if anchor),
        "debrief_questions": len(doc.debrief.questions),
        "reference_questions": len(doc.references.questions),
        "reference_criteria": len(doc.references.criteria),
        "competencies": len(doc.profile.competencies),
        "outcomes": len(doc.profile.outcomes),
        "faq": len(doc.faq),
    }
