"""Public pages come back gzip-compressed to a browser that asks; nothing holding a secret does (BREACH)."""

import gzip

import pytest
from django.urls import reverse


@pytest.fixture
def pages(make_case):
    make_case("bangkok-card", title="Bangkok transportation card")


@pytest.mark.parametrize("url", ["/", "/ko/", "/cases/", "/cases/?sector=transportation", "/data/"])
def test_public_page_is_compressed_for_a_browser_that_asks(client, pages, url):
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})

    assert packed.status_code == 200
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]  # so a shared cache keeps both versions apart
    assert len(packed.content) < len(plain.content) / 3
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content)


def test_page_is_plain_for_a_client_that_does_not_ask(client, pages):
    response = client.get("/")

    assert "Content-Encoding" not in response
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in response.content


def test_a_page_with_a_csrf_token_is_not_compressed(client):
    response = client.get(reverse("admin:login"), headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_a_signed_in_staff_members_pages_are_not_compressed(client, admin_user, pages):
    client.force_login(admin_user)

    for url in ["/", reverse("admin:index")]:
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response, url


def test_the_data_archive_is_not_compressed_twice(client, pages):
    response = client.get(reverse("data_archive"), headers={"accept-encoding": "gzip"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"".join(getattr(response, "streaming_content", [response.content]))[:2] == b"PK"  # a zip, as is
