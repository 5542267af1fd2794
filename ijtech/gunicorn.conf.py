"""
gunicorn settings for serving ijtech in production: `gunicorn -c ijtech/gunicorn.conf.py`.

Read from the environment like the Django settings; a bad value stops the start with a
message naming the variable.
"""

import os


def _whole(name: str, default: str, minimum: int = 1) -> int:
    value = os.environ.get(name, default)
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {value!r}") from None
    if number < minimum:
        raise SystemExit(f"{name} must be at least {minimum}; got {number}")
    return number


wsgi_app = "ijtech.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
# Sync workers: each handles one request at a time, so this is the number served at once.
workers = _whole("WEB_CONCURRENCY", "2")
# Longer than DB_STATEMENT_TIMEOUT (30 s), so a slow query ends in the site's 503 page
# before the worker is killed.
timeout = _whole("GUNICORN_TIMEOUT", "60")
graceful_timeout = 30
# Recycle workers now and then so slow memory growth cannot build up.
max_requests = _whole("GUNICORN_MAX_REQUESTS", "1000", minimum=0)
max_requests_jitter = max_requests // 10

# Only the proxy in front may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One key=value line per request, path without its query string (which may carry
# secrets); ACCESS_LOG= (empty) turns it off, since Django logs each request as well.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s '
    'duration_ms=%(M)s agent="%(a)s"'
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
