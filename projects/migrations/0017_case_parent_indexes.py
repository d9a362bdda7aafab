"""The cases of one country or one category in title order, from an index (the country's replaces the
(status, country) index, which it serves too): a search's cases that name the word only in their country's or
category's name are read a parent at a time (core.search.parent_keys), as those of a sector already were."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0016_case_words'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='projects_ca_status_b0d218_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status', 'country', 'title', 'slug'], name='projects_ca_status_18e94b_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status', 'category', 'title', 'slug'], name='projects_ca_status_87b804_idx'),
        ),
    ]
