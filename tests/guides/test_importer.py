"""The text importer: on the seed guide, on variants of it made here by cutting and editing,
and on the hand-made variants in tests/guides/data (whose counts EXPECTED.md gives).

Expected texts come from the guide files themselves, sliced by simple means in the tests, so
that the tests neither repeat the parser's rules nor copy the guides' sentences.
"""

import re
from pathlib import Path

import pytest

from guides.documents import ReferencesDoc, counts
from guides.importer import ImportWarning, NotAGuide, read_guide
from tests.factories import seed_guide

DATA = Path(__file__).parent / "data"
SEED_COUNTS = {
    "stages": 5,
    "questions": 24,
    "criteria": 49,
    "anchors": 290,
    "debrief_questions": 8,
    "reference_questions": 7,
    "reference_criteria": 9,
    "competencies": 5,
    "outcomes": 5,
    "faq": 7,
}


@pytest.fixture(scope="module")
def seed_text():
    return seed_guide().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_lines(seed_text):
    return seed_text.split("\n")


@pytest.fixture(scope="module")
def seed(seed_text):
    return read_guide(seed_text)


def items_between(lines, start, end_heading):
    """The bullet items after line `start` up to the line `end_heading`, without bullets."""
    items = []
    for line in lines[start + 1 :]:
        if line.strip() == end_heading:
            return items
        if line.strip():
            items.append(line.strip().removeprefix("•").strip())
    raise AssertionError(f"no {end_heading!r} after line {start + 1}")


def without(lines, first, upto):
    """The lines without those from the line `first` to the line `upto` (excluded; None: end)."""
    start = lines.index(first)
    end = lines.index(upto, start) if upto else len(lines)
    return "\n".join(lines[:start] + lines[end:])


def second(lines, prefix):
    """The index of the second line that starts with `prefix`."""
    return [i for i, line in enumerate(lines) if line.startswith(prefix)][1]


# The seed


def test_seed_counts_stages_and_kinds(seed):
    document = seed.document
    assert counts(document) == SEED_COUNTS
    assert [stage.name for stage in document.stages] == [
        "Screening Interview",
        "Technical Assessment",
        "Technical Interview",
        "System Design Interview",
        "Team & Culture Interview",
    ]
    assert [len(stage.questions) for stage in document.stages] == [6, 0, 6, 6, 6]
    assert [len(stage.criteria) for stage in document.stages] == [9, 10, 10, 10, 10]
    kinds = ["interview", "take_home", "interview", "interview", "interview"]
    assert [stage.kind for stage in document.stages] == kinds
    assert document.title == "Backend Developer"


def test_the_first_question_keeps_its_areas_and_follow_ups(seed, seed_lines):
    areas = seed_lines.index("Areas to Cover")
    follow_ups = seed_lines.index("Possible Follow-up Questions")
    # The line after the follow-ups that is not indented is the next question.
    next_question = next(
        line for line in seed_lines[follow_ups + 1 :] if line and not line.startswith(" ")
    )
    question = seed.document.stages[0].questions[0]
    assert question.text == seed_lines[seed_lines.index("Interview Questions") + 2]
    assert question.areas == items_between(seed_lines, areas, "Possible Follow-up Questions")
    assert question.follow_ups == items_between(seed_lines, follow_ups, next_question)
    assert len(question.areas) == 5 and len(question.follow_ups) == 4


def test_anchor_texts_are_the_lines_after_their_score(seed, seed_lines):
    exercise = seed_lines.index("Technical Assessment Exercise")
    criterion = seed_lines.index("Code Quality", exercise)
    score_4 = next(line for line in seed_lines[criterion:] if line.strip().startswith("• 4: "))
    take_home = next(stage for stage in seed.document.stages if stage.kind == "take_home")
    code_quality = next(c for c in take_home.criteria if c.name == "Code Quality")
    assert code_quality.anchors[4] == score_4.split("4: ", 1)[1]


