# Reserved for issue 15 part C1 benefit engine: its schema changes go here (hand-written or moved from makemigrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = []
