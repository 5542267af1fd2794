"""Records and page readers shared by the tests; conftest.py holds the fixtures."""

import csv
import datetime
import io
import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech.corpus import FILES
from ijtech.models import Citation, Disagreement, EditorialStatus, Source
from sectors.models import Sector


def add_user(username: str, group: str) -> User:
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def cite(record, source, **kwargs) -> Citation:
    kwargs.setdefault("locator", "Chapter 1")
    return Citation.objects.create(target=record, source=source, **kwargs)


def publish(record, source):
    cite(record, source)
    record.publish()
    return record


# --- Records as the page tests build them: published unless told otherwise ------------

PUBLISHED = EditorialStatus.PUBLISHED
DRAFT = EditorialStatus.DRAFT
UNPUBLISHED = [EditorialStatus.DRAFT, EditorialStatus.IN_REVIEW]


def add_sector(slug, parent=None, **kwargs) -> Sector:
    kwargs.setdefault("name", slug.replace("-", " ").title())
    return Sector.objects.create(slug=slug, parent=parent, **kwargs)


def add_actor(slug, editorial=PUBLISHED, *, sectors=(), **kwargs) -> Actor:
    kwargs.setdefault("name", slug.replace("-", " ").title())
    kwargs.setdefault("country", "japan")
    kwargs.setdefault("kind", "agency")
    actor = Actor.objects.create(slug=slug, editorial_status=editorial, **kwargs)
    actor.sectors.set(sectors)
    return actor


def add_agreement(
    slug="2018-digital-partnership",
    editorial=PUBLISHED,
    *,
    sectors=(),
    parties=(),
    tags=(),
    builds_on=(),
    supersedes=(),
    **kw,
) -> Agreement:
    """An agreement with its links; `parties` holds actors or (actor, role) pairs.

    `editorial` is the editorial status; `status=` (in force, announced...) is the agreement's.
    """
    kw.setdefault("title", slug.replace("-", " ").title())
    kw.setdefault("kind", "framework")
    kw.setdefault("year", 2018)
    agreement = Agreement.objects.create(slug=slug, editorial_status=editorial, **kw)
    agreement.sectors.set(sectors)
    for party in parties:
        actor, role = party if isinstance(party, tuple) else (party, "signatory")
        AgreementParty.objects.create(agreement=agreement, actor=actor, role=role)
    agreement.builds_on.set(builds_on)
    agreement.supersedes.set(supersedes)
    if tags:
        agreement.tags.add(*tags)
    return agreement


def add_milestone(
    slug="2025-annual-summit", editorial=PUBLISHED, *, sectors=(), actors=(), tags=(), **kw
) -> Milestone:
    kw.setdefault("title", slug.replace("-", " ").title())
    kw.setdefault("kind", "summit")
    kw.setdefault("year", 2025)
    milestone = Milestone.objects.create(slug=slug, editorial_status=editorial, **kw)
    milestone.sectors.set(sectors)
    milestone.actors.set(actors)
    if tags:
        milestone.tags.add(*tags)
    return milestone


def shown(response) -> list[str]:
    """Slugs of the records a list page shows, in order."""
    assert response.status_code == 200, response.content.decode()[:2000]
    return [record.slug for record in response.context["object_list"]]


def facet_counts(response, param) -> dict[str, int]:
    """{option value: count} of one facet on a list page."""
    for facet in response.context["facets"]:
        if facet["param"] == param:
            return {option.value: option.count for option in facet["options"]}
    raise AssertionError(f"no facet {param!r}")


def facet_option(response, param, value):
    for facet in response.context["facets"]:
        if facet["param"] == param:
            for option in facet["options"]:
                if option.value == value:
                    return option
    raise AssertionError(f"no option {value!r} in facet {param!r}")


def chips(response) -> dict[str, str]:
    """{the chip's accessible text: the address it links to} of the active filters."""
    page = response.content.decode()
    found = re.findall(
        r'<a class="chip" href="([^"]*)"><span class="visually-hidden">(Remove filter: )</span>'
        r'<span class="chip-name">([^<]*)</span> ([^<]*)<span',
        page,
    )
    return {
        unescape(f"{hidden}{name} {label}"): unescape(href) for href, hidden, name, label in found
    }