def test_every_criterion_has_five_anchors(seed):
    document = seed.document
    criteria = [c for stage in document.stages for c in stage.criteria]
    criteria += document.references.criteria
    assert len(criteria) == 58
    for criterion in criteria:
        assert len(criterion.anchors) == 5 and all(criterion.anchors), criterion.name
        assert not re.match(r"\d:", criterion.anchors[0])


def test_texts_keep_paragraphs_and_lists(seed, seed_lines):
    # The take-home's directions for the interviewer, rebuilt from the seed's lines:
    # paragraphs apart by a blank line, bullets one per line as "- ".
    stage = seed_lines.index("Technical Assessment")
    start = seed_lines.index("Directions for the Interviewer", stage)
    end = seed_lines.index("Directions to Share with Candidate", stage)
    expected, previous_was_item = "", False
    for line in filter(None, (line.strip() for line in seed_lines[start + 1 : end])):
        is_item = line.startswith("• ")
        separator = "\n" if is_item and previous_was_item else "\n\n"
        expected += (separator if expected else "") + re.sub(r"^• ", "- ", line)
        previous_was_item = is_item
    take_home = seed.document.stages[1]
    assert take_home.interviewer_directions == expected
    assert take_home.candidate_directions.startswith('"')
    assert take_home.candidate_directions.endswith('"')
    assert take_home.candidate_directions.count("\n\n") == 2
    assert (
        take_home.exercise.split("\n\n")[0]
        == seed_lines[seed_lines.index("Technical Assessment Exercise") + 2]
    )
    assert take_home.evaluation_criteria.split("\n") == [
        "- " + item
        for item in items_between(
            seed_lines, seed_lines.index("Evaluation Criteria:"), "Interview Scorecard"
        )
    ]
    preparation = seed.document.references.preparation.split("\n\n")
    assert preparation[0].endswith(":")
    assert all(line.startswith("- ") for line in preparation[1].split("\n"))


def test_questions_carry_the_competencies_they_probe(seed):
    document = seed.document
    names = [c.name for c in document.profile.competencies]
    team = document.stages[4]
    probed = [question.competencies for question in team.questions]
    assert probed == [
        [],
        ["Communication", "Adaptability"],
        ["Adaptability"],
        ["Technical Problem Solving", "Adaptability"],
        ["Communication"],
        ["Attention to Detail"],
    ]
    assert all(name in names for question in team.questions for name in question.competencies)
    for stage in document.stages:
        for question in stage.questions:
            assert not question.text.endswith(")")


def test_a_parenthesis_naming_no_competencies_stays_in_the_question(seed, seed_lines):
    lines = list(seed_lines)
    one = seed_lines.index("Interview Questions") + 2
    two = second(seed_lines, "Areas to Cover") - 2
    lines[one] = lines[one].replace(" ", " (in a few words) ", 1)  # mid-sentence
    lines[two] += " (e.g., Postgres)"  # an example, not competencies
    result = read_guide("\n".join(lines))
    questions = result.document.stages[0].questions
    assert [q.text for q in questions[:2]] == [lines[one], lines[two]]
    assert questions[0].competencies == questions[1].competencies == []
    assert result.warnings == seed.warnings


def test_the_website_text_after_the_faq_becomes_warnings(seed, seed_lines):
    # The FAQ is seven questions, each with a one-line answer; all after them is website text.
    heading = seed_lines.index("Frequently Asked Questions")
    after = [
        (number, line.strip())
        for number, line in enumerate(seed_lines, start=1)
        if number > heading + 1 and line.strip()
    ]
    pairs, junk = after[:14], after[14:]
    assert [(f.question, f.answer) for f in seed.document.faq] == [
        (question, answer)
        for (_, question), (_, answer) in zip(pairs[::2], pairs[1::2], strict=True)
    ]
    assert len(junk) == 11
    assert [(w.line, w.text) for w in seed.warnings] == junk
    first = seed.warnings[0]
    assert isinstance(first, ImportWarning)
    assert first.as_dict() == {"line": first.line, "text": first.text, "message": first.message}


