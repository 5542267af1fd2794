"""Validators, 304s and Cache-Control on public responses (PublicCacheMiddleware)."""

import gzip
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils.http import http_date

from ijtech import content_version
from ijtech.datapackage import data_version
from ijtech.models import ContentVersion
from tests.factories import add_agreement, add_milestone, add_sector, body, cite

pytestmark = pytest.mark.django_db

AGREEMENT = "/agreements/2018-digital-partnership/"


def public_urls() -> list[str]:
    """A page, a list, an export, a citation file, the API, a feed, the data package."""
    return [
        "/",
        "/agreements/",
        AGREEMENT,
        "/agreements/export.csv",
        "/agreements/export.json",
        f"{AGREEMENT}cite.bib",
        "/api/agreements/",
        "/feeds/changes/",
        "/sitemap.xml",
        "/data/",
        f"/data/ijtech-data-{data_version().label}.zip",
    ]


@pytest.fixture
def world(published_agreement):
    return published_agreement


def revalidate(client, url, response, **extra):
    return client.get(url, headers={"If-None-Match": response["ETag"]}, **extra)


class TestValidators:
    def test_every_public_response_has_validators_and_a_304(self, client, world):
        for url in public_urls():
            response = client.get(url)
            assert response.status_code == 200, url
            # The data package keeps its own ETag, of its version; the rest are weak.
            assert response["ETag"].startswith('W/"') or url.endswith(".zip"), url
            assert response.has_header("Last-Modified"), url
            cache_control = response["Cache-Control"]
            assert "public" in cache_control and "max-age=60" in cache_control, url
            assert "stale-while-revalidate=300" in cache_control, url
            assert "Cookie" in response["Vary"], url
            again = revalidate(client, url, response)
            assert again.status_code == 304, url
            assert again["ETag"] == response["ETag"], url
            assert again.content == b"", url

    def test_head_is_answered_like_get(self, client, world):
        got = client.get("/agreements/")
        head = client.head("/agreements/")
        assert head.status_code == 200 and head["ETag"] == got["ETag"]
        assert (
            client.head("/agreements/", headers={"If-None-Match": got["ETag"]}).status_code == 304
        )

    def test_if_modified_since_is_answered(self, client, world):
        response = client.get("/api/agreements/")
        since = response["Last-Modified"]
        assert (
            client.get("/api/agreements/", headers={"If-Modified-Since": since}).status_code == 304
        )
        version = ContentVersion.objects.get()
        earlier = http_date((version.changed_at - timedelta(seconds=5)).timestamp())
        assert (
            client.get("/api/agreements/", headers={"If-Modified-Since": earlier}).status_code
            == 200
        )

    def test_the_etag_depends_on_the_address_the_format_and_the_host(self, client, world):
        tags = {
            client.get("/agreements/")["ETag"],
            client.get("/agreements/", {"kind": "framework"})["ETag"],
            client.get("/agreements/export.csv")["ETag"],
            client.get("/agreements/", headers={"Accept": "text/html"})["ETag"],
            client.get("/agreements/", HTTP_HOST="localhost")["ETag"],
        }
        assert len(tags) == 5

    def test_a_new_release_changes_every_etag(self, client, world):
        before = client.get("/agreements/")
        with override_settings(RELEASE="next"):
            assert revalidate(client, "/agreements/", before).status_code == 200

    def test_the_cache_lifetime_comes_from_the_settings(self, client, world):
        with override_settings(PUBLIC_CACHE_SECONDS=5, PUBLIC_STALE_SECONDS=0):
            cache_control = client.get("/agreements/")["Cache-Control"]
        assert "max-age=5" in cache_control and "stale-while-revalidate=0" in cache_control


class TestChanges:
    @pytest.mark.parametrize(
        "url", ["/", "/agreements/", "/agreements/export.csv", "/api/agreements/"]
    )
    def test_a_public_change_changes_the_etag(self, client, world, source, url):
        before = client.get(url)
        world.title = "A Renamed Partnership"
        world.save()
        after = revalidate(client, url, before)
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]

    def test_a_new_published_record_shows_at_once(self, client, world, source):
        before = client.get("/agreements/")
        cite(add_agreement("2019-new-deal", title="Brand New Deal"), source)
        after = revalidate(client, "/agreements/", before)
        assert after.status_code == 200 and b"Brand New Deal" in after.content

    def test_a_private_change_keeps_the_etag(self, client, world):
        before = client.get("/agreements/")
        add_milestone("a-draft", "draft")
        assert revalidate(client, "/agreements/", before).status_code == 304

    def test_a_rolled_back_change_keeps_the_etag(self, client, world):
        before = client.get("/agreements/")
        with pytest.raises(RuntimeError), transaction.atomic():
            add_sector("never")
            raise RuntimeError
        assert revalidate(client, "/agreements/", before).status_code == 304


