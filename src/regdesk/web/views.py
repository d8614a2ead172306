"""The web shell's pages: the root redirect, the desk home, the owner portal (login, sign-up, home) and the
organisation units staff may see."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from regdesk.accounts.errors import AccountsError
from regdesk.accounts.forms import SignUpForm
from regdesk.accounts.login_state import second_factor_satisfied, touch
from regdesk.accounts.models import Membership, OrgUnit, User
from regdesk.accounts.permissions import (
    get_object_for_user_or_404,
    require_role,
    unit_visibility,
    units_visible_to,
)
from regdesk.accounts.rate_limits import SIGNUP, limit_posts
from regdesk.accounts.roles import STAFF_ROLES, Role
from regdesk.accounts.selectors import api_tokens_of, confirmed_totp_device, user_memberships
from regdesk.accounts.services import owner_account_create
from regdesk.accounts.views import home_url_for, login_view
from regdesk.web.desk import home_sections, owner_filings


def root(request: HttpRequest) -> HttpResponse:
    """``/``: staff to the desk, everyone else (including visitors) to the owner portal."""
    if isinstance(request.user, User):
        return HttpResponseRedirect(home_url_for(request.user))
    return HttpResponseRedirect(reverse("web:portal_home"))


def _current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required ran first
    return user


def staff_page(view: Any) -> Any:
    """Desk pages: anonymous visitors go to the staff login; logged-in users without a staff role get 403."""

    @login_required(login_url="accounts:login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_role(request.user, *STAFF_ROLES)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapper


def owner_page(view: Any) -> Any:
    """Portal pages: anonymous visitors go to the portal login; users without the owner role get 403."""

    @login_required(login_url="web:portal_login")
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_role(request.user, Role.WEBSITE_OWNER)
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapper


@staff_page
def desk_home(request: HttpRequest) -> HttpResponse:
    """The staff desk: my cases, the clocks closest to breach and, for administrators, open calendar alerts."""
    user = _current_user(request)
    return render(request, "web/desk_home.html", {"sections": home_sections(user)})


@staff_page
def unit_list(request: HttpRequest) -> HttpResponse:
    """The organisation units whose work the user may see."""
    units = units_visible_to(request.user).select_related("parent").order_by("code")
    return render(request, "web/unit_list.html", {"units": units})


@staff_page
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit and its active members; units outside the user's reach answer 404 like missing ones."""
    unit = get_object_for_user_or_404(
        OrgUnit.objects.select_related("parent"), request.user, unit_id, visible=unit_visibility
    )
    members = (
        Membership.objects.filter(unit=unit, active=True).select_related("user").order_by("role", "user__username")
    )
    return render(request, "web/unit_detail.html", {"unit": unit, "members": members})


def portal_login(request: HttpRequest) -> HttpResponse:
    """The owners' login: password, plus the code only for owners who set up an authenticator."""
    return login_view(request, portal=True)


@owner_page
def portal_home(request: HttpRequest) -> HttpResponse:
    """The owner's account and filings."""
    user = _current_user(request)
    return render(
        request,
        "web/portal_home.html",
        {
            "account": user,
            "memberships": user_memberships(user),
            "has_authenticator": confirmed_totp_device(user) is not None,
            "token_count": api_tokens_of(user).filter(revoked_at__isnull=True).count(),
            "filings": owner_filings(user),
        },
    )


@limit_posts(SIGNUP)
@sensitive_post_parameters("password", "password_again")
@csrf_protect
@never_cache
def portal_signup(request: HttpRequest) -> HttpResponse:
    """Website owners create their own account; they start logged in on the portal."""
    if request.user.is_authenticated and isinstance(request.user, User):
        if second_factor_satisfied(request):
            return HttpResponseRedirect(home_url_for(request.user))
        return HttpResponseRedirect(reverse("accounts:totp_verify"))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = owner_account_create(
                actor=None,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except AccountsError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            touch(request)
            messages.success(request, _("Your account has been created. Welcome!"))
            return HttpResponseRedirect(reverse("web:portal_home"))
    return render(request, "web/portal_signup.html", {"form": form})
