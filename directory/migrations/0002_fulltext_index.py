"""The database's own full-text index over Service.search_title / search_document.

SQLite: an FTS5 external-content table kept in step by triggers.
PostgreSQL: a stored generated tsvector (configuration `simple`, since the text is
already normalised in Python) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE directory_service_fts USING fts5(
        search_title, search_document, content='directory_service', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 0', prefix='3')""",
    """CREATE TRIGGER directory_service_fts_ai AFTER INSERT ON directory_service BEGIN
        INSERT INTO directory_service_fts(rowid, search_title, search_document)
        VALUES (new.rowid, new.search_title, new.search_document);
    END""",
    """CREATE TRIGGER directory_service_fts_ad AFTER DELETE ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, search_title, search_document)
        VALUES ('delete', old.rowid, old.search_title, old.search_document);
    END""",
    """CREATE TRIGGER directory_service_fts_au AFTER UPDATE OF search_title, search_document
        ON directory_service BEGIN
        INSERT INTO directory_service_fts(directory_service_fts, rowid, search_title, search_document)
        VALUES ('delete', old.rowid, old.search_title, old.search_document);
        INSERT INTO directory_service_fts(rowid, search_title, search_document)
        VALUES (new.rowid, new.search_title, new.search_document);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_service_fts_au",
    "DROP TRIGGER IF EXISTS directory_service_fts_ad",
    "DROP TRIGGER IF EXISTS directory_service_fts_ai",
    "DROP TABLE IF EXISTS directory_service_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE directory_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(search_title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(search_document, '')), 'B')) STORED""",
    "CREATE INDEX directory_service_search_vector ON directory_service USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_service_search_vector",
    "ALTER TABLE directory_service DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
