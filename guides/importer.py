"""Read an interview guide written as plain text into a `GuideDoc`.

The layout is the one published interview guides use: a title, an introduction, "How to Use
This Guide", the job description, the ideal candidate profile, one block per interview stage
(directions, questions with areas to cover and follow-ups, a scorecard with descriptions for
the scores 0 to 4), the debrief meeting, reference calls and an FAQ.

Headings are recognised by their wording, in any case and with or without a trailing colon.
A stage is any heading line followed by "Directions for the Interviewer", so any role and any
stage names work. `_classify` turns each line into blank, list item or text; `_Reader` walks
the lines in a state (section and mode) that the headings switch. Every non-blank line that
cannot be placed becomes an `ImportWarning` with its line number: nothing is dropped silently.
"""

import re
from dataclasses import dataclass, field

from guides.documents import (
    NAME_MAX,
    TEXT_MAX,
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
from guides.models import Recommendation

UNTITLED = "Untitled interview guide"
# The fixed hiring recommendation scale; a guide's "Hiring Recommendation" block repeats it.
RECOMMENDATION_SCALE = dict(Recommendation.choices)


class NotAGuide(ValueError):
    """The text is not an interview guide; the message says why, in a sentence for the user."""


@dataclass(frozen=True)
class ImportWarning:
    line: int  # 1-based line number in the input
    text: str  # the line, trimmed and cut to about 200 characters
    message: str  # why it could not be placed

    def as_dict(self) -> dict:
        return {"line": self.line, "text": self.text, "message": self.message}


@dataclass(frozen=True)
class Link:
    """A criterion the importer linked to what it measures."""

    criterion: str
    kind: str  # "competency" or "outcome"
    name: str

    def as_dict(self) -> dict:
        return {"criterion": self.criterion, "kind": self.kind, "name": self.name}


@dataclass(frozen=True)
class ImportedGuide:
    document: GuideDoc
    warnings: list[ImportWarning]
    links: list[Link] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # criterion names left for a person


def read_guide(text: str) -> ImportedGuide:
    """Read a guide; raise `NotAGuide` if the text has no stage with questions or a scorecard."""
    lines = [_classify(number, raw) for number, raw in enumerate(_split(text), start=1)]
    if not any(line.text for line in lines):
        raise NotAGuide("This does not look like an interview guide: the text is empty.")
    return _Reader(lines).read()


# Lines ---------------------------------------------------------------------------------------

_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b]")
_BULLET = re.compile(r"[•·▪◦●‣*–-]\s+(?P<item>.+)")
_NUMBERED = re.compile(r"(?P<number>\d{1,2})[.)]\s+(?P<item>.+)")


def _split(text: str) -> list[str]:
    # Not str.splitlines(): it also breaks at form feeds and the like, which would put the line
    # numbers of the warnings out of step with what an editor shows.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text).split("\n")


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str  # trimmed; "" for a blank line
    indent: int = 0
    item: str | None = None  # a list item's text, without its bullet or number
    item_number: int | None = None  # a numbered item's number

    @property
    def is_text(self) -> bool:
        return bool(self.text) and self.item is None


def _classify(number: int, raw: str) -> _Line:
    expanded = raw.expandtabs(4)
    text = expanded.strip()
    indent = len(expanded) - len(expanded.lstrip())
    if numbered := _NUMBERED.fullmatch(text):
        item = numbered["item"].strip()
        return _Line(number, text, indent, item, int(numbered["number"]))
    if bullet := _BULLET.fullmatch(text):
        return _Line(number, text, indent, bullet["item"].strip())
    return _Line(number, text, indent)


def _norm(text: str) -> str:
    """The text folded for comparing: case, quotes, dashes and spaces do not matter."""
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _heading_key(line: _Line) -> str | None:
    """The folded text of a line that could be a heading: short, not a sentence, not an item."""
    if not line.is_text or len(line.text) > 120 or line.text[-1] in ".!?,;":
        return None
    return _norm(line.text).rstrip(": ")


# Headings ------------------------------------------------------------------------------------


def _patterns(*pairs):
    return [(re.compile(pattern), target) for pattern, target in pairs]


