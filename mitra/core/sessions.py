"""Idle session expiry without a database write on every request."""

import time

from django.conf import settings

REFRESH_EVERY = 300  # seconds


class SessionRefreshMiddleware:
    """Push a signed-in session's expiry forward at most every five minutes.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a write per
    page; refreshing now and then keeps the same idle timeout, give or take five minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and getattr(request, "user", None) and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_refreshed_at", 0) >= min(
                REFRESH_EVERY, settings.SESSION_COOKIE_AGE // 2
            ):
                session["_refreshed_at"] = now
        return self.get_response(request)
