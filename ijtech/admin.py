"""Admin machinery shared by every reviewed record, and the admin for sources and tags."""

import hashlib
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericStackedInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import Count, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.admin import TaggedItemInline as TaggitTaggedItemInline
from taggit.models import Tag

from ijtech import duplicates, review, workflow
from ijtech.models import (
    NO_CITATION_MESSAGE,
    ChangeProposal,
    Citation,
    ConcurrentEditError,
    Disagreement,
    EditorialStatus,
    ProposalStatus,
    ReviewComment,
    Source,
    SourceText,
    editorial_models,
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


class CitationForm(forms.ModelForm):
    """A citation row: an empty locator is filled from the source's text where it can be."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "locator" in self.fields:
            self.fields["locator"].required = False

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("locator") or "").strip() and not self.errors:
            probe = Citation(source=cleaned.get("source"), quote=cleaned.get("quote") or "")
            heading = probe.heading_of_quote() if probe.source_id else ""
            if heading:
                cleaned["locator"] = heading
            else:
                self.add_error(
                    "locator",
                    "Give the section or chapter heading where the fact stands (it is filled "
                    "in only when the source's text is stored and the quote is found in it).",
                )
        return cleaned


class LabelledInlineMixin:
    """Every control in an inline row names its field, for screen readers and voice control.

    A tabular inline labels its columns only in the table header, and a control in a row
    has no label of its own.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label or db_field.verbose_name))
        return field


