"""Load all 6,258 obce with their ORP, okres and kraj (see territory/data/README.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from territory.loading import load_municipalities

    load_municipalities(apps)


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
