"""The substring search tables of mitra.core.search (no model: each engine's own index)."""

from django.db import migrations

from mitra.core.search import create_tables, drop_tables


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_tables, drop_tables)]
