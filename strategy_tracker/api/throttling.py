"""API throttles keyed on the real client address (see `client_address`), never on a
header the client sets."""

from rest_framework import throttling

from ..client import client_address


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_address(request)


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request):
        return client_address(request)
