"""Existing records that look like the one being added or renamed: the duplicate warning.

A candidate is a record of the same kind whose title (or one of its other names: an
acronym, a disputed name its sources give) is similar once the words every record shares
("India", "Japan", "the", ...) are left out, dated within a year of it where the kind has
a year; or a record whose slug has the same stem ("2025-space-dialogue" and
"space-dialogue" or "2024-space-dialogue").

The cost is bounded by the year window, not by the table: a dated kind reads the records of
three years (the status-and-year index), their disputed names (the citation target index) and the
few slugs of the same stem (the unique slug index), then compares those in Python.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from rapidfuzz import fuzz

from ijtech.models import Citation, DisagreementAspect, EditorialStatus
from ijtech.source_text import normalise

SIMILAR = 85
# Words nearly every record here carries, so they say nothing about sameness.
COMMON_WORDS = {
    "a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with",
    "india", "japan", "indian", "japanese", "india-japan", "japan-india", "indo-japan",
    "indo-japanese",
}  # fmt: skip
_WORD = re.compile(r"[\w-]+")
_YEAR_PREFIX = re.compile(r"^\d{4}-")


@dataclass
class Candidate:
    record: object
    reason: str


def words(name: str) -> str:
    found = _WORD.findall(normalise(name).casefold())
    return " ".join(w for w in found if w not in COMMON_WORDS)


def similar(a: str, b: str) -> bool:
    a, b = words(a), words(b)
    return bool(a and b) and fuzz.token_set_ratio(a, b) >= SIMILAR


def slug_stem(slug: str) -> str:
    return _YEAR_PREFIX.sub("", slug or "")


def name_field(model) -> str:
    return "title" if any(f.name == "title" for f in model._meta.fields) else "name"


def has_year(model) -> bool:
    return any(f.name == "year" for f in model._meta.fields)


def has_acronym(model) -> bool:
    return any(f.name == "acronym" for f in model._meta.fields)


def candidates(model, names: list[str], slug: str, year=None, exclude_pk=None, limit=10):
    """Records of `model` that may be the one named `names`, most alike first."""
    names = [n for n in names if n and n.strip()]
    field = name_field(model)
    dated = has_year(model) and year is not None
    stem = slug_stem(slug)
    same_stem = Q(pk__in=[])
    if stem:
        # Exact slugs, so the unique index answers: the stem alone or with a year in reach.
        years = range(year - 1, year + 2) if dated else ()
        same_stem = Q(slug__in=[stem, *(f"{y}-{stem}" for y in years)])
    if dated:
        # Every status named, so the (editorial_status, year) index of the lists serves it:
        # WHERE editorial_status IN (...) AND year BETWEEN ? AND ?
        nearby = Q(
            editorial_status__in=EditorialStatus.values, year__gte=year - 1, year__lte=year + 1
        )
    else:
        # An undated kind (institutions) is small; its names are compared by a word.
        keywords = sorted({w for n in names for w in words(n).split()}, key=len, reverse=True)
        nearby = Q(pk__in=[])
        searched = [field, *(["acronym"] if has_acronym(model) else [])]
        for word in keywords[:3]:
            for column in searched:
                nearby |= Q(**{f"{column}__icontains": word})
    queryset = model._base_manager.filter(nearby | same_stem)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    columns = ["pk", field, "slug", *(["year"] if has_year(model) else [])]
    columns += ["acronym"] if has_acronym(model) else []
    rows = list(queryset.only(*columns).order_by("pk"))
    if not rows:
        return []
    other_names = _disputed_names(model, [r.pk for r in rows])
    found = []
    for record in rows:
        theirs = [
            getattr(record, field),
            *_own_extra_names(record),
            *other_names.get(record.pk, []),
        ]
        if stem and slug_stem(record.slug) == stem:
            found.append(Candidate(record, "same slug stem"))
        elif any(similar(mine, their) for mine in names for their in theirs):
            found.append(Candidate(record, "similar name"))
    found.sort(
        key=lambda c: -max(fuzz.token_set_ratio(words(n), words(str(c.record))) for n in names)
    )
    return found[:limit]


def _own_extra_names(record) -> list[str]:
    return [record.acronym] if getattr(record, "acronym", "") else []


def _disputed_names(model, pks) -> dict[int, list[str]]:
    """The other names the sources give these records (the versions of a disputed name)."""
    content_type = ContentType.objects.get_for_model(model)
    rows = Citation.objects.filter(
        content_type=content_type,
        object_id__in=pks,
        disagreement__aspect=DisagreementAspect.NAME,
    ).values_list("object_id", "position")
    names: dict[int, list[str]] = {}
    for object_id, position in rows:
        if position:
            names.setdefault(object_id, []).append(position)
    return names
