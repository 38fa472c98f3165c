import functools
from datetime import datetime, timedelta
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

register = template.Library()


@functools.lru_cache(maxsize=8192)
def _formatted(local: datetime, zone: str, fmt: str, language: str) -> str:
    # A page of 50 interviews formats some 100 times, at 0.1 ms each through Django's date
    # filter; the same times come back on every page that lists them. The zone and the
    # language are part of the key: an aware datetime equals the same instant in any zone.
    return date_filter(local, fmt)


@register.simple_tag
def moment(value: datetime, fmt: str = "D j M Y, H:i", until: datetime | None = None) -> str:
    """A time, or a span `until` another, in the organization's zone; rubric.js adds the
    viewer's own when it differs."""
    if value is None:
        return ""
    zone, language = timezone.get_current_timezone_name(), translation.get_language()
    start = timezone.localtime(value)
    text = _formatted(start, zone, fmt, language)
    until_attribute = ""
    if until is not None:
        end = timezone.localtime(until)
        text += "–" + _formatted(end, zone, "H:i" if start.date() == end.date() else fmt, language)
        until_attribute = f' data-until="{until.isoformat()}"'
    return mark_safe(  # noqa: S308 (ISO times, and the zone and text escaped)
        f'<time datetime="{value.isoformat()}" data-zone="{escape(zone)}"{until_attribute}>'
        f"{escape(text)}</time>"
    )


@register.filter
def span(delta: timedelta | None) -> str:
    """A duration in the largest whole units that say it: "3 days 4 h", "2 h 5 min"."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"