class CitationInline(LabelledInlineMixin, GenericStackedInline):
    # Stacked, not a table: eight fields side by side made the form 2,300 px wide.
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 1
    autocomplete_fields = ["source"]
    fieldsets = [
        (None, {"fields": ["source", "locator", "quote", "supports"]}),
        ("Disputed point and note", {"fields": ["disagreement", "position", "note", "order"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("quote", "note"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
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


class DisagreementInline(LabelledInlineMixin, GenericStackedInline):
    model = Disagreement
    extra = 0
    fields = ["aspect", "explanation"]


def conflict_message(obj, noun="record") -> str:
    """Who changed `obj` last and when, for a save refused because it started from less."""
    latest = obj.history.select_related("history_user").first()
    who, when = "someone else", "in the meantime"
    if latest is not None:
        if latest.history_user is not None:
            who = latest.history_user.get_username()
        when = "at " + date_format(localtime(latest.history_date), "DATETIME_FORMAT")
    return (
        f"This {noun} was changed by {who} {when}, after you opened it. Your changes "
        "have not been saved, so nothing was overwritten. Open it again to see "
        "the current version, then make your changes there."
    )


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a concurrent save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by the admin's get_form.
    request_user = None
    conflict_noun = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.live = None
        if self.instance.pk:
            # The row in the database when the form was drawn, not what a history entry
            # carried: reverting an old version is a fresh edit of the current one.
            self.live = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
            self.initial["version"] = self.live.version if self.live else None

    def clean_version(self):
        # A new record starts at the model's first version; the hidden field arrives empty.
        if not self.instance.pk:
            return self.instance.version
        return self.cleaned_data["version"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        submitted = cleaned.get("version")
        # Locked until this save commits, so nobody slips in between check and write.
        self.live = (
            type(self.instance)
            ._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .first()
        )
        if self.live is None or submitted is None or submitted != self.live.version:
            raise ValidationError(
                conflict_message(self.instance, self.conflict_noun), code="conflict"
            )
        self.instance.version = self.live.version
        return cleaned


class SupportingAdminForm(VersionedAdminForm):
    """A supporting row: versioned, and changed only by a reviewer once records show it."""

    @property
    def conflict_noun(self):
        return self._meta.model._meta.verbose_name

    def clean(self):
        cleaned = super().clean()
        refuse_change_if_shown(self)
        return cleaned


def refuse_change_if_shown(form):
    if (
        form.instance.pk
        and form.request_user is not None
        and not workflow.may_change_supporting(form.request_user, form.instance)
    ):
        raise ValidationError(workflow.only_reviewers_change(form.instance), code="reviewer")


class SupportingChangelistForm(forms.ModelForm):
    """A row edited in the list (an order column): the same rule as the change form."""

    request_user = None

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            refuse_change_if_shown(self)
        return cleaned


NOT_A_DUPLICATE_MESSAGE = (
    "Records like this one already exist (listed under “Possible duplicates”). Open them "
    "to check; if this is a different record, tick “This is not a duplicate” and save again."
)


class EditorialAdminForm(VersionedAdminForm):
    """A reviewed record: versioned, with the states this user may move it to."""

    # Set by EditorialAdmin.get_form.
    citations_in_formset = False
    # An editor's change to a published record: kept as a proposal, not saved.
    proposing = False

    # Rendered (by the change form template) only when there are duplicate candidates.
    not_a_duplicate = forms.BooleanField(
        required=False,
        label="This is not a duplicate",
        help_text="Tick once you have checked the similar records listed above.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate_candidates = []
        # The history revert form starts from an old version of the record.
        self.historic = to_historic(self.instance)
        if self.historic is not None and not self.is_bound:
            self.show_historic_links()
        field = self.fields.get("editorial_status")
        if field is not None and self.proposing:
            field.choices = [c for c in field.choices if c[0] == EditorialStatus.PUBLISHED]
            field.help_text = PROPOSAL_HELP
        elif field is not None and self.request_user is not None:
            current = self.live.editorial_status if self.live else None
            allowed = workflow.allowed_targets(self.request_user, self._meta.model, current)
            if allowed:
                field.choices = [c for c in field.choices if c[0] in allowed]
            if EditorialStatus.PUBLISHED not in allowed:
                field.help_text = "Editors send records for review; a reviewer publishes them."

    def show_historic_links(self):
        """On a revert form, show the many-to-many links that version had.

        A historic instance shares its primary key with the live record, so the form would
        otherwise show today's links and a revert would silently keep them.
        """
        record = self.historic
        for field in getattr(type(record), "_history_m2m_fields", []):
            if field.name in self.fields:
                target = f"{field.m2m_reverse_field_name()}_id"
                rows = getattr(record, field.name).all()
                self.initial[field.name] = [getattr(row, target) for row in rows]
        # Tags are not among simple-history's links; the version's snapshot has them.
        relations = getattr(record, "relations", None) or {}
        if "tags" in self.fields and "tags" in relations:
            self.initial["tags"] = relations["tags"]

    def _post_clean(self):
        # Django runs the model's full_clean() here. The citation inline checks the publish
        # rule with the rows being submitted, which the database cannot see yet; a form
        # without that inline (the revert form) leaves the check to the model, which
        # counts the saved citations.
        if not self.citations_in_formset:
            super()._post_clean()
            return
        with self.instance.citations_checked_by_caller():
            super()._post_clean()

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("editorial_status")
        if self.proposing:
            self.clean_proposal(status)
        elif status and self.request_user is not None:
            current = self.live.editorial_status if self.live else None
            try:
                workflow.check_move(self.request_user, self._meta.model, current, status)
            except PermissionDenied as exc:
                self.add_error("editorial_status", str(exc))
        self.check_duplicates(cleaned)
        return cleaned

    def check_duplicates(self, cleaned):
        """On adding or renaming, list similar records; saving then needs a confirmation."""
        model = self._meta.model
        field = duplicates.name_field(model)
        if field not in self.fields or self.historic is not None:
            return
        name = cleaned.get(field)
        if not name:
            return
        if self.live is not None and getattr(self.live, field) == name:
            return
        names = [name, cleaned.get("acronym") or ""]
        self.duplicate_candidates = duplicates.candidates(
            model,
            names,
            cleaned.get("slug") or "",
            year=cleaned.get("year"),
            exclude_pk=self.instance.pk,
        )
        if self.duplicate_candidates and not cleaned.get("not_a_duplicate"):
            self.add_error("not_a_duplicate", NOT_A_DUPLICATE_MESSAGE)

    def clean_proposal(self, status):
        if status and status != EditorialStatus.PUBLISHED:
            self.add_error("editorial_status", workflow.ONLY_REVIEWERS_CHANGE_PUBLISHED)
        pending = review.pending_proposal(self.instance)
        if pending is not None:
            raise ValidationError(proposal_conflict_message(pending), code="conflict")


PROPOSAL_HELP = (
    "Your change is kept as a proposal: the public sees the published version until a "
    "reviewer accepts it."
)


def proposal_conflict_message(pending) -> str:
    who = pending.author.get_username() if pending.author else "someone else"
    when = date_format(localtime(pending.created_at), "DATETIME_FORMAT")
    noun = pending.content_type.name
    return review.PENDING_PROPOSAL.format(noun=noun, who=who, when=when)


class ProposalCaptured(Exception):
    """Raised once an editor's change to a published record is written, to roll it back.

    The change goes through the form and its inlines exactly as a save would, so it is
    checked the same way; what it would have made of the record is kept as a proposal.
    """

    def __init__(self, state, base_version):
        super().__init__("proposal captured")
        self.state = state
        self.base_version = base_version


def _is_whole_number(value: str) -> bool:
    # str.isdigit() accepts "²" and other digits int() refuses.
    return value.isascii() and value.isdigit()


def _whole_number(value: str) -> int:
    if not _is_whole_number(value):
        raise IncorrectLookupParameters(f"{value!r} is not a year.")
    return int(value)


class DecadeListFilter(admin.SimpleListFilter):
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


class YearListFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.order_by().values_list("year", flat=True).distinct()
        decade = request.GET.get("decade", "")
        if _is_whole_number(decade):
            years = years.filter(year__gte=int(decade), year__lt=int(decade) + 10)
        return [(str(y), str(y)) for y in sorted(years, reverse=True)]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(year=_whole_number(self.value()))


def move_records(modeladmin, request, records, target):
    """Move each record to `target` under the workflow's rules; say what became of each."""
    moved, uncited = 0, []
    for record in records:
        try:
            record.move_to(target, request.user)
        except ConcurrentEditError as exc:
            # Someone saved this record after the list was loaded; leave their version be.
            modeladmin.message_user(
                request,
                f"{exc} It was left as it is now, so nothing was overwritten.",
                messages.ERROR,
            )
        except PermissionDenied as exc:
            modeladmin.message_user(request, f"{record}: {exc}", messages.ERROR)
        except ValidationError:
            uncited.append(str(record))
        else:
            moved += 1
    return moved, uncited


@admin.action(description="Send selected records for review")
def send_for_review(modeladmin, request, queryset):
    drafts = queryset.filter(editorial_status=EditorialStatus.DRAFT)
    moved, _ = move_records(modeladmin, request, drafts, EditorialStatus.IN_REVIEW)
    modeladmin.message_user(request, f"{moved} record(s) sent for review.", messages.SUCCESS)


@admin.action(description="Publish selected records", permissions=["publish"])
def publish(modeladmin, request, queryset):
    unpublished = queryset.exclude(editorial_status=EditorialStatus.PUBLISHED)
    published, refused = move_records(modeladmin, request, unpublished, EditorialStatus.PUBLISHED)
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
    published = queryset.filter(editorial_status=EditorialStatus.PUBLISHED)
    moved, _ = move_records(modeladmin, request, published, EditorialStatus.DRAFT)
    modeladmin.message_user(request, f"{moved} record(s) unpublished.", messages.SUCCESS)


class RevertRefused(Exception):
    pass


class HistoryAdmin(SimpleHistoryAdmin):
    """Admin with history, where a revert is a save like any other, and odd URLs are 4xx."""

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL cannot compare with a string holding NUL; say so instead of failing.
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            raise BadRequest("A filter or search value cannot contain a NUL character.")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # The list's search box and the autocomplete boxes of other admins both land here.
        if "\x00" in search_term:
            raise BadRequest("A search cannot contain a NUL character.")
        return super().get_search_results(request, queryset, search_term)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history_model = self.model.history.model
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            history_model._meta.pk.to_python(version_id)
        except ValidationError as exc:
            raise Http404("No such version.") from exc
        if request.method == "POST":
            # The library checks only the right to view, and against the historic copy;
            # saving a revert needs the right to change the record as it is now.
            live = self.get_object(request, unquote(object_id))
            if live is None or not self.has_revert_permission(request, live):
                raise PermissionDenied
        try:
            # All or nothing, with the version row locked.
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().history_form_view(request, object_id, version_id, extra_context)
                if request.method == "POST" and response.status_code == 302:
                    self.after_revert(request, unquote(object_id), version_id)
                return response
        except ConcurrentEditError as exc:
            return self.refuse_concurrent_edit(request, exc)
        except RevertRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_revert_permission(self, request, obj):
        return self.has_change_permission(request, obj)

    def after_revert(self, request, object_id, version_id):
        """Called in the revert's transaction once the version's fields are saved."""

    def has_change_history_permission(self, request, obj=None):
        # `obj` is a historic copy here; what counts is the record as it is now.
        if obj is not None:
            obj = self.model._base_manager.filter(pk=obj.pk).first()
            if obj is None:
                return False
        return super().has_change_history_permission(request, obj)

    def refuse_concurrent_edit(self, request, exc):
        # Another save landed between the form's version check and this one's write;
        # the transaction has been rolled back, so nothing was half-written.
        self.message_user(
            request,
            f"{exc} Your changes have not been saved, so nothing was overwritten. "
            "The form now shows the current version.",
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as exc:
            return self.refuse_concurrent_edit(request, exc)

    change_form_template = "admin/ijtech/change_form.html"

    def render_change_form(self, request, context, *args, **kwargs):
        adminform = context.get("adminform")
        if adminform is not None:
            context["error_summary"] = error_summary(
                adminform.form, context.get("inline_admin_formsets", [])
            )
            context["duplicate_candidates"] = [
                duplicate_link(c) for c in getattr(adminform.form, "duplicate_candidates", [])
            ]
        return super().render_change_form(request, context, *args, **kwargs)


def error_summary(form, inline_admin_formsets) -> list[dict]:
    """Every error on the page, each linked to its field, for a summary above the form.

    The admin shows an error beside its field, which may be twenty fields (or an inline)
    below the banner; the summary names each one and links to it.
    """
    items = []

    def add(anchor, label, errors):
        items.extend({"anchor": anchor, "label": label, "message": m} for m in errors)

    if not form.is_bound:
        return items
    add("content-main", "This record", form.non_field_errors())
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        add(f"id_{form.add_prefix(name)}", str(label).capitalize(), errors)
    for inline in inline_admin_formsets:
        formset = inline.formset
        noun = str(inline.opts.verbose_name_plural).capitalize()
        add(f"{formset.prefix}-group", noun, formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            row_noun = f"{str(inline.opts.verbose_name).capitalize()} {number}"
            add(f"{formset.prefix}-{number - 1}", row_noun, row.non_field_errors())
            for name, errors in row.errors.items():
                if name == "__all__":
                    continue
                field = row.fields.get(name)
                label = field.label if field is not None and field.label else name
                add(f"id_{row.add_prefix(name)}", f"{row_noun}, {str(label).lower()}", errors)
    return items


def duplicate_link(candidate) -> dict:
    record = candidate.record
    opts = record._meta
    return {
        "record": record,
        "year": getattr(record, "year", None),
        "reason": candidate.reason,
        "admin_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
    }


class SupportingAdmin(HistoryAdmin):
    """Sources, tags and reference data: editors add them; once published records show
    one, a reviewer changes it, and nobody deletes it out from under those records."""

    form = SupportingAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", SupportingChangelistForm)
        form = super().get_changelist_form(request, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and not workflow.may_change_supporting(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not workflow.may_change_supporting(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Deleting would silently strip these from published records: refuse, and say which.
        for obj in objs:
            for model, records in workflow.published_records_using(obj).items():
                protected += [
                    f"{model._meta.verbose_name.capitalize()} (published): {record}"
                    for record in records
                ]
        return deleted, counts, perms_needed, protected


class EditorialAdmin(HistoryAdmin):
    """Admin for records that go through review and keep a full history."""

    form = EditorialAdminForm
    inlines = [CitationInline, DisagreementInline]
    actions = [send_for_review, publish, unpublish]
    save_on_top = True
    change_form_template = "admin/editorial_change_form.html"
    history_list_display = ["citations_and_links"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        # The history revert form (built for a historic copy) has no inlines.
        form.citations_in_formset = to_historic(obj) is None and any(
            isinstance(inline, CitationInline) for inline in self.get_inline_instances(request, obj)
        )
        form.proposing = self.proposes(request, obj)
        return form

    def proposes(self, request, obj) -> bool:
        """Is a save of `obj` by this user a proposal (an editor on a published record)?"""
        return (
            obj is not None
            and to_historic(obj) is None
            and obj.is_published
            and not workflow.may_change(request.user, obj)
        )

    def get_queryset(self, request):
        comment = ReviewComment.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=OuterRef("pk")
        ).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .with_citation_count()
            .with_disputed()
            .annotate(review_comment=Subquery(comment.values("text")[:1]))
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review_comment_column"]

    @admin.display(description="reviewer's comment")
    def review_comment_column(self, obj):
        # A comment is the reason a record went back to draft; once resent it has been met.
        if obj.editorial_status != EditorialStatus.DRAFT:
            return ""
        return obj.review_comment or ""

    @admin.display(description="citations and links of this version")
    def citations_and_links(self, historic):
        if historic.relations is None:
            return "—"
        parts = []
        for name, texts in review.relation_texts(historic.relations).items():
            parts.append(format_html("<strong>{}</strong>: {}", name, "; ".join(texts) or "none"))
        return mark_safe("<br>".join(parts))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.proposing:
            raise ProposalCaptured(review.state_of(form.instance), form.cleaned_data["version"])
        review.note_relations(form.instance)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ProposalCaptured as captured:
            return self.keep_proposal(request, object_id, captured)

    def keep_proposal(self, request, object_id, captured):
        record = self.get_object(request, unquote(object_id))
        try:
            with transaction.atomic(using=router.db_for_write(ChangeProposal)):
                ChangeProposal.objects.create(
                    target=record,
                    base_version=captured.base_version,
                    data=captured.state,
                    author=request.user,
                )
        except IntegrityError:
            # Another editor's proposal landed between this form's check and its save.
            self.message_user(
                request, proposal_conflict_message(review.pending_proposal(record)), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        self.message_user(
            request,
            f"Your change to “{record}” awaits review. The public sees the published version "
            "until a reviewer accepts it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and to_historic(obj) is None:
            context["review_comment"] = review.latest_comment(obj) if not obj.is_published else None
            context["pending_proposal"] = review.pending_proposal(obj)
            context["proposing"] = self.proposes(request, obj)
            # The author's latest proposal, while its send-back is the last word on it.
            latest = (
                ChangeProposal.objects.for_record(obj)
                .filter(author=request.user)
                .select_related("reviewer")
                .order_by("-created_at", "-pk")
                .first()
            )
            sent_back = latest is not None and latest.status == ProposalStatus.SENT_BACK
            context["sent_back_proposal"] = latest if sent_back else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_revert_permission(self, request, obj):
        return workflow.may_change(request.user, obj) and super().has_revert_permission(
            request, obj
        )

    def has_change_history_permission(self, request, obj=None):
        if obj is not None:
            live = self.model._base_manager.filter(pk=obj.pk).first()
            if live is not None and not workflow.may_change(request.user, live):
                return False
        return super().has_change_history_permission(request, obj)

    def after_revert(self, request, object_id, version_id):
        historic = self.model.history.model.objects.get(history_id=version_id)
        record = self.model._base_manager.get(pk=object_id)
        if historic.relations is not None:
            review.restore_relations(record, historic.relations)
        if record.is_published and not record.has_citations():
            raise RevertRefused(
                "Not reverted: that version has no citation, and a published record needs "
                "one. " + NO_CITATION_MESSAGE
            )
        when = date_format(localtime(historic.history_date), "DATETIME_FORMAT")
        review.note_relations(record, f"Reverted to the version of {when}")

    def has_publish_permission(self, request):
        return workflow.may_move(
            request.user, self.model, EditorialStatus.DRAFT, EditorialStatus.PUBLISHED
        )

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


MAX_TEXT_BYTES = 2_000_000


class SourceAdminForm(SupportingAdminForm):
    """A source, with its full text uploaded as a plain-text file and kept privately."""

    text_file = forms.FileField(
        label="Full text",
        required=False,
        help_text="A UTF-8 plain-text file of the whole source. It is kept privately, never "
        "shown or exported, and used to check that citations quote it verbatim.",
    )
    remove_text = forms.BooleanField(label="Remove the stored text", required=False)

    def clean_text_file(self):
        upload = self.cleaned_data.get("text_file")
        if not upload:
            return None
        if upload.size > MAX_TEXT_BYTES:
            raise ValidationError(
                f"The text is {upload.size:,} bytes; at most {MAX_TEXT_BYTES:,} are taken."
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "The file is not UTF-8 plain text. Save it as UTF-8 text (.txt) and upload it "
                "again."
            ) from exc
        if "\x00" in text or not text.strip():
            raise ValidationError("The file holds no readable text.")
        return {"name": upload.name[:255], "text": text}


@admin.register(Source)
class SourceAdmin(SupportingAdmin):
    form = SourceAdminForm
    ordering = ["authors", "title"]
    list_display = ["title", "authors", "publisher", "year", "kind", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "publisher", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["stored_text"]
    fieldsets = [
        (None, {"fields": ["slug", "authors", "title", "publisher", ("year", "month", "day")]}),
        (None, {"fields": ["url", "kind", "note", "version"]}),
        (
            "Checking quotes against the source",
            {"fields": ["stored_text", "text_file", "remove_text"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="Stored text")
    def stored_text(self, obj):
        row = SourceText.objects.filter(source=obj).defer("text").first() if obj.pk else None
        if row is None:
            return "None: quotes from this source are not checked."
        when = date_format(localtime(row.uploaded_at), "DATETIME_FORMAT")
        return f"{row.file_name or 'A text'}, uploaded {when}."

    def save_model(self, request, obj, form, change):
        # Runs inside the admin's transaction: the source and its text are saved together.
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("text_file")
        if upload:
            SourceText.objects.update_or_create(
                source=obj, defaults={"text": upload["text"], "file_name": upload["name"]}
            )
        elif form.cleaned_data.get("remove_text"):
            SourceText.objects.filter(source=obj).delete()

    @admin.display(ordering="citation_count")
    def citation_count(self, obj):
        return obj.citation_count


# --- Tags: django-taggit's model, so the version check is a token of the loaded values -----


def tag_token(name: str, slug: str) -> str:
    return hashlib.sha256(json.dumps([name, slug]).encode()).hexdigest()


class TagAdminForm(forms.ModelForm):
    """Carries a token of the name and slug the editor started from; a stale save is refused."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    request_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["token"] = self._live_token(Tag.objects)

    def _live_token(self, manager):
        row = manager.filter(pk=self.instance.pk).values_list("name", "slug").first()
        return tag_token(*row) if row else None

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Locked until this save commits, so nobody slips in between check and write.
        if cleaned.get("token") != self._live_token(Tag.objects.select_for_update()):
            raise ValidationError(conflict_message(self.instance, "tag"), code="conflict")
        refuse_change_if_shown(self)
        return cleaned


def tagged_models() -> list:
    return [m for m in workflow.editorial_models() if workflow._has_field(m, "tags")]


def tagged_names() -> str:
    """The kinds of record that take tags ("a, b and c"), for a message."""
    names = [str(m._meta.verbose_name_plural) for m in tagged_models()]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


class TaggedItemFormSet(BaseInlineFormSet):
    """Refuses to tag or untag a published record unless the user may change it."""

    request_user = None

    def clean(self):
        super().clean()
        if any(self.errors) or self.request_user is None:
            return
        for form in self.forms:
            if not form.has_changed() and not self._should_delete_form(form):
                continue
            targets = [self._target(form.cleaned_data)]
            if form.instance.pk:
                targets.append(self._target(form.initial))
            for target in targets:
                if target is not None and not workflow.may_change(self.request_user, target):
                    raise ValidationError(
                        "Only reviewers can change the tags of a published record. Tag "
                        "drafts here or on their own page, or ask a reviewer."
                    )

    @staticmethod
    def _target(data):
        content_type, object_id = data.get("content_type"), data.get("object_id")
        if content_type is None or object_id is None:
            return None
        if not isinstance(content_type, ContentType):
            content_type = ContentType.objects.get_for_id(content_type)
        model = content_type.model_class()
        if model is None or model not in tagged_models():
            raise ValidationError(f"Tags go on {tagged_names()} only.")
        record = model._base_manager.filter(pk=object_id).first()
        if record is None:
            raise ValidationError(f"There is no {model._meta.verbose_name} {object_id}.")
        return record


class TaggedItemInline(TaggitTaggedItemInline):
    formset = TaggedItemFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[ContentType.objects.get_for_model(m).pk for m in tagged_models()]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(SupportingAdmin, TaggitTagAdmin):
    form = TagAdminForm
    inlines = [TaggedItemInline]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.may_merge_tags(request.user):
            actions.pop("render_tag_form", None)
        return actions

    def merge_tags_view(self, request):
        if not workflow.may_merge_tags(request.user):
            raise PermissionDenied
        return super().merge_tags_view(request)


# --- The review queue -------------------------------------------------------------------------


def _queue_target(request, key: str):
    """The record or proposal a queue button names, as "<app>.<model>-<pk>" or "proposal-<pk>"."""
    kind, _, pk = key.rpartition("-")
    if not _is_whole_number(pk):
        raise BadRequest("No such item in the queue.")
    if kind == "proposal":
        proposal = ChangeProposal.objects.filter(pk=int(pk)).first()
        if proposal is None:
            raise Http404("No such proposal.")
        return proposal.content_type.model_class(), proposal
    models_ = {m._meta.label_lower: m for m in editorial_models()}
    if kind not in models_:
        raise BadRequest("No such item in the queue.")
    record = models_[kind]._base_manager.filter(pk=int(pk)).first()
    if record is None:
        raise Http404("No such record.")
    return models_[kind], record


def _decide(request):
    """Carry out a reviewer's decision; return (message, level)."""
    model, target = _queue_target(request, request.POST.get("item", ""))
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    if not can_publish(request.user, model):
        raise PermissionDenied("Only reviewers decide on what awaits review.")
    if isinstance(target, ChangeProposal):
        record = target.target
        if decision == "accept":
            review.accept(target, request.user)
            return f"The change to “{record}” is published.", messages.SUCCESS
        if decision == "send_back":
            review.send_back_proposal(target, request.user, comment)
            return f"The change to “{record}” was sent back to its author.", messages.SUCCESS
        raise BadRequest("Unknown decision.")
    version = request.POST.get("version", "")
    if not _is_whole_number(version) or int(version) != target.version:
        raise ValidationError(conflict_message(target), code="conflict")
    if target.editorial_status != EditorialStatus.IN_REVIEW:
        raise ValidationError(f"“{target}” is no longer in review.")
    if decision == "publish":
        target._history_user = request.user
        target.move_to(EditorialStatus.PUBLISHED, request.user)
        return f"“{target}” is published.", messages.SUCCESS
    if decision == "send_back":
        review.send_back(target, request.user, comment)
        return f"“{target}” was sent back to its editor as a draft.", messages.SUCCESS
    raise BadRequest("Unknown decision.")


def review_queue_view(request):
    """Every record in review and every proposed change, oldest first, with its diff."""
    allowed = [
        m
        for m in editorial_models()
        if request.user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
    ]
    if not allowed:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        try:
            with transaction.atomic():
                text, level = _decide(request)
        except ValidationError as exc:
            text, level = " ".join(exc.messages), messages.ERROR
            status = 409 if getattr(exc, "code", None) == "conflict" else 400
        except ConcurrentEditError as exc:
            text, level = f"{exc} Nothing was changed.", messages.ERROR
            status = 409
        messages.add_message(request, level, text)
        if status == 200:
            return HttpResponseRedirect(reverse("admin:review_queue"))
    items = review.queue(allowed)
    for item in items:
        item.may_decide = can_publish(request.user, item.model)
        item.change_url = reverse(
            f"admin:{item.model._meta.app_label}_{item.model._meta.model_name}_change",
            args=[item.record.pk],
        )
    context = {
        **admin.site.each_context(request),
        "title": "Awaiting review",
        "items": items,
    }
    return TemplateResponse(request, "admin/review_queue.html", context, status=status)


_site_urls = admin.site.get_urls


def _urls_with_queue():
    queue_url = path("review/", admin.site.admin_view(review_queue_view), name="review_queue")
    return [queue_url, *_site_urls()]


# The queue belongs to no one model: an extra page of the admin site itself.
admin.site.get_urls = _urls_with_queue
