"""``check_data`` and the admin consistency page: what does not add up, each with the page that fixes it."""

import pytest
from django.contrib import admin
from django.core.management import CommandError
from django.urls import path, resolve, reverse

from core.content import Status
from dataio import admin_views
from dataio.consistency import CHECKS, find_notes, find_problems
from projects.models import Case
from rankings.models import RankingResult
from tests.dataio.conftest import run

# The routes of seoul_diplomacy/urls.py that the page needs, with the line that adds it.
urlpatterns = [
    path("admin/consistency/", admin_views.consistency_report, name="consistency_report"),
    path("admin/", admin.site.urls),
]


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def check_titled(title):
    return next(check for check in CHECKS if check.title == title)


@pytest.fixture
def sector(make_sector):
    return make_sector("waterworks", name="Waterworks", declared_case_count=2)


def documented_over_declared(sector, make_case, make_category, **_):
    make_case(sector=sector)
    make_case(sector=sector)
    make_case(sector=sector, status=Status.DRAFT)  # drafts are not documented: 2 of 2 is fine
    make_case(sector=sector)
    return sector, "Sector “Waterworks” documents 3 published cases but declares 2."


def category_documented_over_declared(sector, make_case, make_category, **_):
    category = make_category("pipes", sector=sector, name="Pipes", declared_case_count=1)
    make_case(sector=sector, category=category)
    make_case(sector=sector, category=category)
    return category, "Case category “Waterworks: Pipes” documents 2 published cases but declares 1."


def categories_over_sector(sector, make_category, **_):
    make_category("valves", sector=sector, name="Valves", declared_case_count=2)
    make_category("pumps", sector=sector, name="Pumps", declared_case_count=1)
    return sector, "The categories of sector “Waterworks” declare 3 cases between them, more than the sector's 2."


def city_without_coordinates(make_city, make_country, **_):
    city = make_city("nowhere", country=make_country("TH", "Thailand"), name="Nowhere")
    return city, "City “Nowhere, Thailand” has no coordinates, so it cannot appear on a map."


def published_case_with_draft_city(sector, make_case, make_city, make_country, **_):
    draft = make_city("hidden", country=make_country("TH", "Thailand"), name="Hidden", status=Status.DRAFT)
    draft.latitude, draft.longitude = 1, 1
    draft.save()
    case = make_case("shown", sector=sector, title="Shown case", cities=[draft])
    return (
        case,
        "Published case “Shown case” names the draft city “Hidden, Thailand”: "
        "publish the city or remove it from the case.",
    )


def case_in_another_sectors_category(sector, make_case, make_category, make_sector, **_):
    roads = make_category("roads", sector=make_sector("transportation", name="Transportation"), name="Roads")
    case = make_case("misfiled", sector=sector, category=roads, title="Misfiled case")
    return (
        case,
        "Published case “Misfiled case” is in sector “Waterworks” "
        "but its category “Roads” belongs to “Transportation”.",
    )


def result_without_source(make_result, **_):
    result = make_result(index_slug="gpci", edition=2016, rank=6)
    RankingResult.objects.filter(pk=result.pk).update(source="  \n")
    return result, "Ranking result “Index gpci 2016 (World): 6” has no source."


def case_without_source(sector, make_case, **_):
    case = make_case("unsourced", sector=sector, title="Unsourced case")
    Case.objects.filter(pk=case.pk).update(source="")
    return case, "Case “Unsourced case” has no source."


def english_without_korean_twin(sector, make_case, **_):
    case = make_case("half-translated", sector=sector, title="Half-translated case", summary="Seoul shared it.")
    return case, "Case “Half-translated case” has an English summary but no Korean one (summary_ko is empty)."


NOTES = {
    documented_over_declared: "Documented cases exceed the declared count",
    category_documented_over_declared: "Documented cases exceed the declared count",
}

CRAFTED = {
    categories_over_sector: "Category counts exceed their sector's",
    city_without_coordinates: "Cities without coordinates",
    published_case_with_draft_city: "Published cases with a draft city",
    case_in_another_sectors_category: "Published cases in another sector's category",
    result_without_source: "Rows without a source",
    case_without_source: "Rows without a source",
    english_without_korean_twin: "English text without its Korean twin",
}


@pytest.fixture
def craft(sector, make_case, make_category, make_city, make_country, make_sector, make_result):
    def build(recipe):
        return recipe(
            sector=sector,
            make_case=make_case,
            make_category=make_category,
            make_city=make_city,
            make_country=make_country,
            make_sector=make_sector,
            make_result=make_result,
        )

    return build


@pytest.mark.parametrize("recipe", list(CRAFTED), ids=lambda recipe: recipe.__name__)
def test_each_kind_of_problem_is_found_with_a_link_to_the_row_to_fix(craft, recipe):
    row, message = craft(recipe)
    assert [(problem.check.title, problem.message, problem.url) for problem in find_problems()] == [
        (CRAFTED[recipe], message, change_url(row))
    ]


