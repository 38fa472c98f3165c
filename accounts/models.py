import datetime
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager


def normalize_email(email: str) -> str:
    """The one form in which addresses are stored and looked up: trimmed, lower case.

    Lookups then compare exactly, never with the database's case folding, which would let
    "alıce@…" reach alice@… under a login-throttling counter of its own.
    """
    return email.strip().lower()


def validate_single_line(value: str) -> None:
    """Names end up in e-mail subjects and headers, where a line break is an error."""
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValidationError("Use a single line without control characters.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(email=normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address; belongs to organizations by Membership."""

    # Stored in lower case; the constraint below also refuses case variants written around it.
    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True, validators=[validate_single_line])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to Django's admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    @property
    def display_name(self):
        return self.full_name or self.email


# UTC and the zones of the geographic areas: not "localtime" (the server's own), nor the
# legacy aliases such as US/Eastern. The tzdata package provides them where the system does not.
TIME_ZONE_AREAS = (
    "Africa", "America", "Antarctica", "Arctic", "Asia",
    "Atlantic", "Australia", "Europe", "Indian", "Pacific",
)  # fmt: skip
TIME_ZONES = sorted(
    name
    for name in zoneinfo.available_timezones()
    if name == "UTC" or name.split("/")[0] in TIME_ZONE_AREAS
)
_TIME_ZONE_SET = frozenset(TIME_ZONES)


def validate_time_zone(value):
    if value not in _TIME_ZONE_SET:
        raise ValidationError(f"“{value}” is not a time zone we know, such as Europe/Berlin.")


class Organization(models.Model):
    """The tenant: a company whose hiring team uses Rubric. Nothing of it is seen by another."""

    name = models.CharField(max_length=100, validators=[validate_single_line])
    slug = models.SlugField(max_length=50, unique=True)
    company_name = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text="Fills [Company] in interview guides.",
    )
    location = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text="Fills [location] in interview guides.",
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    feedback_due_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text="Hours after an interview ends by which its scorecards are due.",
    )
    reminder_interval_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text="Hours between two reminders about the same overdue scorecard.",
    )
    stuck_after_days = models.PositiveSmallIntegerField(
        "a loop is stuck after (days)",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days without a new interview after which a loop with a stage to schedule "
        "shows as stuck on the home page of its hiring manager and the admins.",
    )
    kit_email_hours = models.PositiveSmallIntegerField(
        "interview kit e-mail (hours before)",
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="How long before an interview each interviewer is e-mailed its kit.",
    )
    paper_size = models.CharField(
        max_length=6,
        choices=[("a4", "A4"), ("letter", "US Letter")],
        default="a4",
        help_text="The page size of candidate packets and printed guides.",
    )
    leniency_minimum = models.PositiveSmallIntegerField(
        "leniency shown from (rated cells)",
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
        help_text="Insights show an interviewer's leniency only once they have rated this many "
        "cells together with others: small counts mislead.",
    )
    shadows_to_qualify = models.PositiveSmallIntegerField(
        "shadow seats to qualify",
        default=2,
        validators=[MaxValueValidator(20)],
        help_text="Interviews of a stage that a member shadows, feedback submitted, before they "
        "are qualified to sit on its panel (an admin may also qualify them on the members "
        "page). 0: no training asked.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(feedback_due_hours__gte=1, feedback_due_hours__lte=720),
                name="organization_feedback_due_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    reminder_interval_hours__gte=1, reminder_interval_hours__lte=720
                ),
                name="organization_reminder_interval_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(kit_email_hours__gte=1, kit_email_hours__lte=168),
                name="organization_kit_email_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(paper_size__in=["a4", "letter"]),
                name="organization_paper_size_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(leniency_minimum__gte=2, leniency_minimum__lte=1000),
                name="organization_leniency_minimum_range",
            ),
            models.CheckConstraint(
                condition=models.Q(shadows_to_qualify__lte=20),
                name="organization_shadows_to_qualify_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> datetime.tzinfo:
        """The organization's time zone; UTC should the stored name ever stop loading."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return datetime.UTC


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    RECRUITER = "recruiter", "Recruiter"
    INTERVIEWER = "interviewer", "Interviewer"


class Membership(models.Model):
    """One user's role in one organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.INTERVIEWER)
    # Reminders of owed feedback are always sent; this turns off the other e-mails (the kit
    # before an interview, "all feedback is in").
    notification_emails = models.BooleanField(
        "other e-mails",
        default=True,
        help_text="The interview kit before each interview, and “all feedback is in” "
        "for the jobs you manage. Reminders of feedback you owe are always sent.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_one_per_user_and_organization"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organization})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mailed invitation to join an organization with a role.

    Its link carries a random token that only the e-mail holds; the database keeps its hash.
    It works once, until INVITATION_MAX_AGE after it was created.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.INTERVIEWER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.email} to {self.organization} as {self.get_role_display()}"

    def new_token(self) -> str:
        """Sets a fresh token and answers it: the one moment the plain token is known."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        return token

    @property
    def expires_at(self):
        return self.created_at + settings.INVITATION_MAX_AGE

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    def is_for(self, user: User) -> bool:
        return user.email == normalize_email(self.email)

    def invitee_has_account(self) -> bool:
        return User.objects.filter(email=normalize_email(self.email)).exists()
