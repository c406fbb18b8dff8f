"""Signing a test client in as a person (objectives/devtools/signing_in.py)."""

from objectives.devtools.signing_in import client_sign_in as sign_in

__all__ = ["sign_in"]
