"""Revisions of live rows: take a snapshot of an edited row, compare it with the live one, publish it.

Status and publication dates are not part of a revision: publishing is the Publisher's act, not the edit's.
"""

from django.db import transaction
from django.utils import timezone

from core.models import Revision, RevisionState

NOT_REVISED = {"status", "first_published_at", "last_published_at", "go_live_at"}


def revised_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in NOT_REVISED
    ]


def many_fields(model):
    return [field for field in model._meta.many_to_many if field.editable]


def snapshot(obj, many=None):
    """{field name: value} of ``obj`` as it stands in memory; ``many`` gives the many-to-many values
    ({name: iterable of rows or primary keys}), else they are read from the database."""
    data = {field.attname: field.value_from_object(obj) for field in revised_fields(type(obj))}
    for field in many_fields(type(obj)):
        values = many[field.name] if many is not None and field.name in many else getattr(obj, field.name).all()
        data[field.name] = sorted(getattr(value, "pk", value) for value in values)
    return data


def submit(obj, form, user, reason):
    """A pending revision of the live row ``obj`` (edited in memory, not saved); older pending revisions of
    the same row are superseded: the reviewer sees one proposal per row, the newest."""
    many = {
        field.name: form.cleaned_data[field.name] for field in many_fields(type(obj)) if field.name in form.cleaned_data
    }
    with transaction.atomic():
        older = Revision.objects.for_object(obj).pending()
        older.update(state=RevisionState.SUPERSEDED)
        return Revision.objects.create(target=obj, data=snapshot(obj, many), author=user, reason=reason)


def apply(revision, obj):
    """Put the revision's values on ``obj`` in memory; many-to-many values are placed in the prefetch
    cache, so that ``obj.<relation>.all()`` shows them without writing anything."""
    model = type(obj)
    for field in revised_fields(model):
        if field.attname in revision.data:
            setattr(obj, field.attname, field.to_python(revision.data[field.attname]))
    cache = getattr(obj, "_prefetched_objects_cache", {})
    for field in many_fields(model):
        if field.name in revision.data:
            cache[field.name] = field.related_model._default_manager.filter(pk__in=revision.data[field.name])
    obj._prefetched_objects_cache = cache
    return obj


def reviews_anything(user):
    """Whether ``user`` may publish some kind of content, and so reviews revisions."""
    return user.is_active and any(perm.split(".")[1].startswith("publish_") for perm in user.get_all_permissions())


def pending_count(user):
    """How many revisions await review: every pending one for a reviewer, else the user's own."""
    queryset = Revision.objects.pending()
    if not reviews_anything(user):
        queryset = queryset.filter(author=user)
    return queryset.count()


def previewed(request, obj):
    """``obj`` with the revision named by ``?revision=`` put on it (in memory), and that revision; for the
    staff-only preview pages. Without one, or with one of another row, ``obj`` as it is and None."""
    number = request.GET.get("revision", "")
    revision = Revision.objects.for_object(obj).filter(pk=number).first() if number.isdigit() else None
    return (apply(revision, obj), revision) if revision is not None else (obj, None)


def live_object(revision):
    return revision.content_type.get_object_for_this_type(pk=revision.object_id)


def display(field, value):
    """A value as staff read it: choices by label, relations by name, empty as an em dash."""
    if field.many_to_many:
        names = [str(row) for row in field.related_model._default_manager.filter(pk__in=value or [])]
        return ", ".join(sorted(names)) or "—"
    if value in (None, ""):
        return "—"
    if field.is_relation:
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def diff(revision, obj=None):
    """The changed fields, English and Korean twins side by side: a list of rows
    {"label", "old", "new", "old_ko", "new_ko", "paired"} (the "_ko" keys only where the field has a twin)."""
    obj = obj if obj is not None else live_object(revision)
    model = type(obj)
    live = snapshot(obj)
    fields = {field.attname: field for field in revised_fields(model)} | {f.name: f for f in many_fields(model)}
    changed = {
        name
        for name, field in fields.items()
        if name in revision.data and _normal(field, revision.data[name]) != _normal(field, live.get(name))
    }
    rows = []
    for name, field in fields.items():
        if name.endswith("_ko") and name[:-3] in fields:
            continue  # shown beside its English twin
        twin = fields.get(f"{name}_ko")
        if name not in changed and (twin is None or twin.attname not in changed):
            continue
        row = {"label": str(field.verbose_name), "paired": twin is not None}
        row["old"], row["new"] = display(field, live.get(name)), display(field, revision.data.get(name))
        row["changed"] = name in changed
        if twin is not None:
            row["old_ko"], row["new_ko"] = (
                display(twin, live.get(twin.attname)),
                display(twin, revision.data.get(twin.attname)),
            )
            row["changed_ko"] = twin.attname in changed
        rows.append(row)
    return rows


def _normal(field, value):
    if field.many_to_many:
        return sorted(value or [])
    return field.to_python(value) if value is not None else None


def publish(revision, reviewer, comment):
    """Write the revision onto the live row, in the history with the reviewer and the comment."""
    with transaction.atomic():
        obj = apply(revision, live_object(revision))
        obj._prefetched_objects_cache = {}
        obj._history_user = reviewer
        proposed = f" ({revision.reason})" if revision.reason else ""
        obj._change_reason = f"Published revision #{revision.pk} by {revision.author}{proposed}: {comment}"
        if hasattr(obj, "mark_published") and obj.is_published:
            obj.mark_published()
        obj.save()
        for field in many_fields(type(obj)):
            if field.name in revision.data:
                getattr(obj, field.name).set(revision.data[field.name])
        _close(revision, RevisionState.PUBLISHED, reviewer, comment)
    return obj


def reject(revision, reviewer, comment):
    _close(revision, RevisionState.REJECTED, reviewer, comment)


def _close(revision, state, reviewer, comment):
    revision.state = state
    revision.reviewer = reviewer
    revision.reviewed_at = timezone.now()
    revision.review_comment = comment
    revision.save(update_fields=["state", "reviewer", "reviewed_at", "review_comment"])