_HEADER = re.compile(r"interview guide for:?(?:\s+(?P<title>.+))?", re.IGNORECASE)
_INTERVIEWER_DIRECTIONS = r"directions for (the )?interviewers?"
# Website text that follows a guide copied from a web page; it ends the guide.
_END = re.compile(r"table of contents|related (interview )?guides|was this .{0,80}helpful\?.*")
_PAGE_NUMBER = re.compile(r"(page )?\d+( (of|/) \d+)?")
_SENTENCE_END = tuple("?.!)]\"”'’")

# Headings that open a section wherever they appear: (pattern, (section, part)).
_SECTIONS = _patterns(
    (r"how to use (this|the) guide", ("intro", "how_to_use")),
    (r"job description", ("job", "job_title")),
    (r"ideal candidate profile( \(internal\))?", ("profile", "role_overview")),
    (r"debrief( meeting)?", ("debrief", "debrief_directions")),
    (r"directions for (conducting )?the debrief( meeting)?", ("debrief", "debrief_directions")),
    (r"questions (to guide|for) the debrief( meeting)?", ("debrief", "debrief_questions")),
    (r"reference (calls|checks)", ("references", "ref_directions")),
    (r"directions for (conducting )?reference (calls|checks)", ("references", "ref_directions")),
    (r"questions for (the )?reference (calls|checks)", ("references", "ref_questions")),
    (r"reference (check )?scorecard", ("references", "scorecard")),
    (r"frequently asked questions|faqs?", ("faq", "faq")),
)
# Headings that open a part of the current section: section -> [(pattern, part)].
_PARTS = {
    "job": _patterns(
        (r"about .+", "about_company"),
        (r"the role", "role_summary"),
        (r"(key )?responsibilities", "responsibilities"),
        (r"what we're looking for|requirements|qualifications", "requirements"),
        (r"why join .+", "why_join"),
        (r"(the )?(hiring|interview) process", "hiring_process"),
    ),
    "profile": _patterns(
        (r"role overview", "role_overview"),
        (r"(essential |key |core )?(behavioral )?competencies", "competencies"),
        (r"(desired )?outcomes", "outcomes"),
        (r"ideal candidate traits", "ideal_traits"),
    ),
    "stage": _patterns(
        (_INTERVIEWER_DIRECTIONS, "interviewer_directions"),
        (r"directions (to share )?(with|for) (the )?candidates?", "candidate_directions"),
        (r"(interview )?questions", "questions"),
        (r"areas to cover", "areas"),
        (r"(possible )?follow-? ?up questions", "follow_ups"),
        (r"(interview )?scorecard", "scorecard"),
        (r"hiring recommendation", "recommendation"),
        (r".*\bexercise", "exercise"),
        (r"evaluation criteria", "evaluation_criteria"),
    ),
    "references": _patterns(
        (r"(interview )?scorecard", "scorecard"),
        (r"hiring recommendation", "recommendation"),
    ),
}
_TAKE_HOME_PARTS = {"exercise", "evaluation_criteria"}
_QUESTION_LISTS = {"areas", "follow_ups"}
_DESCRIPTION_LINES = 5  # at most, between a criterion's name and its scores
_GUIDE_TEXTS = (
    "introduction",
    "how_to_use",
    *JobDoc.model_fields,
    "role_overview",
    "ideal_traits",
    "debrief_directions",
    "ref_directions",
    "ref_preparation",
)
_STAGE_TEXTS = ("interviewer_directions", "candidate_directions", "exercise", "evaluation_criteria")


def _section_heading(line: _Line) -> tuple[str, str] | None:
    key = _heading_key(line)
    return next((t for p, t in _SECTIONS if key and p.fullmatch(key)), None)


# Parts of lines ------------------------------------------------------------------------------

