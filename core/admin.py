"""Admin pieces shared by every content app: the provenance fieldset, drafts and review.

Editors write drafts; only users with the model's ``publish_<model>`` permission (the Publishers
group) can change the status, in the form or with the bulk actions. "View on site" of a draft
opens its staff-only preview.
"""

from django.contrib import admin, messages
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.content import Status

# Where a record comes from, English and Korean side by side.
PROVENANCE_FIELDSET = (_("Provenance"), {"fields": (("source", "source_ko"), "as_of", ("note", "note_ko"))})


def publish_permission(opts):
    return f"{opts.app_label}.publish_{opts.model_name}"


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
        return readonly


class PublishableAdmin(StatusGuard, SimpleHistoryAdmin):
    actions = ["publish", "unpublish"]
    preview_url_name = None  # e.g. "projects:case_preview"; None where the model has no page of its own

    def view_on_site(self, obj):
        if obj.is_published or not self.preview_url_name:
            return obj.get_absolute_url()
        try:
            return reverse(self.preview_url_name, args=[obj.slug])
        except NoReverseMatch:
            return None

    def save_model(self, request, obj, form, change):
        """Whoever may not publish never changes the status, through a form or a history revert.

        A revert saves a whole earlier version, its status included; keep the status the row has now.
        """
        if change and not self.has_publish_permission(request):
            current = type(obj)._default_manager.filter(pk=obj.pk).values_list("status", flat=True).first()
            obj.status = current or Status.DRAFT
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        changed = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj._change_reason = f"Bulk action: {status}"
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
