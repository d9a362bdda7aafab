"""The admin staff use: every model registered, every page renders, only staff get in."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.content import content_models
from rankings.models import RankingResult


def test_every_content_model_is_registered():
    unregistered = [model.__name__ for model in content_models() if not admin.site.is_registered(model)]
    assert unregistered == []


@pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
def test_every_changelist_and_add_form_renders(admin_client, shipped_data, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200
    first = model._default_manager.first()
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    assert change.status_code == 200


def clone(obj, number):
    """A copy of ``obj`` with its unique fields made unique again."""
    copy = type(obj)._default_manager.get(pk=obj.pk)
    copy.pk = copy.id = None
    for field in copy._meta.fields:
        if (field.unique or field.name == "name") and not field.primary_key:
            value = getattr(copy, field.attname)
            if field.name == "code":
                setattr(copy, field.attname, "Q" + chr(ord("A") + number))
            elif isinstance(value, str):
                setattr(copy, field.attname, f"{value}-copy-{number}"[: field.max_length])
    if hasattr(copy, "edition"):
        copy.edition = 1900 + number
    copy.save()
    return copy


def changelist_queries(admin_client, model):
    opts = model._meta
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", content_models(), ids=lambda model: model.__name__)
def test_changelists_do_not_query_per_row(admin_client, shipped_data, model):
    before = changelist_queries(admin_client, model)
    first = model._default_manager.first()
    for number in range(12):
        clone(first, number)
    assert changelist_queries(admin_client, model) == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_non_staff_account_cannot_enter_the_admin(client, django_user_model):
    django_user_model.objects.create_user("reader", password="correct horse battery")
    client.login(username="reader", password="correct horse battery")
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_rank_of_zero_in_the_admin_form_is_refused_and_nothing_is_saved(admin_client, make_result):
    result = make_result(rank=6, cities_ranked=42)
    url = reverse("admin:rankings_rankingresult_change", args=[result.pk])
    data = {
        "index": result.index.pk,
        "edition": 2016,
        "edition_label": "",
        "scope": "world",
        "rank": 0,
        "cities_ranked": 42,
        "status": "published",
        "page_claim": "",
        "source": "s",
        "as_of": "2017-03-31",
        "note": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    result.refresh_from_db()
    assert result.rank == 6
    assert RankingResult.objects.count() == 1


def test_case_admin_offers_view_on_site(admin_client, make_case):
    case = make_case("bangkok-card")
    response = admin_client.get(reverse("admin:projects_case_change", args=[case.pk]))
    assert "View on site" in response.content.decode()
