from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

SESSION_KEY = "_mitra_has_2fa"


def has_device(request):
    """Whether the user has a confirmed authenticator, remembered in the session.

    Looked up once per session instead of once per request; the two-factor screens
    call `forget_device_flag` when they add or remove a device.
    """
    flag = request.session.get(SESSION_KEY)
    if flag is None:
        flag = request.session[SESSION_KEY] = user_has_device(request.user)
    return flag


def forget_device_flag(request):
    request.session.pop(SESSION_KEY, None)


class RequireTwoFactorMiddleware:
    """Hold a signed-in user at the second sign-in step until they give a code.

    Users whose role makes two-factor mandatory but who have no authenticator yet are
    sent to set one up before anything else.
    """

    EXEMPT = ("/static/", "/healthz", "/i18n/", "/account/logout/", "/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.EXEMPT):
            return self.get_response(request)
        verify_url, setup_url = reverse("two_factor_verify"), reverse("two_factor")
        device = has_device(request)
        if device and not user.is_verified():
            if request.path == verify_url:
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification required."}, status=403)
            return redirect(f"{verify_url}?next={request.get_full_path()}")
        if user.two_factor_required and not device:
            if request.path == setup_url:
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor set-up required."}, status=403)
            return redirect(setup_url)
        return self.get_response(request)
