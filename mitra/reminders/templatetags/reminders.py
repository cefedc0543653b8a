"""`{% load reminders %}{% reminders_bell %}`: the bell in the top bar.

It renders without touching the database; the count arrives by htmx from
reminders:bell after the page, so no page pays for it and a failure there cannot break
a page.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def reminders_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    try:
        urls = {"list": reverse("reminders:list"), "bell": reverse("reminders:bell")}
    except NoReverseMatch:  # the app's URLs are not mounted (a trimmed-down project)
        return ""
    # No request: the widget needs only its URLs, and a request would run every context
    # processor a second time on every page.
    return render_to_string("reminders/_bell_widget.html", {"urls": urls})
