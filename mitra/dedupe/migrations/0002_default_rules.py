from django.db import migrations

# Unnamed: each shows as its fields' labels in the user's language.
DEFAULTS = [
    (["phone"], 100),
    (["email"], 100),
    (["national_id"], 100),
    (["tax_id"], 100),
    (["name"], 85),
]


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("dedupe", "DuplicateRule")
    if not Rule.objects.exists():
        for fields, similarity in DEFAULTS:
            Rule.objects.create(fields=fields, name_similarity=similarity)


class Migration(migrations.Migration):
    dependencies = [("dedupe", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
