"""The institution list and an institution's page: agreements, milestones and partners."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from ijtech.models import Disagreement, Source
from tests.conftest import (
    UNPUBLISHED,
    add_actor,
    add_agreement,
    add_milestone,
    add_sector,
    assert_bad_request,
    cite,
    facet_counts,
    facet_option,
    shown,
    times,
)

pytestmark = pytest.mark.django_db

LIST = "/actors/"


@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.space = add_sector("space", name="Space")
    w.energy = add_sector("energy", name="Clean energy")
    w.dos = add_actor(
        "dos",
        name="Department of Space",
        acronym="DOS",
        country="india",
        kind="ministry",
        sectors=[w.space],
    )
    w.isro = add_actor(
        "isro",
        name="Indian Space Research Organisation",
        acronym="ISRO",
        country="india",
        parent=w.dos,
        sectors=[w.space],
        description="India's space agency.",
        website="https://www.isro.gov.in/",
    )
    w.jaxa = add_actor(
        "jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA", sectors=[w.space]
    )
    w.meti = add_actor(
        "meti",
        name="Ministry of Economy, Trade and Industry",
        acronym="METI",
        kind="ministry",
        sectors=[w.energy],
    )
    w.hidden = add_actor(
        "hidden-body", "draft", name="Hidden Body", parent=w.dos, sectors=[w.energy]
    )
    w.pending = add_actor("pending-body", "in_review", name="Pending Body", kind="ministry")
    w.orphan = add_actor("orphan", name="Orphan Agency", parent=w.pending)
    w.a1 = add_agreement(
        "space-mou", title="Space MoU", year=2020, month=10, parties=[w.isro, w.jaxa, w.hidden]
    )
    w.a2 = add_agreement(
        "energy-deal",
        title="Energy Deal",
        year=1985,
        parties=[w.isro, (w.isro, "implementer"), w.meti],
    )
    w.draft = add_agreement("draft-deal", "draft", title="Draft Deal", parties=[w.isro, w.meti])
    w.m1 = add_milestone(
        "space-signing",
        title="Space Signing",
        year=2020,
        month=10,
        day=8,
        actors=[w.isro, w.jaxa, w.pending],
    )
    w.m2 = add_milestone(
        "secret-meeting", "in_review", title="Secret Meeting", actors=[w.isro, w.meti]
    )
    return w


class TestList:
    def test_it_lists_published_institutions_by_name(self, client, world):
        response = client.get(LIST)
        assert shown(response) == ["dos", "isro", "jaxa", "meti", "orphan"]
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Pending Body")

    def test_it_names_only_a_published_parent(self, client, world):
        html = client.get(LIST).content.decode()
        assert 'part of <a href="/actors/dos/">DOS</a>' in html
        assert html.count("part of") == 1  # the orphan's parent is in review

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"country": "india"}, ["dos", "isro"]),
            ({"kind": "ministry"}, ["dos", "meti"]),
            ({"sector": "space"}, ["dos", "isro", "jaxa"]),
            ({"sector": ["space", "energy"]}, []),
            ({"country": "india", "kind": "agency"}, ["isro"]),
            ({"sort": "-name"}, ["orphan", "meti", "jaxa", "isro", "dos"]),
            ({"sort": "name", "country": "japan"}, ["jaxa", "meti", "orphan"]),
            ({"q": "ISRO"}, ["isro"]),
            ({"q": "department"}, ["dos"]),
            ({"q": "agency", "country": "japan"}, ["jaxa", "orphan"]),
        ],
    )
    def test_filters_alone_and_combined(self, client, world, params, expected):
        assert shown(client.get(LIST, params)) == expected

    def test_facet_counts(self, client, world):
        response = client.get(LIST)
        assert facet_counts(response, "country") == {"japan": 3, "india": 2}
        assert facet_counts(response, "kind") == {"agency": 3, "ministry": 2}
        assert facet_counts(response, "sector") == {"space": 3, "energy": 1}
        response = client.get(LIST, {"country": "india"})
        # Country counts what choosing it gives; sectors count within the results.
        assert facet_counts(response, "country") == {"japan": 3, "india": 2}
        assert facet_counts(response, "kind") == {"agency": 1, "ministry": 1}
        assert facet_counts(response, "sector") == {"space": 2}
        assert facet_option(response, "sector", "space").url == "?country=india&sector=space"

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"country": "mars"}, "Country: Select a valid choice. mars is not one"),
            ({"kind": "nonsense"}, "Kind: Select a valid choice. nonsense is not one"),
            ({"sector": "atlantis"}, "Sector: There is no sector “atlantis”."),
            ({"sort": "size"}, "Sort: Select a valid choice."),
            ({"page": "2"}, "Page 2 does not exist; there is 1 page of results."),
            ({"page": "two"}, "“two” is not a page number."),
        ],
    )
    def test_bad_input_is_a_400(self, client, world, params, message):
        assert_bad_request(client.get(LIST, params), message)

    def test_the_empty_state(self, client, world):
        assertContains(client.get(LIST, {"q": "zeppelin"}), "Nothing matches these filters.")

    def test_it_pages_by_50_keeping_the_filters(self, client, world):
        for i in range(50):
            add_actor(f"body-{i:02}", country="multilateral")
        response = client.get(LIST, {"country": "multilateral"})
        assert len(shown(response)) == 50
        assertNotContains(response, 'rel="next"')
        add_actor("body-50", country="multilateral")
        response = client.get(LIST, {"country": "multilateral"})
        assertContains(response, 'rel="next" href="?country=multilateral&amp;page=2"')
        assert shown(client.get(LIST, {"country": "multilateral", "page": "2"})) == ["body-50"]


class TestDetail:
    def test_it_shows_the_facts(self, client, world):
        html = client.get(world.isro.get_absolute_url()).content.decode()
        assert "Indian Space Research Organisation <abbr>(ISRO)</abbr></h1>" in html
        assert "Government agency · India" in html
        assert '<dt>Part of</dt><dd><a href="/actors/dos/">Department of Space (DOS)</a>' in html
        assert '<a href="https://www.isro.gov.in/" rel="nofollow">' in html
        assert "India&#x27;s space agency." in html
        assert '<a class="sector" href="/sectors/space/">Space</a>' in html

    def test_it_lists_only_published_children(self, client, world):
        html = client.get(world.dos.get_absolute_url()).content.decode()
        assert "<dt>Includes</dt>" in html and "/actors/isro/" in html
        assert "Hidden Body" not in html

    def test_it_hides_an_unpublished_parent(self, client, world):
        response = client.get(world.orphan.get_absolute_url())
        assertNotContains(response, "Part of")
        assertNotContains(response, "Pending Body")

    def test_it_lists_published_agreements_with_roles(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        html = response.content.decode()
        assert '<h2 id="agreements-h">Agreements (2)</h2>' in html
        assert '<a href="/agreements/energy-deal/">Energy Deal</a>' in html
        assert "implementing body, signatory" in html
        assert html.index("Energy Deal") < html.index("Space MoU")  # oldest first
        assert "Draft Deal" not in html
        assert times(response)["1985"] == "1985"

    def test_it_lists_published_milestones(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        assertContains(response, '<h2 id="milestones-h">Milestones (1)</h2>')
        assertNotContains(response, "Secret Meeting")
        assert times(response)["8 October 2020"] == "2020-10-08"

    def test_partners_count_shared_published_records(self, client, world):
        response = client.get(world.isro.get_absolute_url())
        partners = [(a.slug, n) for a, n in response.context["partners"]]
        # JAXA: the space MoU and the signing; METI: the energy deal (the draft deal and the
        # meeting in review do not count); ISRO's two roles in one deal count once.
        assert partners == [("jaxa", 2), ("meti", 1)]
        assertContains(response, "— 2 shared records")
        assertNotContains(response, "Hidden Body")
        assertNotContains(response, "Pending Body")

    def test_an_institution_without_records(self, client, world):
        response = client.get(world.orphan.get_absolute_url())
        assertContains(response, "No agreements recorded with this institution as a party.")
        assertContains(response, "No milestones recorded for this institution.")
        assertNotContains(response, "Works most with")

    def test_citations_and_disagreements(self, client, world):
        one = Source.objects.create(slug="one", title="One", kind="report")
        two = Source.objects.create(slug="two", title="Two", authors="B. Author", kind="report")
        disagreement = Disagreement.objects.create(
            target=world.jaxa, aspect="name", explanation="Which name?"
        )
        cite(
            world.jaxa,
            one,
            locator="p. 1",
            quote="JAXA",
            disagreement=disagreement,
            position="JAXA",
        )
        cite(world.jaxa, two, locator="p. 2", disagreement=disagreement, position="NASDA")
        html = client.get(world.jaxa.get_absolute_url()).content.decode()
        assert "Sources disagree" in html and "<h3>Name</h3>" in html
        assert '<strong>JAXA</strong> — <a href="/sources/one/">One</a>, p. 1: <q>JAXA</q>' in html
        assert '<strong>NASDA</strong> — <a href="/sources/two/">B. Author</a>, p. 2 ' in html
        assert '<span class="locator">p. 2</span>' in html

    @pytest.mark.parametrize("slug", ["hidden-body", "pending-body", "nobody"])
    def test_unpublished_and_unknown_are_404(self, client, world, slug):
        assert client.get(reverse("actors:detail", args=[slug])).status_code == 404


class TestQueryCounts:
    @pytest.fixture
    def crowd(self, source):
        def make(n):
            sector = add_sector("c-sector")
            parent = add_actor("c-parent")
            hub = add_actor("hub", name="Hub", parent=parent, sectors=[sector])
            for i in range(n):
                other = add_actor(f"c-{i:02}", parent=parent, sectors=[sector])
                add_actor(f"c-child-{i:02}", parent=hub)
                cite(other, source)
                cite(hub, source, locator=f"p. {i}")
                agreement = add_agreement(
                    f"c-a-{i:02}", parties=[hub, other, (hub, "funder")], sectors=[sector]
                )
                milestone = add_milestone(f"c-m-{i:02}", actors=[hub, other])
                for record in (agreement, milestone):
                    disagreement = Disagreement.objects.create(
                        target=record, aspect="date", explanation=f"{record.slug}?"
                    )
                    cite(record, source, disagreement=disagreement, position=record.slug)
            return hub

        return make

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_list(self, client, crowd, warm_content_types, django_assert_num_queries, n):
        crowd(n)
        client.get(LIST)
        # 1 count, 2 rows with their parents, 3 their sectors (Actor.objects.public()),
        # 4-6 one per facet: country, kind, sector.
        with django_assert_num_queries(6):
            response = client.get(LIST)
        assert len(shown(response)) == 2 * n + 2

    @pytest.mark.parametrize("n", [2, 12])
    def test_the_detail_page(self, client, crowd, warm_content_types, django_assert_num_queries, n):
        hub = crowd(n)
        url = hub.get_absolute_url()
        client.get(url)
        # 1 the institution with its parent, 2 sectors, 3 children, 4 citations with their
        # sources and disagreements, 5 disagreements, 6 agreements, 7 their sectors,
        # 8 milestones, 9 roles, 10-11 partners in agreements and in milestones,
        # 12 the partners themselves, 13 the disagreements recorded on its agreements and
        # milestones, 14 their citations with sources.
        with django_assert_num_queries(14):
            response = client.get(url)
        assert len(response.context["agreements"]) == n
        assert response.content.decode().count('class="small">(citation)') == 2 * n
        assert len(response.context["partners"]) == min(n, 8)


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_institutions_never_show(client, world, status):
    add_actor("ghost", status, name="Ghost Institute", parent=world.dos, sectors=[world.space])
    world.a1.party_links.create(actor_id=type(world.dos).objects.get(slug="ghost").pk)
    world.m1.actors.add(type(world.dos).objects.get(slug="ghost"))
    for url in (
        LIST,
        f"{LIST}?sector=space",
        world.dos.get_absolute_url(),
        world.isro.get_absolute_url(),
        world.a1.get_absolute_url(),
        world.m1.get_absolute_url(),
        "/agreements/",
        "/milestones/",
        world.space.get_absolute_url(),
    ):
        assertNotContains(client.get(url), "Ghost Institute")
