"""Signing in: the organisation's OpenID Connect provider (organisation.py), the second
factor of local accounts (second_factor.py), and their pages (views.py)."""