def test_the_screening_takes_its_duration_from_the_hiring_process(seed):
    assert [stage.duration_minutes for stage in seed.document.stages] == [30] + [None] * 4


# Variants of the seed


@pytest.mark.parametrize(
    "newline, prefix", [("\r\n", ""), ("\r", ""), ("\n", "\ufeff"), ("\r\n", "\ufeff")]
)
def test_line_ends_and_a_bom_change_nothing(seed, seed_text, newline, prefix):
    result = read_guide(prefix + seed_text.replace("\n", newline))
    assert result.document == seed.document
    assert result.warnings == seed.warnings


@pytest.mark.parametrize("bullet", ["-", "*", "–", "1.", "2)"])
def test_other_bullets_give_the_same_guide(seed, seed_text, bullet):
    result = read_guide(seed_text.replace("•", bullet))
    assert counts(result.document) == SEED_COUNTS
    assert [w.line for w in result.warnings] == [w.line for w in seed.warnings]
    if not bullet[0].isdigit():
        assert result.document == seed.document


def test_numbered_lists_and_anchors_are_read(seed_text):
    numbers = iter(range(1, 10**6))
    text = re.sub("•", lambda _: f"{next(numbers) % 90 + 1}.", seed_text)
    assert counts(read_guide(text).document) == SEED_COUNTS


def test_blank_lines_tabs_spaces_and_heading_case_change_nothing(seed, seed_text):
    text = seed_text.replace("\n", "\n\n \n\t\n")
    text = re.sub(r"(?m)^  ", "\t", text)
    text = re.sub(r"(?m)$", "  ", text)
    for heading in ("How to Use This guide", "Interview Questions", "Areas to Cover"):
        text = text.replace(heading, heading.upper())
    text = text.replace("Interview Scorecard", "interview scorecard:")
    result = read_guide(text)
    assert result.document == seed.document
    assert len(result.warnings) == len(seed.warnings)


def test_a_guide_without_take_home_and_references(seed_lines):
    text = without(seed_lines, "Technical Assessment", "Technical Interview")
    text = without(text.split("\n"), "Reference Calls", "Frequently Asked Questions")
    result = read_guide(text)
    document = result.document
    assert [stage.kind for stage in document.stages] == ["interview"] * 4
    assert document.references == ReferencesDoc()
    assert counts(document) == SEED_COUNTS | {
        "stages": 4,
        "criteria": 39,
        "anchors": 195,
        "reference_questions": 0,
        "reference_criteria": 0,
    }
    assert all("end of the guide" in w.message for w in result.warnings)


def test_a_guide_without_debrief_and_faq(seed_lines):
    text = without(seed_lines, "Debrief Meeting", "Reference Calls")
    text = without(text.split("\n"), "Frequently Asked Questions", None)
    result = read_guide(text)
    assert counts(result.document) == SEED_COUNTS | {"debrief_questions": 0, "faq": 0}
    assert result.document.debrief.directions == ""
    assert result.warnings == []


def test_a_guide_without_its_header_takes_the_job_title(seed_lines):
    result = read_guide(without(seed_lines, "Interview Guide for", "Job Description"))
    assert result.document.title == "Backend Developer"
    assert counts(result.document) == SEED_COUNTS


def test_missing_anchors_are_blank_and_warned(seed_lines):
    lines = list(seed_lines)
    criterion = lines.index("Experience Relevance")
    score_3 = next(i for i in range(criterion, len(lines)) if lines[i].strip().startswith("• 3:"))
    del lines[score_3]
    result = read_guide("\n".join(lines))
    anchors = result.document.stages[0].criteria[3].anchors
    assert anchors[3] == "" and all(anchors[:3] + anchors[4:])
    warning = result.warnings[0]
    assert (warning.line, warning.text) == (criterion + 1, "Experience Relevance")
    assert "3" in warning.message


