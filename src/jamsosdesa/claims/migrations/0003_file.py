# Reserved for issue 15 part C2 claim file: its schema changes go here (hand-written or moved from makemigrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_engine")]

    operations = []
