# Reserved for the snapshot refresh job and the change watermark (helper H-refresh); filled in by that helper.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0007_snapshot_more'),
    ]

    operations = []
