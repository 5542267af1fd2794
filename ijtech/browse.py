"""
Faceted browsing shared by the list pages: filters, facet counts, sorting and pagination.

Facet counts follow the usual rule for faceted search: an option of a single-choice facet
(kind, status, country, year) counts the results with every *other* filter applied, so it
says how many results choosing it would give; an option of a repeatable facet (sector,
institution, tag) counts within the current results, since choosing it narrows them.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.http import QueryDict
from django.views.generic import TemplateView

from ijtech import fragments
from ijtech.filters import error_messages
from ijtech.pagination import PageError, paginate


@dataclass
class Facet:
    param: str
    label: str
    path: str  # the field to group by, e.g. "kind" or "sectors"
    related: bool = False  # group by <path>__slug and show <path>__<label_field>
    label_field: str = "name"
    choices: dict = field(default_factory=dict)
    limit: int | None = None
    # Conditions on the grouped rows, e.g. {"parties__editorial_status": "published"}: an
    # unpublished institution must neither be listed nor make a country count.
    where: dict = field(default_factory=dict)
    # The field of <path> that points to its parent, when a record also counts under the
    # parent of what it is filed under, as the app's filter matches it there; given by the app.
    parent_field: str = ""
    # List the options by value, highest first (years), rather than by count.
    by_value_descending: bool = False


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    url: str


def toggled(query: QueryDict, param: str, value: str, multi: bool) -> str:
    query = query.copy()
    query.pop("page", None)
    values = query.getlist(param)
    if value in values:
        values.remove(value)
    elif multi:
        values.append(value)
    else:
        values = [value]
    query.setlist(param, values)
    return "?" + query.urlencode()


class FacetedListView(TemplateView):
    filterset_class = None
    model = None
    facets: list[Facet] = []
    paginate_by = 25
    export_name = ""
    # The parameters includes/filter_form.html sets itself (and the page, which a new filter
    # resets, and `literal`, which holds for the search typed before); it keeps the others,
    # the facets chosen, as hidden inputs.
    form_params = ["q", "literal", "year", "year_from", "year_to", "disputed", "sort", "page"]

    def base_queryset(self):
        """The records the public may see, with what their rows show (the model's public())."""
        return self.model.objects.public()

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(
            request.GET, queryset=self.base_queryset(), request=request
        )
        context = {
            "filterset": self.filterset,
            "facets": [],
            "page_obj": None,
            "errors": [],
            "export_name": self.export_name,
            "form_params": self.form_params,
        }
        status = 200
        if self.filterset.is_valid():
            results = self.filterset.qs
            try:
                page = paginate(results, request.GET.get("page"), self.paginate_by)
            except PageError as exc:
                context["errors"].append(str(exc))
                status = 400
            else:
                context["page_obj"] = page
                context["object_list"] = page.object_list
                # The counts depend on the filters alone (the options' links drop the
                # page), and last until the next public change (ijtech/fragments.py).
                filters = sorted((k, v) for k, v in request.GET.lists() if k != "page")
                context["facets"] = fragments.cached(
                    ("facets", type(self).__qualname__, self.model._meta.label, filters),
                    lambda: self.facet_counts(results),
                )
        else:
            status = 400
            context["errors"] = error_messages(self.filterset)
        context.update(self.get_context_data(**kwargs))
        return self.render_to_response(context, status=status)

    def results_without(self, param):
        """The results with every filter but `param`'s, reusing the already cleaned values."""
        queryset = self.base_queryset()
        for name, value in self.filterset.form.cleaned_data.items():
            if name != param:
                queryset = self.filterset.filters[name].filter(queryset, value)
        return queryset

    @staticmethod
    def hierarchical_options(scope, facet):
        """Each option's count includes its children's records, each record once (1 query)."""
        path, parent = facet.path, f"{facet.path}__{facet.parent_field}"
        direct = scope.values_list(f"{path}__slug", f"{path}__{facet.label_field}", "pk")
        via_child = scope.values_list(f"{parent}__slug", f"{parent}__{facet.label_field}", "pk")
        counts: dict[tuple, int] = {}
        for slug, label, _ in direct.union(via_child):
            if slug is not None:
                counts[slug, label] = counts.get((slug, label), 0) + 1
        return [(slug, label, n) for (slug, label), n in counts.items()]

    def facet_counts(self, results):
        query = self.request.GET
        active_multi = {f.param for f in self.facets if f.related}
        model = self.model
        facets = []
        for facet in self.facets:
            matching = results if facet.related else self.results_without(facet.param)
            scope = model.objects.filter(pk__in=matching.order_by().values("pk")).order_by()
            if facet.where:
                # In one filter() call with no other multi-valued lookups, so values() below
                # groups by the same join the condition is on.
                scope = scope.filter(**facet.where)
            if facet.parent_field:
                options = self.hierarchical_options(scope, facet)
            elif facet.related:
                rows = (
                    scope.values(f"{facet.path}__slug", f"{facet.path}__{facet.label_field}")
                    .exclude(**{f"{facet.path}__isnull": True})
                    .annotate(n=Count("pk", distinct=True))
                )
                options = [
                    (r[f"{facet.path}__slug"], r[f"{facet.path}__{facet.label_field}"], r["n"])
                    for r in rows
                ]
            else:
                rows = (
                    scope.values(facet.path)
                    .exclude(**{f"{facet.path}__isnull": True})
                    .annotate(n=Count("pk", distinct=True))
                )
                options = [
                    (
                        str(r[facet.path]),
                        facet.choices.get(r[facet.path], str(r[facet.path])),
                        r["n"],
                    )
                    for r in rows
                ]
            selected = set(query.getlist(facet.param))
            multi = facet.param in active_multi
            if facet.by_value_descending:
                options.sort(key=lambda o: o[0], reverse=True)
            else:
                options.sort(key=lambda o: (-o[2], str(o[1]).lower()))
            if facet.limit:
                keep = [o for o in options if o[0] in selected]
                options = keep + [o for o in options if o[0] not in selected][: facet.limit]
            facets.append(
                {
                    "param": facet.param,
                    "label": facet.label,
                    "options": [
                        Option(
                            value,
                            label,
                            count,
                            value in selected,
                            toggled(query, facet.param, value, multi),
                        )
                        for value, label, count in options
                    ],
                }
            )
        return facets
