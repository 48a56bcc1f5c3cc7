"""Load the code lists from `catalog/data/*.json`, so that `migrate` alone gives usable lists."""

from django.db import migrations

from catalog.loading import load_codelists


def load(apps, schema_editor):
    load_codelists(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: other apps' data may point to them.
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
