from rest_framework import authentication, exceptions


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key mk_…` (or `Bearer mk_…`) for other systems."""

    keywords = ("api-key", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="ignore").split()
        if len(header) != 2 or header[0].lower() not in self.keywords:
            return None
        from .models import ApiKey

        user = ApiKey.authenticate(header[1])
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        from mitra.core.text import activate_region

        activate_region(user.phone_region)  # phones without a code: the key owner's country
        if user.language:  # answers (and the API's error messages) in the owner's language
            from django.utils import translation

            translation.activate(user.language)
            request._request.LANGUAGE_CODE = user.language
        return (user, None)

    def authenticate_header(self, request):
        return "Api-Key"
