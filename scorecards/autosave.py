"""Autosave: the protocol by which the kit, the debrief's notes and the reference calls save one
field at a time as the member types (static/js/kit.js is the other side), and the redisplay of
a whole form that a page sent after another window saved.

The page sends one field and `base`, the value it last saved or loaded there: if the field holds
another now, a second window changed it, and the page's text must not silently replace that.
A record with a revision (a scorecard, a call) also takes the page's `revision` and answers
the new one, and whether the page had seen every save before this one (`inStep`).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict

from scorecards.models import same

CHANGED = (
    "Not saved: this was changed in another window since this page loaded it. "
    "Copy what you typed here, then reload the page to see the other change."
)


@dataclass(frozen=True)
class Words:
    """What a refusal says, for the kind of record saved."""

    one_at_a_time: str
    no_field: str  # formatted with the field's `name`
    changed: str = CHANGED

    @classmethod
    def of(cls, what: str) -> "Words":
        return cls(
            f"Send one field of the {what} at a time.", f"This {what} has no field “{{name}}”."
        )


class Refused(Exception):
    """An autosave that is not saved: the plain-text message and its HTTP status."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


class Store(Protocol):
    """Where the fields of one autosaved record live; the caller has locked it."""

    revision: int | None  # None for a record that has none: every save is then in step

    def saved(self, name: str) -> object: ...

    def write(self, name: str, value: object) -> None: ...


class Versioned:
    """A record with `value()`, `write()` and a `revision`: a scorecard, a reference call."""

    def __init__(self, record):
        self.record = record

    @property
    def revision(self) -> int:
        return self.record.revision

    def saved(self, name: str) -> object:
        return self.record.value(name)

    def write(self, name: str, value: object) -> None:
        self.record.write({name: value})


def _clean(field: forms.Field, raw: str) -> object:
    try:
        return field.clean(raw)
    except ValidationError as error:
        raise Refused(" ".join(error.messages), status=400) from error


def save(*, store: Store, form: forms.Form, data: Mapping[str, str], words: Words) -> dict:
    """Save the one field that `data` holds, named as in `form`; answers the detail of the
    page's `autosaved` event. Refused before anything is written."""
    ignored = {"base", "csrfmiddlewaretoken"}
    if store.revision is not None:
        ignored.add("revision")
    names = [name for name in data if name not in ignored]
    if len(names) != 1:
        raise Refused(words.one_at_a_time, status=400)
    name = names[0]
    field = form.fields.get(name) if name != "revision" else None
    if field is None:
        raise Refused(words.no_field.format(name=name[:60]), status=400)
    value = _clean(field, data[name])
    if "base" in data:
        try:
            base = field.clean(data["base"])  # as what was stored was: a trailing space goes
        except ValidationError:
            base = data["base"]
        if not same(store.saved(name), base):
            raise Refused(words.changed, status=409)
    # Within the caller's transaction (which locked the record): a savepoint would cost two
    # queries of every keystroke's save.
    with transaction.atomic(savepoint=False):
        if store.revision is None:
            store.write(name, value)
            return {"inStep": True}
        in_step = data.get("revision") == str(store.revision)
        store.write(name, value)
        return {"revision": store.revision, "inStep": in_step}


def refused(message: str, *, status: int) -> HttpResponse:
    """A plain-text refusal; whatever the request began is rolled back."""
    transaction.set_rollback(True)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def autosave(request: HttpRequest, *, store: Store, form: forms.Form, words: Words) -> HttpResponse:
    """The view's answer to an autosave: an empty 200 with the `autosaved` event, or the
    refusal in plain text."""
    try:
        detail = save(store=store, form=form, data=request.POST, words=words)
    except Refused as refusal:
        return refused(refusal.message, status=refusal.status)
    response = HttpResponse(status=200)
    response["HX-Trigger"] = json.dumps({"autosaved": detail})
    response["Cache-Control"] = "no-store"
    return response


def redisplay(
    form_class: type[forms.Form], data: QueryDict, revision: int, *, message: str = "", **kwargs
) -> forms.Form:
    """A whole form as a page sent it, bound again with the record's current revision, so that
    sending it again, knowing what another window saved, counts."""
    data = data.copy()
    data["revision"] = str(revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    if message:
        form.add_error(None, message)
    return form
