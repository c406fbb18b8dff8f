"""The URL conf of `manage.py benchmark`: the application's, plus a floor view that returns
a body of a given size and does nothing else, through the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from .urls import urlpatterns as application_urlpatterns

BODIES: dict[int, bytes] = {}


def floor(request: HttpRequest, size: int) -> HttpResponse:
    body = BODIES.setdefault(size, b"x" * size)
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__benchmark_floor__/<int:size>/", floor), *application_urlpatterns]
