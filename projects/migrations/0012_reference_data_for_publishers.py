"""Reference data (countries, sectors, categories, key figures, ranking indices) is changed by Publishers
only; Editors keep viewing it (their case forms pick from it). These rows have no draft state, so an edit
would be public at once: rather than a review of every spelling fix, their few changes are made by those
who publish anyway (README, "Staff editing")."""

from django.db import migrations

REFERENCE = {"projects": ["country", "sector", "casecategory", "keyfigure"], "rankings": ["rankingindex"]}


def permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label__in=REFERENCE,
        codename__in=[f"{action}_{model}" for models in REFERENCE.values() for model in models for action in ("add", "change")],
    )


def editors_stop_writing(apps, schema_editor):
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(*permissions(apps))


def editors_write_again(apps, schema_editor):
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0011_publication_dates"),
        ("rankings", "0008_publication_dates"),
        ("projects", "0004_roles"),
    ]

    operations = [migrations.RunPython(editors_stop_writing, editors_write_again)]