def assert_bad_request(response, *messages) -> str:
    """A 400 page that explains, in its error box, what was wrong."""
    html = response.content.decode()
    assert response.status_code == 400, html[:2000]
    assert 'class="errors" role="alert"' in html
    for message in messages:
        assert message in html, f"{message!r} not on the page"
    return html


TIME_RE = re.compile(r'<time datetime="([^"]*)"[^>]*>([^<]*)</time>')
VALID_DATETIME_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def times(response) -> dict[str, str]:
    """{shown date: datetime attribute} of every <time> on a page; each must be valid."""
    found = TIME_RE.findall(response.content.decode())
    for value, text in found:
        assert VALID_DATETIME_RE.match(value), f"<time datetime={value!r}> for {text!r}"
    return {text: value for value, text in found}


def base_world():
    """What the page tests share: space, digital, clean energy with hydrogen under it;
    ISRO, JAXA and an unpublished institution."""
    w = SimpleNamespace()
    w.space = add_sector("space", name="Space")
    w.energy = add_sector("energy", name="Clean energy")
    w.hydrogen = add_sector("hydrogen", parent=w.energy, name="Hydrogen")
    w.digital = add_sector("digital", name="Digital")
    w.isro = add_actor(
        "isro", name="Indian Space Research Organisation", acronym="ISRO", country="india"
    )
    w.jaxa = add_actor("jaxa", name="Japan Aerospace Exploration Agency", acronym="JAXA")
    w.hidden = add_actor("hidden-body", "draft", name="Hidden Body", country="other")
    return w


CITATIONS = "ijtech-citation-content_type-object_id"
DISAGREEMENTS = "ijtech-disagreement-content_type-object_id"


