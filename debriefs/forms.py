from django import forms

from candidates.models import Job
from config.ids import IdMultipleChoiceField
from debriefs.models import Debrief
from guides.documents import TEXT_MAX
from guides.models import Recommendation
from scorecards.forms import RECOMMENDATION_MESSAGE, NoteField


def _text(label: str, **kwargs) -> NoteField:
    return NoteField(
        label=label,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        **kwargs,
    )


class NoteForm(forms.Form):
    """A participant's notes on the guide's debrief questions: `question-<pk>` each."""

    def __init__(self, *args, questions: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        for pk in questions:
            self.fields[f"question-{pk}"] = NoteField(required=False, max_length=TEXT_MAX)


class RecommendationChangeForm(forms.Form):
    """A change of one's own recommendation in the debrief, with the reason for it."""

    scorecard = forms.TypedChoiceField(
        label="Stage",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of your own scorecards."},
    )
    recommendation = forms.TypedChoiceField(
        label="Your recommendation now",
        choices=Recommendation.choices,
        coerce=int,
        error_messages={"invalid_choice": RECOMMENDATION_MESSAGE},
    )
    reason = _text("Why it changed")

    def __init__(self, *args, scorecards: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorecard"].choices = [
            ("", "—"),
            *((card.pk, card.interview.stage.name) for card in scorecards),
        ]
        self.scorecards = scorecards
        if len(scorecards) == 1:
            self.fields["scorecard"].widget = forms.HiddenInput()
            self.fields["scorecard"].initial = scorecards[0].pk

    def clean_scorecard(self):
        """Which of one's scorecards: the only one, unless one has several in the loop."""
        pk = self.cleaned_data["scorecard"]
        if pk is None and len(self.scorecards) == 1:
            return self.scorecards[0].pk
        if pk is None:
            raise forms.ValidationError("Choose the stage whose recommendation changes.")
        return pk


class DecisionForm(forms.ModelForm):
    """The facilitator's decision; once decided, a change needs a reason and is kept."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    # Declared, as scoped models' choices can only be read per request.
    other_jobs = IdMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which jobs",
        error_messages={"invalid_choice": "Choose among the organization's open jobs."},
    )

    class Meta:
        model = Debrief
        fields = ["decision", "to_find_out", "rationale", "next_steps", "other_roles", "other_jobs"]
        widgets = {"decision": forms.RadioSelect}
        labels = {"other_roles": "Consider the candidate for other roles"}

    def __init__(self, *args, jobs, amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = Debrief.Decision.choices
        self.fields["decision"].required = True
        self.fields["decision"].error_messages["required"] = "Choose the decision."
        self.fields["other_jobs"].queryset = jobs
        for name in ("to_find_out", "rationale", "next_steps"):
            self.fields[name] = _text(self.fields[name].label, required=False)
        hint = "For “more information needed”: who finds out what, before deciding again."
        self.fields["to_find_out"].help_text = hint
        self.fields["rationale"].required = True
        self.fields["rationale"].error_messages["required"] = (
            "Say why: the rationale is what the candidate's file keeps."
        )
        if amending:
            self.fields["reason"] = _text("Why the decision changes")
            self.fields["reason"].error_messages["required"] = (
                "Say why the decision changes: amendments are kept with their reason."
            )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Debrief.Decision.MORE_INFORMATION and not data.get(
            "to_find_out"
        ):
            self.add_error("to_find_out", "Say what to find out before deciding.")
        if data.get("other_jobs"):
            data["other_roles"] = True
        return data

    def decision_values(self) -> dict[str, object]:
        """The cleaned decision by field name, as Debrief.decision_values() holds it."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        values["other_jobs"] = sorted(job.pk for job in values["other_jobs"])
        return values


def other_jobs(debrief: Debrief):
    """The jobs the candidate may be considered for: the organization's other open jobs, and
    any chosen before that has closed since."""
    loop = debrief.loop
    jobs = Job.objects.filter(organization_id=loop.job.organization_id).exclude(pk=loop.job_id)
    chosen = [job.pk for job in debrief.other_jobs.all()] if debrief.pk else []
    return jobs.filter(status=Job.Status.OPEN) | jobs.filter(pk__in=chosen)