_SCORE = re.compile(r"(?P<score>[0-4])\s*(?::|\s[-–])\s*(?P<text>.*)")
_GUIDANCE = re.compile(r"guidance\s*:\s*(?P<text>.*)", re.IGNORECASE)
_COMPETENCY = re.compile(r"(?P<name>[^:]{1,80}):\s*(?P<description>.+)")
# "… what did you learn? (Communication, Adaptability)": the competencies a question probes.
_PROBES = re.compile(r"(?<=[?.!])\s*\((?P<names>[^()]+)\)$")
_NOT_PROBES = re.compile(r"(e\.g\.|i\.e\.|eg\b|ie\b|for example|such as)", re.IGNORECASE)
_MINUTES = re.compile(r"\b(?P<minutes>\d{1,4})[- ]?min(ute)?s?\b", re.IGNORECASE)
_STEP_NAME = re.compile(r"(?P<name>[^:]+?)(?::| [-–—] )")
_FILLER_WORDS = {"a", "an", "and", "the", "of", "with", "for", "interview", "call", "round"}


def _score(line: _Line) -> tuple[int, str] | None:
    """The score and text of a line like "• 3: Strong knowledge", "3: …" or "3. …"."""
    if found := _SCORE.fullmatch(line.item if line.item is not None else line.text):
        return int(found["score"]), found["text"].strip()
    if line.item_number is not None and line.item_number <= 4:
        return line.item_number, line.item
    return None


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.casefold())) - _FILLER_WORDS


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# What the reader builds ----------------------------------------------------------------------


@dataclass
class _Block:
    is_list: bool
    lines: list[str]


@dataclass
class _Text:
    """Paragraphs and lists, as `guides.templatetags.guide_text` reads them."""

    blocks: list[_Block] = field(default_factory=list)
    first_line: int = 0

    def add(self, line: _Line, joined: bool) -> list[str]:
        """Add a line; a text line right below another one continues its paragraph."""
        self.first_line = self.first_line or line.number
        if line.item is None:
            if joined and self.blocks and not self.blocks[-1].is_list:
                self.blocks[-1].lines.append(line.text)
            else:
                self.blocks.append(_Block(False, [line.text]))
            return self.blocks[-1].lines
        marker = "-" if line.item_number is None else f"{line.item_number}."
        if not (self.blocks and self.blocks[-1].is_list):
            self.blocks.append(_Block(True, []))
        self.blocks[-1].lines.append(f"{marker} {line.item}")
        return self.blocks[-1].lines

    def items(self) -> list[str]:
        """The texts of the list items, without their bullets or numbers."""
        return [_classify(0, item).item for b in self.blocks if b.is_list for item in b.lines]

    def render(self) -> str:
        return "\n\n".join("\n".join(block.lines) for block in self.blocks)


@dataclass
class _Question:
    text: str
    line: int
    probes: list[str]
    areas: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)


@dataclass
class _Criterion:
    name: str
    line: int
    description: _Text = field(default_factory=_Text)
    anchors: list[str | None] = field(default_factory=lambda: [None] * 5)


@dataclass
class _Stage:
    name: str
    texts: dict[str, _Text] = field(default_factory=lambda: {k: _Text() for k in _STAGE_TEXTS})
    take_home: bool = False
    questions: list[_Question] = field(default_factory=list)
    criteria: list[_Criterion] = field(default_factory=list)


@dataclass
class _Guided:
    text: str
    guidance: _Text = field(default_factory=_Text)
    awaits_guidance: bool = False  # after a bare "Guidance:", the next paragraph is it


@dataclass
class _Faq:
    question: str
    answer: _Text = field(default_factory=_Text)


@dataclass
class _Competency:
    name: str
    description: _Text = field(default_factory=_Text)


# The reader ----------------------------------------------------------------------------------


