"""SQLite: an fts5vocab table over the service index, to read each term's document count.

Search leaves out words that most services contain ("služba", "senior") when the query has
rarer ones: bm25 would give them little weight anyway, and scoring every match costs time.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS directory_service_fts_vocab "
            "USING fts5vocab(directory_service_fts, 'row')"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS directory_service_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_fulltext_index")]
    operations = [migrations.RunPython(forward, backward)]
