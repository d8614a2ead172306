"""Login with password and TOTP, authenticator enrolment, logout, and the page of a refused rate limit (429).

Staff log in at /accounts/login/ (password, then the TOTP code; enrolment first when they have no authenticator).
Website owners log in at /portal/login/ with the same view and a portal template; they need the code only if they
chose to enrol an authenticator.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from regdesk.accounts.client_address import client_address
from regdesk.accounts.errors import AccountsError
from regdesk.accounts.forms import CodeForm, LoginForm
from regdesk.accounts.login_state import (
    IDLE_LOGOUT_KEY,
    mark_second_factor_passed,
    requires_second_factor,
    second_factor_satisfied,
    touch,
)
from regdesk.accounts.models import User
from regdesk.accounts.permissions import is_staff_user, is_website_owner
from regdesk.accounts.rate_limits import LOGIN, limit_posts
from regdesk.accounts.selectors import confirmed_totp_device, login_locked_until
from regdesk.accounts.services import (
    login_attempt_record,
    totp_enrol_confirm,
    totp_enrol_start,
    totp_enrolment_resume,
    totp_verify,
)

NEXT_KEY = "regdesk_login_next"


def home_url_for(user: User) -> str:
    """Staff start at the desk; everyone else at the owner portal."""
    if is_staff_user(user) or user.is_staff or user.is_superuser:
        return reverse("web:desk_home")
    return reverse("web:portal_home")


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _redirect_after_login(request: HttpRequest, user: User) -> HttpResponseRedirect:
    target = _safe_next(request, request.session.pop(NEXT_KEY, None))
    return HttpResponseRedirect(target or home_url_for(user))


def locked_message(until: datetime) -> str:
    """The lockout message with the local time (Asia/Shanghai) after which a new attempt is possible."""
    return _("Too many failed attempts: logging in is locked until %(time)s. Try again after that time.") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


def _wrong_code_message() -> str:
    return _("The verification code is wrong or has expired.")


@limit_posts(LOGIN)
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest, *, portal: bool = False) -> HttpResponse:
    """Step one: username and password (with lockout). Staff then go to the TOTP step."""
    template = "web/portal_login.html" if portal else "accounts/login.html"
    if request.session.pop(IDLE_LOGOUT_KEY, False):
        messages.info(request, _("You were logged out because the session was idle for too long. Please log in again."))
    if request.user.is_authenticated and isinstance(request.user, User):
        if second_factor_satisfied(request):
            return HttpResponseRedirect(home_url_for(request.user))
        return HttpResponseRedirect(reverse("accounts:totp_verify"))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = client_address(request)
        locked_until = login_locked_until(username=username, address=address)
        if locked_until is not None:
            form.add_error(None, locked_message(locked_until))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if not isinstance(user, User):
                named = User.objects.filter(username=username).first()
                outcome = login_attempt_record(
                    actor=None, user=named, username=username, address=address, succeeded=False
                )
                if outcome.locked_until is not None:
                    form.add_error(None, locked_message(outcome.locked_until))
                else:
                    form.add_error(None, _("The username or the password is wrong."))
            else:
                next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
                login(request, user)
                touch(request)
                if next_url:
                    request.session[NEXT_KEY] = next_url
                if requires_second_factor(request):
                    return HttpResponseRedirect(reverse("accounts:totp_verify"))
                login_attempt_record(actor=user, user=user, username=username, address=address, succeeded=True)
                return _redirect_after_login(request, user)
    return render(
        request,
        template,
        {"form": form, "next": _safe_next(request, request.GET.get("next") or request.POST.get("next")) or ""},
    )


def _finish_second_factor(request: HttpRequest, user: User) -> HttpResponseRedirect:
    login_attempt_record(actor=user, user=user, username=user.username, address=client_address(request), succeeded=True)
    next_url = request.session.get(NEXT_KEY)
    # A new session key once the login is complete: a key seen before the second factor is worth nothing after.
    request.session.cycle_key()
    if next_url:
        request.session[NEXT_KEY] = next_url
    mark_second_factor_passed(request)
    return _redirect_after_login(request, user)


def _record_code_failure(request: HttpRequest, user: User) -> HttpResponseRedirect | None:
    """Count a wrong code; when that locks the account, end the half-finished session."""
    outcome = login_attempt_record(
        actor=None, user=user, username=user.username, address=client_address(request), succeeded=False
    )
    if outcome.locked_until is None:
        return None
    portal = not is_staff_user(user) and is_website_owner(user)
    logout(request)
    messages.error(request, locked_message(outcome.locked_until))
    return HttpResponseRedirect(reverse("web:portal_login" if portal else "accounts:login"))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
def totp_verify_view(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator (replays refused, failures count towards the lockout)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    if second_factor_satisfied(request):
        return HttpResponseRedirect(home_url_for(user))
    if confirmed_totp_device(user) is None:
        return HttpResponseRedirect(reverse("accounts:totp_enrol"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked_until = login_locked_until(username=user.username, address=client_address(request))
        if locked_until is not None:
            logout(request)
            messages.error(request, locked_message(locked_until))
            return HttpResponseRedirect(reverse("accounts:login"))
        if totp_verify(actor=user, user=user, code=form.cleaned_data["code"]):
            return _finish_second_factor(request, user)
        locked_response = _record_code_failure(request, user)
        if locked_response is not None:
            return locked_response
        form.add_error("code", _wrong_code_message())
    return render(request, "accounts/totp_verify.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@login_required
def totp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: QR code and secret, confirmed with a first code. Mandatory for staff."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    if confirmed_totp_device(user) is not None:
        if second_factor_satisfied(request):
            messages.info(request, _("An authenticator is already set up for this account."))
            return HttpResponseRedirect(home_url_for(user))
        return HttpResponseRedirect(reverse("accounts:totp_verify"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp_enrol_confirm(actor=user, user=user, code=form.cleaned_data["code"])
        except AccountsError as error:
            if error.code == "totp_code_invalid":
                locked_response = _record_code_failure(request, user)
                if locked_response is not None:
                    return locked_response
            form.add_error("code" if error.field == "code" else None, str(error.message))
        else:
            messages.success(request, _("The authenticator is set up. Use its codes at every login."))
            return _finish_second_factor(request, user)
    enrolment = totp_enrolment_resume(user=user) or totp_enrol_start(actor=user, user=user)
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "secret": enrolment.secret,
            "qr_code_svg": enrolment.qr_code_svg(),
            "required": requires_second_factor(request),
        },
    )


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out (POST only, so that a link or an image cannot end someone's session)."""
    portal = False
    if isinstance(request.user, User):
        portal = not is_staff_user(request.user) and is_website_owner(request.user)
    logout(request)
    messages.info(request, _("You have logged out."))
    return HttpResponseRedirect(reverse("web:portal_login" if portal else "accounts:login"))


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429 for a request over a rate limit (django-ratelimit's ``RATELIMIT_VIEW``): the API's error shape under
    /api/, else a page in the visitor's language. Nothing was done; the visitor may try again later."""
    message = _("Too many requests from your connection in a short time. Wait a while, then try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "rate_limited", "message": message, "fields": {}}}, status=429)
    return render(request, "429.html", {"message": message}, status=429)
