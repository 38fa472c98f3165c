"""Ids as Rubric takes them from URLs and forms: positive integers that fit the database's 64-bit
columns. A larger number would fail in the database (SQLite cannot even bind it), so it is
refused before any query: a URL with one is not found (404), a form with one says it is no
valid choice (400)."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """Whether `value` (a number or its digits) is a positive 64-bit integer."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return 0 < number <= MAX_ID


def parse_ids(text: str, separator: str = ",") -> list[int]:
    """The ids listed in `text`; ValueError if any is not one."""
    values = text.split(separator)
    if not all(is_id(value) for value in values):
        raise ValueError(f"Not a list of ids: {text[:100]!r}")
    return [int(value) for value in values]


def link_for_each(viewname: str, *args) -> Callable[[int], str]:
    """`reverse(viewname, args=[*args, pk])` for the many rows of a page at the price of one:
    reversed once with a stand-in for the id (one no row has), which each id then replaces."""
    stand_in = str(MAX_ID)
    head, tail = reverse(viewname, args=[*args, stand_in]).rsplit(stand_in, 1)
    return lambda pk: f"{head}{pk}{tail}"


class IdConverter:
    """The URL converter of every id (`<id:pk>`): digits, at most a 64-bit integer."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        if not is_id(value):
            raise ValueError(value)  # the URL does not match: 404
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class IdChoice:
    """For a ModelChoiceField or ModelMultipleChoiceField chosen by primary key: a value that is
    no id is refused as an unknown choice before the field looks it up."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        for one in values:
            if one not in self.empty_values and not is_id(one):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": one},
                )
        return super().clean(value)


class IdChoiceField(IdChoice, forms.ModelChoiceField):
    pass


class IdMultipleChoiceField(IdChoice, forms.ModelMultipleChoiceField):
    pass
