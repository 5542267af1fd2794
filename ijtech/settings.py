"""
Settings for ijtech, read from environment variables.

Every variable has a default that lets a fresh clone run on SQLite with DEBUG on. Bad
values stop the process at start with a message that names the variable.
"""

import os
import tomllib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def envatleast(name: str, default: str, minimum: int = 0) -> int:
    value = envint(name, default)
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def envdatabase(name: str, default: str) -> dict:
    return database(name, os.environ.get(name, default))


def database(name: str, value: str) -> dict:
    """The settings of the database at URL `value`; `name` is what a bad one is called."""
    try:
        config = dj_database_url.parse(
            value,
            conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
            # A kept connection is checked before a request reuses it, so a database
            # restart costs nobody a 500.
            conn_health_checks=True,
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} is not a usable database URL ({exc}); got {value!r}"
        ) from None
    if config.get("ENGINE") not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured(
            f"{name} must point at SQLite (sqlite:///path) or PostgreSQL (postgres://...); "
            f"got {value!r}"
        )
    connect_timeout = envatleast("DB_CONNECT_TIMEOUT", "5", minimum=1)
    statement_timeout = envatleast("DB_STATEMENT_TIMEOUT", "30")
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A database that is down or hung answers within seconds (503), instead of holding
        # every worker until the server kills it.
        options.setdefault("connect_timeout", connect_timeout)
        if statement_timeout:
            options.setdefault("options", f"-c statement_timeout={statement_timeout * 1000}")
    else:
        # WAL lets pages read while an editor saves; IMMEDIATE takes the write lock when a
        # transaction starts, so two saves queue (for up to the busy timeout) instead of
        # deadlocking on a lock upgrade with "database is locked".
        options.setdefault("timeout", envatleast("DB_BUSY_TIMEOUT", "20", minimum=1))
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
    return config


def envcache(name: str, default: str, key_prefix: str = "") -> dict:
    """A cache backend from a URL: locmem:// (one process), redis://host:port/db, dummy://."""
    value = os.environ.get(name, default).strip() or default
    scheme, separator, rest = value.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in ("locmem", "redis", "rediss", "dummy"):
        raise ImproperlyConfigured(
            f"{name} must be locmem://, redis://host:port/db or dummy://; got {value!r}"
        )
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme == "locmem":
        # The location names the memory area; processes never share it.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "ijtech",
            "KEY_PREFIX": key_prefix,
        }
    host, _, db = rest.partition("/")
    if not host.rpartition("@")[2] or (db and not db.isdigit()):
        raise ImproperlyConfigured(
            f"{name} must name a Redis host and, optionally, a database number "
            f"(redis://127.0.0.1:6379/0); got {value!r}"
        )
    port = host.rpartition("@")[2].rpartition(":")
    if port[1] and not port[2].isdigit():
        raise ImproperlyConfigured(f"{name} has a port that is not a number; got {value!r}")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": value,
        "KEY_PREFIX": key_prefix,
    }


DEBUG = envbool("DEBUG", "true")

# A fixed development key keeps sessions valid across restarts on a laptop; it is refused
# below whenever DEBUG is off, so it can never reach production.
_DEV_SECRET_KEY = "ijtech-insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off"
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names when DEBUG is off")

# The canonical address for absolute links (citations, exports, feed, sitemap). Unset, links
# use the host each request was made to (ijtech/urls_abs.py).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "taggit",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "ijtech",
    "sectors",
    "actors",
    "agreements",
]

