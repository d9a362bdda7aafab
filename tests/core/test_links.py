"""Links reversed once and kept (core.links): the same link reverse() gives, in every language,
under every script prefix and URLconf."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix
from django.utils import translation

from core.links import cached_reverse

# A URLconf where the city route lives elsewhere (this module, as ROOT_URLCONF).
elsewhere = [path("elsewhere/<slug:slug>/", lambda request, slug: HttpResponse(), name="city_detail")]
urlpatterns = [path("", include((elsewhere, "projects")))]


@pytest.fixture(autouse=True)
def restore_script_prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("prefix", ["/", "/seoul/"])
def test_a_kept_link_is_the_link_reverse_gives(language, prefix):
    set_script_prefix(prefix)
    with translation.override(language):
        for _ in range(2):  # the second answer comes from the cache
            assert cached_reverse("projects:case_detail", "bangkok-card") == reverse(
                "projects:case_detail", args=["bangkok-card"]
            )


def test_each_language_gets_its_own_link():
    with translation.override("en"):
        english = cached_reverse("projects:city_detail", "hanoi")
    with translation.override("ko"):
        korean = cached_reverse("projects:city_detail", "hanoi")
    assert (english, korean) == ("/cities/hanoi/", "/ko/cities/hanoi/")


def test_another_urlconf_gets_its_own_links():
    assert cached_reverse("projects:city_detail", "hanoi") == "/cities/hanoi/"
    with override_settings(ROOT_URLCONF=__name__):
        assert cached_reverse("projects:city_detail", "hanoi") == "/elsewhere/hanoi/"
    assert cached_reverse("projects:city_detail", "hanoi") == "/cities/hanoi/"


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("prefix", ["/", "/seoul/"])
def test_links_to_gives_the_kept_link(language, prefix):
    from core.links import links_to

    set_script_prefix(prefix)
    with translation.override(language):
        city_url = links_to("projects:city_detail")
        for slug in ("hanoi", "bangkok"):
            assert city_url(slug) == cached_reverse("projects:city_detail", slug)


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("prefix", ["/", "/seoul/"])
def test_a_page_in_a_language_is_the_link_reverse_gives(language, prefix):
    from core.links import reverse_in_language

    set_script_prefix(prefix)
    for _ in range(2):  # the second answer comes from the cache
        with translation.override(language):
            expected = reverse("projects:case_detail", kwargs={"slug": "bangkok-card"})
            home = reverse("home")
        assert reverse_in_language(language, "projects:case_detail", kwargs={"slug": "bangkok-card"}) == expected
        assert reverse_in_language(language, "home") == home
