"""The filter form's fields, copied for each page one level deep (``listing.forms.CopiedFields``): what one
page sets on its fields never reaches another's, and the form class's querysets are never read."""

import pytest
from django.test import RequestFactory
from django.test.utils import override_settings

from projects.filters import CaseFilter, CityFilter


def anonymous_request(path="/cases/"):
    return RequestFactory().get(path)


@pytest.mark.django_db
def test_an_invalid_field_s_state_does_not_reach_the_next_page_s_form():
    invalid = CaseFilter({"year_from": "abc", "region": "nowhere"})
    assert not invalid.is_valid()
    assert invalid.form.fields["year_from"].widget.attrs["aria-invalid"] == "true"
    fresh = CaseFilter({})
    assert fresh.is_valid()
    for name in ("year_from", "region"):
        assert "aria-invalid" not in fresh.form.fields[name].widget.attrs
        assert fresh.form.fields[name].widget is not invalid.form.fields[name].widget


@pytest.mark.django_db
@pytest.mark.parametrize("fragments", [True, False])
@pytest.mark.parametrize("filterset_class", [CaseFilter, CityFilter])
def test_the_form_class_s_querysets_are_never_read(make_case, filterset_class, fragments):
    """Every form shares its class's model choice querysets: each page reads its own copy, or the rows kept for
    the content generation, so that no page sees rows another page read before a change."""
    make_case()
    with override_settings(FRAGMENT_CACHE=fragments):
        for data in ({}, {"country": ["XX"]}):
            filterset = filterset_class(data, request=anonymous_request())
            filterset.is_valid()
            for field in filterset.form.fields.values():
                list(getattr(field, "choices", ()))
    form_class = filterset.get_form_class()
    shared = [field.queryset for field in form_class.base_fields.values() if hasattr(field, "queryset")]
    assert shared
    assert all(queryset._result_cache is None for queryset in shared)


@pytest.mark.django_db
def test_a_choice_s_count_is_in_its_label_when_listed(make_case, make_country):
    from projects.models import Region

    make_case(country=make_country("TH", "Thailand", Region.SOUTHEAST_ASIA))
    filterset = CaseFilter({"region": Region.SOUTHEAST_ASIA})
    assert filterset.is_valid()
    filterset.label_choices_with_counts()
    labels = dict(filterset.form.fields["region"].choices)
    assert labels[""] == "Any region"
    assert labels[Region.SOUTHEAST_ASIA] == "Southeast Asia (1)"
    assert labels[Region.EUROPE] == "Europe (0)"
    # The class's own choices keep their plain labels.
    base = filterset.get_form_class().base_fields["region"]
    assert dict(base.choices)[Region.EUROPE] == "Europe"


@pytest.mark.django_db
def test_the_city_select_is_drawn_once_for_every_page_that_shows_it_with_nothing_chosen(
    make_case, make_city, monkeypatch
):
    from django import forms

    from core.cache import fragments

    city = make_city("ankara", name="Ankara")
    make_case(cities=[city])
    drawn = []
    draw = forms.Select.render
    monkeypatch.setattr(
        forms.Select,
        "render",
        lambda self, name, *args, **kwargs: drawn.append(name) or draw(self, name, *args, **kwargs),
    )
    fragments.clear()
    with override_settings(FRAGMENT_CACHE=True):
        kept = [
            str(CaseFilter(data, request=anonymous_request()).form["city"])
            for data in ({}, {"sector": ["transportation"]}, {})
        ]
        chosen = str(CaseFilter({"city": "ankara"}, request=anonymous_request()).form["city"])
    assert drawn.count("city") == 2  # once with nothing chosen, once with Ankara chosen
    assert kept[0] == kept[1] == kept[2] == str(CaseFilter({}).form["city"])  # as Django draws it
    assert 'value="ankara" selected' in chosen and 'value="ankara" selected' not in kept[0]
    fragments.clear()
