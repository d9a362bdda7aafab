"""The search reads whole words from a GIN index on a search_words column (a tsvector PostgreSQL makes from search_text) (core.search.WordIndex) instead of
trigrams: a common word no longer makes PostgreSQL recheck and rank every row that holds it. The texts are
written in their new form (words only, Korean word endings instead of bigrams) by core.search.fill_missing
after migrating."""

from django.db import migrations

from core.search import DropTrigramIndex, RebuildSearchText, WordIndex

MODELS = ["case", "city", "country", "sector"]


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0013_scheduled_publication"),
    ]

    operations = [
        *(DropTrigramIndex(model_name=model, name=f"{model}_search_trgm") for model in MODELS),
        *(RebuildSearchText(model_name=model) for model in MODELS),
        *(WordIndex(model_name=model, name=f"{model}_search_words") for model in MODELS),
    ]
