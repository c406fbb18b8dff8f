"""Signing a test or benchmark client in as a person, with the second factor their role
needs already used in the session, as after entering a code (never imported by the
running application: it skips the code)."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategy_tracker.signin.second_factor import second_factor_required


def client_sign_in(client, user) -> None:
    client.force_login(user)
    user.__dict__.pop("_roles_held", None)
    if second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    # Roles given after this call must still count.
    user.__dict__.pop("_roles_held", None)
