"""Settings, read from the environment so one checkout runs anywhere.

SQLite under var/ is the default so that a fresh checkout needs no server; set DATABASE_URL
for PostgreSQL in production and CI.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# templates/ and static/ sit beside manage.py in a checkout, inside this package in a wheel.
ASSETS_DIR = BASE_DIR if (BASE_DIR / "templates").is_dir() else Path(__file__).resolve().parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "annotator",
    # Django's admin, its pages allowed inline styles (annotator/content_policy.py).
    "annotator.content_policy.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [ASSETS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections: a new PostgreSQL connection per request costs more than the request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare the statements a worker repeats on every
    # request, so PostgreSQL stops parsing and planning them anew.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = envbool(
        "DB_SERVER_SIDE_BINDING", True
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside a writer; IMMEDIATE makes concurrent writers queue instead
    # of failing with "database is locked" halfway through a transaction. A new database gets
    # 16 KB pages (an existing one keeps its own): a news article of 3-4 KB fills a 4 KB page
    # alone, or spills into overflow pages, so a large import wrote twice the pages it needed
    # (110,000 documents: 6.0-6.9 s with 4 KB pages, 4.2-4.6 s with 16 KB; bench/
    # sqlite_pragmas.py). The page cache is 16 MB rather than SQLite's 2 MB (only 125 such
    # pages): with 2 MB a claim POST took ~0.9 ms longer than with 4 KB pages, with 16 MB not.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-16384;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" serves throttling (point it at Redis to share limits between hosts). "rendered"
# holds pieces of the annotate page (its highlighted article, annotator/views/article_cache.py,
# and the keyboard dialog): keyed by everything they show, so never stale; per process and
# bounded (a long article is ~200 KB).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rendered": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rendered",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": envint("RENDERED_CACHE_ENTRIES", 200)},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [ASSETS_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Brute-force protection (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one
# username, or from one client address, logging in is refused for LOGIN_COOLOFF_MINUTES.
# The API's tokens are guarded by the failed_token throttle below.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures during a lockout do not extend it: an attacker cannot keep a user out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "annotator.views.login.locked_out"
# The client's address as the API throttles see it (X-Forwarded-For only with NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "annotator.views.login.client_address"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"

# Uploads: a JSONL import may be large; it is streamed from a temporary file, never held whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# Security: safe by default, relaxed only by DEBUG or explicit settings (e.g. behind TLS proxy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): only our own scripts and styles, never inline ones;
# the admin and the API docs add inline styles (annotator/content_policy.py). For a staged
# roll-out, CSP_REPORT_ONLY=1 sends it as Content-Security-Policy-Report-Only (reported, not
# enforced), and CSP_REPORT_URI names where browsers send their violation reports.
_policy = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if os.environ.get("CSP_REPORT_URI"):
    _policy["report-uri"] = [os.environ["CSP_REPORT_URI"]]
if envbool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _policy}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _policy}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "annotator.api.auth.GuardedTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "annotator.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": "annotator.api.metadata.ApiMetadata",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("ANON_THROTTLE_RATE", "60/minute"),
        # Wrong tokens from one client address, before it is refused for a while.
        "failed_token": os.environ.get("FAILED_TOKEN_RATE", "20/hour"),
    },
    # How many proxies in front of the app add to X-Forwarded-For; 0: the peer's address (a
    # client could write anything in that header).
    "NUM_PROXIES": envint("NUM_PROXIES", 1 if envbool("BEHIND_TLS_PROXY", False) else 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim annotator API",
    "DESCRIPTION": "Projects, documents, entities, claims, export and agreement.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Long work (large imports, suggestion runs, file exports, agreement) runs as jobs on
# django-tasks-db's queue in the database: `manage.py worker` on any number of hosts.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A worker renews a running job's lease every heartbeat; a job whose lease runs out (its
# worker was killed, its host lost) is queued again, up to JOBS_MAX_ATTEMPTS runs.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "1"))
JOBS_LEASE_SECONDS = float(os.environ.get("JOBS_LEASE_SECONDS", "30"))
JOBS_MAX_ATTEMPTS = envint("JOBS_MAX_ATTEMPTS", 3)
# A suggestion run is split into parts of this many documents, which workers share.
JOBS_SUGGEST_PART = envint("JOBS_SUGGEST_PART", 200)
# Uploads and API bodies larger than this are imported by a worker, smaller ones at once.
JOBS_INLINE_IMPORT_BYTES = envint("JOBS_INLINE_IMPORT_BYTES", 4 * 1024 * 1024)
# Projects with more documents than this show the agreement a worker computed last.
JOBS_INLINE_AGREEMENT = envint("JOBS_INLINE_AGREEMENT", 20000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
