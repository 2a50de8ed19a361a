"""Load the 89 occupation codes; on PostgreSQL add trigram indexes for name search."""

import csv
import io
from importlib import resources

from django.db import migrations


def load_occupations(apps, schema_editor):
    Occupation = apps.get_model("participants", "Occupation")
    raw = (resources.files("jamsosdesa.participants") / "data" / "pekerjaan.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    Occupation.objects.bulk_create(
        [Occupation(code=int(r["code"]), name=r["name"]) for r in rows],
        update_conflicts=True, unique_fields=["code"], update_fields=["name"],
    )


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
