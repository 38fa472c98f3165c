import re
import tarfile
import zipfile
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from candidates.forms import InterviewerField, members, sensible_date
from candidates.models import Loop
from exercises.sending import MAX_GRACE_HOURS
from guides.models import Stage

HAND_IN_MAX_BYTES = 50 * 1024 * 1024
HAND_IN_TYPES = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "tar.gz": "application/gzip",
}
LONGEST = timedelta(days=30)
EFFORT = re.compile(r"\b(\d+(?:\s*[-–]\s*\d+)?)\s*hours?\b", re.IGNORECASE)


def effort(stage: Stage) -> str:
    """The guide's estimate of the work, such as "3–4 hours", read from the stage's texts."""
    for text in (stage.candidate_directions, stage.interviewer_directions, stage.exercise):
        found = EFFORT.search(text or "")
        if found:
            return re.sub(r"\s*[-–]\s*", "–", found.group(1)) + " hours"
    if stage.duration_minutes:
        return f"{stage.duration_minutes} minutes"
    return ""


class SendForm(forms.Form):
    """A take-home stage sent: the due time in the organization's zone, and its reviewers."""

    due_date = forms.DateField(
        validators=[sensible_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    due_time = forms.TimeField(
        initial=time(18, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    grace_hours = forms.IntegerField(
        label="The link stays open after the due time for (hours)",
        initial=48,
        min_value=0,
        max_value=MAX_GRACE_HOURS,
        help_text="A late hand-in is accepted and marked late.",
    )
    reviewers = InterviewerField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "%(value)s is not a member of this organization.",
            "invalid_pk_value": "“%(pk)s” is not a member of this organization.",
            "required": "Choose at least one reviewer.",
        },
    )

    def __init__(self, *args, loop: Loop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = members(loop.job.organization)

    def clean(self):
        cleaned = super().clean()
        date, at = cleaned.get("due_date"), cleaned.get("due_time")
        if date and at:
            due = datetime.combine(date, at, tzinfo=timezone.get_current_timezone())
            now = timezone.now()
            if due.astimezone(UTC) <= now:
                self.add_error("due_date", "The due time must be in the future.")
            elif due.astimezone(UTC) - now > LONGEST:
                self.add_error("due_date", "A take-home is due within 30 days.")
            else:
                cleaned["due_at"] = due
        return cleaned


def check_hand_in(upload) -> str:
    """The kind of file ("pdf", "zip", "tar.gz") judged by its content, or a ValidationError."""
    if upload.size > HAND_IN_MAX_BYTES:
        raise forms.ValidationError(
            f"This file is {filesizeformat(upload.size)}; a hand-in can be at most 50 MB. "
            "Hand in a repository link instead."
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    kind = None
    try:
        if head == b"%PDF-":
            kind = "pdf"
        elif head[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(upload) as archive:
                archive.namelist()
            kind = "zip"
        elif head[:2] == b"\x1f\x8b":
            with tarfile.open(fileobj=upload, mode="r:gz") as archive:
                archive.next()
            kind = "tar.gz"
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError):
        kind = None
    finally:
        upload.seek(0)
    if kind is None:
        raise forms.ValidationError(
            "This file is not a PDF, a .zip or a .tar.gz archive. Hand in one of those, or a "
            "repository link."
        )
    return kind


class HandInForm(forms.Form):
    repository_url = forms.URLField(
        label="Repository link",
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    file = forms.FileField(
        required=False,
        label="Or a file",
        help_text="A PDF, .zip or .tar.gz archive, at most 50 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.zip,.tar.gz,.tgz"}),
    )
    note = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the reviewers should know: how to run it, what you would do next.",
    )

    def clean_repository_url(self):
        url = self.cleaned_data["repository_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting with https://.")
        return url

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            kind = check_hand_in(upload)
            stem = upload.name.rsplit(".", 2 if kind == "tar.gz" else 1)[0][:150]
            upload.name = f"{stem}.{kind}"
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("repository_url") and not cleaned.get("file"):
            raise forms.ValidationError("Hand in a repository link, a file, or both.")
        return cleaned
