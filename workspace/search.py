"""The header's search: candidates, jobs, guides and loops by name, e-mail or title, among
what the viewer may open (each app's `access.py` says what that is: rules 1 and 2 and the
roles table), never an erased candidate.

On PostgreSQL a word matches anywhere in a name (full text, `simple` configuration, so that
"ada backend" finds Ada's loop for the backend job), a part of a name matches as typed, and a
name spelt nearly right matches by trigram similarity (pg_trgm), the closest first. On SQLite
(the demo) a part of a name matches, case aside.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest, Upper
from django.urls import reverse

from accounts.access import OrgRequest
from candidates.access import candidates_to_open, jobs_to_open, loops_to_open
from guides.access import guides_to_open

MAX_LENGTH = 100  # characters of a query: a name, an e-mail or a title is shorter


class QueryRefused(ValueError):
    """A query that cannot be searched for; the message says why, for the viewer."""


@dataclass
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    kind: str  # "candidates", "jobs", "guides", "loops"
    label: str
    hits: list[Hit]
    more: bool  # more matched than are shown


def cleaned(raw: str) -> str:
    """The query as searched for: trimmed, without the NUL that PostgreSQL refuses; refused
    when it is longer than any name."""
    query = " ".join(raw.replace("\x00", "").split())
    if len(query) > MAX_LENGTH:
        raise QueryRefused(
            f"Search for at most {MAX_LENGTH} characters: a name, an e-mail or a title "
            f"(that was {len(query)})."
        )
    return query


def _matching(rows: QuerySet, query: str, fields: list[str]) -> QuerySet:
    """`rows` whose `fields` match `query`, the closest first on PostgreSQL."""
    contains = Q()
    for name in fields:
        contains |= Q(**{f"{name}__icontains": query})
    if connection.vendor != "postgresql":
        return rows.filter(contains).order_by(fields[0], "pk")
    similarity = [TrigramWordSimilarity(query, name) for name in fields]
    # Upper-cased as `icontains` compares, so that one trigram index serves both.
    upper = {f"upper_{i}": Upper(name) for i, name in enumerate(fields)}
    rows = rows.annotate(
        **upper,
        search_vector=SearchVector(*fields, config="simple"),
        closeness=Greatest(*similarity) if len(similarity) > 1 else similarity[0],
    )
    words = SearchQuery(query, search_type="websearch", config="simple")
    nearly = Q()
    for alias in upper:
        nearly |= Q(**{f"{alias}__trigram_word_similar": query})
    return rows.filter(contains | Q(search_vector=words) | nearly).order_by(
        "-closeness", fields[0], "pk"
    )


def _first(rows: QuerySet, limit: int) -> tuple[list, bool]:
    found = list(rows[: limit + 1])
    return found[:limit], len(found) > limit


def search(request: OrgRequest, query: str, *, limit: int) -> list[Group]:
    """Up to `limit` of each kind that the viewer may open, in four queries."""
    slug = request.organization.slug
    groups = []

    candidates = _matching(candidates_to_open(request), query, ["name", "email"])
    found, more = _first(candidates, limit)
    hits = []
    for candidate in found:
        if candidate.managed:
            url = reverse("candidates:candidate-detail", args=[slug, candidate.pk])
        else:
            url = reverse("scorecards:kit", args=[slug, candidate.my_interview])
        hits.append(Hit(candidate.name, candidate.email, url))
    groups.append(Group("candidates", "Candidates", hits, more))

    jobs = _matching(jobs_to_open(request), query, ["title", "department"])
    found, more = _first(jobs, limit)
    hits = [
        Hit(
            job.title,
            " · ".join(filter(None, [job.department, job.get_status_display()])),
            reverse("candidates:job-detail", args=[slug, job.pk]),
        )
        for job in found
    ]
    groups.append(Group("jobs", "Jobs", hits, more))

    guides = _matching(guides_to_open(request), query, ["title"])
    found, more = _first(guides, limit)
    hits = [
        Hit(guide.title, "Interview guide", reverse("guides:guide-detail", args=[slug, guide.pk]))
        for guide in found
    ]
    groups.append(Group("guides", "Guides", hits, more))

    loops = _matching(
        loops_to_open(request), query, ["candidate__name", "candidate__email", "job__title"]
    )
    found, more = _first(loops, limit)
    hits = []
    for loop in found:
        if loop.managed:
            url = reverse("candidates:loop-detail", args=[slug, loop.pk])
        else:
            url = reverse("debriefs:debrief", args=[slug, loop.pk])
        hits.append(
            Hit(f"{loop.candidate.name} for {loop.job.title}", loop.get_status_display(), url)
        )
    groups.append(Group("loops", "Loops", hits, more))
    return groups
