"""The words of each case's names in the Korean pages' order (the Korean title where there is one, then the
slug), beside the cases (PostgreSQL only), with each case's sector, category and country as words of their own
("~sector:7"): a row for each, with the Korean sort key, slug and key, in a B-tree, kept by triggers on the
case table (core.search.NamesInOrder), as 0018 keeps the English order. On a Korean page the first cases of a
common word's level of the names, and of one sector's, category's or country's cases, are read from it in
that order; the cases' own indexes of those parents are in English title order, and indexes on the cases in
the Korean order would be taken for the English lists' filters too. Nothing on SQLite."""

from django.db import migrations

from core.search import NamesInOrder


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0018_case_names_in_order"),
    ]

    operations = [
        NamesInOrder(
            model_name="case",
            name="projects_case_name_words_ko",
            order=[["korean_title", "COALESCE(NULLIF({title_ko}, ''), {title})"], "slug"],
            parents=["sector", "category", "country"],
        ),
    ]
