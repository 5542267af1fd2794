"""The citation-format engine and the citation downloads."""

import json

import pytest
from django.urls import reverse

from ijtech.citeformats import bibtex_escape, formats_for
from ijtech.models import EditorialStatus
from tests.factories import (
    ACCESSED,
    DRAFT,
    add_agreement,
    add_milestone,
    cite,
    parse_bibtex,
    parse_ris,
    publish,
    ris_values,
)


class TestBibtexEscaping:
    def test_special_characters_are_escaped(self):
        assert bibtex_escape("R&D 50% #1 a_b $5 {x} ~ ^ \\") == (
            r"R\&D 50\% \#1 a\_b \$5 \{x\} \textasciitilde{} \textasciicircum{} "
            r"\textbackslash{}"
        )

    def test_a_title_with_special_characters_still_parses(self, source):
        milestone = publish(
            add_milestone("r-and-d", title="R&D {Fund} 100% for $ & #5_b", editorial=DRAFT), source
        )
        _, key, fields = parse_bibtex(formats_for(milestone, ACCESSED)["bibtex"])
        assert key == "ijtech-milestone-r-and-d"
        assert fields["title"] == r"{R\&D \{Fund\} 100\% for \$ \& \#5\_b}"

    def test_line_breaks_in_text_do_not_break_ris_lines(self, source):
        milestone = publish(
            add_milestone("lines", summary="One.\nTwo.\r\nThree.", editorial=DRAFT), source
        )
        tags = parse_ris(formats_for(milestone, ACCESSED)["ris"])
        assert ris_values(tags, "AB") == ["One. Two. Three."]


class TestMilestoneAndActorCitations:
    def test_sources_are_listed_once_each(self, source, actor):
        cite(actor, source, locator="Chapter 2")
        assert formats_for(actor, ACCESSED)["bibtex"].count("A Test Report") == 1


class TestCiteViews:
    @pytest.mark.parametrize(
        ("fmt", "content_type"),
        [
            ("bib", "application/x-bibtex"),
            ("ris", "application/x-research-info-systems"),
            ("json", "application/vnd.citationstyles.csl+json"),
        ],
    )
    def test_each_format_downloads_as_an_attachment(self, client, treaty, fmt, content_type):
        response = client.get(reverse("agreements:cite", args=[treaty.slug, fmt]))
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="ijtech-agreement-{treaty.slug}.{fmt}"'
        )
        assert "Joint Declaration on Security Cooperation" in response.content.decode()

    def test_milestone_and_actor_citations_are_served(self, client, source, actor):
        milestone = publish(add_milestone("served", editorial=DRAFT), source)
        response = client.get(reverse("milestones:cite", args=[milestone.slug, "json"]))
        assert json.loads(response.content)[0]["id"] == "ijtech-milestone-served"
        response = client.get(reverse("actors:cite", args=[actor.slug, "ris"]))
        assert response.content.decode().startswith("TY  - ENCYC\r\n")

    def test_an_unknown_format_is_not_found(self, client, treaty):
        response = client.get(reverse("agreements:cite", args=[treaty.slug, "docx"]))
        assert response.status_code == 404

    def test_an_unknown_record_is_not_found(self, client, db):
        response = client.get(reverse("agreements:cite", args=["no-such-thing", "bib"]))
        assert response.status_code == 404

    @pytest.mark.parametrize("status", [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW])
    def test_unpublished_records_cannot_be_cited(self, client, source, status):
        agreement = add_agreement("hidden-agreement", editorial=status)
        milestone = add_milestone("hidden-milestone", editorial=status)
        actor = agreement.parties.model.objects.create(
            name="Hidden", slug="hidden", country="india", kind="agency", editorial_status=status
        )
        for name, record in [
            ("agreements:cite", agreement),
            ("milestones:cite", milestone),
            ("actors:cite", actor),
        ]:
            cite(record, source)
            response = client.get(reverse(name, args=[record.slug, "bib"]))
            assert response.status_code == 404, name

    def test_citing_costs_a_fixed_number_of_queries(
        self, client, treaty, django_assert_num_queries
    ):
        # 1 the agreement, 2 its sectors, 3 parties, 4 tags, 5 citations with their sources,
        # 6 disagreements: the public queryset that the page, API and exports share
        with django_assert_num_queries(6):
            client.get(reverse("agreements:cite", args=[treaty.slug, "json"]))
