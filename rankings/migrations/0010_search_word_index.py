"""The search reads whole words from a GIN index on a search_words column (a tsvector PostgreSQL makes from search_text) (projects 0013, core.search)."""

from django.db import migrations

from core.search import DropTrigramIndex, RebuildSearchText, WordIndex

MODELS = ["hostedorganization", "rankingindex"]


class Migration(migrations.Migration):
    dependencies = [
        ("rankings", "0009_scheduled_publication"),
    ]

    operations = [
        *(DropTrigramIndex(model_name=model, name=f"{model}_search_trgm") for model in MODELS),
        *(RebuildSearchText(model_name=model) for model in MODELS),
        *(WordIndex(model_name=model, name=f"{model}_search_words") for model in MODELS),
    ]
