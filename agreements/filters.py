import django_filters

from actors.models import Actor, Country
from agreements.models import Agreement, AgreementKind, AgreementStatus, Milestone, MilestoneKind
from ijtech.filters import RecordFilterSet, SlugsFilter
from ijtech.models import EditorialStatus


def filter_published_country(queryset, name, value):
    """Records with a *published* institution of that country: a draft must not match."""
    return queryset.filter(
        pk__in=queryset.model.objects.filter(
            **{f"{name}__country": value, f"{name}__editorial_status": EditorialStatus.PUBLISHED}
        ).values("pk")
    )


class AgreementFilter(RecordFilterSet):
    actor = SlugsFilter(
        field_name="parties__slug",
        queryset=Actor.objects.published(),
        label="Institution",
        error_messages={"invalid_choice": "There is no institution “%(value)s”."},
    )
    country = django_filters.ChoiceFilter(
        field_name="parties", method="filter_country", choices=Country, label="Country"
    )
    kind = django_filters.ChoiceFilter(choices=AgreementKind, label="Kind")
    status = django_filters.ChoiceFilter(choices=AgreementStatus, label="Status")

    class Meta(RecordFilterSet.Meta):
        model = Agreement

    def filter_country(self, queryset, name, value):
        return filter_published_country(queryset, name, value)


class MilestoneFilter(RecordFilterSet):
    actor = SlugsFilter(
        field_name="actors__slug",
        queryset=Actor.objects.published(),
        label="Institution",
        error_messages={"invalid_choice": "There is no institution “%(value)s”."},
    )
    country = django_filters.ChoiceFilter(
        field_name="actors", method="filter_country", choices=Country, label="Country"
    )
    kind = django_filters.ChoiceFilter(choices=MilestoneKind, label="Kind")
    agreement = django_filters.ModelChoiceFilter(
        field_name="agreement",
        to_field_name="slug",
        queryset=Agreement.objects.published(),
        label="Agreement",
    )

    class Meta(RecordFilterSet.Meta):
        model = Milestone

    def filter_country(self, queryset, name, value):
        return filter_published_country(queryset, name, value)
