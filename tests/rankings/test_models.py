import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.i18n import ordinal_en
from rankings.models import RankingResult


def test_rank_zero_is_refused_with_a_plain_message(make_result):
    result = make_result()
    result.rank = 0
    with pytest.raises(ValidationError) as error:
        result.full_clean()
    assert "A rank starts at 1" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        result.save()


def test_rank_cannot_exceed_the_cities_ranked(make_result):
    result = make_result(rank=6, cities_ranked=42)
    result.rank = 43
    with pytest.raises(ValidationError) as error:
        result.full_clean()
    assert "cannot be lower than the 42 cities ranked" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        result.save()


def test_one_result_per_index_edition_and_scope(make_result):
    make_result(edition=2016, scope="world")
    make_result(edition=2016, scope="asia", rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_result(edition=2016, scope="world")


def test_rank_reads_of_n_where_known(make_result):
    assert make_result(rank=6, cities_ranked=42).rank_display == "6th of 42"
    assert make_result(edition=2015, rank=11).rank_display == "11th"


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
    ],
)
def test_ordinals(n, text):
    assert ordinal_en(n) == text


def test_natural_key(make_result):
    result = make_result(edition=2016, scope="world")
    assert result.natural_key() == ("gpci", 2016, "world")
    assert RankingResult.objects.get_by_natural_key("gpci", 2016, "world") == result
