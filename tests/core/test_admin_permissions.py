"""Nobody writes without the change permission: every admin POST address of every content model, tried
by a staff account that may only view. Each answers 403 (or refuses without writing) and no row changes."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core import serializers
from django.urls import reverse

from core.content import content_models
from core.models import Revision
from core.revisions import many_fields, revised_fields


def table(model):
    """Every row of ``model`` and of its history, as text: what must not change."""
    rows = serializers.serialize("json", model._default_manager.order_by("pk"))
    return rows, model.history.count()


def form_data(obj, **changes):
    """The admin form of ``obj`` as posted, every field changed where a string can be."""
    data = {}
    for field in revised_fields(type(obj)):
        value = field.value_from_object(obj)
        data[field.name] = "" if value is None else value
    for field in many_fields(type(obj)):
        data[field.name] = [row.pk for row in getattr(obj, field.name).all()]
    if hasattr(obj, "status"):
        data["status"] = obj.status
    for name in ("name", "title", "label", "note"):
        if name in data:
            data[name] = f"{data[name]} (rewritten by a viewer)"
    data["change_reason"] = "A viewer tries"
    data.update(changes)
    return data


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-12345", is_staff=True)
    codenames = [f"view_{model._meta.model_name}" for model in content_models()]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def post_addresses(model, obj, history_id):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{name}_changelist")
    model_admin = admin.site._registry[model]
    addresses = [
        ("add", reverse(f"{name}_add"), form_data(obj, slug="viewer-copy")),
        ("change", reverse(f"{name}_change", args=[obj.pk]), form_data(obj)),
        ("delete", reverse(f"{name}_delete", args=[obj.pk]), {"post": "yes"}),
        ("revert", reverse(f"{name}_simple_history", args=[obj.pk, history_id]), form_data(obj)),
        ("bulk delete", changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}),
    ]
    for action in ("publish", "unpublish"):
        if action in (model_admin.actions or []):
            addresses.append((f"bulk {action}", changelist, {"action": action, "_selected_action": [obj.pk]}))
    if model_admin.list_editable:
        data = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": obj.pk, "_save": "Save"}
        data.update({f"form-0-{field}": 999 for field in model_admin.list_editable})
        addresses.append(("list editable", changelist, data))
    return addresses


REGISTERED = [model for model in content_models() if model in admin.site._registry]


def test_every_content_model_is_tried():
    assert {model.__name__ for model in REGISTERED} >= {"Case", "City", "Sector", "RankingResult", "Country"}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_a_view_only_account_writes_nothing_through_any_admin_post(client, shipped_data, viewer, model):
    obj = model._default_manager.order_by("pk").first()
    obj._change_reason = "A version to revert to"
    obj.save()  # a real history record (the fixtures load without history)
    history_id = obj.history.latest("history_date").history_id
    before = table(model)
    client.force_login(viewer)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    for what, url, data in post_addresses(model, obj, history_id):
        response = client.post(url, data)
        if what in ("add", "change", "delete", "revert", "list editable"):
            assert response.status_code == 403, (what, url, response.status_code)
        else:  # an action the account does not have is not offered: the list comes back, nothing done
            assert response.status_code in (200, 302, 403), (what, url, response.status_code)
        assert table(model) == before, f"{what} at {url} wrote"
    assert Revision.objects.count() == 0


def test_a_view_only_account_cannot_publish_or_reject_a_revision(client, viewer, make_case, django_user_model):
    case = make_case("live", title="Live title")
    author = django_user_model.objects.create_user("author", is_staff=True)
    revision = Revision.objects.create(target=case, data={"title": "Proposed"}, author=author, reason="r")
    client.force_login(viewer)
    for action in ("publish", "reject", "withdraw"):
        response = client.post(reverse(f"admin:core_revision_{action}", args=[revision.pk]), {"comment": "no"})
        assert response.status_code == 403, action
    revision.refresh_from_db()
    case.refresh_from_db()
    assert revision.is_pending and case.title == "Live title"
    assert client.get(reverse("admin:core_revision_change", args=[revision.pk])).status_code == 403
