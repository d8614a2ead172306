from django.urls import URLPattern, URLResolver

app_name = "gateways"
urlpatterns: list[URLPattern | URLResolver] = []
