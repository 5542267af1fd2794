"""Admin machinery shared by every reviewed record, and the admin for sources."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.admin import GenericStackedInline, GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from ijtech.models import (
    NO_CITATION_MESSAGE,
    Citation,
    ConcurrentEditError,
    Disagreement,
    EditorialStatus,
    Source,
)
from ijtech.roles import can_publish

admin.site.site_header = "ijtech editorial admin"
admin.site.site_title = "ijtech admin"
admin.site.index_title = "Records, sources and citations"


class CitationFormSet(BaseGenericInlineFormSet):
    """Refuses to leave a published record without a citation, counting unsaved rows too."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.editorial_status != EditorialStatus.PUBLISHED:
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(NO_CITATION_MESSAGE)


class CitationInline(GenericTabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "quote", "supports", "disagreement", "position", "note", "order"]
    formfield_overrides = {
        # Keep the quote and note boxes small in a table row.
        Citation._meta.get_field("quote"): {"widget": forms.Textarea(attrs={"rows": 2})},
        Citation._meta.get_field("note"): {"widget": forms.Textarea(attrs={"rows": 2})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("quote", "note"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "disagreement":
            # Only this record's own disagreements can be chosen.
            object_id = request.resolver_match.kwargs.get("object_id")
            queryset = Disagreement.objects.none()
            if object_id and object_id.isdigit():
                queryset = Disagreement.objects.filter(
                    content_type__app_label=self.parent_model._meta.app_label,
                    content_type__model=self.parent_model._meta.model_name,
                    object_id=object_id,
                )
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DisagreementInline(GenericStackedInline):
    model = Disagreement
    extra = 0
    fields = ["aspect", "explanation"]


class EditorialAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a concurrent save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by EditorialAdmin.get_form.
    request_user = None
    history_id = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The version in the database when the form was drawn, not the one a history
            # entry carried: reverting an old version is a fresh edit of the current one.
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.initial["version"] = current
        if self.history_id is not None and not self.is_bound:
            self.show_historic_links()
        # The citation inline checks the publish rule with the rows being submitted.
        self.instance._citations_checked_by_form = True
        field = self.fields.get("editorial_status")
        if (
            field is not None
            and self.request_user is not None
            and not can_publish(self.request_user, self._meta.model)
        ):
            field.choices = [c for c in field.choices if c[0] != EditorialStatus.PUBLISHED]
            field.help_text = "Editors send records for review; a reviewer publishes them."

    def show_historic_links(self):
        """On a revert form, show the sectors, institutions and lineage of that version.

        A historic instance shares its primary key with the live record, so the form would
        otherwise show today's links and a revert would silently keep them.
        """
        record = self.instance.history.get(history_id=self.history_id)
        for field in getattr(type(record), "_history_m2m_fields", []):
            if field.name in self.fields:
                target = f"{field.m2m_reverse_field_name()}_id"
                rows = getattr(record, field.name).all()
                self.initial[field.name] = [getattr(row, target) for row in rows]

    def clean_version(self):
        # A new record starts at the model's first version; the hidden field arrives empty.
        if not self.instance.pk:
            return self.instance.version
        return self.cleaned_data["version"]

    def clean_editorial_status(self):
        status = self.cleaned_data["editorial_status"]
        if (
            status == EditorialStatus.PUBLISHED
            and self.request_user is not None
            and not can_publish(self.request_user, self._meta.model)
        ):
            raise ValidationError("Only reviewers can publish. Send the record for review.")
        return status

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        submitted = cleaned.get("version")
        current = (
            model._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if submitted is None or submitted != current:
            raise ValidationError(self._conflict_message(), code="conflict")
        self.instance.version = current
        return cleaned

    def _conflict_message(self) -> str:
        latest = self.instance.history.select_related("history_user").first()
        who, when = "someone else", "in the meantime"
        if latest is not None:
            if latest.history_user is not None:
                who = latest.history_user.get_username()
            when = "at " + date_format(localtime(latest.history_date), "DATETIME_FORMAT")
        return (
            f"This record was changed by {who} {when}, after you opened it. Your changes "
            "have not been saved, so nothing was overwritten. Open the record again to see "
            "the current version, then make your changes there."
        )


def _whole_number(value: str) -> int:
    if not value.isdigit():
        raise IncorrectLookupParameters(f"{value!r} is not a year.")
    return int(value)


class DecadeFilter(admin.SimpleListFilter):
    """First step of the date drill-down: a decade, then a year within it."""

    title = "decade"
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.order_by().values_list("year", flat=True).distinct()
        return [(str(d), f"{d}s") for d in sorted({y // 10 * 10 for y in years}, reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        decade = _whole_number(self.value())
        return queryset.filter(year__gte=decade, year__lt=decade + 10)


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.order_by().values_list("year", flat=True).distinct()
        decade = request.GET.get("decade", "")
        if decade.isdigit():
            years = years.filter(year__gte=int(decade), year__lt=int(decade) + 10)
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(year=_whole_number(self.value()))


@admin.action(description="Send selected records for review")
def send_for_review(modeladmin, request, queryset):
    moved = 0
    for obj in queryset.filter(editorial_status=EditorialStatus.DRAFT):
        obj.editorial_status = EditorialStatus.IN_REVIEW
        obj.save()
        moved += 1
    modeladmin.message_user(request, f"{moved} record(s) sent for review.", messages.SUCCESS)


@admin.action(description="Publish selected records", permissions=["publish"])
def publish(modeladmin, request, queryset):
    published, refused = 0, []
    for obj in queryset.exclude(editorial_status=EditorialStatus.PUBLISHED):
        try:
            obj.publish()
        except ValidationError:
            refused.append(str(obj))
        else:
            published += 1
    if published:
        modeladmin.message_user(request, f"{published} record(s) published.", messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            f"Not published, because they have no citation: {', '.join(refused)}. "
            + NO_CITATION_MESSAGE,
            messages.ERROR,
        )


@admin.action(description="Unpublish selected records (back to draft)", permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    moved = 0
    for obj in queryset.filter(editorial_status=EditorialStatus.PUBLISHED):
        obj.editorial_status = EditorialStatus.DRAFT
        obj.save()
        moved += 1
    modeladmin.message_user(request, f"{moved} record(s) unpublished.", messages.SUCCESS)


class EditorialAdmin(SimpleHistoryAdmin):
    """Admin for records that go through review and keep a full history."""

    form = EditorialAdminForm
    inlines = [CitationInline, DisagreementInline]
    actions = [send_for_review, publish, unpublish]
    save_on_top = True

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        form.history_id = getattr(request, "ijtech_history_id", None)
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).with_citation_count().with_disputed()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as exc:
            # Another save landed between the form's version check and this one's write;
            # the transaction has been rolled back, so nothing was half-written.
            self.message_user(
                request,
                f"{exc} Your changes have not been saved, so nothing was overwritten. "
                "The form now shows the current version.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.ijtech_history_id = version_id
        # A revert is a save like any other: all or nothing, with the version row locked.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def has_publish_permission(self, request):
        return can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        # Published records change only through a reviewer: an editor's correction to a
        # published record would otherwise go live without review.
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="citations", ordering="citation_count")
    def citations_column(self, obj):
        return obj.citation_count or 0

    @admin.display(description="disputed", boolean=True, ordering="is_disputed")
    def disputed_column(self, obj):
        return obj.is_disputed

    @admin.display(description="date", ordering="year")
    def date_column(self, obj):
        return obj.date_display


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    ordering = ["authors", "title"]
    list_display = ["title", "authors", "publisher", "year", "kind", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count
