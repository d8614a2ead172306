"""Login lockouts per address and username together (no longer per address alone), and the table of the
database cache that holds the rate-limit counters (what ``manage.py createcachetable`` makes)."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # Creates the table of every database cache in CACHES (regdesk_cache); a table already there is kept.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    for alias in settings.CACHES:
        cache = caches[alias]
        if isinstance(cache, BaseDatabaseCache):
            schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache._table)}")


def forget_address_lockouts(apps, schema_editor):
    # Lockouts of an address alone are no longer kept: they locked everyone behind a shared address.
    apps.get_model("accounts", "LoginThrottle").objects.filter(scope="address").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_english_names_totp_throttle_tokens"),
    ]

    operations = [
        migrations.RunPython(forget_address_lockouts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loginthrottle",
            name="key",
            field=models.CharField(max_length=200, verbose_name="key"),
        ),
        migrations.AlterField(
            model_name="loginthrottle",
            name="scope",
            field=models.CharField(
                choices=[("username", "username"), ("pair", "client address and username")],
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
