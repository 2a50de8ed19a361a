from django.db import migrations, models


def copy_approved(apps, schema_editor):
    """Claims approved (or paid) before this migration: what they were approved with is what the heirs hold now
    (heirs are not edited once a claim is approved)."""
    ClaimHeir = apps.get_model("claims", "ClaimHeir")
    for heir in ClaimHeir.objects.filter(claim__status__in=["approved", "paid"]).iterator():
        heir.approved_share = heir.share
        heir.approved_bank_name = heir.bank_name
        heir.approved_account_number = heir.account_number
        heir.approved_account_holder = heir.account_holder
        heir.save(update_fields=["approved_share", "approved_bank_name", "approved_account_number",
                                 "approved_account_holder"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_one_total_disability")]

    operations = [
        migrations.AddField(
            model_name="claimheir", name="approved_share",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="bagian yang disetujui (Rp)")),
        migrations.AddField(
            model_name="claimheir", name="approved_bank_name",
            field=models.CharField(blank=True, max_length=60, verbose_name="bank yang disetujui")),
        migrations.AddField(
            model_name="claimheir", name="approved_account_number",
            field=models.CharField(blank=True, max_length=30, verbose_name="nomor rekening yang disetujui")),
        migrations.AddField(
            model_name="claimheir", name="approved_account_holder",
            field=models.CharField(blank=True, max_length=120, verbose_name="pemilik rekening yang disetujui")),
        migrations.RunPython(copy_approved, migrations.RunPython.noop),
    ]
