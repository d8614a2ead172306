"""Staff login, the TOTP step, authenticator enrolment and logout, under /accounts/."""

from django.urls import URLPattern, URLResolver, path

from regdesk.accounts import views

app_name = "accounts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.totp_verify_view, name="totp_verify"),
    path("totp/enrol/", views.totp_enrol_view, name="totp_enrol"),
    path("logout/", views.logout_view, name="logout"),
]
