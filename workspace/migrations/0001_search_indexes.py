"""The header search's indexes on PostgreSQL, where the candidates, the longest list to search,
need them: pg_trgm, GIN trigram indexes on the upper-cased name and e-mail (a part of a name,
`UPPER(name) LIKE`, and a name spelt nearly right, `UPPER(name) %>`, both use them), and a GIN
index on the words of both (full text). Each condition of the search having its index, the
planner joins them to the organization's. Jobs and guides are few in any organization: a scan
of one organization's is as fast. SQLite, the demo's database, has none of these."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models.functions import Upper

INDEXES = [
    GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="search_candidate_name_trgm"),
    GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="search_candidate_email_trgm"),
    GinIndex(SearchVector("name", "email", config="simple"), name="search_candidate_words"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.add_index(apps.get_model("candidates", "Candidate"), index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.remove_index(apps.get_model("candidates", "Candidate"), index)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_packets")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
