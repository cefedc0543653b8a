"""Django's own password messages, listed so that this app's catalogue carries them.

Django's Thai catalogue lacks the password validators' messages (and a few form strings)
and its Persian one lacks some too, so the password change and reset pages came out half
English. Their translations live in `mitra/users/locale/{th,fa}`: `mitra.users` comes
before `django.contrib.auth` in INSTALLED_APPS, so its catalogue wins. The msgids must
stay exactly Django's (typographic apostrophes included); listing them here keeps them in
the catalogue when `makemessages` runs in this app. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_MESSAGES = [
    # django.contrib.auth.password_validation
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %(min_length)d character.",
        "This password is too short. It must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    # django.contrib.auth.forms
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If "
        "disabled, they may still be able to authenticate using other backends, such as "
        "Single Sign-On or LDAP."
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
]
