from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_one_total_disability")]

    operations = []