class _Reader:
    """Walks the lines once. `section` says where in the guide it is ("intro", "job", "profile",
    "stage", "debrief", "references", "faq"); `mode` says what the next line is read as, and
    names the `_on_<mode>` method that reads it."""

    def __init__(self, lines: list[_Line]):
        self.lines = lines
        self.warnings: list[ImportWarning] = []
        self.texts = {name: _Text() for name in _GUIDE_TEXTS}
        self.title = self.job_title = ""
        self.competencies: list[_Competency] = []
        self.outcomes: list[str] = []
        self.stages: list[_Stage] = []
        self.debrief_questions: list[_Guided] = []
        self.ref_questions: list[_Guided] = []
        self.ref_criteria: list[_Criterion] = []
        self.faq: list[_Faq] = []

        # The next non-blank line after each line: the lookahead that confirms questions and
        # criteria, so that stray lines (page numbers, website text) do not become either.
        self.next_text: dict[int, _Line | None] = {}
        following = None
        for line in reversed(lines):
            self.next_text[line.number] = following
            following = line if line.text else following
        self.last_faq_question = max(
            (line.number for line in lines if self._is_faq_question(line)), default=0
        )
        self.stage_starts = self._find_stage_starts()
        self.header = self._find_header()
        self.section = "intro"
        self.mode, self.text = "text", self.texts["introduction"]
        if self.header:
            self.mode = "before"
        elif self._is_title_line(next(line for line in lines if line.text)):
            self.mode = "title"
        self.items_into: list[str] | None = None  # where a question's list items go
        self.criteria: list[_Criterion] = []  # the scorecard being read
        self.guided: list[_Guided] = []  # the debrief or reference questions being read
        # For continuing paragraphs and list items that run over several lines.
        self.blank_before = False
        self.last_item: tuple[list, int, int] | None = None  # (list, index, indent)
        self.last_text: _Text | None = None
        self.joined_to: _Text | None = None

    def _find_stage_starts(self) -> set[int]:
        starts, previous = set(), None
        for line in self.lines:
            if not line.text:
                continue
            if (
                previous
                and re.fullmatch(_INTERVIEWER_DIRECTIONS, _heading_key(line) or "")
                and _heading_key(previous)
                and not _section_heading(previous)
            ):
                starts.add(previous.number)
            previous = line
        return starts

    def _find_header(self) -> _Line | None:
        """The "Interview Guide for" line; one after the first stage is a link to another guide."""
        first_stage = min(self.stage_starts, default=len(self.lines))
        return next(
            (
                line
                for line in self.lines[:first_stage]
                if _heading_key(line) and _HEADER.fullmatch(line.text)
            ),
            None,
        )

    def _is_title_line(self, line: _Line) -> bool:
        return bool(_heading_key(line)) and not _section_heading(line) and not self._is_stage(line)

    def _is_stage(self, line: _Line) -> bool:
        return line.number in self.stage_starts

    # Walking the lines

    def read(self) -> ImportedGuide:
        for line in self.lines:
            if line.text:
                self._read_line(line)
            self.blank_before = not line.text
        return self._build()

    def _read_line(self, line: _Line) -> None:
        if self._continues_item(line):
            return
        self.last_item = None
        self.joined_to = None if self.blank_before else self.last_text
        self.last_text = None
        if self.mode == "end":
            self._warn(line, "after the end of the guide (website text)")
        elif self._is_stage(line):
            self._start_stage(line)
        elif line.is_text and self.stages and _END.fullmatch(_norm(line.text)):
            self.mode = "end"
            self._warn(line, "after the end of the guide (website text)")
        elif line.is_text and _PAGE_NUMBER.fullmatch(_norm(line.text)):
            self._warn(line, "a page number")
        elif line is self.header:
            self._read_header(line)
        elif not self._read_heading(line):
            getattr(self, f"_on_{self.mode}")(line)

    def _continues_item(self, line: _Line) -> bool:
        """A text line indented under the list item right above it continues that item."""
        if not (line.is_text and self.last_item and not self.blank_before):
            return False
        items, index, indent = self.last_item
        if line.indent <= indent:
            return False
        items[index] = self._fit(f"{items[index]} {line.text}", TEXT_MAX, line)
        return True

    def _read_header(self, line: _Line) -> None:
        self.section = "intro"
        if title := _HEADER.fullmatch(line.text)["title"]:
            self._set_title(line, title)
        else:
            self.mode = "title"

    def _read_heading(self, line: _Line) -> bool:
        if found := _section_heading(line):
            self.section, part = found
        elif not (part := self._part_heading(line)):
            return False
        self._open(part, line)
        return True

    def _part_heading(self, line: _Line | None) -> str | None:
        """The part of the current section that the line is the heading of, if any."""
        key = _heading_key(line) if line else None
        for pattern, part in _PARTS.get(self.section, ()) if key else ():
            if pattern.fullmatch(key) and self._may_open(part, line):
                return part
        return None

    def _may_open(self, part: str, line: _Line) -> bool:
        # A question or a criterion may be worded like a take-home heading; there it is none.
        if part in _TAKE_HOME_PARTS and self.mode in ("questions", "scorecard"):
            return False
        # "Before you send the exercise:" introduces a list; "Data Analysis Exercise" is a title.
        if part == "exercise":
            words = re.findall(r"[^\W\d_][\w'-]{3,}", line.text)
            return not line.text.endswith(":") and all(word[0].isupper() for word in words)
        return True

    def _start_stage(self, line: _Line) -> None:
        self.section = "stage"
        self.stages.append(_Stage(name=line.text))
        self._open("interviewer_directions", line)

    def _open(self, part: str, line: _Line) -> None:
        self.mode = part
        match part:
            case "areas" | "follow_ups":
                self.mode = "questions"
                questions = self.stages[-1].questions
                self.items_into = getattr(questions[-1], part) if questions else None
                if not questions:
                    self._warn(line, "a list heading before the first question of the stage")
            case "questions":
                self.items_into = None
            case "scorecard":
                in_stage = self.section == "stage"
                self.criteria = self.stages[-1].criteria if in_stage else self.ref_criteria
            case "debrief_questions" | "ref_questions":
                self.mode = "guided"
                self.guided = getattr(self, part)
            case "ref_directions":
                self.text = self.texts[part]
            case _ if part in self.texts:
                self.mode, self.text = "text", self.texts[part]
            case _ if part in _STAGE_TEXTS:
                self.mode, self.text = "text", self.stages[-1].texts[part]
                self.stages[-1].take_home |= part == "exercise"

    # Reading a line in each mode

    def _on_before(self, line: _Line) -> None:
        self._warn(line, "before the start of the guide (the “Interview Guide for” line)")

    def _on_title(self, line: _Line) -> None:
        if line.item is None:
            self._set_title(line, line.text)
        else:
            self._warn(line, "a list item where the title of the guide was expected")

    def _set_title(self, line: _Line, title: str) -> None:
        self.title = self._fit(title, NAME_MAX, line)
        self.mode, self.text = "text", self.texts["introduction"]

    def _on_text(self, line: _Line) -> None:
        self._write(self.text, line)

    def _write(self, text: _Text, line: _Line) -> None:
        items = text.add(line, joined=self.joined_to is text)
        self.last_text = text
        if line.item is not None:
            self.last_item = (items, len(items) - 1, line.indent)

    def _on_job_title(self, line: _Line) -> None:
        self.mode, self.text = "text", self.texts["role_summary"]
        if _heading_key(line):
            self.job_title = line.text
        else:  # no title line: what follows the heading describes the role
            self._write(self.text, line)

    def _on_competencies(self, line: _Line) -> None:
        found = _COMPETENCY.fullmatch(line.item if line.item is not None else line.text)
        if found and any(
            c.name.casefold() == found["name"].strip().casefold() for c in self.competencies
        ):
            self._warn(line, "the same competency again; left out")
        elif found:
            self.competencies.append(_Competency(found["name"].strip()))
            self._write(self.competencies[-1].description, _Line(line.number, found["description"]))
        elif self.competencies:
            self._write(self.competencies[-1].description, line)
        else:
            self._warn(line, "not a competency (“Name: description”)")

    def _on_outcomes(self, line: _Line) -> None:
        if line.item is None and line.text.endswith(":"):
            self._warn(line, "not an outcome: it introduces the list of desired outcomes")
            return
        self.outcomes.append(self._fit(line.item or line.text, TEXT_MAX, line))
        self.last_item = (self.outcomes, len(self.outcomes) - 1, line.indent)

    def _on_questions(self, line: _Line) -> None:
        if line.item is None:
            question = self._question(line)
            lists_follow = self._part_heading(self.next_text[line.number]) in _QUESTION_LISTS
            if question.text.endswith(_SENTENCE_END) or lists_follow:
                self.stages[-1].questions.append(question)
            else:
                self._warn(line, "not a question: it is not a sentence and has no areas to cover")
            self.items_into = None
        elif self.items_into is not None:
            self.items_into.append(self._fit(line.item, TEXT_MAX, line))
            self.last_item = (self.items_into, len(self.items_into) - 1, line.indent)
        else:
            self._warn(line, "a list item outside “Areas to Cover” and “Follow-up Questions”")

    def _question(self, line: _Line) -> _Question:
        text, probes = line.text, []
        found = _PROBES.search(text)
        if found and not _NOT_PROBES.match(found["names"].strip()):
            text = text[: found.start()]
            probes = [name.strip() for name in re.split(r"[,;]", found["names"]) if name.strip()]
        return _Question(self._fit(text.strip(), TEXT_MAX, line), line.number, probes)

    def _on_scorecard(self, line: _Line) -> None:
        criterion = self.criteria[-1] if self.criteria else None
        if score := _score(line):
            number, text = score
            if criterion is None:
                self._warn(line, "a score description before the first criterion")
            elif criterion.anchors[number] is not None:
                self._warn(line, f"a second description for the score {number}")
            else:
                criterion.anchors[number] = self._fit(text, TEXT_MAX, line)
                self.last_item = (criterion.anchors, number, line.indent)
        elif line.item is not None:
            self._warn(line, "a list item in a scorecard that is not a score from 0 to 4")
        elif criterion and not any(criterion.anchors) and line.text[-1] in ".!":
            # A sentence under a criterion's name, before its scores, describes it.
            self._write(criterion.description, line)
        elif self._scores_follow(line):
            self.criteria.append(_Criterion(self._fit(line.text, NAME_MAX, line), line.number))
        else:
            self._warn(line, "not a criterion: no scores from 0 to 4 follow it")

    def _scores_follow(self, line: _Line) -> bool:
        """Whether scores follow the line, after a few sentences describing the criterion."""
        after = self.next_text[line.number]
        for _ in range(_DESCRIPTION_LINES):
            if not (after and after.is_text and after.text[-1] in ".!" and not _score(after)):
                break
            after = self.next_text[after.number]
        return bool(after and _score(after))

    def _on_recommendation(self, line: _Line) -> None:
        score = _score(line)
        if score and _norm(RECOMMENDATION_SCALE.get(score[0], "")) == _norm(score[1]):
            return
        scale = ", ".join(f"{n} {label}" for n, label in RECOMMENDATION_SCALE.items())
        self._warn(line, f"differs from the fixed hiring recommendation scale ({scale})")

    def _on_guided(self, line: _Line) -> None:
        question = self.guided[-1] if self.guided else None
        guidance = _GUIDANCE.fullmatch(line.text) if line.item is None else None
        awaited = question and question.awaits_guidance and not question.guidance.blocks
        if question is None and (guidance or line.item is not None):
            self._warn(line, "guidance before the first question")
        elif guidance:
            question.awaits_guidance = not guidance["text"]
            if guidance["text"]:
                self._write(question.guidance, _Line(line.number, guidance["text"]))
        elif line.item is not None or awaited:
            self._write(question.guidance, line)
        elif line.text.endswith("?") or self._guidance_follows(line):
            self.guided.append(_Guided(self._fit(line.text, TEXT_MAX, line)))
        else:
            self._warn(line, "not a question: it does not end with “?” and has no guidance")

    def _guidance_follows(self, line: _Line) -> bool:
        after = self.next_text[line.number]
        return bool(after and after.is_text and _GUIDANCE.fullmatch(after.text))

    def _on_ref_directions(self, line: _Line) -> None:
        # The directions end where the preparation list, or the line introducing it, begins.
        if line.item is not None or line.text.endswith(":"):
            self.mode, self.text = "text", self.texts["ref_preparation"]
        self._write(self.text, line)

    def _on_faq(self, line: _Line) -> None:
        if self._is_faq_question(line):
            self.faq.append(_Faq(self._fit(line.text, TEXT_MAX, line)))
        elif not self.faq:
            self._warn(line, "not part of a question and answer")
        elif self._in_answer(line, self.faq[-1].answer):
            self._write(self.faq[-1].answer, line)
        else:
            # Past the last answer, a page copied from a website goes on with the site's own
            # text, which cannot be told from a second paragraph of that answer.
            self.mode = "outside"
            self._on_outside(line)

    def _in_answer(self, line: _Line, answer: _Text) -> bool:
        """Lists and the first paragraph belong to the answer above them; a further paragraph
        does only if another question follows it."""
        starts_paragraph = line.is_text and self.joined_to is not answer
        return not (answer.blocks and starts_paragraph) or line.number < self.last_faq_question

    def _is_faq_question(self, line: _Line) -> bool:
        """A line ending with "?" whose next line is not another one: that is its answer."""
        if not (line.is_text and line.text.endswith("?")):
            return False
        after = self.next_text[line.number]
        return not (after and after.text.endswith("?") and not _END.fullmatch(_norm(after.text)))

    def _on_outside(self, line: _Line) -> None:
        self._warn(line, "not part of the guide: it follows the last answer of the FAQ")

    def _warn(self, line: _Line | int, message: str, text: str = "") -> None:
        if isinstance(line, _Line):
            line, text = line.number, line.text
        self.warnings.append(ImportWarning(line, _cut(text), message))

    def _fit(self, text: str, limit: int, line: _Line | int) -> str:
        if len(text) <= limit:
            return text
        number = line.number if isinstance(line, _Line) else line
        self._warn(number, f"too long: cut to {limit} characters", text)
        return text[:limit].rstrip()

    # Building the document

    def _build(self) -> ImportedGuide:
        if not any(stage.questions or stage.criteria for stage in self.stages):
            raise NotAGuide(self._not_a_guide_message())
        competencies = [
            CompetencyDoc(name=c.name, description=self._render(c.description))
            for c in self.competencies
        ]
        names = [c.name for c in competencies]
        stages = [
            StageDoc(
                name=stage.name,
                kind="take_home" if stage.take_home else "interview",
                **{part: self._render(text) for part, text in stage.texts.items()},
                questions=[self._question_doc(q, names) for q in stage.questions],
                criteria=[self._criterion_doc(c) for c in stage.criteria],
            )
            for stage in self.stages
        ]
        self._set_durations(stages)
        texts = {name: self._render(text) for name, text in self.texts.items()}
        document = GuideDoc(
            title=self._title(),
            introduction=texts["introduction"],
            how_to_use=texts["how_to_use"],
            job=JobDoc(**{name: texts[name] for name in JobDoc.model_fields}),
            profile=ProfileDoc(
                role_overview=texts["role_overview"],
                competencies=competencies,
                outcomes=self.outcomes,
                ideal_traits=texts["ideal_traits"],
            ),
            stages=stages,
            debrief=DebriefDoc(
                directions=texts["debrief_directions"],
                questions=[self._guided_doc(q) for q in self.debrief_questions],
            ),
            references=ReferencesDoc(
                directions=texts["ref_directions"],
                preparation=texts["ref_preparation"],
                questions=[self._guided_doc(q) for q in self.ref_questions],
                criteria=[self._criterion_doc(c) for c in self.ref_criteria],
            ),
            faq=[FaqDoc(question=f.question, answer=self._render(f.answer)) for f in self.faq],
        )
        links, unlinked = link_criteria(document)
        return ImportedGuide(document, sorted(self.warnings, key=lambda w: w.line), links, unlinked)

    def _not_a_guide_message(self) -> str:
        opening = "This does not look like an interview guide: it has no stage with questions"
        if self.stages:
            return (
                f"{opening} or a scorecard. Each stage needs “Interview Questions” or an "
                "“Interview Scorecard” with criteria below its “Directions for the Interviewer”."
            )
        return (
            f"{opening} or a scorecard, and none of the headings a stage starts with "
            "(a stage name followed by “Directions for the Interviewer”)."
        )

    def _title(self) -> str:
        if self.title or self.job_title:
            return self.title or self.job_title
        first = next(line for line in self.lines if line.text)
        self._warn(first, f"no title found (no “Interview Guide for” line); called “{UNTITLED}”")
        return UNTITLED

    def _render(self, text: _Text) -> str:
        return self._fit(text.render(), TEXT_MAX, text.first_line)

    def _question_doc(self, question: _Question, competencies: list[str]) -> QuestionDoc:
        probed = []
        for name in question.probes:
            match = self._competency(name, competencies, question.line)
            if match and match not in probed:
                probed.append(match)
        return QuestionDoc(
            text=question.text,
            areas=question.areas,
            follow_ups=question.follow_ups,
            competencies=probed,
        )

    def _competency(self, name: str, competencies: list[str], line: int) -> str | None:
        """The competency a question names: the same name, else the one containing its words."""
        key = _norm(name).replace("-", " ")
        exact = [c for c in competencies if _norm(c).replace("-", " ") == key]
        words = re.compile(rf"\b{re.escape(key)}\b")
        found = exact or [c for c in competencies if words.search(_norm(c).replace("-", " "))]
        if len(found) == 1:
            return found[0]
        if found:
            message = f"“{name}” could be any of the competencies {', '.join(found)}; left out"
        else:
            message = f"“{name}” is not a competency of the candidate profile; left out"
        self._warn(line, message, self.lines[line - 1].text)
        return None

    def _criterion_doc(self, criterion: _Criterion) -> CriterionDoc:
        missing = [str(score) for score, anchor in enumerate(criterion.anchors) if anchor is None]
        if missing:
            text = self.lines[criterion.line - 1].text
            message = f"no description for the score {', '.join(missing)}; left blank"
            self._warn(criterion.line, message, text)
        return CriterionDoc(
            name=criterion.name,
            description=self._render(criterion.description),
            anchors=[anchor or "" for anchor in criterion.anchors],
        )

    def _guided_doc(self, question: _Guided) -> GuidedQuestionDoc:
        return GuidedQuestionDoc(text=question.text, guidance=self._render(question.guidance))

    def _set_durations(self, stages: list[StageDoc]) -> None:
        """Take "a 30-minute call" from the hiring process step that names the stage, if only
        one step names it and the step names only that stage."""
        matches: dict[int, list[int]] = {}
        for step in self.texts["hiring_process"].items():
            name, minutes = _STEP_NAME.match(step), _MINUTES.search(step)
            if not (name and minutes and 1 <= int(minutes["minutes"]) <= 24 * 60):
                continue
            stage = _matching_stage(name["name"], [stage.name for stage in stages])
            if stage is not None:
                matches.setdefault(stage, []).append(int(minutes["minutes"]))
        for stage, minutes in matches.items():
            if len(minutes) == 1:
                stages[stage].duration_minutes = minutes[0]


