"""CACHE_URL: local memory by default, Redis or none by choice; and the fragment cache on it."""

import os

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ijtech import content_version, fragments
from ijtech.settings import envcache
from tests.factories import add_sector, start

REDIS_URL = "redis://127.0.0.1:6379/1"


def parse(value, **kwargs):
    os.environ["IJTECH_TEST_CACHE_URL"] = value
    try:
        return envcache("IJTECH_TEST_CACHE_URL", "locmem://", **kwargs)
    finally:
        del os.environ["IJTECH_TEST_CACHE_URL"]


class TestParsing:
    def test_unset_or_empty_is_local_memory(self):
        assert envcache("IJTECH_TEST_CACHE_URL", "locmem://")["BACKEND"].endswith("LocMemCache")
        assert parse("")["BACKEND"].endswith("LocMemCache")

    def test_each_form(self):
        assert parse("locmem://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
        assert parse("dummy://")["BACKEND"] == "django.core.cache.backends.dummy.DummyCache"
        redis = parse("redis://cache.internal:6380/3", key_prefix="site")
        assert redis == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://cache.internal:6380/3",
            "KEY_PREFIX": "site",
        }
        assert parse("redis://:secret@127.0.0.1:6379")["LOCATION"] == (
            "redis://:secret@127.0.0.1:6379"
        )
        assert parse("rediss://cache.example.org:6379/0")["BACKEND"].endswith("RedisCache")

    @pytest.mark.parametrize(
        "value, message",
        [
            ("memcached://127.0.0.1:11211", "must be locmem://, redis://host:port/db or dummy://"),
            ("127.0.0.1:6379", "must be locmem://, redis://host:port/db or dummy://"),
            ("redis://", "must name a Redis host"),
            ("redis://127.0.0.1:6379/one", "must name a Redis host"),
            ("redis://127.0.0.1:port/1", "port that is not a number"),
        ],
    )
    def test_a_bad_value_is_refused_with_a_message(self, value, message):
        with pytest.raises(ImproperlyConfigured, match="IJTECH_TEST_CACHE_URL") as refused:
            parse(value)
        assert message in str(refused.value)
        assert repr(value) in str(refused.value)

    def test_a_bad_value_stops_the_start(self):
        result = start(CACHE_URL="memcache://127.0.0.1")
        assert result.returncode != 0
        assert "CACHE_URL must be locmem://" in result.stderr

    def test_the_key_prefix_comes_from_the_environment(self):
        result = start(CACHE_URL="redis://127.0.0.1:6379/1", CACHE_KEY_PREFIX="staging")
        assert result.returncode == 0, result.stderr


@pytest.fixture
def redis_cache():
    """The real Redis at 127.0.0.1:6379, database 1, as the site's cache."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        reason = f"no Redis at {REDIS_URL}: {exc}"
        if os.environ.get("IJTECH_REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason} (IJTECH_REQUIRE_REDIS=1, so this is a failure)")
        pytest.skip(reason)
    prefix = f"ijtech-test-{os.getpid()}"
    os.environ["IJTECH_TEST_CACHE_URL"] = REDIS_URL
    try:
        config = envcache("IJTECH_TEST_CACHE_URL", "locmem://", key_prefix=prefix)
    finally:
        del os.environ["IJTECH_TEST_CACHE_URL"]
    with override_settings(CACHES={"default": config}):
        yield redis.Redis.from_url(REDIS_URL), prefix
        cache.clear()


@pytest.mark.django_db
class TestRedis:
    def test_the_redis_backend_is_used(self, redis_cache):
        client, prefix = redis_cache
        cache.set("probe", "from ijtech", 30)
        assert type(cache._cache).__name__ == "RedisCacheClient"
        keys = [key.decode() for key in client.keys(f"{prefix}:*")]
        assert keys == [f"{prefix}:1:probe"]

    def test_the_fragment_cache_lasts_until_a_public_change(self, redis_cache):
        client, prefix = redis_cache
        computed = []

        def count():
            computed.append(1)
            return {"sectors": len(computed)}

        assert fragments.cached(("counts",), count) == {"sectors": 1}
        assert fragments.cached(("counts",), count) == {"sectors": 1}
        assert len(computed) == 1
        assert any(b":fragment:" in key for key in client.keys(f"{prefix}:*"))
        add_sector("space")  # a public change bumps the content version
        assert fragments.cached(("counts",), count) == {"sectors": 2}
        assert len(computed) == 2

    def test_a_process_that_missed_the_change_reads_it_from_the_row(self, redis_cache):
        calls = []
        fragments.cached(("x",), lambda: calls.append(1))
        content_version.bump()
        content_version.forget()  # as another process sees it: only the database row
        fragments.cached(("x",), lambda: calls.append(1))
        assert len(calls) == 2
