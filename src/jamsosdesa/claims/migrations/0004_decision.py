# Reserved for issue 15 part C3 decision, payment and clock: its schema changes go here (hand-written or moved from makemigrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_file")]

    operations = []
