"""The words of each case's names in the case list's order, beside the cases (PostgreSQL only): a row for each
word with the case's title, slug and key, in a B-tree on (word, title, slug), kept by triggers on the case
table (core.search.NamesInOrder). The first cases of a common word's level of the names are read from it in
that order, where the narrow table of 0016 gives every one of them, to be sorted. Nothing on SQLite."""

from django.db import migrations

from core.search import NamesInOrder


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0017_case_parent_indexes"),
    ]

    operations = [
        NamesInOrder(model_name="case", name="projects_case_name_words", order=["title", "slug"]),
    ]
