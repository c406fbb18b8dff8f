"""Facts about the database connection that other processes need."""

from django.db import connection


def database_url() -> str:
    """The default connection as a DATABASE_URL, so a child process (a benchmark's
    measured run, a test's Celery worker) reads the same PostgreSQL database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
