# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [('coverage', '0002_targets')]

    operations = []
