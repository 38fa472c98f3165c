"""The header search's indexes on PostgreSQL: pg_trgm, and GIN trigram indexes on the upper-
cased names and titles it matches (a part of a name, `UPPER(name) LIKE`, and a name spelt
nearly right, `UPPER(name) %>`, both use them). SQLite, the demo's, has neither."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "search_candidate_name_trgm": ("candidates_candidate", "name"),
    "search_candidate_email_trgm": ("candidates_candidate", "email"),
    "search_job_title_trgm": ("candidates_job", "title"),
    "search_guideversion_title_trgm": ("guides_guideversion", "title"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0002_packets"),
        ("guides", "0003_unfilled_placeholders"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
