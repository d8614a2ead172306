"""The web shell: /, /desk/ (staff) and /portal/ (website owners)."""

from django.urls import URLPattern, URLResolver, path

from regdesk.web import views

app_name = "web"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.root, name="root"),
    path("desk/", views.desk_home, name="desk_home"),
    path("desk/units/", views.unit_list, name="unit_list"),
    path("desk/units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/login/", views.portal_login, name="portal_login"),
    path("portal/signup/", views.portal_signup, name="portal_signup"),
]
