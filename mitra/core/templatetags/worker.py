"""`{% load worker %}{% worker_missing_alert %}`: warn when no background worker runs."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def worker_missing_alert(waiting=True):
    """A warning on pages that wait on background work, when no worker has been seen for
    a minute (`{% worker_missing_alert scan.in_progress %}`). No query unless `waiting`
    and tasks go through the database queue."""
    if not waiting:
        return ""
    from ..scheduler import worker_missing

    if not worker_missing():
        return ""
    return render_to_string("core/_worker_missing.html")
