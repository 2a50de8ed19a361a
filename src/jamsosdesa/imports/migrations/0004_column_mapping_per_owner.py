"""Saved column mappings belong to a user: `created_by` becomes `owner` (every existing mapping keeps its creator
as owner), the name is unique per owner instead of across the system, and a mapping may be shared in the
owner's regions."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0003_importjob_runs_on_core_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="columnmapping", old_name="created_by", new_name="owner"),
        migrations.AlterField(
            model_name="columnmapping", name="owner",
            field=models.ForeignKey(on_delete=models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
                                    verbose_name="pemilik"),
        ),
        migrations.AlterField(model_name="columnmapping", name="name",
                              field=models.CharField(max_length=80, verbose_name="nama pemetaan")),
        migrations.AddField(model_name="columnmapping", name="shared",
                            field=models.BooleanField(default=False, verbose_name="dibagikan di wilayah")),
        migrations.AlterModelOptions(name="columnmapping", options={"ordering": ["name", "pk"]}),
        migrations.AddConstraint(
            model_name="columnmapping",
            constraint=models.UniqueConstraint(fields=("owner", "name"), name="column_mapping_owner_name_unique"),
        ),
    ]
