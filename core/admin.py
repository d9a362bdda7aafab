"""Admin pieces shared by every content app: the provenance fieldset, reasons, drafts and review.

- ``ContentAdmin`` (every content model): each change may carry a reason, kept in the history; reverting
  to an earlier version needs the change permission (django-simple-history's revert view lets a view-only
  account save) and a reason.
- ``PublishableAdmin`` (rows with a status): Editors write drafts; only users with the model's
  ``publish_<model>`` permission (the Publishers group) change the status, in the form or with the bulk
  actions. An Editor's change to a published row is not written: it becomes a pending revision
  (core.models.Revision) for a Publisher to publish or reject in the review queue (``RevisionAdmin``).
  "View on site" of a draft opens its staff-only preview.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core import revisions
from core.content import Status
from core.models import Revision, RevisionState

# Where a record comes from, English and Korean side by side.
PROVENANCE_FIELDSET = (_("Provenance"), {"fields": (("source", "source_ko"), "as_of", ("note", "note_ko"))})
REASON_FIELDSET = (_("Reason for this change"), {"fields": ("change_reason",)})


def publish_permission(opts):
    return f"{opts.app_label}.publish_{opts.model_name}"


class ReasonForm(forms.ModelForm):
    """Every admin form of content asks why; the answer goes into the history."""

    change_reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Why this change: kept in the history, and shown to the publisher who reviews it."),
    )

    def __init__(self, *args, require_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        if require_reason:
            self.fields["change_reason"].required = True


class ContentAdmin(SimpleHistoryAdmin):
    """The admin of every content model: a reason with each change; reverts need change permission."""

    form = ReasonForm
    history_list_display = ["event"]

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name != "change_reason"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A date-and-time field is two inputs under one label: each input is named for assistive technology."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            for widget, part in zip(getattr(formfield.widget, "widgets", ()), (_("date"), _("time")), strict=False):
                widget.attrs["aria-label"] = f"{capfirst(db_field.verbose_name)}: {part}"
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        writes = self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)
        return [*fieldsets, REASON_FIELDSET] if writes else fieldsets  # no bare input on a read-only page

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "")
        prefix = getattr(request, "_history_revert", None)
        obj._change_reason = f"{prefix}: {reason}" if prefix else reason or None
        super().save_model(request, obj, form, change)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting writes: it needs the change permission, like the change form, and a reason."""
        obj = get_object_or_404(self.model._default_manager, pk=unquote(object_id))
        if request.method == "POST":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            record = get_object_or_404(obj.history.model, pk=version_id, **{self.model._meta.pk.attname: obj.pk})
            request._history_revert = f"Revert to the version of {record.history_date:%Y-%m-%d %H:%M}"
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        required = bool(getattr(request, "_history_revert", None))
        initial = getattr(request, "_amending_initial", None)
        if not required and initial is None:
            return form

        class Form(form):
            def __init__(self, *args, **kw):
                if initial is not None:
                    kw["initial"] = {**initial, **kw.get("initial", {})}
                super().__init__(*args, require_reason=required, **kw)

        return Form

    @admin.display(description=_("event"))
    def event(self, record):
        reason = record.history_change_reason or ""
        for prefix, label in EVENTS:
            if reason.startswith(prefix):
                return label
        return record.get_history_type_display()


EVENTS = [
    ("Revert", _("Revert")),
    ("Published revision", _("Revision published")),
    ("Bulk action: published", _("Published")),
    ("Bulk action: draft", _("Unpublished")),
    ("Scheduled publication", _("Published as scheduled")),
    ("import_fixtures", _("Import")),
]


class StatusGuard:
    """For model admins and inlines: the status is read-only to those who may not publish.

    New rows then keep the model's default status, draft.
    """

    def has_publish_permission(self, request):
        return request.user.has_perm(publish_permission(self.opts))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("status")
            if any(field.name == "go_live_at" for field in self.model._meta.fields):
                readonly.append("go_live_at")
        return readonly


