# Reserved for helper H-C of issue 14: its models' operations go here (and only its own).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agents", "0003_cash")]

    operations = []
