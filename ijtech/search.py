"""
Text search over the records whose model gives its fields' weights as `search_weights`.

On PostgreSQL: weighted full-text search on a stored tsvector with a GIN index, ranked by
ts_rank. On SQLite: every word of the query must appear in one of the searched fields;
results are ranked by how many fields match, title matches counting most.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Coalesce

CONFIG = "english"
WEIGHT_SCORES = {"A": 4, "B": 2, "C": 1, "D": 1}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w[\w.+-]*", query or "") if w][:12]


def vector_for(model) -> SearchVector:
    vectors = [
        SearchVector(
            Coalesce(F(name), Value(""), output_field=TextField()), weight=weight, config=CONFIG
        )
        for name, weight in model.search_weights.items()
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def update_search_vector(obj) -> None:
    if not is_postgres():
        return
    type(obj)._base_manager.filter(pk=obj.pk).update(search_vector=vector_for(type(obj)))


def search(queryset, query: str):
    """Filter `queryset` to records matching `query` and annotate each with a `rank`.

    A query with no word or number in it (`!!!`, an emoji) matches nothing, yet still carries
    the `rank` annotation, so a caller ordering by rank never fails.
    """
    terms = words(query)
    if not terms:
        return queryset.none().annotate(rank=Value(0, output_field=IntegerField()))
    model = queryset.model
    if is_postgres():
        search_query = SearchQuery(" ".join(terms), config=CONFIG, search_type="plain")
        return queryset.filter(search_vector=search_query).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    fields = model.search_weights
    for term in terms:
        queryset = queryset.filter(
            Q.create([(f"{name}__icontains", term) for name in fields], connector=Q.OR)
        )
    score = Value(0, output_field=IntegerField())
    for name, weight in fields.items():
        for term in terms:
            score = score + Case(
                When(**{f"{name}__icontains": term}, then=Value(WEIGHT_SCORES[weight])),
                default=Value(0),
                output_field=IntegerField(),
            )
    return queryset.annotate(rank=score)
