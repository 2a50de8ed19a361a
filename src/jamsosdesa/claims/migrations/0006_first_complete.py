from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_scholarship_approval")]

    operations = []
