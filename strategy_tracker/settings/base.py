"""Settings shared by every environment, read from environment variables.

The environment-specific modules (local, production, test) only override what differs.
Without DATABASE_URL the application runs on the embedded SQLite database.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "principles",
    "stakeholders",
    "objectives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL bytes in the address and oversized bodies are refused before anything reads them.
    "strategy_tracker.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages go out here, before sessions, authentication and the view.
    "objectives.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, the person used in this session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A person who must use a second factor sees nothing else until they have.
    "strategy_tracker.signin.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Organisation sign-ins are checked with the provider again after the idle timeout;
    # their pages' CSP lets the sign-out form continue to the provider (so after CSP).
    "strategy_tracker.signin.organisation.ProviderSessionCheck",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "strategy_tracker.urls"
WSGI_APPLICATION = "strategy_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Percentages are written one way on every page (`|percent`).
            "builtins": ["objectives.templatetags.formatting"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy_tracker.context_processors.language_links",
                "objectives.context_processors.reporting_rounds",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def redis_database(url: str, number: int) -> str:
    """The same Redis server as `url`, database `number`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # The organisation's OpenID Connect provider; inert unless OIDC_ISSUER is set.
    "strategy_tracker.signin.organisation.OrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Signing in leads to the right first page for the person's role (objectives:start).
LOGIN_REDIRECT_URL = "objectives:start"
LOGOUT_REDIRECT_URL = "objectives:public-home"

# Brute-force lockout: 5 failures for the same user from the same address lock that pair
# out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies of our own stand in front of the application: the client's
# address is then read from X-Forwarded-For at that depth; 0 reads the connection.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "strategy_tracker.client.client_address"

# A session ends after this many minutes without a request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True

# A second factor (an authenticator app, with recovery codes) for these roles of local
# accounts; "admin" means anyone who can use the admin. strategy_tracker/signin.
SECOND_FACTOR_ROLES = env.list(
    "SECOND_FACTOR_ROLES", default=["strategy_manager", "leadership", "admin"]
)
OTP_TOTP_ISSUER = "Peacekeeping strategy tracker"
# Wrong codes in a row make the next try wait 2^(n-1) seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Whom a person without a role is told to ask (an address); else the strategy managers.
ROLE_REQUEST_CONTACT = env("ROLE_REQUEST_CONTACT", default="")

# Signing in with the organisation's account (OpenID Connect, code flow with PKCE):
# off unless OIDC_ISSUER is set. Endpoints come from the issuer's discovery document.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_IDENTITY_CLAIM = env("OIDC_IDENTITY_CLAIM", default="sub")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # for id_token_hint when signing out at the provider
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int(
    "OIDC_RECHECK_SECONDS", default=SESSION_COOKIE_AGE
)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

