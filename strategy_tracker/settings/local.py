"""The embedded default: SQLite, no Redis, console e-mail, demo data allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only here: local settings never serve real users.
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-a-secret")
TRACKER_DEMO_ALLOWED = True
# The demo asks no second factor unless told to (SECOND_FACTOR_ROLES); production does.
SECOND_FACTOR_ROLES = env.list("SECOND_FACTOR_ROLES", default=[])

# Without Redis, Celery uses a broker that needs no server: message files under var/celery.
# `python3 tools/dev.py run` starts a worker with an embedded beat beside the web server, so
# the periodic rollup, reminders and e-mail digests run in the embedded default too.
if not env("REDIS_URL", default=""):
    from .base import BASE_DIR

    CELERY_QUEUE_FOLDER = BASE_DIR / "var" / "celery" / "queue"
    CELERY_PROCESSED_FOLDER = BASE_DIR / "var" / "celery" / "processed"
    # The folders must exist before any task is sent, whoever starts the process.
    CELERY_QUEUE_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_PROCESSED_FOLDER.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_FOLDER),
        "data_folder_out": str(CELERY_QUEUE_FOLDER),
        "processed_folder": str(CELERY_PROCESSED_FOLDER),
        "store_processed": False,
    }
    CELERY_TASK_ALWAYS_EAGER = False