class TestNotShared:
    def test_a_signed_in_user_gets_private_pages(self, client, world, reviewer):
        client.force_login(reviewer)
        response = client.get("/agreements/")
        assert response.status_code == 200
        assert not response.has_header("ETag") and not response.has_header("Last-Modified")
        assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
        # A validator that an anonymous visitor got is no use to them either.
        anonymous = self.anonymous_etag(world)
        assert client.get("/agreements/", headers={"If-None-Match": anonymous}).status_code == 200

    @staticmethod
    def anonymous_etag(world):
        from django.test import Client

        return Client().get("/agreements/")["ETag"]

    def test_the_admin_has_no_validators(self, admin_client, world):
        response = admin_client.get("/admin/")
        assert not response.has_header("ETag")
        assert "public" not in response.get("Cache-Control", "")

    def test_the_admin_sign_in_page_is_not_shared(self, client, world):
        response = client.get("/admin/login/")
        assert not response.has_header("ETag")
        assert "public" not in response.get("Cache-Control", "")

    @pytest.mark.parametrize(
        "url, status",
        [
            ("/agreements/no-such-deal/", 404),
            ("/agreements/?year=abc", 400),
            ("/agreements/export.xlsx", 404),
        ],
    )
    def test_error_responses_have_no_validators(self, client, world, url, status):
        response = client.get(url)
        assert response.status_code == status
        assert not response.has_header("ETag") and not response.has_header("Last-Modified")
        assert "public" not in response.get("Cache-Control", "")

    def test_the_probes_are_never_cached(self, client, world):
        response = client.get("/healthz")
        assert not response.has_header("ETag")
        assert "no-cache" in response["Cache-Control"]

    def test_a_response_that_sets_a_cookie_is_private(self, client, world, settings):
        from django.contrib.messages.storage.cookie import CookieStorage

        # A visitor with messages waiting: the page that shows them is theirs alone.
        client.cookies[CookieStorage.cookie_name] = "pending"
        response = client.get("/agreements/")
        assert not response.has_header("ETag")
        assert "private" in response["Cache-Control"]


class TestCompression:
    def test_a_compressed_export_keeps_its_weak_etag_and_revalidates(self, client, world):
        for i in range(30):
            add_agreement(f"bulk-{i:02}", title=f"Bulk Agreement {i}")
        plain = client.get("/agreements/export.csv")
        packed = client.get("/agreements/export.csv", headers={"Accept-Encoding": "gzip"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(body(packed)) == body(plain)
        assert packed["ETag"] == plain["ETag"] and packed["ETag"].startswith('W/"')
        assert {"Accept-Encoding", "Cookie"} <= {v.strip() for v in packed["Vary"].split(",")}
        again = client.get(
            "/agreements/export.csv",
            headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]},
        )
        assert again.status_code == 304 and again.content == b""


class TestQueryCounts:
    @pytest.mark.parametrize("n", [2, 12])
    @pytest.mark.parametrize(
        "url", ["/agreements/", "/agreements/export.csv", "/api/agreements/", "/feeds/changes/"]
    )
    @override_settings(CONTENT_VERSION_SECONDS=0)
    def test_a_repeat_view_costs_one_query(self, client, world, django_assert_num_queries, url, n):
        for i in range(n):
            add_agreement(f"more-{i:02}")
        etag = client.get(url)["ETag"]
        # As a process that did not make the change and remembers nothing sees it.
        content_version.forget()
        # 1 the content version row; the view does not run.
        with django_assert_num_queries(1):
            response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304

    @pytest.mark.parametrize("n", [2, 12])
    def test_a_repeat_view_after_a_bump_in_this_process_costs_none(
        self, client, world, django_assert_num_queries, n
    ):
        for i in range(n):
            add_agreement(f"more-{i:02}")
        etag = client.get("/agreements/")["ETag"]
        # This process knows the version it bumped to: no query at all.
        with django_assert_num_queries(0):
            assert client.get("/agreements/", headers={"If-None-Match": etag}).status_code == 304

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_facets_come_from_the_fragment_cache(
        self, client, world, warm_content_types, django_assert_num_queries, n
    ):
        for i in range(n):
            add_agreement(f"more-{i:02}", sectors=[add_sector(f"s-{i}")], tags=[f"t{i}"])
        client.get("/agreements/")
        # 1 page of rows, 2 sectors prefetch, 3 parties prefetch; the number of results, the
        # seven facets' counts and the two charts are read from the cache until the next
        # public change.
        with django_assert_num_queries(3):
            client.get("/agreements/")


def test_the_api_schema_is_served_without_the_database(client):
    # No django_db mark: a query would raise. The schema changes with the code alone, so it
    # carries no content version (schemathesis loads it at collection, before any database).
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert "ETag" not in response
