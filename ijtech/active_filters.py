"""
The filters a list is narrowed by, each with a link that removes it and nothing else.

A list page shows them above its results ("Sector Digital ×", "Search moon ×"), so that on a
phone, where the filters are folded away, what is applied stays in sight and each one is a
tap from being undone.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Model, QuerySet
from django.http import QueryDict

# Parameters that order, page or lay out the results rather than narrow them.
NOT_FILTERS = {"sort", "page", "show", "literal"}


@dataclass
class ActiveFilter:
    param: str
    value: str
    name: str  # what is filtered on: "Sector"
    label: str  # the value as the page shows it: "Digital"
    url: str  # the current address without this one value


def removed(query: QueryDict, param: str, value: str) -> str:
    query = query.copy()
    query.pop("page", None)
    if param == "q":
        # `literal` only says how to read the search; without the search it means nothing.
        query.pop("literal", None)
    query.setlist(param, [v for v in query.getlist(param) if v != value])
    return "?" + query.urlencode()


def _instance_label(cleaned, value: str) -> str | None:
    """The name of the record a slug parameter chose, from what the form already loaded."""
    if isinstance(cleaned, Model):
        instances = [cleaned]
    elif isinstance(cleaned, QuerySet):
        # Read only if cleaning already fetched them: a chip label is not worth a query.
        instances = cleaned._result_cache or []
    elif isinstance(cleaned, list | tuple):
        instances = cleaned
    else:
        return None
    for instance in instances:
        if getattr(instance, "slug", None) == value:
            return getattr(instance, "name", None) or str(instance)
    return None


def active_filters(query: QueryDict, facets: list[dict], form) -> list[ActiveFilter]:
    """The applied filters in the order of the address: facets by their option labels,
    the form's other fields (search, year range...) by their labels and choices."""
    facets_by_param = {facet["param"]: facet for facet in facets}
    cleaned = getattr(form, "cleaned_data", {})
    chips = []
    for param, values in query.lists():
        if param in NOT_FILTERS or (param not in facets_by_param and param not in form.fields):
            continue
        for value in dict.fromkeys(values):
            if not value.strip():
                continue
            field = form.fields.get(param)
            known = {}
            if param in facets_by_param:
                facet = facets_by_param[param]
                name = facet["label"]
                known = {o.value: o.label for o in facet["options"]}
            else:
                name = str(field.label or param.replace("_", " ").capitalize())
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                # A choice that matches nothing has no facet option to take its label from.
                known = {str(k): str(v) for k, v in field.choices} | known
            label = known.get(value) or _instance_label(cleaned.get(param), value) or value
            chips.append(ActiveFilter(param, value, name, label, removed(query, param, value)))
    return chips
