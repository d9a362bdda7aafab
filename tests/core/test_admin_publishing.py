"""Drafts and review: editors write drafts, publishers publish, the public sees only what is published."""

import pytest
from django.urls import reverse

from core.content import Status
from projects.models import Case


@pytest.fixture
def editor(django_user_model, role):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123456", is_staff=True)
    user.groups.add(role("Editors"))
    return user


@pytest.fixture
def publisher(django_user_model, role):
    user = django_user_model.objects.create_user("publisher", password="pw-publisher-12345", is_staff=True)
    user.groups.add(role("Publishers"))
    return user


def case_form(case, **changes):
    data = {
        "title": case.title,
        "slug": case.slug,
        "summary": case.summary,
        "status": case.status,
        "sector": case.sector_id,
        "category": "",
        "kind": case.kind,
        "verification": case.verification,
        "country": case.country_id,
        "year_start": "",
        "year_end": "",
        "source": case.source,
        "as_of": case.as_of.isoformat(),
        "note": case.note,
    }
    data.update(changes)
    return data


def test_roles_exist_with_the_right_powers(editor, publisher):
    assert editor.has_perm("projects.add_case") and editor.has_perm("projects.change_case")
    assert not editor.has_perm("projects.delete_case")
    assert not editor.has_perm("projects.publish_case")
    assert not editor.has_perm("auth.change_user") and not editor.has_perm("auth.add_user")
    assert publisher.has_perm("projects.publish_case") and publisher.has_perm("projects.delete_case")
    assert publisher.has_perm("rankings.publish_rankingresult")
    assert not publisher.has_perm("auth.change_user")


def test_an_editor_cannot_publish_through_the_form(client, editor, make_case):
    case = make_case("bangkok-card", status=Status.DRAFT)
    client.force_login(editor)
    url = reverse("admin:projects_case_change", args=[case.pk])
    response = client.post(url, case_form(case, title="Edited title", status=Status.PUBLISHED))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Edited title"
    assert case.status == Status.DRAFT


def test_a_case_an_editor_adds_is_a_draft(client, editor, make_case):
    template = make_case("template")
    client.force_login(editor)
    data = case_form(template, title="New case", slug="new-case", status=Status.PUBLISHED)
    response = client.post(reverse("admin:projects_case_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(slug="new-case").status == Status.DRAFT
    assert client.get(reverse("projects:case_detail", args=["new-case"])).status_code == 404


def test_only_publishers_get_the_publish_actions(client, editor, publisher, make_case):
    make_case("bangkok-card")
    url = reverse("admin:projects_case_changelist")
    client.force_login(editor)
    assert 'value="publish"' not in client.get(url).content.decode()
    client.force_login(publisher)
    assert 'value="publish"' in client.get(url).content.decode()


def test_publishing_in_bulk_makes_cases_public_and_records_history(client, publisher, make_case):
    drafts = [make_case(f"draft-{n}", status=Status.DRAFT) for n in range(2)]
    client.force_login(publisher)
    response = client.post(
        reverse("admin:projects_case_changelist"),
        {"action": "publish", "_selected_action": [case.pk for case in drafts]},
    )
    assert response.status_code == 302
    for case in drafts:
        case.refresh_from_db()
        assert case.status == Status.PUBLISHED
        assert case.history.first().status == Status.PUBLISHED
        assert case.history.first().history_user == publisher
        assert client.get(case.get_absolute_url()).status_code == 200


def test_an_editor_cannot_post_the_publish_action(client, editor, make_case):
    draft = make_case("draft", status=Status.DRAFT)
    client.force_login(editor)
    client.post(reverse("admin:projects_case_changelist"), {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_unpublishing_hides_a_case_again(client, publisher, make_case):
    case = make_case("public")
    client.force_login(publisher)
    client.post(reverse("admin:projects_case_changelist"), {"action": "unpublish", "_selected_action": [case.pk]})
    client.logout()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_the_public_cannot_see(client, editor, make_case, make_city):
    case = make_case("secret", title="Secret draft case", status=Status.DRAFT)
    city = make_city("secret-city", status=Status.DRAFT)
    for obj, name in ((case, "projects:case_preview"), (city, "projects:city_preview")):
        preview = reverse(name, args=[obj.slug])
        assert client.get(preview).status_code == 302  # anonymous: to the admin login
        assert client.get(obj.get_absolute_url()).status_code == 404
        client.force_login(editor)
        response = client.get(preview)
        assert response.status_code == 200
        assert "Staff preview" in response.content.decode()
        assert '<meta name="robots" content="noindex">' in response.content.decode()
        client.logout()


def test_view_on_site_of_a_draft_opens_its_preview(admin_client, make_case):
    case = make_case("secret", status=Status.DRAFT)
    html = admin_client.get(reverse("admin:projects_case_change", args=[case.pk])).content.decode()
    assert f'href="{reverse("projects:case_preview", args=["secret"])}"' in html


def test_status_is_a_changelist_filter(admin_client, make_case):
    make_case("public", title="Public case")
    make_case("secret", title="Secret case", status=Status.DRAFT)
    html = admin_client.get(reverse("admin:projects_case_changelist") + "?status__exact=draft").content.decode()
    assert "Secret case" in html and "Public case" not in html


def test_history_of_a_case_and_revert(admin_client, make_case):
    case = make_case("bangkok-card", title="First title")
    admin_client.post(reverse("admin:projects_case_change", args=[case.pk]), case_form(case, title="Second title"))
    case.refresh_from_db()
    assert case.title == "Second title"
    history_url = reverse("admin:projects_case_history", args=[case.pk])
    html = admin_client.get(history_url).content.decode()
    assert "First title" in html and "Second title" in html
    first = case.history.get(title="First title")
    revert_url = reverse("admin:projects_case_simple_history", args=[case.pk, first.history_id])
    refused = admin_client.post(revert_url, case_form(case, title=first.title))  # a revert needs a reason
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    case.refresh_from_db()
    assert case.title == "Second title"
    response = admin_client.post(revert_url, case_form(case, title=first.title, change_reason="Wrong title"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == first.title
    assert case.history.first().history_change_reason.endswith(": Wrong title")
    html = admin_client.get(history_url).content.decode()
    assert "Revert to the version of" in html and ">Revert<" in html
