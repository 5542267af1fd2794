"""Formatted references (APA, Chicago) on record and source pages."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agreements.models import Agreement
from ijtech import references
from ijtech.citeformats import to_csl
from ijtech.models import Source
from tests.factories import add_actor, add_agreement, add_milestone, cite

pytestmark = pytest.mark.django_db

ACCESSED = datetime.date(2026, 1, 5)


def item(**kwargs):
    base = {
        "id": "ijtech-agreement-x",
        "type": "treaty",
        "title": "India–Japan Cyber Security Pact",
        "issued": {"date-parts": [[2020, 10]]},
        "publisher": "ijtech",
        "URL": "http://example.test/agreements/x/",
        "author": [{"literal": "Government of India"}, {"literal": "Government of Japan"}],
    }
    return base | kwargs


class TestRender:
    def test_it_renders_apa_and_chicago(self):
        refs = references.references(item())
        assert [ref["label"] for ref in refs] == ["APA", "Chicago (author-date)"]
        for ref in refs:
            assert "India–Japan Cyber Security Pact" in ref["html"]
            assert "Government of India" in ref["html"]
            assert "2020" in ref["html"]
            assert "http://example.test/agreements/x/" in ref["html"]

    def test_it_keeps_the_styles_italics(self):
        html = references.render(item(type="report", title="Annual Report"), "apa")
        assert "<i>Annual Report</i>" in html

    def test_it_escapes_the_records_text(self):
        html = references.render(item(title="<script>alert(1)</script> & Co"), "apa")
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html

    def test_marks_in_the_text_cannot_become_tags(self):
        html = references.render(item(title="Pact 1\ue0002\ue0013"), "apa")
        assert "<i>" not in html
        assert "Pact 123" in html

    def test_a_style_is_parsed_once(self):
        assert references.style("apa") is references.style("apa")

    @pytest.mark.parametrize(
        "csl_type", ["treaty", "document", "event", "entry", "report", "article-journal", "webpage"]
    )
    def test_every_item_type_ijtech_writes_gets_both_styles(self, csl_type):
        authored = item(type=csl_type, **{"container-title": "ijtech"})
        anonymous = {key: value for key, value in authored.items() if key != "author"}
        for refs in (references.references(authored), references.references(anonymous)):
            assert [ref["key"] for ref in refs] == ["apa", "chicago"]
            assert all("Cyber Security Pact" in ref["html"] for ref in refs)

    def test_a_style_without_an_entry_for_the_type_gives_nothing(self):
        # An institution's entry has no author: notes-bibliography cites it in notes only.
        entry = item(type="entry", **{"container-title": "ijtech"})
        del entry["author"]
        assert references.render(entry, "chicago-notes-bibliography") == ""
        assert references.render(entry, "chicago-author-date")

    def test_a_decade_renders_as_a_range(self):
        html = references.render(item(issued={"date-parts": [[1960], [1969]]}), "apa")
        assert "1960–1969" in html


class TestPages:
    def test_an_agreement_page_shows_both_references_and_the_downloads(self, client, source):
        india = add_actor("goi", name="Government of India", country="india", kind="ministry")
        agreement = add_agreement("2020-pact", title="Cyber Pact", year=2020, parties=[india])
        cite(agreement, source)
        response = client.get(agreement.get_absolute_url())
        assertContains(response, "Cite this record")
        assertContains(response, 'id="ref-apa"')
        assertContains(response, 'id="ref-chicago"')
        assertContains(response, 'data-copy="ref-apa"')
        for ref in response.context["references"]:
            assert "Government of India" in ref["html"]
            assert "Cyber Pact" in ref["html"]
            assert "2020" in ref["html"]
            assert f'id="ref-{ref["key"]}" class="reference-text">{ref["html"]}</p>' in (
                response.content.decode()
            )
        assertContains(response, "cite.bib")
        assertContains(response, "cite.ris")
        assertContains(response, "cite.json")

    def test_a_hostile_title_is_escaped_on_the_page(self, client):
        agreement = add_agreement("2020-x", title="Pact <img src=x onerror=alert(1)>")
        response = client.get(agreement.get_absolute_url())
        assertNotContains(response, "<img src=x")
        assertContains(response, "Pact &lt;img src=x onerror=alert(1)&gt;")

    def test_milestone_and_institution_pages_show_references(self, client):
        milestone = add_milestone("2025-summit", title="Annual Summit")
        actor = add_actor("jaxa", name="Japan Aerospace Exploration Agency")
        for record in (milestone, actor):
            response = client.get(record.get_absolute_url())
            assertContains(response, 'id="ref-apa"')
            assertContains(response, 'id="ref-chicago"')

    def test_a_source_page_cites_the_work_itself(self, client):
        source = Source.objects.create(
            slug="punnen",
            title="India-Japan Technology Ties",
            authors="Joseph Punnen",
            kind="journal_article",
            year=2020,
        )
        response = client.get(source.get_absolute_url())
        assertContains(response, "Cite this source")
        apa = response.context["references"][0]["html"]
        # The citation engine splits a person's name, as APA wants it.
        assert apa == "Punnen, J. (2020). <i>India-Japan Technology Ties</i>."

    def test_rendering_uses_only_loaded_data(self, source, django_assert_num_queries):
        india = add_actor("goi", name="Government of India")
        add_agreement("2020-pact", title="Cyber Pact", parties=[india], tags=["cyber"])
        cite(Agreement.objects.get(), source)
        record = Agreement.objects.public().detailed().get(slug="2020-pact")
        item_ = to_csl(record, timezone.localdate())
        with django_assert_num_queries(0):
            refs = references.references(to_csl(record, ACCESSED))
        assert refs[0]["html"]
        assert item_["author"] == [{"literal": "Government of India"}]
