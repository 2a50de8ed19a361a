# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [('core', '0008_coverage_event_types'), ('participants', '0005_participant_sector'), ('billing', '0005_run_speed')]

    operations = []
