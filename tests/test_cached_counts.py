"""
Counts kept until the next public change (ijtech/fragments.py): the number of results of a
list, the sectors' record counts, the sources' citation counts and the sitemap index. Each
is read once per content version; these tests check that a public change shows at once and
that an unpublished one changes nothing.
"""

import re

import pytest

from ijtech.models import EditorialStatus
from tests.factories import add_milestone, add_sector, cite

pytestmark = pytest.mark.django_db

DRAFT = EditorialStatus.DRAFT


def results(client, path):
    return client.get(path).context["page_obj"].paginator.count


class TestListCounts:
    def test_a_published_record_is_counted_at_once(self, client, sector):
        add_milestone("first", sectors=[sector])
        assert results(client, "/milestones/") == 1
        add_milestone("second", sectors=[sector])
        assert results(client, "/milestones/") == 2

    def test_a_deleted_record_is_no_longer_counted(self, client, sector):
        add_milestone("first")
        second = add_milestone("second")
        assert results(client, "/milestones/") == 2
        second.delete()
        assert results(client, "/milestones/") == 1

    def test_each_filter_has_its_own_count(self, client):
        add_milestone("old", year=1990)
        add_milestone("new", year=2020)
        assert results(client, "/milestones/?year_from=2000") == 1
        assert results(client, "/milestones/") == 2
        assert results(client, "/milestones/?year_to=1995") == 1

    def test_the_api_count_follows_a_publication(self, client):
        add_milestone("first")
        assert client.get("/api/milestones/").json()["count"] == 1
        draft = add_milestone("draft", DRAFT)
        assert client.get("/api/milestones/").json()["count"] == 1
        draft.editorial_status = EditorialStatus.PUBLISHED
        draft.save()
        assert client.get("/api/milestones/").json()["count"] == 2


class TestSectorCounts:
    def test_a_publication_shows_in_the_sector_counts(self, client):
        space = add_sector("space")
        launchers = add_sector("launchers", parent=space)
        add_milestone("one", sectors=[launchers])
        page = client.get("/sectors/").content.decode()
        assert "0 agreements · 1 milestone" in page
        # Filed under the parent and a sub-sector: once in the parent's count.
        add_milestone("two", sectors=[space, launchers])
        counts = {s.slug: s.milestone_count for s in client.get("/").context["sectors"]}
        assert counts == {"space": 2}
        sub = client.get("/api/sectors/", {"parent": "space"}).json()["results"]
        assert [(s["slug"], s["milestone_count"]) for s in sub] == [("launchers", 2)]

    def test_a_sector_page_lists_a_new_record_at_once(self, client):
        space = add_sector("space")
        add_milestone("older", year=2001, sectors=[space])
        page = client.get(space.get_absolute_url())
        assert page.context["milestone_count"] == 1
        add_milestone("newer", year=2002, sectors=[space])
        page = client.get(space.get_absolute_url())
        assert page.context["milestone_count"] == 2
        assert [m.slug for _, ms in page.context["years"] for m in ms] == ["older", "newer"]

    def test_a_draft_changes_no_count(self, client):
        space = add_sector("space")
        add_milestone("one", sectors=[space])
        before = client.get("/api/sectors/").json()
        add_milestone("draft", DRAFT, sectors=[space])
        assert client.get("/api/sectors/").json() == before

    def test_a_sector_without_records_counts_none(self, client):
        add_sector("empty")
        [row] = client.get("/api/sectors/").json()["results"]
        assert (row["agreement_count"], row["milestone_count"]) == (0, 0)


class TestSourceCounts:
    def test_a_new_citation_is_counted_at_once(self, client, source):
        milestone = add_milestone("cited")
        cite(milestone, source)
        counts = {s.slug: s.citation_count for s in client.get("/sources/").context["sources"]}
        assert counts[source.slug] == 1
        cite(add_milestone("also-cited"), source, locator="Chapter 2")
        counts = {s.slug: s.citation_count for s in client.get("/sources/").context["sources"]}
        assert counts[source.slug] == 2


class TestSitemapIndex:
    def test_a_new_page_of_addresses_is_listed_at_once(self, client, monkeypatch):
        from agreements.sitemaps import MilestoneSitemap

        monkeypatch.setattr(MilestoneSitemap, "limit", 2)
        for i in range(2):
            add_milestone(f"m-{i}")

        def pages():
            index = client.get("/sitemap.xml").content.decode()
            return len(re.findall(r"sitemap-milestones\.xml(?:\?p=\d+)?<", index))

        assert pages() == 1
        add_milestone("m-2")
        assert pages() == 2
