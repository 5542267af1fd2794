"""
Faceted browsing shared by the list pages: filters, facet counts, sorting and pagination.

Facet counts follow the usual rule for faceted search: an option of a single-choice facet
(kind, status, country, year) counts the results with every *other* filter applied, so it
says how many results choosing it would give; an option of a repeatable facet (sector,
institution, tag) counts within the current results, since choosing it narrows them.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.views.generic import TemplateView

from ijtech import fragments
from ijtech.active_filters import active_filters
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
    # How many options a facet shows until "Show all" (?show=<param>) lists up to SHOW_ALL_MAX.
    limit: int | None = 8
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


# The most options "Show all" lists, so that a facet over thousands of institutions stays a
# page a phone can render; past it, a note says how many are left to the search box.
SHOW_ALL_MAX = 200


def with_show(query: QueryDict, param: str | None) -> str:
    """The current address with `param`'s facet expanded (or, with None, every facet folded)."""
    query = query.copy()
    query.pop("show", None)
    if param:
        query["show"] = param
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
            "active_filters": [],
        }
        status = 200
        show = request.GET.get("show", "")
        if show and show not in {f.param for f in self.facets}:
            names = ", ".join(f.param for f in self.facets)
            context["errors"].append(f"show: {show!r} is not a filter here; choose one of {names}.")
            status = 400
        elif self.filterset.is_valid():
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
                context["active_filters"] = active_filters(
                    request.GET, context["facets"], self.filterset.form
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
        """Each option's count includes its children's records, each record once (1 query).

        Options nest one level deep. A top-level option counts the records filed under it or
        under a child (grouped by the parent's slug, or the option's own when it has no
        parent); a child counts those filed under it; both in one statement (UNION ALL).
        """
        path, parent = facet.path, f"{facet.path}__{facet.parent_field}"
        label = facet.label_field
        top = (
            scope.filter(**{f"{path}__isnull": False})
            .order_by()
            .values(
                option=Coalesce(f"{parent}__slug", f"{path}__slug"),
                option_label=Coalesce(f"{parent}__{label}", f"{path}__{label}"),
            )
            .annotate(n=Count("pk", distinct=True))
        )
        # In one filter() call, so that both conditions hold on the same link.
        children = (
            scope.filter(**{f"{path}__isnull": False, f"{parent}__isnull": False})
            .order_by()
            .values(option=F(f"{path}__slug"), option_label=F(f"{path}__{label}"))
            .annotate(n=Count("pk", distinct=True))
        )
        columns = ("option", "option_label", "n")
        rows = top.values_list(*columns).union(children.values_list(*columns), all=True)
        return list(rows)

    def facet_counts(self, results):
        query = self.request.GET
        active_multi = {f.param for f in self.facets if f.related}
        model = self.model
        facets = []
        for facet in self.facets:
            matching = results if facet.related else self.results_without(facet.param)
            # The records as a subquery of their keys, so that no join or annotation of the
            # list's queryset reaches the grouped query.
            scope = model._base_manager.filter(pk__in=matching.order_by().values("pk"))
            if facet.parent_field:
                options = self.hierarchical_options(scope, facet)
            elif facet.related or "__" in facet.path:
                # A related value: grouped over the join to it, with its conditions in the
                # same filter() call so that they hold on that join (a NULL, no related row,
                # is left out by the inner join the condition makes).
                label = f"{facet.path}__{facet.label_field}" if facet.related else None
                key = f"{facet.path}__slug" if facet.related else facet.path
                rows = (
                    scope.filter(**{f"{facet.path}__isnull": False, **facet.where})
                    .order_by()
                    .values(*filter(None, [key, label]))
                    # A record may reach the same value by several links (two institutions
                    # of one country, one institution in two roles): count it once.
                    .annotate(n=Count("pk", distinct=True))
                )
                if facet.related:
                    options = [(r[key], r[label], r["n"]) for r in rows]
                else:
                    options = [
                        (str(r[key]), facet.choices.get(r[key], str(r[key])), r["n"]) for r in rows
                    ]
            else:
                # A column of the record: each record once, no DISTINCT needed.
                rows = (
                    scope.filter(**{f"{facet.path}__isnull": False})
                    .order_by()
                    .values(facet.path)
                    .annotate(n=Count("pk"))
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
            total = len(options)
            expanded = query.get("show") == facet.param
            limit = SHOW_ALL_MAX if expanded else facet.limit
            if limit and total > limit:
                keep = [o for o in options if o[0] in selected]
                options = keep + [o for o in options if o[0] not in selected][:limit]
            facets.append(
                {
                    "param": facet.param,
                    "label": facet.label,
                    "multi": multi,
                    "total": total,
                    "expanded": expanded,
                    # The link to list every option, when some are not shown.
                    "show_all_url": (
                        with_show(query, facet.param)
                        if len(options) < total and not expanded
                        else ""
                    ),
                    "show_fewer_url": with_show(query, None) if expanded else "",
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
