from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from accounts.models import validate_single_line
from config.ids import IdMultipleChoiceField
from guides.documents import NAME_MAX, TEXT_MAX
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
from guides.placeholders import VERSION_TEXTS

IMPORT_LIMIT = 1_000_000  # characters of a guide to import; the seed is about 67,000


def limited_text(db_field: models.Field, **kwargs) -> forms.Field:
    """Form fields for our text columns, with a length limit and a clear message."""
    formfield = db_field.formfield(**kwargs)
    if isinstance(formfield, forms.CharField) and formfield.max_length is None:
        formfield.max_length = TEXT_MAX
        formfield.validators.append(MaxLengthValidator(TEXT_MAX))
        formfield.widget.attrs["maxlength"] = TEXT_MAX
    return formfield


class PartForm(forms.ModelForm):
    """The form of one part of a draft; `version` limits choices to the draft's own rows."""

    def __init__(self, *args, version: GuideVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version


class QuestionForm(PartForm):
    # The choices are the draft's own competencies, set per form: none at import time.
    competencies = IdMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Question
        fields = ["text", "competencies"]
        formfield_callback = limited_text

    def __init__(self, *args, version: GuideVersion, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["competencies"].queryset = version.competencies.all()
        self.fields["competencies"].error_messages["invalid_choice"] = (
            "Choose competencies of this guide."
        )


class StageForm(PartForm):
    duration_minutes = forms.IntegerField(
        label="Minutes", required=False, min_value=1, max_value=24 * 60
    )

    class Meta:
        model = Stage
        fields = [
            "name",
            "kind",
            "duration_minutes",
            "interviewer_directions",
            "candidate_directions",
            "exercise",
            "evaluation_criteria",
        ]
        formfield_callback = limited_text


class CompetencyForm(PartForm):
    class Meta:
        model = Competency
        fields = ["name", "description"]
        formfield_callback = limited_text

    def clean_name(self):
        # Compared as the document's check compares them, so that every version can export.
        name = self.cleaned_data["name"]
        others = self.version.competencies.exclude(pk=self.instance.pk).values_list(
            "name", flat=True
        )
        if name.casefold() in {other.casefold() for other in others}:
            raise forms.ValidationError("This guide already has a competency of that name.")
        return name


class CriterionForm(PartForm):
    """A criterion, with what it measures as one choice: a competency, an outcome or nothing."""

    measures = forms.ChoiceField(label="Measures", required=False)

    class Meta:
        model = Criterion
        fields = ["name", "description", *(f"anchor_{score}" for score in Criterion.SCORES)]
        formfield_callback = limited_text

    def __init__(self, *args, version: GuideVersion, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["measures"].choices = measures_choices(version)
        self.fields["measures"].error_messages["invalid_choice"] = (
            "Choose a competency or desired outcome of this guide."
        )
        self.initial["measures"] = measures_value(self.instance)

    def save(self, commit=True):
        if "measures" in self.fields:
            kind, _, pk = self.cleaned_data["measures"].partition("-")
            self.instance.measures_competency_id = int(pk) if kind == "competency" else None
            self.instance.measures_outcome_id = int(pk) if kind == "outcome" else None
        return super().save(commit)


def measures_choices(version: GuideVersion) -> list:
    """The choices of what a criterion measures, grouped: competencies, then outcomes."""
    return [
        ("", "Nothing in particular"),
        ("Competencies", [(f"competency-{c.pk}", c.name) for c in version.competencies.all()]),
        ("Desired outcomes", [(f"outcome-{o.pk}", o.text) for o in version.outcomes.all()]),
    ]


def measures_value(criterion: Criterion) -> str:
    if criterion.measures_competency_id:
        return f"competency-{criterion.measures_competency_id}"
    if criterion.measures_outcome_id:
        return f"outcome-{criterion.measures_outcome_id}"
    return ""


class MeasuresOptions:
    """The <optgroup>s of what a criterion may measure, rendered once for a page of criteria:
    a criterion's differ only in which option is selected."""

    def __init__(self, version: GuideVersion):
        self.version = version

    @cached_property
    def html(self) -> str:
        groups = [
            (
                "Competencies",
                "competency",
                [(c.pk, c.name) for c in self.version.competencies.all()],
            ),
            (
                "Desired outcomes",
                "outcome",
                [(o.pk, Truncator(o.text).chars(90)) for o in self.version.outcomes.all()],
            ),
        ]
        return "\n    ".join(
            format_html(
                '<optgroup label="{}">{}</optgroup>',
                label,
                format_html_join(
                    "",
                    '<option value="{}-{}">{}</option>',
                    ((kind, pk, name) for pk, name in options),
                ),
            )
            for label, kind, options in groups
            if options
        )

    def selecting(self, criterion: Criterion) -> SafeString:
        """The options, with the one `criterion` measures selected."""
        value = measures_value(criterion)
        html = (
            self.html.replace(f'value="{value}">', f'value="{value}" selected>', 1)
            if value
            else self.html
        )
        return mark_safe(html)  # noqa: S308 - built by format_html above


def _part_form(model, fields, widgets=None) -> type[PartForm]:
    meta = type("Meta", (), {"model": model, "fields": fields, "formfield_callback": limited_text})
    if widgets:
        meta.widgets = widgets
    return type(f"{model.__name__}Form", (PartForm,), {"Meta": meta})


@dataclass(frozen=True)
class Part:
    """One kind of row that the builder adds, edits, deletes and reorders in a draft."""

    kind: str  # in URLs and element ids
    label: str
    model: type[models.Model]
    form: type[PartForm]
    add_fields: list[str]
    # The draft's rows of this kind, from the version.
    rows: str
    parent: str | None = None  # the URL's parent: "stage" or "question"
    # The fields that make two rows siblings, for positions.
    sibling_fields: list[str] = field(default_factory=list)
    extra_filter: dict = field(default_factory=dict)

    @property
    def partial(self) -> str:
        """The builder template's partial that renders one row of this kind."""
        return PARTIALS.get(self.kind, f"{self.kind}-item")

    def queryset(self, version: GuideVersion):
        return self.model.objects.filter(**{self.rows: version}, **self.extra_filter)

    def add_form(self, data=None, *, version: GuideVersion) -> PartForm:
        form = self.form(data, version=version)
        for name in list(form.fields):
            if name not in self.add_fields:
                del form.fields[name]
        return form


PARTIALS = {
    "area": "point-item",
    "follow-up": "point-item",
    "reference-criterion": "criterion-item",
    "debrief-question": "guided-item",
    "reference-question": "guided-item",
}
GUIDED_FIELDS = ["text", "guidance"]

PARTS: dict[str, Part] = {
    part.kind: part
    for part in [
        Part(
            "stage",
            "stage",
            Stage,
            StageForm,
            add_fields=["name", "kind"],
            rows="version",
            sibling_fields=["version"],
        ),
        Part(
            "question",
            "question",
            Question,
            QuestionForm,
            add_fields=["text"],
            rows="stage__version",
            parent="stage",
            sibling_fields=["stage"],
        ),
        *(
            Part(
                kind,
                label,
                QuestionPoint,
                _part_form(QuestionPoint, ["text"], {"text": forms.TextInput}),
                add_fields=["text"],
                rows="question__stage__version",
                parent="question",
                sibling_fields=["question", "kind"],
                extra_filter={"kind": point_kind},
            )
            for kind, label, point_kind in [
                ("area", "area to cover", QuestionPoint.Kind.AREA),
                ("follow-up", "follow-up question", QuestionPoint.Kind.FOLLOW_UP),
            ]
        ),
        Part(
            "criterion",
            "criterion",
            Criterion,
            CriterionForm,
            add_fields=["name"],
            rows="version",
            parent="stage",
            sibling_fields=["stage"],
            extra_filter={"stage__isnull": False},
        ),
        Part(
            "reference-criterion",
            "reference criterion",
            Criterion,
            CriterionForm,
            add_fields=["name"],
            rows="version",
            sibling_fields=["version", "stage"],
            extra_filter={"stage__isnull": True},
        ),
        Part(
            "competency",
            "competency",
            Competency,
            CompetencyForm,
            add_fields=["name"],
            rows="version",
            sibling_fields=["version"],
        ),
        Part(
            "outcome",
            "desired outcome",
            Outcome,
            _part_form(Outcome, ["text"]),
            add_fields=["text"],
            rows="version",
            sibling_fields=["version"],
        ),
        Part(
            "debrief-question",
            "debrief question",
            DebriefQuestion,
            _part_form(DebriefQuestion, GUIDED_FIELDS),
            add_fields=["text"],
            rows="version",
            sibling_fields=["version"],
        ),
        Part(
            "reference-question",
            "reference question",
            ReferenceQuestion,
            _part_form(ReferenceQuestion, GUIDED_FIELDS),
            add_fields=["text"],
            rows="version",
            sibling_fields=["version"],
        ),
        Part(
            "faq",
            "FAQ entry",
            FaqEntry,
            _part_form(FaqEntry, ["question", "answer"]),
            add_fields=["question"],
            rows="version",
            sibling_fields=["version"],
        ),
    ]
}


class BlankAddForms(dict):
    """The blank form that adds each kind of part to a draft, by kind, made once per page:
    it is the same under every stage or question."""

    def __init__(self, version: GuideVersion):
        super().__init__()
        self.version = version

    def __missing__(self, kind: str) -> PartForm:
        self[kind] = PARTS[kind].add_form(version=self.version)
        return self[kind]


def list_id(kind: str, parent_pk: int | None = None) -> str:
    """The element id of the builder's list of one kind (under one stage or question)."""
    return f"list-{kind}" + (f"-{parent_pk}" if parent_pk else "")


def kind_of(row: models.Model) -> str:
    """The builder's name for the kind of a row, as in PARTS."""
    if isinstance(row, QuestionPoint):
        return "area" if row.kind == QuestionPoint.Kind.AREA else "follow-up"
    if isinstance(row, Criterion):
        return "criterion" if row.stage_id else "reference-criterion"
    return KINDS[type(row)]


KINDS = {
    Stage: "stage",
    Question: "question",
    Competency: "competency",
    Outcome: "outcome",
    DebriefQuestion: "debrief-question",
    ReferenceQuestion: "reference-question",
    FaqEntry: "faq",
}

# The version's own texts, edited a section at a time.
SECTIONS: dict[str, list[str]] = {
    anchor.removeprefix("#section-"): fields for (_, anchor), fields in VERSION_TEXTS.items()
}


def section_form(section: str, data=None, instance=None) -> forms.ModelForm:
    form_class = forms.modelform_factory(
        GuideVersion, fields=SECTIONS[section], formfield_callback=limited_text
    )
    return form_class(data, instance=instance)


class NewGuideForm(forms.Form):
    title = forms.CharField(
        max_length=NAME_MAX,
        label="Role title",
        help_text="e.g. Data Engineer",
        validators=[validate_single_line],
    )


class ImportForm(forms.Form):
    """A guide as text (the layout of a typical written guide) or as Rubric's JSON export."""

    file = forms.FileField(required=False, label="Upload a file (.txt or .json)")
    text = forms.CharField(
        required=False,
        label="…or paste the guide",
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > IMPORT_LIMIT * 4:
            raise forms.ValidationError(_too_long(upload.size))
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "This file is not UTF-8 text. Save it as plain text (UTF-8) and upload it again."
            ) from None

    def clean(self):
        data = super().clean()
        content = data.get("file") or data.get("text") or ""
        if not self.errors and not content.strip():
            raise forms.ValidationError("Upload a file or paste the guide.")
        if len(content) > IMPORT_LIMIT:
            raise forms.ValidationError(_too_long(len(content)))
        data["content"] = content
        return data


def _too_long(size: int) -> str:
    return (
        f"That is {size / 1_000_000:.1f} million characters; a guide may have at most "
        f"{IMPORT_LIMIT / 1_000_000:.0f} million. Is this the right file?"
    )


class PlaceholderForm(forms.Form):
    placeholder = forms.CharField(max_length=120)
    value = forms.CharField(max_length=300, label="Replace with", validators=[validate_single_line])


def looks_like_json(content: str) -> bool:
    return content.lstrip().startswith("{")
