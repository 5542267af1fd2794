import django_filters

from actors.models import Actor, Country
from agreements.models import Agreement, AgreementKind, AgreementStatus, Milestone, MilestoneKind
from ijtech.filters import RecordFilterSet, SlugsFilter


class AgreementFilter(RecordFilterSet):
    actor = SlugsFilter(
        field_name="parties__slug",
        queryset=Actor.objects.published(),
        label="Institution",
        error_messages={"invalid_choice": "There is no institution “%(value)s”."},
    )
    country = django_filters.ChoiceFilter(
        field_name="parties__country", choices=Country, distinct=True, label="Country"
    )
    kind = django_filters.ChoiceFilter(choices=AgreementKind, label="Kind")
    status = django_filters.ChoiceFilter(choices=AgreementStatus, label="Status")

    class Meta(RecordFilterSet.Meta):
        model = Agreement


class MilestoneFilter(RecordFilterSet):
    actor = SlugsFilter(
        field_name="actors__slug",
        queryset=Actor.objects.published(),
        label="Institution",
        error_messages={"invalid_choice": "There is no institution “%(value)s”."},
    )
    country = django_filters.ChoiceFilter(
        field_name="actors__country", choices=Country, distinct=True, label="Country"
    )
    kind = django_filters.ChoiceFilter(choices=MilestoneKind, label="Kind")
    agreement = django_filters.ModelChoiceFilter(
        field_name="agreement__slug",
        to_field_name="slug",
        queryset=Agreement.objects.published(),
        label="Agreement",
    )

    class Meta(RecordFilterSet.Meta):
        model = Milestone
