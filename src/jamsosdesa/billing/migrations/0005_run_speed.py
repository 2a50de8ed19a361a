# Schema changes that make the monthly billing run fast (bench/README.md "Billing run"): the due's and the
# invoice line's foreign keys lose their database constraint (each cost a per-row check and a FOR KEY SHARE lock
# on the row named; ledger check finds a missing row instead), the per-person index is folded into the enrolment
# due's unique index (no longer partial: NULLs never clash), and the scheme index leaves out the packages' dues.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_membership_ended_reason'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='due',
            name='due_enrolment_month_unique',
        ),
        migrations.RemoveIndex(
            model_name='due',
            name='due_participant_idx',
        ),
        migrations.RemoveIndex(
            model_name='due',
            name='due_scheme_month_idx',
        ),
        migrations.AlterField(
            model_name='due',
            name='enrolment',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='funding.enrolment'),
        ),
        migrations.AlterField(
            model_name='due',
            name='membership',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='billing.membership'),
        ),
        migrations.AlterField(
            model_name='due',
            name='participant',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='+', to='participants.participant'),
        ),
        migrations.AlterField(
            model_name='due',
            name='run',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='billing.billingrun'),
        ),
        migrations.AlterField(
            model_name='due',
            name='scheme',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funding.scheme'),
        ),
        migrations.AlterField(
            model_name='invoiceline',
            name='due',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.PROTECT,
                                       related_name='invoice_line', to='billing.due'),
        ),
        migrations.AlterField(
            model_name='invoiceline',
            name='invoice',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='invoice_lines', to='billing.invoice'),
        ),
        migrations.AddIndex(
            model_name='due',
            index=models.Index(condition=models.Q(('scheme__isnull', False)), fields=['scheme', 'month'],
                               name='due_scheme_month_idx'),
        ),
        migrations.AddConstraint(
            model_name='due',
            constraint=models.UniqueConstraint(fields=('participant', 'month', 'enrolment'),
                                               name='due_enrolment_month_unique'),
        ),
    ]
