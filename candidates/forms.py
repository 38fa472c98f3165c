import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django import forms
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.access import Action, Reach, reach, roles_that
from accounts.models import (
    TIME_ZONES,
    Organization,
    Role,
    User,
    normalize_email,
    validate_single_line,
)
from candidates.models import Candidate, Interview, Job, Loop
from candidates.scheduling import Slot
from config.ids import IdChoiceField, IdMultipleChoiceField
from guides.forms import limited_text
from guides.models import GuideVersion, Stage

RESUME_MAX_BYTES = 10 * 1024 * 1024
RESUME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class MemberChoiceField(IdChoiceField):
    def label_from_instance(self, user):
        return user.display_name


def members(organization: Organization, *roles: Role) -> QuerySet[User]:
    """The organization's members, with one of `roles` in it when given."""
    # One filter() call, so that the role is the one held in this organization.
    condition = {"memberships__organization": organization}
    if roles:
        condition["memberships__role__in"] = roles
    return User.objects.filter(is_active=True, **condition).order_by("full_name", "email")


class VersionChoiceField(IdChoiceField):
    def label_from_instance(self, version):
        return f"{version.title} (v{version.number})"


class JobForm(forms.ModelForm):
    # Declared, as scoped models' choices can only be read per request.
    guide_version = VersionChoiceField(queryset=None, label="Guide")

    class Meta:
        model = Job
        fields = [
            "title",
            "department",
            "location",
            "guide_version",
            "hiring_manager",
            "recruiter",
            "status",
        ]
        field_classes = {
            "hiring_manager": MemberChoiceField,
            "recruiter": MemberChoiceField,
        }

    def __init__(self, *args, organization: Organization, user: User, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guide_version"].queryset = (
            GuideVersion.objects.filter(
                guide__organization=organization, status=GuideVersion.Status.PUBLISHED
            )
            .select_related("guide")
            .order_by("title", "-number")
        )
        self.fields["guide_version"].help_text = (
            "A published guide version. Moving the job to another version moves the loops "
            "that have no interview yet; started loops keep the one they run."
        )
        self.fields["guide_version"].error_messages["invalid_choice"] = (
            "Choose a published guide of this organization."
        )
        managers = members(organization, *roles_that(Action.LEAD_A_JOB))
        if reach(role, Action.MANAGE_JOBS) == Reach.OWN_JOBS:
            # A hiring manager runs their own jobs only.
            managers = managers.filter(pk=user.pk)
            self.fields["hiring_manager"].required = True
            self.fields["hiring_manager"].empty_label = None
        self.fields["hiring_manager"].queryset = managers
        recruiters = members(organization, *roles_that(Action.RECRUIT_FOR_A_JOB))
        self.fields["recruiter"].queryset = recruiters
        for name in ("hiring_manager", "recruiter"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Choose a member of this organization with that role."
            )
        if not self.instance.pk and role == Role.HIRING_MANAGER:
            self.initial.setdefault("hiring_manager", user.pk)
        if not self.instance.pk and role == Role.RECRUITER:
            self.initial.setdefault("recruiter", user.pk)


