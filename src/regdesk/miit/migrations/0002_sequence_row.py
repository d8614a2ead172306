"""The single row of the upload sequence counter (id 1), so that allocation only ever locks, never inserts."""

from django.db import migrations


def create_row(apps, schema_editor):  # type: ignore[no-untyped-def]
    MiitSequence = apps.get_model("miit", "MiitSequence")
    MiitSequence.objects.get_or_create(id=1, defaults={"last_allocated": 0})


class Migration(migrations.Migration):
    dependencies = [("miit", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