def formset(prefix, rows=(), initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def milestone_form(status="draft", citations=(), version=None, initial_citations=0, **fields):
    data = {
        "title": "15th Annual Summit",
        "slug": "2025-annual-summit",
        "kind": "summit",
        "year": "2025",
        "month": "",
        "day": "",
        "date_qualifier": "exact",
        "summary": "The leaders met in Tokyo.",
        "editorial_status": status,
        "unit": "",
        "delivery_note": "",
        "tags": "",
        **fields,
    }
    if version is not None:
        data["version"] = str(version)
    data |= formset(CITATIONS, citations, initial=initial_citations)
    data |= formset(DISAGREEMENTS)
    return data


def citation_row(source, **extra):
    return {
        "source": str(source.pk),
        "locator": "Key Takeaways",
        "quote": "",
        "supports": "record",
        "position": "",
        "note": "",
        "order": "0",
        **extra,
    }


ADD = reverse("admin:agreements_milestone_add")


def change_url(obj):
    return reverse("admin:agreements_milestone_change", args=[obj.pk])


CONFLICT = "Your changes have not been saved"


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def api_get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def api_slugs(response):
    assert response.status_code == 200, response.json()
    return [record["slug"] for record in response.json()["results"]]


def add_cited_actor(slug, status=PUBLISHED, source=None, **kwargs):
    kwargs.setdefault("name", slug.upper())
    kwargs.setdefault("country", "japan")
    kwargs.setdefault("kind", "agency")
    actor = Actor.objects.create(slug=slug, editorial_status=status, **kwargs)
    if source:
        cite(actor, source)
    return actor


def add_cited_agreement(slug, source, *, sectors=(), parties=(), tags=(), **kwargs):
    # Unlike add_agreement, this cites the agreement; `status` is the agreement's own.
    kwargs.setdefault("title", slug.replace("-", " ").title())
    kwargs.setdefault("kind", "framework")
    kwargs.setdefault("year", 2018)
    agreement = Agreement.objects.create(slug=slug, editorial_status=PUBLISHED, **kwargs)
    cite(agreement, source)
    agreement.sectors.set(sectors)
    for actor in parties:
        AgreementParty.objects.create(agreement=agreement, actor=actor)
    if tags:
        agreement.tags.add(*tags)
    return agreement


def add_cited_milestone(slug, source, *, sectors=(), actors=(), tags=(), **kwargs):
    milestone = add_milestone(slug, editorial=PUBLISHED, **kwargs)
    cite(milestone, source)
    milestone.sectors.set(sectors)
    milestone.actors.set(actors)
    if tags:
        milestone.tags.add(*tags)
    return milestone


def dispute_the_year(record, source, other_source):
    disagreement = Disagreement.objects.create(
        target=record, aspect="date", explanation="The sources give different years."
    )
    cite(record, source, disagreement=disagreement, position="2018", quote="signed in 2018")
    cite(record, other_source, disagreement=disagreement, position="2019", quote="in 2019")
    return disagreement


# Query counts --------------------------------------------------------------------------


def add_more_api_records(source, other_source, sector, n=4):
    """More records of each kind, each with every relation the payload shows."""
    for i in range(n):
        actor = add_cited_actor(f"more-actor-{i}", source=source)
        actor.sectors.add(sector)
        agreement = add_cited_agreement(
            f"more-agreement-{i}", source, sectors=[sector], parties=[actor], tags=[f"tag {i}"]
        )
        dispute_the_year(agreement, source, other_source)
        milestone = add_cited_milestone(
            f"more-milestone-{i}",
            source,
            sectors=[sector],
            actors=[actor],
            tags=[f"tag {i}"],
            agreement=agreement,
        )
        dispute_the_year(milestone, source, other_source)
        Sector.objects.create(name=f"More {i}", slug=f"more-{i}", parent=sector)
        Source.objects.create(slug=f"more-source-{i}", title=f"More {i}", kind="report")


ACCESSED = datetime.date(2025, 3, 4)


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader for one entry: braces must balance and every field must close."""
    match = re.match(r"\s*@(\w+)\{([^,\s{}]+),\n", text)
    assert match, f"not a BibTeX entry head: {text[:60]!r}"
    entry_type, key = match.groups()
    fields: dict[str, str] = {}
    pos = match.end()
    while True:
        end = re.match(r"\}\s*$", text[pos:])
        if end:
            return entry_type, key, fields
        field = re.match(r"  (\w+) = ", text[pos:])
        assert field, f"bad field at {text[pos : pos + 40]!r}"
        name = field.group(1)
        pos += field.end()
        if text[pos] == "{":
            depth, start = 0, pos
            while True:
                char = text[pos]
                if char == "\\":
                    pos += 2
                    continue
                if char == "{":
                    depth += 1
                elif char == "}":
                    depth -= 1
                    if depth == 0:
                        break
                pos += 1
            fields[name] = text[start + 1 : pos]
            pos += 1
        else:
            bare = re.match(r"\w+", text[pos:])
            fields[name] = bare.group()
            pos += bare.end()
        assert text[pos : pos + 2] == ",\n", f"field {name} not closed"
        pos += 2


def parse_ris(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    tags = []
    for line in lines[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"bad RIS line {line!r}"
        tags.append(match.groups())
    return tags


def ris_values(tags, tag):
    return [value for t, value in tags if t == tag]


FIXTURES = Path(settings.FIXTURES_DIR)


def edit(directory, kind, slug, change):
    path = directory / FILES[kind]
    records = json.loads(path.read_text(encoding="utf-8"))
    for record in records:
        if record["slug"] == slug:
            change(record)
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")


def get_csv(client, name, **params):
    response = client.get(reverse(name, args=["csv"]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def body(response) -> bytes:
    """The response's bytes, read to the end when it is streamed (the exports)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def get_json(client, name, **params):
    response = client.get(reverse(name, args=["json"]), params)
    assert response.status_code == 200, body(response)
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def violates(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def run(code: str, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
    }
    environ.update(DJANGO_SETTINGS_MODULE="ijtech.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def start(**env):
    return run(
        "import django; django.setup(); from django.conf import settings; settings.DEBUG", **env
    )


def add_agreement_crowd(n, source):
    """n published agreements, each as linked as a list row can be."""
    space = add_sector(f"space-{n}")
    actors = [add_actor(f"body-{n}-{i}", country="india" if i % 2 else "japan") for i in range(3)]
    for i in range(n):
        agreement = add_agreement(
            f"crowd-{n}-{i:02}",
            year=2000 + i,
            sectors=[space, add_sector(f"s-{n}-{i}")],
            parties=actors,
            tags=["crowd", f"tag-{i}"],
        )
        cite(agreement, source)
        Disagreement.objects.create(target=agreement, aspect="date", explanation="Which year?")
    return space
