"""A narrow table beside the cases (PostgreSQL only): each case's sort keys and the words of its names and of
what it belongs to, with a GIN index, kept by triggers on the case table (core.search.NarrowWords). A score
level of a common word is sorted from it, reading narrow rows instead of the cases' wide ones. SQLite gets the
model's state only (the model is unmanaged): nothing reads it there."""

from django.db import migrations, models

from core.search import NarrowWords


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0015_case_korean_title_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseWords",
            fields=[
                ("id", models.BigIntegerField(db_column="case_id", primary_key=True, serialize=False)),
                ("title", models.CharField(max_length=250)),
                ("title_ko", models.CharField(max_length=250)),
                ("slug", models.SlugField(max_length=120)),
            ],
            options={
                "db_table": "projects_case_words",
                "managed": False,
                "default_permissions": (),
            },
        ),
        NarrowWords(model_name="case", name="casewords"),
    ]