MIDDLEWARE = [
    # Outermost, so its duration and status are what the client got.
    "ijtech.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise and CommonMiddleware, as django-cors-headers asks, so that even a
    # preflight or a redirect carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Inside SecurityMiddleware (whose headers need no compressing) and before whitenoise,
    # which serves its own pre-compressed files. It compresses only what
    # ijtech.middleware.compressible allows: see PublicGZipMiddleware.
    "ijtech.middleware.PublicGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files have their own validators) and before everything that
    # a repeat view need not run: a 304 is answered here, from the content version alone.
    "ijtech.middleware.PublicCacheMiddleware",
    "ijtech.middleware.DatabaseUnavailableMiddleware",
    # Before anything reads the database: it decides where this request's reads go.
    "ijtech.db_router.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ijtech.urls_abs.SiteURLMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

# CORS: the read-only API, the exports, the citation files and the feeds may be read by a
# page on any origin; nothing else (the admin, the HTML pages) sends the headers. No
# credentials: these addresses need none, and a browser then sends no cookies.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_URLS_REGEX = r"^/(api/.*|.*/(export|cite)\.[a-z]+|.*/citations\.csv|(.*/)?feeds?/.*)$"

ROOT_URLCONF = "ijtech.urls"
WSGI_APPLICATION = "ijtech.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ijtech.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": envdatabase("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}


def envreplicas(name: str) -> list[dict]:
    """Read replicas of the primary: comma-separated PostgreSQL URLs (README, several machines)."""
    urls = envlist(name, "")
    configs = [database(f"{name} item {n}", url) for n, url in enumerate(urls, start=1)]
    engines = {DATABASES["default"]["ENGINE"], *(config["ENGINE"] for config in configs)}
    if configs and engines != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name} needs PostgreSQL streaming replicas of a PostgreSQL DATABASE_URL; "
            f"got {os.environ[name]!r}"
        )
    for config in configs:
        # Tests never create a database on a replica: it reads the primary's test database.
        config["TEST"] = {"MIRROR": "default"}
    return configs


# Public reads go to these aliases (ijtech/db_router.py); editors and writes to default.
DATABASE_REPLICAS = []
for _n, _config in enumerate(envreplicas("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{_n}"] = _config
    DATABASE_REPLICAS.append(f"replica{_n}")
DATABASE_ROUTERS = ["ijtech.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: local memory by default (each process its own); Redis when several processes
# or machines serve the site, so that they share the cached fragments and data versions.
# Keys are prefixed, so that several sites or versions can share one Redis database.
CACHES = {
    "default": envcache(
        "CACHE_URL", "locmem://", key_prefix=os.environ.get("CACHE_KEY_PREFIX", "ijtech")
    )
}

# HTTP caching of public responses (ijtech/middleware.py, PublicCacheMiddleware): browsers
# and CDNs may keep a page PUBLIC_CACHE_SECONDS, and serve it up to PUBLIC_STALE_SECONDS
# longer while they revalidate it with its ETag.
PUBLIC_CACHE_SECONDS = envatleast("PUBLIC_CACHE_SECONDS", "60")
PUBLIC_STALE_SECONDS = envatleast("PUBLIC_STALE_SECONDS", "300")
# How long a process may answer from the content version it last read, instead of reading
# the row again: 0 reads it on every request. Other processes learn of a change this late.
CONTENT_VERSION_SECONDS = envatleast("CONTENT_VERSION_SECONDS", "1")
# Part of every ETag: a deployment that changes templates or code changes every validator.
# Set it to the deployed commit; unset, the version in pyproject.toml.
RELEASE = (
    os.environ.get("RELEASE", "").strip()
    or tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names let browsers cache static files for ever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is refused for LOGIN_COOLOFF_MINUTES, even with the
# right password. Keyed on the pair, so an attacker cannot lock others out of their accounts
# from elsewhere, and other accounts at a shared address keep working.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envatleast("LOGIN_FAILURE_LIMIT", "5", minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envatleast("LOGIN_COOLOFF_MINUTES", "15", minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ijtech.throttle.locked_out"
# Behind N reverse proxies the client address is the Nth from the right of
# X-Forwarded-For; without a proxy only REMOTE_ADDR is trusted (headers can be forged).
_PROXIES = envatleast("TRUSTED_PROXY_COUNT", "0")
if _PROXIES:
    AXES_IPWARE_PROXY_COUNT = _PROXIES
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

FIXTURES_DIR = BASE_DIR / "fixtures"

TAGGIT_CASE_INSENSITIVE = True

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ijtech.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ijtech.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ijtech API",
    "DESCRIPTION": "Read-only access to the published records of ijtech, with their citations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from our own static files: there is no CDN access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content Security Policy: pages use no inline script, so nothing but our own files runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    # Load balancers probe health over plain HTTP; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo for a whole domain, so operators opt in explicitly.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # ijtech.request already logs every refused request in one line; Django's own
        # logger keeps only the tracebacks of server errors.
        "django.request": {"level": "ERROR"},
        # django-axes narrates every sign-in at INFO; ijtech.login states each lockout.
        "axes": {"level": "WARNING"},
    },
}
