"""Interviewer training: shadow seats, and who is qualified for a stage of a guide.

A stage of a guide is named (case aside) across the guide's versions. A member is qualified
for it when
- an admin said so (a Qualification), or
- they submitted feedback from the organization's `shadows_to_qualify` shadow seats on it, or
- they submitted feedback from a panel seat on it: they interviewed it before the organization
  trained anyone, or were put on its panel all the same, so their feedback is already counted.
A stage that no one is qualified for yet (a new guide, a new organization) asks nobody to shadow
first: there is no one to shadow. An organization that asks no shadow seats (0) asks no one.
"""

from collections import Counter
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower

from accounts.models import Membership, Organization, Role, User
from candidates.models import Job, Qualification
from guides.models import Guide, Stage
from scorecards.models import Scorecard


def stage_key(name: str) -> str:
    return name.lower()


@dataclass
class Standing:
    """A member's training on one stage of a guide."""

    shadows: int = 0  # shadow seats with feedback submitted
    panels: int = 0  # panel seats with feedback submitted
    marked: bool = False  # an admin qualified them

    def qualified(self, needed: int) -> bool:
        return self.marked or self.panels > 0 or self.shadows >= needed


Key = tuple[int, int, str]  # (user, guide, stage key)


def standings(organization: Organization, *, users=None) -> dict[Key, Standing]:
    """The training of the organization's members (or `users`) on every stage they have sat or
    were qualified for: two queries."""
    cards = Scorecard.objects.filter(
        interview__loop__job__organization=organization,
        status=Scorecard.Status.SUBMITTED,
        archived_at__isnull=True,
    )
    marks = Qualification.objects.filter(guide__organization=organization)
    if users is not None:
        cards = cards.filter(interviewer__in=users)
        marks = marks.filter(user__in=users)
    rows = (
        cards.values_list(
            "interviewer", "interview__stage__version__guide", Lower("interview__stage__name")
        )
        .annotate(
            shadows=Count("pk", filter=Q(seat=Scorecard.Seat.SHADOW)),
            panels=Count("pk", filter=Q(seat=Scorecard.Seat.PANEL)),
        )
        .order_by()
    )
    found: dict[Key, Standing] = {}
    for user, guide, name, shadows, panels in rows:
        found[(user, guide, name)] = Standing(shadows=shadows, panels=panels)
    for user, guide, name in marks.values_list("user", "guide", Lower("stage_name")):
        found.setdefault((user, guide, name), Standing()).marked = True
    return found


def _trained_anyone(found: dict[Key, Standing], guide: int, name: str, needed: int) -> bool:
    return any(
        key[1:] == (guide, name) and standing.qualified(needed) for key, standing in found.items()
    )


def unqualified(stage: Stage, users: list[User]) -> list[tuple[User, Standing]]:
    """Those of `users` not qualified for `stage`, with their training so far; none when the
    organization asks no shadow seats or no one is qualified for the stage yet."""
    organization = stage.version.guide.organization
    needed = organization.shadows_to_qualify
    if not needed or not users:
        return []
    guide, name = stage.version.guide_id, stage_key(stage.name)
    everyone = standings(organization)
    if not _trained_anyone(everyone, guide, name, needed):
        return []
    return [
        (user, everyone.get((user.pk, guide, name), Standing()))
        for user in users
        if not everyone.get((user.pk, guide, name), Standing()).qualified(needed)
    ]


@dataclass
class StageTraining:
    """A stage of a guide that the organization's open jobs run, and a member's training."""

    guide_id: int
    guide_title: str
    name: str
    standing: Standing = field(default_factory=Standing)
    qualified: bool = False
    asked: bool = False  # someone is qualified for it, so training is asked of others

    @property
    def key(self) -> tuple[int, str]:
        return (self.guide_id, stage_key(self.name))


def running_stages(organization: Organization) -> list[StageTraining]:
    """The stages of the versions that the organization's open jobs run, once each."""
    stages = (
        Stage.objects.filter(
            version__guide__organization=organization,
            version__jobs__organization=organization,
            version__jobs__status=Job.Status.OPEN,
        )
        .values_list("version__guide", "version__title", "name")
        .order_by("version__guide", "position", "pk")
    )
    found: dict[tuple[int, str], StageTraining] = {}
    for guide, title, name in stages:
        row = StageTraining(guide_id=guide, guide_title=title, name=name)
        found.setdefault(row.key, row)
    return list(found.values())


def training_of(organization: Organization, user: User) -> list[StageTraining]:
    """The member's training on each stage of the guides the open jobs run."""
    return trainings_of(organization, [user])[user.pk]


def trainings_of(organization: Organization, users: list[User]) -> dict[int, list[StageTraining]]:
    """Each of these members' training (training_of), by their id: three queries in all."""
    needed = organization.shadows_to_qualify
    everyone = standings(organization)
    stages = running_stages(organization)
    asked = {
        row.key: bool(needed) and _trained_anyone(everyone, *row.key, needed) for row in stages
    }
    found = {}
    for user in users:
        rows = found[user.pk] = [replace(row) for row in stages]
        for row in rows:
            row.standing = everyone.get((user.pk, *row.key), Standing())
            row.qualified = row.standing.qualified(needed)
            row.asked = asked[row.key]
    return found


def untrained(organization: Organization) -> list[Membership]:
    """Members with the interviewer role who may sit on no panel of the open jobs yet: each
    stage that asks for training, they have still to shadow. Four queries at most."""
    needed = organization.shadows_to_qualify
    if not needed:
        return []
    stages = [row.key for row in running_stages(organization)]
    if not stages:
        return []
    everyone = standings(organization)
    trained = {key[1:] for key, standing in everyone.items() if standing.qualified(needed)}
    asked = {stage for stage in stages if stage in trained}
    if not asked:
        return []
    # One pass over the standings, not one per member and stage (156 members took 30 ms).
    qualified, shadows = set(), Counter()
    for (user, *stage), standing in everyone.items():
        if tuple(stage) in asked:
            shadows[user] += standing.shadows
            if standing.qualified(needed):
                qualified.add(user)
    interviewers = Membership.objects.filter(
        organization=organization, role=Role.INTERVIEWER
    ).select_related("user")
    result = []
    for membership in interviewers:
        if membership.user_id not in qualified:
            membership.shadows = shadows[membership.user_id]
            result.append(membership)
    return result


class Refused(Exception):
    """A qualification that cannot be given or withdrawn; the message says why."""


def qualify(*, guide: Guide, stage_name: str, user: User, by: User) -> Qualification:
    """An admin's word that `user` may sit on the panel of the guide's stage so named."""
    if not guide.organization.memberships.filter(user=user).exists():
        raise Refused("Only a member of this organization can be qualified.")
    if not Stage.objects.filter(version__guide=guide, name__iexact=stage_name).exists():
        raise Refused("This guide has no such stage.")
    try:
        with transaction.atomic():
            return Qualification.objects.create(
                guide=guide, stage_name=stage_name, user=user, granted_by=by
            )
    except IntegrityError:
        return Qualification.objects.get(guide=guide, stage_name__iexact=stage_name, user=user)


def withdraw(*, guide: Guide, stage_name: str, user: User) -> int:
    """Take back an admin's qualification; shadow and panel seats still count."""
    marks = Qualification.objects.filter(guide=guide, stage_name__iexact=stage_name, user=user)
    return marks.delete()[0]
