"""What a page tells machines about itself: Highwire `citation_*` tags (read by Zotero's
Connector and Google Scholar), Open Graph tags, schema.org JSON-LD and its canonical address.

It is built from the record's CSL-JSON item (ijtech.citeformats.to_csl, or the source's item
from ijtech.references), so that the page, the citation files and the references agree.
A model gives its schema.org type, and any properties of its own, through one hook:

- ``schema_org()``: e.g. ``{"@type": "Event"}``; its keys override the generic ones.
"""

import json

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from ijtech.citeformats import PUBLISHER
from ijtech.exports import DATA_LICENSE
from ijtech.urls_abs import absolute_url

SITE_NAME = PUBLISHER
SITE_DESCRIPTION = "A curated, source-cited knowledge base of India–Japan technology diplomacy."

# The property that carries the item's date, by schema.org type; others use datePublished.
_DATE_PROPERTY = {"Event": "startDate", "Legislation": "legislationDate"}
_UNDATED_TYPES = {"Organization", "GovernmentOrganization"}
_NO_AUTHOR_TYPES = {"Event", "Organization", "GovernmentOrganization"}

# Inside <script>, "</script>" or "<!--" would end or alter the element: the characters that
# can start them are written as JSON escapes, which parse to the same text.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """`data` as JSON safe to place, as it is, inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - json.dumps output with every "<", ">" and "&" escaped


def _names(item: dict) -> list[str]:
    names = []
    for author in item.get("author", []):
        name = author.get("literal") or " ".join(
            p for p in (author.get("given"), author.get("family")) if p
        )
        if name:
            names.append(name)
    return names


def _date_parts(item: dict) -> list[list[int]]:
    return item.get("issued", {}).get("date-parts", [])


def iso_date(parts: list[int]) -> str:
    """[2020, 10] → "2020-10": an ISO 8601 date as precise as the record."""
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def highwire_tags(item: dict, url: str) -> list[tuple[str, str]]:
    """The `citation_*` (name, content) pairs, in the order Zotero's translator reads them."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", name) for name in _names(item)]
    parts = _date_parts(item)
    if parts:
        # The first date of a range: "the 1960s" is cited from 1960.
        tags.append(("citation_publication_date", "/".join(str(p) for p in parts[0])))
    if item.get("publisher"):
        tags.append(("citation_publisher", item["publisher"]))
    if item.get("abstract"):
        tags.append(("citation_abstract", item["abstract"]))
    if item.get("keyword"):
        tags.append(("citation_keywords", item["keyword"]))
    tags.append(("citation_public_url", url))
    tags.append(("citation_abstract_html_url", url))
    return tags


def schema_org(record, item: dict, url: str) -> dict:
    """The record's schema.org description, with the type and properties its model gives."""
    own = record.schema_org() if hasattr(record, "schema_org") else {}
    kind = own.get("@type", "CreativeWork")
    data = {"@context": "https://schema.org", "@type": kind, "@id": url, "url": url}
    data["name"] = item["title"]
    if item.get("abstract"):
        data["description"] = item["abstract"]
    parts = _date_parts(item)
    if parts and kind not in _UNDATED_TYPES:
        data[_DATE_PROPERTY.get(kind, "datePublished")] = iso_date(parts[0])
        if kind == "Event" and len(parts) > 1:
            data["endDate"] = iso_date(parts[1])
    names = _names(item)
    if names and kind not in _NO_AUTHOR_TYPES:
        data["author"] = [{"@type": "Organization", "name": name} for name in names]
    if item.get("keyword"):
        data["keywords"] = item["keyword"]
    data["isPartOf"] = {"@type": "Dataset", "name": SITE_NAME, "url": absolute_url(None, "/")}
    data.update(own)
    return data


def record_metadata(request, record, item: dict) -> dict:
    """The `page_meta` context of a record's page (templates/includes/page_meta.html)."""
    url = absolute_url(request, record.get_absolute_url())
    return {
        "canonical": url,
        "title": item["title"],
        "description": item.get("abstract", ""),
        "og_type": "article",
        "highwire": highwire_tags(item, url),
        "json_ld": json_ld(schema_org(record, item, url)),
    }


def dataset_metadata(request, description: str = SITE_DESCRIPTION) -> dict:
    """The `page_meta` of the home page: the whole knowledge base as a schema.org Dataset."""
    url = absolute_url(request, "/")
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": SITE_NAME,
        "description": description,
        "creator": {"@type": "Organization", "name": SITE_NAME},
        "license": DATA_LICENSE["path"],
        "distribution": {
            "@type": "DataDownload",
            "encodingFormat": "application/zip",
            "contentUrl": absolute_url(request, reverse("data-latest")),
        },
    }
    return {
        "canonical": url,
        "title": SITE_NAME,
        "description": description,
        "og_type": "website",
        "highwire": [],
        "json_ld": json_ld(data),
    }