def test_competency_names_match_loosely_and_unknown_ones_are_warned(seed_text):
    text = seed_text.replace("(Adaptability)", "(Adaptability, Telepathy)")
    text = text.replace("(Problem Solving, Adaptability)", "(problem-solving)")
    result = read_guide(text)
    questions = result.document.stages[4].questions
    assert questions[2].competencies == ["Adaptability"]
    assert questions[3].competencies == ["Technical Problem Solving"]
    assert "Telepathy" not in questions[2].text and questions[2].text.endswith("?")
    [warning] = result.warnings[:-11]
    assert "Telepathy" in warning.message
    assert warning.line == text.split("\n").index(warning.text) + 1


def test_a_different_recommendation_scale_is_warned(seed_text):
    result = read_guide(seed_text.replace("• 3: Hire", "• 3: Lean Hire", 1))
    assert counts(result.document) == SEED_COUNTS
    assert [w.text for w in result.warnings][0] == "• 3: Lean Hire"


@pytest.mark.parametrize(
    "text",
    ["", "  \n\r\n\t\n", "Dear all,\n\nWhat is for lunch?\n\nPizza.\n\n- one\n- two\n"],
)
def test_what_is_not_a_guide_is_refused(text):
    with pytest.raises(NotAGuide, match="does not look like an interview guide"):
        read_guide(text)


def test_questions_without_a_stage_are_not_a_guide(seed_lines):
    start = seed_lines.index("Interview Questions")
    with pytest.raises(NotAGuide, match="no stage with questions or a scorecard"):
        read_guide("\n".join(seed_lines[start : start + 40]))


@pytest.mark.parametrize(
    "where",
    [
        lambda lines: second(lines, "Areas to Cover") - 2,  # after a question's follow-ups
        lambda lines: second(lines, "  • 0:") - 2,  # between two criteria
        lambda lines: second(lines, "Guidance:") - 2,  # between two debrief questions
    ],
    ids=["questions", "criteria", "debrief"],
)
def test_a_stray_line_becomes_a_warning_not_a_question_or_criterion(seed_lines, where):
    at = where(seed_lines)
    lines = seed_lines[:at] + ["Internal use only", ""] + seed_lines[at:]
    result = read_guide("\n".join(lines))
    assert counts(result.document) == SEED_COUNTS
    stray = result.warnings[0]
    assert (stray.line, stray.text) == (at + 1, "Internal use only")
    assert stray.message.startswith("not a ")


def test_a_page_number_is_a_warning(seed_lines):
    at = seed_lines.index("Possible Follow-up Questions")
    lines = seed_lines[:at] + ["Page 2 of 9", ""] + seed_lines[at:]
    result = read_guide("\n".join(lines))
    assert counts(result.document) == SEED_COUNTS
    assert (result.warnings[0].line, result.warnings[0].message) == (at + 1, "a page number")


# The hand-made variants in tests/guides/data, with the counts of its EXPECTED.md

