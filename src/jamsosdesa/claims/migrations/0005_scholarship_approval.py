from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_approved_accounts")]

    operations = []
