"""The two staff roles.

Editors add, change and view every kind of content, and never delete or publish.
Publishers can do all that editors can, plus delete and publish.
Neither group manages users: that is for superusers, who administer the site.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "projects": ["country", "city", "sector", "casecategory", "case", "keyfigure"],
    "rankings": ["rankingindex", "rankingresult", "hostedorganization"],
}
PUBLISHABLE = {"projects": ["city", "case"], "rankings": ["rankingresult", "hostedorganization"]}


def permission_codenames(actions):
    return [
        (app, f"{action}_{model}") for app, models in CONTENT_MODELS.items() for model in models for action in actions
    ]


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; create them now so that the groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in pairs]

    editor_permissions = permissions(permission_codenames(["add", "change", "view"]))
    publish = [(app, f"publish_{model}") for app, models in PUBLISHABLE.items() for model in models]
    publisher_permissions = editor_permissions + permissions(permission_codenames(["delete"]) + publish)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editor_permissions)
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(publisher_permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_publish_permissions"),
        ("rankings", "0003_publish_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
