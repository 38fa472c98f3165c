from datetime import datetime, timedelta

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def moment(value: datetime, fmt: str = "D j M Y, H:i", until: datetime | None = None) -> str:
    """A time, or a span `until` another, in the organization's zone; rubric.js adds the
    viewer's own when it differs."""
    if value is None:
        return ""
    text = date_filter(timezone.localtime(value), fmt)
    if until is not None:
        same_day = timezone.localtime(value).date() == timezone.localtime(until).date()
        text += "–" + date_filter(timezone.localtime(until), "H:i" if same_day else fmt)
    return format_html(
        '<time datetime="{}" data-zone="{}"{}>{}</time>',
        value.isoformat(),
        timezone.get_current_timezone_name(),
        format_html(' data-until="{}"', until.isoformat()) if until else "",
        text,
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