def check_resume(upload) -> str:
    """The kind of file ("pdf" or "docx") judged by its content, or a ValidationError."""
    if upload.size > RESUME_MAX_BYTES:
        raise forms.ValidationError(
            f"This file is {filesizeformat(upload.size)}; a résumé can be at most 10 MB."
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            upload.seek(0)
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return "docx"
    raise forms.ValidationError(
        "This file is not a PDF or Word (.docx) document. Upload the résumé as PDF or DOCX."
    )


@dataclass(frozen=True)
class StoredResume:
    url: str
    name: str

    def __str__(self):
        return self.name


class ResumeInput(forms.ClearableFileInput):
    """Shows a stored résumé by the name it was uploaded with, linked to the view that checks
    who may read it, not to the storage's own address."""

    stored: StoredResume | None = None

    def format_value(self, value):
        if self.is_initial(value):
            return self.stored


class TimeZoneInput(forms.TextInput):
    """A time zone typed, with the zones we know offered as the browser's suggestions."""

    def __init__(self, attrs=None):
        super().__init__({"list": "time-zones", "autocomplete": "off"} | (attrs or {}))

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join("", '<option value="{}">', ((zone,) for zone in TIME_ZONES))
        return super().render(name, value, attrs, renderer) + format_html(
            '<datalist id="time-zones">{}</datalist>', options
        )


class CandidateForm(forms.ModelForm):
    """A new or changed candidate. With `jobs`, a new candidate can go straight into one."""

    job = IdChoiceField(
        queryset=None,
        required=False,
        empty_label="Not yet",
        label="Add to job",
        error_messages={"invalid_choice": "Choose an open job you may manage."},
    )

    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "time_zone", "links", "resume", "source", "notes"]
        formfield_callback = limited_text
        widgets = {
            "links": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "time_zone": TimeZoneInput(),
            "resume": ResumeInput(
                attrs={
                    "accept": ".pdf,.docx,application/pdf," + RESUME_TYPES["docx"],
                    "data-max-bytes": RESUME_MAX_BYTES,
                    "data-max-text": "a résumé can be at most 10 MB.",
                }
            ),
        }
        help_texts = {"resume": "PDF or Word (.docx), at most 10 MB."}

    def __init__(self, *args, organization: Organization, jobs: QuerySet[Job] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        # The candidate already holding the e-mail typed, offered instead of a duplicate.
        self.existing: Candidate | None = None
        self.fields["email"].required = True
        # Suggested: the organization's zone, until someone knows better.
        if not self.instance.time_zone:
            self.initial["time_zone"] = organization.time_zone
        if self.instance.resume:
            self.fields["resume"].widget.stored = StoredResume(
                url=reverse(
                    "candidates:candidate-resume", args=[organization.slug, self.instance.pk]
                ),
                name=self.instance.resume_name or "résumé",
            )
        if jobs is None:
            del self.fields["job"]
        else:
            self.fields["job"].queryset = jobs

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        others = Candidate.objects.filter(organization=self.organization, email=email)
        self.existing = others.exclude(pk=self.instance.pk).first()
        if self.existing:
            raise forms.ValidationError(
                "A candidate with this e-mail address already exists.", code="duplicate"
            )
        return email

    def clean_links(self):
        """One web address per line; "github.com/x" is taken as https://github.com/x."""
        links = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            link = line.strip()
            if not link:
                continue
            if "://" not in link:
                link = f"https://{link}"
            try:
                URLValidator(schemes=["http", "https"])(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"Line {number} is not a web address: put one address on each line."
                ) from None
            links.append(link)
        return "\n".join(links)

    def clean_resume(self):
        upload = self.cleaned_data.get("resume")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            kind = check_resume(upload)
            stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
            self.resume_name = f"{stem[:180]}.{kind}"
            upload.name = f"resume.{kind}"
        return upload

    def save(self, commit=True):
        candidate = super().save(commit=False)
        if hasattr(self, "resume_name"):
            candidate.resume_name = self.resume_name
        elif not candidate.resume:
            candidate.resume_name = ""
        if commit:
            candidate.save()
        return candidate


class AddToJobForm(forms.Form):
    job = IdChoiceField(
        queryset=None,
        empty_label="Choose a job",
        error_messages={"invalid_choice": "Choose an open job you may manage."},
    )

    def __init__(self, *args, jobs: QuerySet[Job], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs


class LoopStatusForm(forms.ModelForm):
    class Meta:
        model = Loop
        fields = ["status", "rejection_reason"]
        formfield_callback = limited_text
        widgets = {"rejection_reason": forms.Textarea(attrs={"rows": 2})}
        labels = {"status": "Change to", "rejection_reason": "Reason for rejecting"}

    def clean(self):
        cleaned = super().clean()
        if self.instance.candidate.erased_at and cleaned.get("status") == Loop.Status.ACTIVE:
            self.add_error("status", "This candidate's data was erased: their loops stay closed.")
        if (
            cleaned.get("status") == Loop.Status.REJECTED
            and not cleaned.get("rejection_reason", "").strip()
        ):
            self.add_error("rejection_reason", "Say why the candidate is rejected.")
        return cleaned


class InterviewerField(IdMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name


def _exists(moment: datetime) -> bool:
    """Whether a wall-clock time happens in its zone: not in the hour skipped in spring."""
    return moment.astimezone(UTC).astimezone(moment.tzinfo).time() == moment.time()


class StageChoiceField(IdChoiceField):
    scheduled: set[int] = set()

    def label_from_instance(self, stage):
        return f"{stage.name} (already scheduled)" if stage.pk in self.scheduled else stage.name


LONGEST = timedelta(days=14)  # a take-home can run over days; nothing runs longer


def not_active(loop: Loop) -> str:
    return (
        f"This loop is {loop.get_status_display().lower()}: make it active again to schedule "
        "or change interviews."
    )


def sensible_date(value):
    """Dates a calendar of today's hiring can hold, with room for any time zone's arithmetic."""
    if value and not 2000 <= value.year <= 2100:
        raise forms.ValidationError("Pick a date between the years 2000 and 2100.")


class InterviewForm(forms.Form):
    """A stage of a loop at a time: the start and end in the organization's time zone, a
    place, and the interviewers."""

    stage = StageChoiceField(
        queryset=None, error_messages={"invalid_choice": "Choose a stage of this loop's guide."}
    )
    date = forms.DateField(
        validators=[sensible_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_date = forms.DateField(
        required=False,
        validators=[sensible_date],
        label="End date",
        help_text="Only when it ends on another day, as a take-home may.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    location = forms.CharField(
        max_length=200,
        required=False,
        validators=[validate_single_line],
        help_text="A room or an address, if they meet in person.",
    )
    video_link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Video link",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    interviewers = InterviewerField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "%(value)s is not a member of this organization.",
            "invalid_pk_value": "“%(pk)s” is not a member of this organization.",
            "required": "Choose at least one interviewer.",
        },
    )
    shadows = InterviewerField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Shadows",
        help_text="Members in training: they sit in and fill a scorecard, sealed like anyone's, "
        "that no tally, decision or packet counts.",
        error_messages={
            "invalid_choice": "%(value)s is not a member of this organization.",
            "invalid_pk_value": "“%(pk)s” is not a member of this organization.",
        },
    )

    def __init__(self, *args, loop: Loop, interview: Interview | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loop, self.interview = loop, interview
        organization = loop.job.organization
        self.fields["interviewers"].queryset = members(organization)
        self.fields["shadows"].queryset = members(organization)
        if interview is not None:
            # The stage of an interview stays; rescheduling changes when, where and who.
            del self.fields["stage"]
        else:
            self.fields["stage"].queryset = Stage.objects.filter(version=loop.guide_version_id)
            self.fields["stage"].scheduled = set(
                loop.interviews.filter(status=Interview.Status.SCHEDULED).values_list(
                    "stage", flat=True
                )
            )

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start"), cleaned.get("end")
        if date and start and end:
            zone = timezone.get_current_timezone()
            starts_at = datetime.combine(date, start, tzinfo=zone)
            ends_at = datetime.combine(cleaned.get("end_date") or date, end, tzinfo=zone)
            if not _exists(starts_at):
                self.add_error("start", f"The clocks change then: {start:%H:%M} does not exist.")
            elif not _exists(ends_at):
                self.add_error("end", f"The clocks change then: {end:%H:%M} does not exist.")
            elif ends_at.astimezone(UTC) <= starts_at.astimezone(UTC):
                self.add_error("end", "The interview must end after it starts.")
            elif ends_at.astimezone(UTC) - starts_at.astimezone(UTC) > LONGEST:
                self.add_error("end_date", "An interview or take-home lasts at most 14 days.")
            else:
                self.slot = Slot(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location=cleaned.get("location", ""),
                    video_link=cleaned.get("video_link", ""),
                )
        if self.loop.status != Loop.Status.ACTIVE:
            self.add_error(None, not_active(self.loop))
        stage = cleaned.get("stage")
        if stage is not None and stage.pk in self.fields["stage"].scheduled:
            self.add_error("stage", "This stage is already scheduled: reschedule it instead.")
        both = set(cleaned.get("interviewers") or ()) & set(cleaned.get("shadows") or ())
        if both:
            names = ", ".join(sorted(user.display_name for user in both))
            self.add_error("shadows", f"{names}: on the panel or shadowing it, not both.")
        return cleaned

    def fingerprint(self) -> str:
        """What "schedule anyway" was shown for: a changed time or interviewer checks again."""
        people = ",".join(sorted(str(user.pk) for user in self.cleaned_data["interviewers"]))
        shadows = ",".join(sorted(str(user.pk) for user in self.cleaned_data["shadows"]))
        slot = f"{self.slot.starts_at.isoformat()}/{self.slot.ends_at.isoformat()}"
        return f"{slot}/{people}/{shadows}"
