# A package's dues voided when the package ends get their own reversal reason.

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
    ]
