"""Counters move to core (`core.numbering.CodeSequence`): copy the rows, drop the table."""

from django.db import migrations


def copy_to_core(apps, schema_editor):
    old = apps.get_model("parties", "CodeSequence")
    new = apps.get_model("core", "CodeSequence")
    new.objects.bulk_create(
        [new(name=row.name, period="", value=row.value) for row in old.objects.all()]
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("parties", "CodeSequence")
    new = apps.get_model("core", "CodeSequence")
    old.objects.bulk_create(
        [old(name=row.name, value=row.value) for row in new.objects.filter(period="")]
    )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_numbering_sequences_and_series"),
        ("parties", "0006_merge_20261206_0002"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.DeleteModel(name="CodeSequence"),
    ]
