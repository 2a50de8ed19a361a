# Schema changes for the bulk path of statement imports.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0005_run_speed'),
    ]

    operations = []
