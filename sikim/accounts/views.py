"""Account pages: sign up, log in and out, passwords, profile and personal API tokens."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sikim.accounts import selectors, services
from sikim.accounts.forms import ApiTokenCreateForm, LoginForm, ProfileForm, SignupForm, SikimPasswordResetForm
from sikim.accounts.models import User

LOGIN_BACKEND = "sikim.accounts.backends.EmailOrPhoneBackend"


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form fields it names (elsewhere: at the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _remember_language(response: HttpResponse, user: User) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@sensitive_post_parameters("password", "password_confirm")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register(
                full_name=data["full_name"],
                email=data["email"] or None,
                phone=data["phone"] or None,
                password=data["password"],
                home_region=data["home_region"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            auth_login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request, _("Welcome to SIKIM, %(name)s! Your account is ready.") % {"name": user.full_name}
            )
            return _remember_language(redirect("accounts:profile"), user)
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        return _remember_language(response, form.get_user())


class LogoutView(auth_views.LogoutView):
    """POST logs out. GET (a typed or bookmarked address) only shows a button that POSTs."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/logout.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(settings.LOGOUT_REDIRECT_URL)
        return render(request, self.template_name)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = SikimPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset_email.txt"
    html_email_template_name = "emails/password_reset_email.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    # Links in the email point at the configured site address, never at the Host header.
    extra_email_context = {"site_url": settings.SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        user = form.user
        services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        user = form.user
        services.user_set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        # Other sessions end; this one stays logged in.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


@sensitive_post_parameters("current_password")
@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own details (editable) and the roles they hold."""
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update_profile(
                actor=user,
                user=user,
                full_name=data["full_name"],
                email=data["email"] or None,
                phone=data["phone"] or None,
                home_region=data["home_region"],
                preferred_language=data["preferred_language"],
            )
        except ValidationError as error:
            # The service may have changed the in-memory user before it refused.
            user.refresh_from_db()
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return _remember_language(redirect("accounts:profile"), user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "grants": selectors.role_grants_of(user), "profile_user": user},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens; creating one shows its value on this response only."""
    user = request.user
    assert isinstance(user, User)
    form = ApiTokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        days = form.expiry_days()
        try:
            token, plain = services.api_token_create(
                actor=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=timezone.now() + timedelta(days=days) if days else None,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            new_token = {"token": token, "plain": plain}
            form = ApiTokenCreateForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(user), "new_token": new_token, "now": timezone.now()},
    )


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = selectors.api_token_of(user, token_id)
    if token is None:
        raise Http404
    services.api_token_revoke(actor=user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