@pytest.mark.parametrize("recipe", list(NOTES), ids=lambda recipe: recipe.__name__)
def test_a_sector_documenting_more_than_it_declares_is_a_note_not_a_problem(craft, recipe):
    """The record holds cases SMG's declared counts leave out: staff see it, nothing fails."""
    row, message = craft(recipe)
    assert find_problems() == []
    assert [(note.check.title, note.message, note.url) for note in find_notes()] == [
        (NOTES[recipe], message, change_url(row))
    ]
    out, _ = run("check_data", "--fail", verbosity=2)
    assert f"{message} See: {change_url(row)}" in out
    assert out.endswith("No problems found.\n")


def test_the_shipped_data_has_no_problems(shipped_data):
    assert find_problems() == []
    out, _ = run("check_data")
    assert out == "No problems found.\n"


def test_a_case_whose_place_is_unconfirmed_has_no_city_and_that_is_not_a_problem(sector, make_case):
    make_case("india-smart-city", sector=sector, cities=[])
    assert find_problems() == []


def test_a_consistent_split_of_a_sector_into_categories_is_not_a_problem(sector, make_category, make_case):
    pipes = make_category("pipes", sector=sector, declared_case_count=1)
    make_category("pumps", sector=sector, declared_case_count=1)
    make_case(sector=sector, category=pipes)
    make_case(sector=sector)  # 2 documented, 2 declared; 1 + 1 = 2 in the categories
    assert find_problems() == []


def test_the_command_prints_each_problem_under_its_check_and_exits_0(craft):
    city, message = craft(city_without_coordinates)
    out, _ = run("check_data")
    assert out.splitlines() == [
        "Cities without coordinates",
        f"  {message} Fix: {change_url(city)}",
        "1 problem found.",
    ]


def test_with_fail_the_command_exits_non_zero_when_there_are_problems(craft):
    craft(city_without_coordinates)
    craft(result_without_source)
    with pytest.raises(CommandError, match="^2 problems found.$"):
        run("check_data", fail=True)


def test_with_fail_the_command_exits_0_when_there_are_none(shipped_data):
    out, _ = run("check_data", fail=True)
    assert out == "No problems found.\n"


def test_the_checks_use_a_fixed_number_of_queries(craft, django_assert_max_num_queries):
    for recipe in CRAFTED:
        craft(recipe)
    # Two checks read every content table once (sources, Korean twins): about ten queries each.
    with django_assert_max_num_queries(len(CHECKS) + 20):
        problems = find_problems()
    assert len(problems) >= len(CRAFTED)


def test_every_english_field_without_its_korean_twin_is_reported_and_a_filled_twin_is_not(
    sector, make_case, make_organization, make_result
):
    case = make_case("twins", sector=sector, title="Twins", summary="S", note="N", title_ko="", summary_ko="  ")
    organization = make_organization("org", name="Organization", source_ko="", note="A note", note_ko="비고")
    result = make_result(index_slug="gpci", edition=2020, note="Cities ranked unconfirmed")
    found = [(problem.message, problem.url) for problem in find_problems()]
    assert found == [
        ("Case “Twins” has an English title but no Korean one (title_ko is empty).", change_url(case)),
        ("Case “Twins” has an English summary but no Korean one (summary_ko is empty).", change_url(case)),
        ("Case “Twins” has an English note but no Korean one (note_ko is empty).", change_url(case)),
        (
            "Ranking result “Index gpci 2020 (World): 6” has an English note but no Korean one (note_ko is empty).",
            change_url(result),
        ),
        (
            "Hosted organization “Organization” has an English source but no Korean one (source_ko is empty).",
            change_url(organization),
        ),
    ]


# --- the admin page ---------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_staff_see_the_problems_with_links(admin_client, craft):
    city, message = craft(city_without_coordinates)
    response = admin_client.get(reverse("consistency_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "1 problem found." in html
    assert message.replace("“", "&ldquo;") in html or message in html
    assert f'<a href="{change_url(city)}">Fix it</a>' in html
    for check in CHECKS:
        assert check.title.replace("'", "&#x27;") in html


@pytest.mark.urls(__name__)
def test_staff_see_that_the_shipped_data_is_clean(admin_client, shipped_data):
    response = admin_client.get(reverse("consistency_report"))
    assert response.status_code == 200
    assert "No problems found." in response.content.decode()


@pytest.mark.urls(__name__)
def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    response = client.get(reverse("consistency_report"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.urls(__name__)
def test_a_non_staff_account_is_sent_to_the_admin_login(client, django_user_model):
    django_user_model.objects.create_user("reader", password="correct horse battery")
    client.login(username="reader", password="correct horse battery")
    response = client.get(reverse("consistency_report"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_site_routes_admin_consistency_to_the_report():
    """Needs the line in seoul_diplomacy/urls.py, before the admin's own URLs."""
    assert resolve("/admin/consistency/").func is admin_views.consistency_report
    assert reverse("consistency_report") == "/admin/consistency/"


def test_the_admin_home_links_to_the_consistency_report(admin_client):
    from django.urls import reverse

    html = admin_client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("consistency_report")}"' in html
