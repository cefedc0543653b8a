from django.db import migrations

from mitra.core.search import configure_tables


class Migration(migrations.Migration):
    # SQLite: FTS5 merges the search index's segments less often (see _SQLite.configure).
    dependencies = [("core", "0002_search_index")]

    operations = [migrations.RunPython(configure_tables, migrations.RunPython.noop)]
