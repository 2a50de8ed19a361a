"""Load the 89 occupation codes; on PostgreSQL add trigram indexes for name search."""

from django.db import migrations

from jamsosdesa.participants.loader import occupations_load


def load_occupations(apps, schema_editor):
    occupations_load(apps.get_model("participants", "Occupation"))


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS participant_name_trgm ON participants_participant "
                          "USING gin (search_name gin_trgm_ops);")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS region_name_trgm ON regions_region "
                          "USING gin (search_name gin_trgm_ops);")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS participant_name_trgm;")
        schema_editor.execute("DROP INDEX IF EXISTS region_name_trgm;")


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial"), ("regions", "0001_initial")]
    operations = [
        migrations.RunPython(load_occupations, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
