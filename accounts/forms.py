from django import forms
from django.contrib.auth import password_validation

from accounts.models import Membership, Organization, Role, User, validate_single_line


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.INTERVIEWER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class QualificationForm(forms.Form):
    """An admin qualifies a member for a stage of a guide (or withdraws it): the stage is
    one of `choices`, the (guide pk, stage name) of the stages the open jobs run."""

    stage = forms.ChoiceField(
        error_messages={"invalid_choice": "Choose a stage of a guide that an open job runs."}
    )
    qualified = forms.TypedChoiceField(
        choices=[("yes", "Qualified"), ("no", "Not qualified")], coerce=lambda v: v == "yes"
    )

    def __init__(self, *args, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {f"{guide}:{name}": (guide, name) for guide, name in stages}
        self.fields["stage"].choices = [(key, key) for key in self.stages]


class OrganizationSettingsForm(forms.ModelForm):
    """The time zone is typed with suggestions (a datalist of models.TIME_ZONES, rendered by
    the page) rather than picked from a 600-entry select."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "company_name",
            "location",
            "time_zone",
            "feedback_due_hours",
            "reminder_interval_hours",
            "kit_email_hours",
            "stuck_after_days",
            "paper_size",
            "leniency_minimum",
            "shadows_to_qualify",
        ]
        widgets = {
            "time_zone": forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"})
        }


class EmailChoiceForm(forms.ModelForm):
    """A member's choice of e-mails in one organization; reminders of owed feedback always go."""

    class Meta:
        model = Membership
        fields = ["notification_emails"]
        labels = {"notification_emails": "E-mail me these too"}
        help_texts = {"notification_emails": ""}


class SignUpForm(forms.Form):
    """The account an invitee creates; the e-mail address is the invitation's."""

    full_name = forms.CharField(
        label="Your name", max_length=150, validators=[validate_single_line]
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not all digits, and not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def search_query(request) -> str:
    """A list page's search box: at most 200 characters, without the NUL that PostgreSQL
    refuses in text."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:200]
