"""Scholarship grants get four eyes and a payment (docs/design/claims.md "Scholarships"): proposed by one person,
approved or rejected by another (a grant recorded before this migration was decided by nobody: it is a proposal now),
the account fixed at approval, and the one payment of the grant. A rejected grant frees its child's school year."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_approved_accounts"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RenameField(model_name="scholarshipgrant", old_name="granted_by", new_name="proposed_by"),
        migrations.RenameField(model_name="scholarshipgrant", old_name="granted_at", new_name="proposed_at"),
        migrations.RemoveConstraint(model_name="scholarshipgrant", name="scholarship_once_a_year"),
        migrations.AlterField(
            model_name="scholarshipgrant", name="proposed_by",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="diusulkan oleh")),
        migrations.AddField(
            model_name="scholarshipgrant", name="status",
            field=models.CharField(choices=[("proposed", "diusulkan, menunggu persetujuan"), ("approved", "disetujui"),
                                            ("rejected", "ditolak")], default="proposed", max_length=10,
                                   verbose_name="status")),
        migrations.AddField(
            model_name="scholarshipgrant", name="decided_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="diputuskan oleh")),
        migrations.AddField(model_name="scholarshipgrant", name="decided_at",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(
            model_name="scholarshipgrant", name="decision_note",
            field=models.CharField(blank=True, max_length=500, verbose_name="keterangan keputusan")),
        migrations.AddField(
            model_name="scholarshipgrant", name="guardian",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="claims.claimheir", verbose_name="wali penerima")),
        migrations.AddField(model_name="scholarshipgrant", name="bank_name",
                            field=models.CharField(blank=True, max_length=60, verbose_name="bank")),
        migrations.AddField(model_name="scholarshipgrant", name="account_number",
                            field=models.CharField(blank=True, max_length=30, verbose_name="nomor rekening")),
        migrations.AddField(
            model_name="scholarshipgrant", name="payment",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="scholarship", to="claims.claimpayment",
                                       verbose_name="pembayaran")),
        migrations.AddConstraint(
            model_name="scholarshipgrant",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "rejected"), _negated=True),
                                               fields=("child", "year"), name="scholarship_once_a_year")),
        migrations.AddConstraint(
            model_name="scholarshipgrant",
            constraint=models.CheckConstraint(
                condition=models.Q(("decided_by__isnull", True),
                                   models.Q(("decided_by", models.F("proposed_by")), _negated=True), _connector="OR"),
                name="scholarship_four_eyes")),
        migrations.AddConstraint(
            model_name="scholarshipgrant",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("decided_by__isnull", True), ("status", "proposed")),
                                   models.Q(models.Q(("status", "proposed"), _negated=True),
                                            ("decided_by__isnull", False)), _connector="OR"),
                name="scholarship_decided_by_someone")),
        migrations.AddConstraint(
            model_name="scholarshipgrant",
            constraint=models.CheckConstraint(
                condition=models.Q(("payment__isnull", True), ("status", "approved"), _connector="OR"),
                name="scholarship_paid_only_approved")),
    ]
