from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from two_factor.forms import AuthenticationTokenForm
from two_factor.views import LoginView

from encompass import accounts, reauth
from encompass.events import client_ip, event_record
from encompass.forms import ReauthForm, SignInTokenForm
from encompass.models import Role, User

HOME_BY_ROLE = {
    Role.OFFICER: "police:index",
    Role.REVIEWER: "police:index",
    Role.KEY_ADULT: "notifications:inbox",
    Role.COORDINATOR: "schools:home",
    Role.ANALYST: "statistics:index",
    Role.ADMIN: "admin:index",
}


def home(request):
    return redirect(HOME_BY_ROLE[request.user.role])


class SignIn(LoginView):
    """two_factor's sign-in, saying when a code was already used, and counting the code just
    entered as a recent confirmation (so /admin/ does not ask for another straight away)."""

    def get_form_list(self):
        form_list = super().get_form_list()
        if form_list.get(self.TOKEN_STEP) is AuthenticationTokenForm:
            form_list[self.TOKEN_STEP] = SignInTokenForm
        return form_list

    def get_prefix(self, request, *args, **kwargs):
        return "login_view"  # the wizard's step names, as the templates and clients post them

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        if getattr(self.get_user(), "otp_device", None):
            reauth.reauth_mark_fresh(self.request)
        return response


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def accessibility(request):
    return render(request, "pages/accessibility.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def reauthenticate(request):
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if reauth.reauth_confirm(request, form.cleaned_data["code"]):
            event_record(
                verb="user.reauthenticated",
                obj=request.user,
                actor=request.user,
                ip_address=client_ip(request),
            )
            return redirect(reauth.safe_next(request))
        form.add_error(
            "code", "The code is not right: enter the current 6-digit code from your authenticator app"
        )
    context = {"form": form, "next": reauth.safe_next(request)}
    return render(request, "pages/reauth.html", context, status=400 if form.errors else 200)


class _ResetForm(PasswordResetForm):
    """Django's, also for accounts that never had a password: a new Key Adult's account is
    made without one, and this is how they choose it. Inactive accounts get nothing."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        accounts.user_password_reset_requested(user=context["user"], ip_address=self.ip_address)
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordReset(auth_views.PasswordResetView):
    """The same page whether or not the address has an account, so it reveals none."""

    form_class = _ResetForm
    template_name = "pages/password_reset.html"
    email_template_name = "pages/password_reset_email.txt"
    subject_template_name = "pages/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        form.ip_address = client_ip(self.request)
        return super().form_valid(form)


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Sets the new password and signs nobody in: the person then signs in with it and a code
    from their authenticator app (or sets one up, if they have none)."""

    template_name = "pages/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        accounts.user_password_reset(user=form.user, ip_address=client_ip(self.request))
        return response


password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="pages/password_reset_done.html")
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="pages/password_reset_complete.html"
)