class PublishableAdmin(StatusGuard, ContentAdmin):
    actions = ["publish", "unpublish"]
    change_form_template = "admin/core/publishable_change_form.html"
    preview_url_name = None  # e.g. "projects:case_preview"; None where the model has no page of its own

    def view_on_site(self, obj):
        if obj.is_published or not self.preview_url_name:
            return obj.get_absolute_url()
        try:
            return reverse(self.preview_url_name, args=[obj.slug])
        except NoReverseMatch:
            return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """``?amend=<revision>`` opens the form with that revision's values, to change and submit again."""
        amend = request.GET.get("amend")
        if object_id and amend and amend.isdigit():
            revision = Revision.objects.filter(pk=amend, object_id=unquote(object_id)).first()
            if revision is not None and (revision.author_id == request.user.pk or self.has_publish_permission(request)):
                request._amending_initial = {
                    **{field.name: revision.data.get(field.attname) for field in revisions.revised_fields(self.model)},
                    **{field.name: revision.data.get(field.name, []) for field in revisions.many_fields(self.model)},
                    "change_reason": revision.reason,
                }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context["pending_revisions"] = Revision.objects.for_object(obj).pending().select_related("author")
            extra_context["needs_review"] = obj.is_published and not self.has_publish_permission(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def goes_to_review(self, request, obj, change):
        """An Editor's change to a row that is live now: a revision, not a write."""
        if not change or self.has_publish_permission(request):
            return False
        return type(obj)._default_manager.filter(pk=obj.pk, status=Status.PUBLISHED).exists()

    def save_model(self, request, obj, form, change):
        """Whoever may not publish never changes the status, through a form or a history revert.

        A revert saves a whole earlier version, its status included; keep the status the row has now.
        """
        if change and not self.has_publish_permission(request):
            current = type(obj)._default_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
            obj.status = current or Status.DRAFT
            if obj.go_live_at is not None:  # the schedule was a publisher's review of the draft as it was
                obj.go_live_at = None
                self.message_user(
                    request,
                    _("Your change cancels the scheduled publication of “%(obj)s”: a publisher must review it again.")
                    % {"obj": obj},
                    messages.WARNING,
                )
        if self.goes_to_review(request, obj, change):
            reason = form.cleaned_data.get("change_reason", "")
            prefix = getattr(request, "_history_revert", None)
            request._revision = revisions.submit(obj, form, request.user, f"{prefix}: {reason}" if prefix else reason)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_revision", None) is None:
            super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if getattr(request, "_revision", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        revision = getattr(request, "_revision", None)
        if revision is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _(
                "“%(obj)s” is published, so your change awaits a publisher's review. "
                "The public sees the published version until then."
            )
            % {"obj": obj},
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:core_revision_change", args=[revision.pk]))

    def _set_status(self, request, queryset, status):
        changed = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj._change_reason = f"Bulk action: {status}"
            obj._history_user = request.user
            obj.save(update_fields=["status"])  # one by one, so that each change is in the history
            changed += 1
        return changed

    @admin.action(description=_("Publish the selected rows"), permissions=["publish"])
    def publish(self, request, queryset):
        changed = self._set_status(request, queryset, Status.PUBLISHED)
        message = ngettext("%(count)d row published.", "%(count)d rows published.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected rows (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = self._set_status(request, queryset, Status.DRAFT)
        message = ngettext("%(count)d row set back to draft.", "%(count)d rows set back to draft.", changed)
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)


def pending_queue_url():
    return reverse("admin:core_revision_changelist") + f"?state__exact={RevisionState.PENDING}"


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: kept in the history; the editor reads it on a rejection."),
    )


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The review queue (the admin home links to its pending ones): Publishers see everyone's revisions,
    Editors their own, with the reviewer's comment on those rejected."""

    list_display = ["summary", "kind", "author", "created_at", "reason", "state"]
    list_filter = ["state", ("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["author", "content_type"]
    change_form_template = "admin/core/revision/review.html"

    @staticmethod
    def may_review(user, revision):
        return user.has_perm(publish_permission(revision.content_type.model_class()._meta))

    reviews_anything = staticmethod(revisions.reviews_anything)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.reviews_anything(request.user):
            return queryset
        return queryset.filter(author=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if not (request.user.is_active and request.user.is_staff):
            return False
        return obj is None or obj.author_id == request.user.pk or self.may_review(request.user, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("row"))
    def summary(self, revision):
        return str(revision.target) if revision.target is not None else f"#{revision.object_id}"

    @admin.display(description=_("kind of content"), ordering="content_type")
    def kind(self, revision):
        return revision.content_type.model_class()._meta.verbose_name

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:revision_id>/publish/",
                wrap(self.review_action),
                {"action": "publish"},
                name="core_revision_publish",
            ),
            path(
                "<int:revision_id>/reject/", wrap(self.review_action), {"action": "reject"}, name="core_revision_reject"
            ),
            path(
                "<int:revision_id>/withdraw/",
                wrap(self.review_action),
                {"action": "withdraw"},
                name="core_revision_withdraw",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = get_object_or_404(
            Revision.objects.select_related("author", "reviewer", "content_type"), pk=object_id
        )
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        return self.render_review(request, revision, ReviewForm())

    def render_review(self, request, revision, form, status=200):
        target = revision.target
        opts = revision.content_type.model_class()._meta
        preview = None
        preview_name = getattr(self.admin_site._registry.get(type(target)), "preview_url_name", None)
        if target is not None and preview_name:
            preview = reverse(preview_name, args=[target.slug]) + f"?revision={revision.pk}"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review: %(row)s") % {"row": target},
            "opts": self.model._meta,
            "target_opts": opts,
            "revision": revision,
            "target": target,
            "rows": revisions.diff(revision, target) if target is not None else [],
            "form": form,
            "may_review": revision.is_pending and self.may_review(request.user, revision),
            "is_author": revision.author_id == request.user.pk,
            "preview_url": preview,
            "amend_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[revision.object_id])
            + f"?amend={revision.pk}",
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[revision.object_id]),
        }
        return TemplateResponse(request, self.change_form_template, context, status=status)

    def review_action(self, request, revision_id, action):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:core_revision_change", args=[revision_id]))
        revision = get_object_or_404(Revision.objects.select_related("content_type"), pk=revision_id)
        if action == "withdraw":
            if revision.author_id != request.user.pk:
                raise PermissionDenied
            if revision.is_pending:
                revision.state = RevisionState.WITHDRAWN
                revision.save(update_fields=["state"])
                self.message_user(request, _("Your change was withdrawn."), messages.SUCCESS)
            return HttpResponseRedirect(pending_queue_url())
        if not self.may_review(request.user, revision):
            raise PermissionDenied
        if not revision.is_pending:
            self.message_user(request, _("This revision is no longer awaiting review."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:core_revision_change", args=[revision.pk]))
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return self.render_review(request, revision, form, status=400)
        comment = form.cleaned_data["comment"]
        if action == "publish":
            revisions.publish(revision, request.user, comment)
            self.message_user(request, _("The change is published."), messages.SUCCESS)
        else:
            revisions.reject(revision, request.user, comment)
            self.message_user(request, _("The change is rejected; its author sees your comment."), messages.SUCCESS)
        return HttpResponseRedirect(pending_queue_url())
