from django import forms

from guides.documents import TEXT_MAX
from guides.models import Criterion, Recommendation
from scorecards.submission import incomplete

SCORE_MESSAGE = "A score is 0, 1, 2, 3 or 4."
RECOMMENDATION_MESSAGE = "Choose Strong No Hire, No Hire, Hire or Strong Hire."


class NoteField(forms.CharField):
    """Free text; a line break counts once, as the browser's length limit counts it, whether
    the text came by autosave (\n) or in a posted form (\r\n)."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


def note_field() -> NoteField:
    """Free text that may be left empty."""
    return NoteField(required=False, max_length=TEXT_MAX)


def score_field() -> forms.TypedChoiceField:
    """A criterion's score, 0–4, or none yet."""
    return forms.TypedChoiceField(
        choices=[("", "—"), *((score, str(score)) for score in Criterion.SCORES)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": SCORE_MESSAGE},
    )


class ScorecardForm(forms.Form):
    """A stage's scorecard: per criterion a score and a note, a note per question, the
    recommendation and a summary.

    Field names: `score-<criterion pk>`, `note-<criterion pk>`, `question-<question pk>`,
    `recommendation`, `summary`, `next_note` (for the next interviewers); they are also the keys
    of Scorecard.values(). Any field may be empty; `require_complete` adds what submitting needs.
    """

    revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    recommendation = forms.TypedChoiceField(
        choices=[("", "—"), *Recommendation.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": RECOMMENDATION_MESSAGE},
    )
    summary = note_field()
    next_note = note_field()

    def __init__(self, *args, criteria: list[int], questions: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for pk in criteria:
            self.fields[f"score-{pk}"] = score_field()
            self.fields[f"note-{pk}"] = note_field()
        for pk in questions:
            self.fields[f"question-{pk}"] = note_field()

    def scorecard_values(self) -> dict[str, object]:
        """The cleaned values of the scorecard's fields, keyed as Scorecard.values()."""
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}

    def require_complete(self) -> bool:
        """Submitting needs a score for every criterion (0 is one) and a recommendation."""
        for name, message in incomplete(self.cleaned_data, self.criteria).items():
            if name not in self.errors:
                self.add_error(name, message)
        return not self.errors


class AmendForm(ScorecardForm):
    reason = forms.CharField(
        label="Why are you changing your submitted feedback?",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def scorecard_values(self) -> dict[str, object]:
        values = super().scorecard_values()
        values.pop("reason", None)
        return values
