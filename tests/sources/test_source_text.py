"""A source's private full text: quotes checked against it, never shown or exported."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ijtech import search
from ijtech.models import Citation, SearchEntry, SourceText
from tests.factories import (
    ADD,
    add_milestone,
    admin_url,
    citation_row,
    cite,
    milestone_form,
)
from tests.sources.test_admin import source_form

pytestmark = pytest.mark.django_db

# A short text of the tests' own, laid out as the source extractions are.
TEXT = """A Test Report

## 1. Background

The two countries signed the “Science and Technology Agreement” in 1985 —
after three years of talks.

**b) Space Cooperation**

ISRO and JAXA agreed to study the lunar poles together, a first for both agencies.
"""
PRIVATE = "three years of talks"


@pytest.fixture
def with_text(source):
    SourceText.objects.create(source=source, text=TEXT, file_name="report.txt")
    return source


def citation(source, record, **fields):
    return Citation(target=record, source=source, **{"locator": "Somewhere", **fields})


def test_a_quote_that_stands_in_the_text_is_accepted_with_quotes_spaces_and_dashes_normalised(
    with_text,
):
    record = add_milestone("2025-summit", "draft")
    quote = 'signed the "Science and Technology Agreement" in 1985 - after three   years'
    citation(with_text, record, quote=quote).full_clean()


def test_a_quote_not_in_the_text_is_refused_with_the_nearest_passage(with_text):
    record = add_milestone("2025-summit", "draft")
    with pytest.raises(ValidationError) as refused:
        citation(
            with_text, record, quote="ISRO and JAXA agreed to explore the lunar poles"
        ).full_clean()
    message = refused.value.message_dict["quote"][0]
    assert "does not stand verbatim" in message
    assert "ISRO and JAXA agreed to study the lunar poles" in message


def test_a_quote_is_not_checked_when_the_source_has_no_text(source):
    record = add_milestone("2025-summit", "draft")
    citation(source, record, quote="Words found nowhere at all").full_clean()


def test_an_empty_locator_is_filled_with_the_heading_the_quote_stands_under(with_text):
    record = add_milestone("2025-summit", "draft")
    cited = citation(with_text, record, locator="", quote="a first for both agencies")
    cited.full_clean()
    assert cited.locator == "1. Background — b) Space Cooperation"


def test_the_admin_inline_refuses_a_quote_not_in_the_text(client, editor, with_text):
    client.force_login(editor)
    row = citation_row(with_text, quote="ISRO and JAXA agreed to explore the lunar poles")
    response = client.post(ADD, milestone_form("draft", [row]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The nearest passage is" in page
    assert 'href="#id_ijtech-citation-content_type-object_id-0-quote"' in page


def test_the_admin_inline_fills_an_empty_locator(client, editor, with_text):
    client.force_login(editor)
    row = citation_row(with_text, locator="", quote="signed the “Science and Technology Agreement”")
    response = client.post(ADD, milestone_form("draft", [row]))
    assert response.status_code == 302
    assert Citation.objects.get().locator == "1. Background"


def test_the_admin_inline_asks_for_a_locator_it_cannot_find(client, editor, source):
    client.force_login(editor)
    response = client.post(ADD, milestone_form("draft", [citation_row(source, locator="")]))
    assert response.status_code == 200
    assert "Give the section or chapter heading" in response.content.decode()


def test_an_editor_uploads_a_source_text_in_the_admin(client, editor, source):
    client.force_login(editor)
    upload = SimpleUploadedFile("report.txt", TEXT.encode(), content_type="text/plain")
    response = client.post(admin_url(source), source_form(source, source.version, text_file=upload))
    assert response.status_code == 302
    stored = SourceText.objects.get(source=source)
    assert stored.text == TEXT
    assert stored.file_name == "report.txt"
    # The change form says a text is stored, but does not show it.
    page = client.get(admin_url(source)).content.decode()
    assert "report.txt, uploaded" in page
    assert PRIVATE not in page


def test_a_file_that_is_not_utf8_text_is_refused(client, editor, source):
    client.force_login(editor)
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\xff\xfe\x00", content_type="text/plain")
    response = client.post(admin_url(source), source_form(source, source.version, text_file=upload))
    assert response.status_code == 200
    assert "not UTF-8 plain text" in str(response.context["adminform"].form.errors["text_file"])
    assert not SourceText.objects.exists()


def test_a_stored_text_can_be_removed(client, editor, with_text):
    client.force_login(editor)
    response = client.post(
        admin_url(with_text), source_form(with_text, with_text.version, remove_text="on")
    )
    assert response.status_code == 302
    assert not SourceText.objects.exists()


def test_the_text_is_never_shown_or_exported(client, with_text, tmp_path):
    record = add_milestone("2025-summit", "draft")
    cite(record, with_text, quote="after three years of talks")
    record.publish()
    search.rebuild()
    slug = with_text.slug
    for url in [
        "/sources/",
        f"/sources/{slug}/",
        "/sources/export.csv",
        "/sources/export.json",
        f"/sources/{slug}/cite.bib",
        f"/sources/{slug}/cite.json",
        "/api/sources/",
        f"/api/sources/{slug}/",
        f"/search/?q={PRIVATE}",
        "/api/search/?q=talks",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        # The quote itself is public; the rest of the text is not.
        assert b"The two countries signed" not in body, url
        assert b"lunar poles" not in body, url
    assert not SearchEntry.objects.filter(body__contains="lunar poles").exists()
    call_command("dump_corpus", dir=tmp_path, stdout=io.StringIO())
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert "lunar poles" not in path.read_text(encoding="utf-8"), path
    latest = client.get("/data/ijtech-data-latest.zip")
    package = client.get(latest["Location"])
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        for name in archive.namelist():
            assert b"lunar poles" not in archive.read(name), name


# --- verify_quotes --------------------------------------------------------------------------


def verify(*args):
    out = io.StringIO()
    call_command("verify_quotes", *args, stdout=out)
    return out.getvalue()


def test_verify_quotes_reports_every_citation_ok(with_text, source):
    cite(add_milestone("2025-summit", "draft"), with_text, quote="a first for both agencies")
    assert "1 ok, 0 not found" in verify()


def test_verify_quotes_fails_on_a_quote_not_found_and_shows_the_nearest_passage(with_text):
    record = add_milestone("2025-summit", "draft")
    # Saved past the check, as a citation loaded before the text was stored would be.
    Citation.objects.bulk_create(
        [
            Citation(
                target=record,
                source=with_text,
                locator="x",
                quote="JAXA and ISRO studied the poles",
            )
        ]
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 quote"):
        call_command("verify_quotes", stdout=out)
    report = out.getvalue()
    assert "NOT FOUND" in report
    assert "nearest: " in report and "lunar poles" in report


def test_verify_quotes_counts_citations_of_sources_without_a_text(source):
    cite(add_milestone("2025-summit", "draft"), source, quote="anything")
    report = verify()
    assert "1 without a source text" in report
    assert f"Sources without a text: {source.slug}" in report


def test_verify_quotes_reads_texts_from_a_directory_without_storing_them(source, tmp_path):
    (tmp_path / "0001_abcdef.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "0002_other.txt").write_text("Another Work\n\nNothing here.", encoding="utf-8")
    cite(add_milestone("2025-summit", "draft"), source, quote="a first for both agencies")
    assert "1 ok, 0 not found" in verify("--texts", str(tmp_path))
    assert not SourceText.objects.exists()
