"""Settings for the test suite: the real settings, minus what only slows tests down."""

from ijtech.settings import *  # noqa: F403

# A fixed canonical address keeps the expected links in tests independent of the test
# client's host; tests of request-built links unset it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static names need collectstatic first; tests render templates without it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# SQLite tests run on a file (in the RAM disk where there is one), like the real site: an
# in-memory database shared between threads has table locks instead of a busy timeout, so
# concurrent saves would not behave as they do in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    _dir = "/dev/shm" if _os.access("/dev/shm", _os.W_OK) else _tempfile.gettempdir()
    # A run that was killed leaves its file behind; in RAM that is worth tidying.
    for _name in _os.listdir(_dir):
        _pid = _name.removeprefix("test_ijtech_").partition(".")[0]
        if _name.startswith("test_ijtech_") and _pid.isdigit() and int(_pid) != _os.getpid():
            try:
                _os.kill(int(_pid), 0)
            except ProcessLookupError:
                _os.remove(_os.path.join(_dir, _name))
            except OSError:
                pass  # some other user's run: alive, or not ours to remove
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_dir, f"test_ijtech_{_os.getpid()}.sqlite3")
    }

# A replica alias that is the test database itself, so the router's tests can see which
# connection a query went through without a second server. Routing to it is off; those
# tests turn it on with override_settings(DATABASE_REPLICAS=["replica1"]).
for _alias in DATABASE_REPLICAS:  # noqa: F405
    del DATABASES[_alias]  # noqa: F405
DATABASES["replica1"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_REPLICAS = []
