"""A sector's page: the cases SMG declares beside the cases documented here."""

import re


def test_sector_page_shows_declared_and_documented_counts(client, make_sector, make_case):
    sector = make_sector("transportation", name="Transportation", declared_case_count=22)
    make_case("one", sector=sector)
    make_case("two", sector=sector)
    html = client.get(sector.get_absolute_url()).content.decode()
    assert re.search(r"Cases declared by SMG</dt><dd>22</dd>", html)
    assert re.search(r"Cases documented here</dt><dd>2</dd>", html)
