"""API tokens that expire: a token older than API_TOKEN_DAYS no longer signs anyone in,
and a disabled account's tokens stop working at once (DRF checks `is_active`)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


def token_expires(created):
    """When a token created at `created` stops working."""
    return created + timedelta(days=settings.API_TOKEN_DAYS)


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires(token.created) <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _(
                    "The token has expired; create a new one at /api/v1/me/token/ "
                    "(signed in) or ask an administrator."
                )
            )
        return user, token
