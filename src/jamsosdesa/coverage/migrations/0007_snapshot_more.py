# Reserved for the snapshot's added columns (helper H-snapshot); filled in by that helper.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0006_snapshot'),
    ]

    operations = []