VARIANTS = {
    "data-analyst": {
        "counts": {
            "stages": 3,
            "questions": 7,
            "criteria": 19,
            "anchors": 95,
            "debrief_questions": 4,
            "reference_questions": 0,
            "reference_criteria": 0,
            "competencies": 3,
            "outcomes": 3,
            "faq": 3,
        },
        "stages": [
            ("Screening Interview", "interview", 3, 6),
            ("Take-Home Analysis", "take_home", 0, 7),
            ("Analytical Thinking Interview", "interview", 4, 6),
        ],
        "areas_follow_ups": [["4/3", "3/2", "3/2"], [], ["3/2", "3/2", "3/2", "3/2"]],
        "probed": {
            (2, 0): ["Analytical Rigor"],
            (2, 1): ["Analytical Rigor", "Stakeholder Partnership"],
            (2, 3): ["Data Storytelling"],
        },
        "warning_lines": [],
    },
    "support-lead": {
        "counts": {
            "stages": 2,
            "questions": 7,
            "criteria": 13,
            "anchors": 90,
            "debrief_questions": 5,
            "reference_questions": 4,
            "reference_criteria": 5,
            "competencies": 4,
            "outcomes": 3,
            "faq": 0,
        },
        "stages": [
            ("Screening Interview", "interview", 3, 6),
            ("Leadership Interview", "interview", 4, 7),
        ],
        "areas_follow_ups": [["3/2", "4/2", "3/2"], ["4/3", "3/2", "4/3", "3/2"]],
        "probed": {
            (1, 0): ["Composure", "Customer Advocacy"],
            (1, 1): ["Coaching"],
            (1, 2): ["Operational Planning", "Composure"],
            (1, 3): ["Customer Advocacy"],
        },
        "warning_lines": [],
    },
    "sales-engineer": {
        "counts": {
            "stages": 3,
            "questions": 10,
            "criteria": 19,
            "anchors": 125,
            "debrief_questions": 4,
            "reference_questions": 4,
            "reference_criteria": 6,
            "competencies": 3,
            "outcomes": 3,
            "faq": 3,
        },
        "stages": [
            ("Screening Interview", "interview", 3, 6),
            ("Discovery & Demo Interview", "interview", 4, 7),
            ("Technical Deep-Dive Interview", "interview", 3, 6),
        ],
        "areas_follow_ups": [["3/2", "3/2", "3/2"], ["4/2", "4/2", "3/2", "3/2"], ["3/2"] * 3],
        "probed": {
            (1, 0): ["Discovery Skill"],
            (1, 1): ["Persuasive Demonstration"],
            (1, 2): ["Technical Credibility"],
            (2, 0): ["Technical Credibility"],
            (2, 2): ["Technical Credibility", "Persuasive Demonstration"],
        },
        # A stray "Page 3 of 7" in a stage, and the website footer after the FAQ.
        "warning_lines": [240, 567, 569, *range(571, 578)],
    },
}


def variant(name):
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_guides_import_as_expected(name):
    text, expected = variant(name), VARIANTS[name]
    result = read_guide(text)
    document = result.document
    assert counts(document) == expected["counts"]
    assert [
        (stage.name, stage.kind, len(stage.questions), len(stage.criteria))
        for stage in document.stages
    ] == expected["stages"]
    assert [
        [f"{len(q.areas)}/{len(q.follow_ups)}" for q in stage.questions]
        for stage in document.stages
    ] == expected["areas_follow_ups"]
    probed = {
        (s, q): question.competencies
        for s, stage in enumerate(document.stages)
        for q, question in enumerate(stage.questions)
        if question.competencies
    }
    assert probed == expected["probed"]
    for criterion in [
        c for s in document.stages for c in s.criteria
    ] + document.references.criteria:
        assert all(criterion.anchors), criterion.name
    lines = text.split("\n")
    assert [w.line for w in result.warnings] == expected["warning_lines"]
    assert all(w.text == lines[w.line - 1].strip() for w in result.warnings)
    for outcome in document.profile.outcomes:
        assert any(line.strip().endswith(outcome) for line in lines)


def test_the_data_analyst_take_home():
    text = variant("data-analyst")
    lines = text.split("\n")
    take_home = read_guide(text).document.stages[1]
    title = lines[lines.index("Data Analysis Exercise") + 2]
    assert take_home.exercise.split("\n\n")[0] == title
    assert take_home.exercise.count("\n- ") == 5
    assert take_home.evaluation_criteria.count("- ") == 4
    assert "Before you send the exercise:" in take_home.interviewer_directions


def test_the_sales_engineer_faq_ends_with_its_last_answer():
    text = variant("sales-engineer")
    faq = read_guide(text).document.faq
    assert faq[-1].answer == text.split("\n")[564]
    assert all("HireKit" not in entry.answer for entry in faq)


def test_meeting_minutes_are_not_a_guide():
    with pytest.raises(NotAGuide, match="does not look like an interview guide"):
        read_guide(variant("not-a-guide"))