# Content Security Policy: no inline scripts anywhere, and nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Evidence files: the size and the kinds of file a status update may carry.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Each accepted extension and the types libmagic may find in such a file's bytes.
EVIDENCE_TYPES = {
    "pdf": ["application/pdf"],
    "png": ["image/png"],
    "jpg": ["image/jpeg"],
    "jpeg": ["image/jpeg"],
    "docx": [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    ],
    "xlsx": [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    ],
    "csv": ["text/csv", "text/plain"],
    "txt": ["text/plain"],
}
EVIDENCE_ALLOWED_EXTENSIONS = list(EVIDENCE_TYPES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Strategy files (import): bytes, values (aliases count every time they occur), nesting
# and YAML alias uses.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
IMPORT_MAX_VALUES = env.int("IMPORT_MAX_VALUES", default=200_000)
IMPORT_MAX_DEPTH = env.int("IMPORT_MAX_DEPTH", default=16)
IMPORT_MAX_ALIASES = env.int("IMPORT_MAX_ALIASES", default=100)
# The largest request body (a multipart upload may add one evidence file to it); larger
# ones are refused from their Content-Length, before any of the body is read.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# Languages: the UI and the translated content fields speak English, French and Arabic.
LANGUAGE_CODE = "en"
# The six official languages of the United Nations, in the UN's order.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Django's locale formats, with the gaps filled (strategy_tracker/formats).
FORMAT_MODULE_PATH = ["strategy_tracker.formats"]
TIME_ZONE = "UTC"

# django-modeltranslation: a field missing in French or Arabic falls back to English,
# and the model's `missing_translations()` names what is not yet translated.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "strategy_tracker" / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Evidence files: a folder no web server publishes (no base URL); they are read only
# through the download view that applies who may read the update. A deployment may point
# this at S3-compatible storage instead (README, "Evidence files").
EVIDENCE_ROOT = env.path("EVIDENCE_ROOT", default=BASE_DIR / "var" / "evidence")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EVIDENCE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The cache lives in a Redis database apart from the broker's (by default the next
# database number on the same server), so that filling one never crowds out the other.
# It tolerates an outage: reads miss and writes are dropped until Redis is back.
CACHE_REDIS_URL = env(
    "CACHE_REDIS_URL", default=redis_database(REDIS_URL, 1) if REDIS_URL else ""
)
CACHES = {
    "default": (
        {
            "BACKEND": "strategy_tracker.cache.TolerantRedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="tracker@localhost")

# API tokens stop working this many days after they were created (admins revoke them
# sooner in the admin's Tokens page; a disabled account's tokens stop at once).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request then gets 401 with WWW-Authenticate.
        "strategy_tracker.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "strategy_tracker.api.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "strategy_tracker.api.throttling.AnonRateThrottle",
        "strategy_tracker.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
    },
    "EXCEPTION_HANDLER": "strategy_tracker.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "strategy_tracker.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peacekeeping strategy tracker API",
    "DESCRIPTION": (
        "The Strategy for the Digital Transformation of UN Peacekeeping, its goals, "
        "outcomes, actions, principles and stakeholder groups, and how each action is "
        "carried out in each mission. Anonymous clients read what the public pages show; "
        "signed-in clients read what their missions and clearance allow. State-changing "
        "requests on implementations and status updates need `If-Match` with the ETag of "
        "the object (428 without it, 412 when stale). Every error has the same shape: "
        "`status`, `code`, `message` and `errors` (field paths and messages)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc come from the app's own static files: no CDN, offline too.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ImplementationStatusEnum": "objectives.choices.ImplementationStatus",
        "ReviewStateEnum": "objectives.choices.ReviewState",
        "SensitivityEnum": "objectives.choices.Sensitivity",
        "StrategyStatusEnum": "objectives.choices.StrategyStatus",
        "NodeTypeEnum": "objectives.choices.NodeType",
        "AudienceEnum": "objectives.choices.Audience",
        "ConfidenceEnum": "objectives.choices.Confidence",
    },
}

# Celery: Redis when REDIS_URL is set; otherwise an in-memory broker with tasks run
# in-process, so the embedded default needs no server.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
# With Redis down, a write that queues work waits at most about two seconds, then goes on
# (the work waits in the database; see objectives.tasks.request_rollup).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
CELERY_TIMEZONE = TIME_ZONE
# Redis redelivers a task whose worker died (acks_late) after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# Public pages and open data are cached per language for anonymous readers, refreshed
# whenever an update is accepted or cleared for public release.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=24 * 3600)
# The strategy tree API's document; its key changes with any edit, import or rollup.
TREE_CACHE_SECONDS = env.int("TREE_CACHE_SECONDS", default=24 * 3600)
# The dashboard's round figures (completeness, changes, what needs attention), kept under a
# stamp of what they depend on: any change makes a new key, so this only bounds the memory.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=3600)
# Briefing PDFs are kept this many days, then deleted by the periodic check.
BRIEFING_PACK_DAYS = env.int("BRIEFING_PACK_DAYS", default=7)
ROLLUP_INTERVAL_SECONDS = env.int("ROLLUP_INTERVAL_SECONDS", default=3600)
ROLLUP_DEBOUNCE_SECONDS = env.int("ROLLUP_DEBOUNCE_SECONDS", default=60)
# The embedded default's rollup lock lifetime (PostgreSQL uses an advisory lock).
ROLLUP_LOCK_SECONDS = env.int("ROLLUP_LOCK_SECONDS", default=20 * 60)
# For crash tests only: seconds a rollup waits half-written inside its transaction.
ROLLUP_WRITE_PAUSE_SECONDS = env.int("ROLLUP_WRITE_PAUSE_SECONDS", default=0)
# Reporting rounds: a scheduled round's deadline, days after it opens; and when the
# reminders of missing reports go out: to focal points this many days before the
# deadline, to approvers on it, to strategy managers this many days after it.
ROUND_DEADLINE_DAYS = env.int("ROUND_DEADLINE_DAYS", default=30)
ROUND_REMINDER_DAYS_BEFORE = env.int("ROUND_REMINDER_DAYS_BEFORE", default=7)
ROUND_ESCALATION_DAYS_AFTER = env.int("ROUND_ESCALATION_DAYS_AFTER", default=7)
# Every periodic task, in one place.
CELERY_BEAT_SCHEDULE = {
    "rollup-progress": {
        "task": "objectives.tasks.rollup_progress_task",
        "schedule": ROLLUP_INTERVAL_SECONDS,
    },
    "resume-waiting-imports": {
        "task": "objectives.tasks.import_jobs_resume_task",
        "schedule": 60,
    },
    "resume-waiting-briefings": {
        "task": "objectives.tasks.briefing_packs_resume_task",
        "schedule": 60,
    },
    "rollup-if-due": {
        "task": "objectives.tasks.rollup_if_due_task",
        "schedule": env.int("ROLLUP_DUE_CHECK_SECONDS", default=60),
    },
    "open-scheduled-rounds": {
        "task": "objectives.tasks.rounds_open_on_schedule_task",
        "schedule": crontab(hour=5, minute=30),
    },
    "send-reminders": {
        "task": "objectives.tasks.send_reminders_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "send-notification-digests": {
        "task": "objectives.tasks.send_notification_digests_task",
        "schedule": env.int("NOTIFICATION_DIGEST_SECONDS", default=15 * 60),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint names every screen-only CSS rule it skips in the briefing's stylesheets.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# The strategy tracker's own settings.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
TRACKER_DEMO_ALLOWED = False
