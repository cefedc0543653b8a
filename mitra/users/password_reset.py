"""Password reset that does not tell, by its timing, whether an address has an account.

The request validates the form and queues one background task whatever the address; the
worker looks the address up and, for an active account, sends the link. The reset link is
sent directly from the task, not through the mail outbox, whose delivery screen shows
message texts to administrators: a reset link there would let them take over accounts.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.utils import translation
from django_tasks import task


class BackgroundPasswordResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        # The email speaks its reader's language, not the language of whoever asked.
        language = getattr(context.get("user"), "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


@task()
def send_password_reset(email, domain, use_https, language):
    """Mail a reset link to each active account with this address (none: nothing)."""
    form = BackgroundPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    users = list(form.get_users(email))
    if users:
        with translation.override(language):
            form.save(domain_override=domain, use_https=use_https)
    return len(users)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        send_password_reset.enqueue(
            email=form.cleaned_data["email"],
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
            language=translation.get_language(),
        )
        return HttpResponseRedirect(self.get_success_url())