# Words a criterion's name may add to a competency's and still mean it.
_SUFFIXES = {"skill", "skills", "ability", "abilities", "approach"}


def _name_words(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", _norm(name).replace("&", " and "))
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def measured_competency(criterion: str, competencies: list[str]) -> str | None:
    """The competency a criterion's name means: the same name but for case, punctuation and a
    "Skills"/"Ability" suffix; else the one competency whose name holds all of its (two or
    more) words, as "Problem Solving" in "Technical Problem Solving"."""
    words = _name_words(criterion)
    exact = [c for c in competencies if _name_words(c) == words]
    if exact:
        return exact[0]
    if len(words) < 2:
        return None
    holding = [c for c in competencies if set(words) <= set(_name_words(c))]
    return holding[0] if len(holding) == 1 else None


def link_criteria(document: GuideDoc) -> tuple[list[Link], list[str]]:
    """Link each criterion that does not say what it measures to the outcome whose text is its
    name, else the competency it names; the links made and the names left for a person."""
    outcomes = {_norm(text): text for text in document.profile.outcomes}
    competencies = [c.name for c in document.profile.competencies]
    links, unlinked = [], []
    for criterion in document.criteria():
        if criterion.measures:
            continue
        if outcome := outcomes.get(_norm(criterion.name)):
            criterion.measures = MeasuresDoc(kind="outcome", name=outcome)
        elif competency := measured_competency(criterion.name, competencies):
            criterion.measures = MeasuresDoc(kind="competency", name=competency)
        else:
            if criterion.name not in unlinked:
                unlinked.append(criterion.name)
            continue
        links.append(Link(criterion.name, criterion.measures.kind, criterion.measures.name))
    return links, unlinked


def _matching_stage(step: str, stages: list[str]) -> int | None:
    """The index of the stage named like the step: the same name, else the one stage that
    shares the most words with it."""
    for index, name in enumerate(stages):
        if _norm(name) == _norm(step):
            return index
    shared = [len(_words(step) & _words(name)) for name in stages]
    best = max(shared, default=0)
    return shared.index(best) if best and shared.count(best) == 1 else None
