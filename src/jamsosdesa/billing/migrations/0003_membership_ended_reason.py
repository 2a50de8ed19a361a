# A package's dues voided when the package ends get their own reversal reason; a package not started yet can be
# cancelled (ended in the month before its first month).

import datetime

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0002_bpjs_crosscheck'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reversal',
            name='reason',
            field=models.CharField(choices=[('mistake', 'salah catat'), ('duplicate', 'tercatat dua kali'), ('bounced', 'dana tidak masuk / ditolak bank'), ('wrong_person', 'salah peserta'), ('refund', 'dikembalikan ke pembayar'), ('enrolment_ended', 'kepesertaan skema berakhir'), ('membership_ended', 'iuran mandiri diakhiri'), ('other', 'lainnya')], max_length=16, verbose_name='alasan'),
        ),
        # A package not started yet is cancelled by ending it in the month before its first month: the database
        # allows that month (and nothing earlier), and a cancelled package does not hold its first month.
        migrations.RemoveConstraint(model_name='membership', name='membership_period_order'),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('last_month__isnull', True), ('last_month__gt', django.db.models.expressions.CombinedExpression(models.F('first_month'), '-', models.Value(datetime.timedelta(days=45)))), _connector='OR'), name='membership_period_order'),
        ),
        migrations.RemoveConstraint(model_name='membership', name='membership_first_month_unique'),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('last_month__isnull', True), ('last_month__gte', models.F('first_month')), _connector='OR'), fields=('participant', 'first_month'), name='membership_first_month_unique'),
        ),
    ]
