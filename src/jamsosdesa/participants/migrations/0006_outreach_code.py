# Reserved for the outreach event code that registrations carry (issue 13 item 6); filled by that slice.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [("participants", "0005_participant_sector")]

    operations = []
