from django import forms

from guides.forms import limited_text
from references.models import ReferenceCheck
from scorecards.forms import note_field, score_field

REHIRE_MESSAGE = "“Would hire again” is a whole number from 1 to 10."


class ReferenceForm(forms.ModelForm):
    """Who the reference is."""

    class Meta:
        model = ReferenceCheck
        fields = ["name", "relationship", "company", "contact", "worked_together"]
        formfield_callback = limited_text


class CallForm(forms.Form):
    """What the reference said: an answer per reference question, a score and a note per
    reference criterion, the 1–10 "would hire again" and why.

    Field names: `answer-<question pk>`, `score-<criterion pk>`, `note-<criterion pk>`,
    `rehire_score`, `rehire_reason`; they are also the keys of ReferenceCheck.values()."""

    revision = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    rehire_score = forms.TypedChoiceField(
        choices=[("", "—"), *((n, str(n)) for n in range(1, 11))],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": REHIRE_MESSAGE},
    )
    rehire_reason = note_field()

    def __init__(self, *args, criteria: list[int], questions: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        for pk in questions:
            self.fields[f"answer-{pk}"] = note_field()
        for pk in criteria:
            self.fields[f"score-{pk}"] = score_field()
            self.fields[f"note-{pk}"] = note_field()

    def call_values(self) -> dict[str, object]:
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}
