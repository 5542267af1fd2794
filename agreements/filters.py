import django_filters

from actors.models import Actor, Country
from agreements.models import Agreement, AgreementKind, AgreementStatus, Milestone, MilestoneKind
from ijtech.filters import RecordFilterSet, SlugsFilter
from ijtech.models import EditorialStatus


class InstitutionsFilter(SlugsFilter):
    """?actor=isro&actor=jaxa through `path` (parties or actors): published institutions only."""

    def __init__(self, path: str, **kwargs):
        kwargs.setdefault("field_name", f"{path}__slug")
        kwargs.setdefault("queryset", Actor.objects.published())
        kwargs.setdefault("label", "Institution")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "There is no institution “%(value)s”."}
        )
        super().__init__(**kwargs)


class PublishedCountryFilter(django_filters.ChoiceFilter):
    """Records with a *published* institution of that country: a draft must not match."""

    def __init__(self, path: str, **kwargs):
        kwargs.setdefault("field_name", path)
        kwargs.setdefault("choices", Country)
        kwargs.setdefault("label", "Country")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        # A subquery rather than a join, so no record is counted twice and no DISTINCT is needed.
        matching = qs.model.objects.filter(
            **{
                f"{self.field_name}__country": value,
                f"{self.field_name}__editorial_status": EditorialStatus.PUBLISHED,
            }
        )
        return qs.filter(pk__in=matching.values("pk"))


class AgreementFilter(RecordFilterSet):
    actor = InstitutionsFilter("parties")
    country = PublishedCountryFilter("parties")
    kind = django_filters.ChoiceFilter(choices=AgreementKind, label="Kind")
    status = django_filters.ChoiceFilter(choices=AgreementStatus, label="Status")

    class Meta(RecordFilterSet.Meta):
        model = Agreement


class MilestoneFilter(RecordFilterSet):
    actor = InstitutionsFilter("actors")
    country = PublishedCountryFilter("actors")
    kind = django_filters.ChoiceFilter(choices=MilestoneKind, label="Kind")
    agreement = django_filters.ModelChoiceFilter(
        field_name="agreement",
        to_field_name="slug",
        queryset=Agreement.objects.published(),
        label="Agreement",
    )

    class Meta(RecordFilterSet.Meta):
        model = Milestone
