"""The embedded default: SQLite, no Redis, console e-mail, demo data allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only here: local settings never serve real users.
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-a-secret")
TRACKER_DEMO_ALLOWED = True
