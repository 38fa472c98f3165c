"""Copies of an organization, made in SQL: every row that reaches it (DESIGN.md, "The data"),
and the users those rows name, inserted again `copies` times with new ids, so that a database
holds many organizations of the same size and shape. The bench (`--scale`) and the query-plan
test use it; going through the workflows would take hours for a hundred organizations like the
bench's Acme.

PostgreSQL only. The copies of a table's rows take the ids after its largest, copy by copy, in
the order of the originals; each foreign key to a copied table moves alike, and each column that
must be unique on its own (slugs, e-mail addresses, token hashes) gets `-k` at its end. What a
text or JSON column says of an id is left as it is.
"""

from django.apps import apps
from django.db import connection, models, transaction

from accounts.models import Organization, User


def copy_organization(organization: Organization, copies: int, *, check_keys=True) -> None:
    """Inserts `copies` copies of `organization`'s rows and of the users they name. Without
    `check_keys`, foreign keys are not checked (their triggers are off for the copy: a third of
    its time), which only a superuser of the database may do."""
    tables = _copied_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if not check_keys:
            cursor.execute("SET LOCAL session_replication_role = replica")
        for model, rows in _rows_to_copy(organization, tables):
            sql, params = rows
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_ids(model)} ON COMMIT DROP AS {sql}",  # noqa: S608
                params,
            )
        moves = {}  # per model: (span, shift), copy k of id being id + k × span + shift
        for model in tables:
            cursor.execute(
                f"SELECT (SELECT coalesce(max(id), 0) FROM {model._meta.db_table}), "  # noqa: S608
                f"coalesce(min(id), 0), coalesce(max(id), 0) FROM {_ids(model)}"
            )
            largest, low, high = cursor.fetchone()
            span = high - low + 1
            # Copy 1 starts right after the table's largest id, each next one a span further.
            moves[model] = span, largest + 1 - low - span
        suffix = len(str(copies)) + 1
        for model in tables:
            table = model._meta.db_table
            columns, values, params = [], [], []
            for field in model._meta.concrete_fields:
                column = connection.ops.quote_name(field.column)
                columns.append(column)
                if field.primary_key:
                    values.append(f"t.{column} + k * %s + %s")
                    params.extend(moves[model])
                elif field.is_relation and field.related_model in moves:
                    values.append(f"t.{column} + k * %s + %s")
                    params.extend(moves[field.related_model])
                elif field.unique and isinstance(field, models.CharField):
                    keep = field.max_length - suffix
                    values.append(f"left(t.{column}, {keep}) || '-' || k")
                else:
                    values.append(f"t.{column}")
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                f"SELECT {', '.join(values)} FROM {table} AS t "
                f"CROSS JOIN generate_series(1, %s) AS k "
                f"WHERE t.id IN (SELECT c.id FROM {_ids(model)} AS c)",
                [*params, copies],
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "  # noqa: S608
                f"FROM {table}"
            )


def _copied_tables() -> list[type[models.Model]]:
    """The organization, its users, every model scoped to an organization, and the many-to-many
    tables between those."""
    scoped = [
        model
        for model in apps.get_models()
        if hasattr(model._default_manager, "with_scope")  # django-scopes' ScopedManager
    ]
    between = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
        and all(
            field.related_model in scoped
            for field in model._meta.concrete_fields
            if field.is_relation
        )
    ]
    return [Organization, User, *scoped, *between]


def _ids(model) -> str:
    return f"copy_{model._meta.db_table}"


def _rows_to_copy(organization, tables):
    """(model, (SQL, params) selecting the ids of its rows to copy) in an order where every
    query reads only the id tables made before it: the users last but one, through tables
    last."""
    scoped = [model for model in tables if hasattr(model._default_manager, "with_scope")]
    yield Organization, ("SELECT %s::bigint AS id", [organization.pk])
    for model in scoped:
        rows = model._default_manager.with_scope(organization=organization.pk)
        query = rows.order_by().values("id")
        yield model, query.query.sql_with_params()
    named = [
        f"SELECT {field.column} AS id FROM {model._meta.db_table} "  # noqa: S608
        f"WHERE id IN (SELECT c.id FROM {_ids(model)} AS c) AND {field.column} IS NOT NULL"
        for model in (Organization, *scoped)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]
    yield User, (" UNION ".join(named), [])
    for model in tables:
        if model._meta.auto_created:
            source = next(field for field in model._meta.concrete_fields if field.is_relation)
            parents = _ids(source.related_model)
            yield (
                model,
                (
                    f"SELECT id FROM {model._meta.db_table} "  # noqa: S608
                    f"WHERE {source.column} IN (SELECT c.id FROM {parents} AS c)",
                    [],
                ),
            )
