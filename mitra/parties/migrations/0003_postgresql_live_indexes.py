"""Partial indexes for the party list on PostgreSQL.

The list reads live parties (`deleted_at IS NULL`) in a sort order and stops after a page.
SQLite and MariaDB walk an index on (deleted_at, sort columns…) in order for that;
PostgreSQL does not, because IS NULL is not an equality to its planner, so it sorted
every matching party instead (a second per page at a million parties). Partial indexes
on the sort columns `WHERE deleted_at IS NULL` give it the same walk. They are not in
`Party.Meta.indexes` because MariaDB has no partial indexes, and on SQLite the existing
ones already serve.
"""

from django.db import migrations

INDEXES = {
    "party_pg_live_priority_idx": "(priority DESC, search_name, id)",
    "party_pg_live_name_idx": "(search_name, id)",
    "party_pg_live_code_idx": "(code, id)",
    "party_pg_live_updated_idx": "(updated_at DESC, id)",
    "party_pg_owner_priority_idx": "(owner_id, priority DESC, search_name, id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON parties_party {columns} "
            "WHERE deleted_at IS NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("parties", "0002_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
