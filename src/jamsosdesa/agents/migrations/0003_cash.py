# Issue 14 part B (helper H-B): collections, deposits, their settlements and reversals.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0002_wadah_more'),
        ('billing', '0006_standing'),
        ('participants', '0006_outreach_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Collection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kab_code', models.CharField(max_length=5)),
                ('desa_code', models.CharField(max_length=13)),
                ('months', models.PositiveSmallIntegerField(verbose_name='jumlah bulan')),
                ('first_month', models.DateField(verbose_name='bulan pertama')),
                ('last_month', models.DateField(verbose_name='bulan terakhir')),
                ('amount', models.BigIntegerField(verbose_name='jumlah (Rp)')),
                ('receipt_number', models.CharField(max_length=40, unique=True, verbose_name='nomor kuitansi')),
                ('verification_code', models.CharField(max_length=8, unique=True, verbose_name='kode verifikasi')),
                ('client_token', models.CharField(blank=True, max_length=64)),
                ('request_hash', models.CharField(max_length=64)),
                ('collected_on', models.DateField(verbose_name='tanggal terima')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('reversed_at', models.DateTimeField(blank=True, null=True)),
                ('agent', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agen')),
                ('participant', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='participants.participant', verbose_name='peserta')),
                ('payment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='agent_collection', to='billing.payment', verbose_name='pembayaran')),
            ],
            options={
                'verbose_name': 'penagihan tunai',
                'verbose_name_plural': 'penagihan tunai',
                'ordering': ['-collected_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Deposit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kab_code', models.CharField(max_length=5)),
                ('channel', models.CharField(choices=[('perisai', 'kanal PERISAI'), ('bank', 'transfer bank')], max_length=8, verbose_name='saluran')),
                ('reference', models.CharField(max_length=64, verbose_name='referensi')),
                ('amount', models.BigIntegerField(verbose_name='jumlah (Rp)')),
                ('deposited_on', models.DateField(verbose_name='tanggal setor')),
                ('statement_name', models.CharField(blank=True, max_length=200)),
                ('statement_sha256', models.CharField(blank=True, max_length=64)),
                ('statement_row', models.PositiveIntegerField(blank=True, null=True)),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='catatan')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('agent', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='agen')),
                ('recorded_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'setoran agen',
                'verbose_name_plural': 'setoran agen',
                'ordering': ['-deposited_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DepositReversal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=200, verbose_name='alasan')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('deposit', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='reversal', to='agents.deposit')),
            ],
            options={
                'verbose_name': 'pembatalan setoran',
                'verbose_name_plural': 'pembatalan setoran',
            },
        ),
        migrations.CreateModel(
            name='DepositSettlement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.BigIntegerField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('collection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlements', to='agents.collection')),
                ('deposit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlements', to='agents.deposit')),
                ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='agents.depositsettlement')),
            ],
            options={
                'verbose_name': 'pelunasan setoran',
                'verbose_name_plural': 'pelunasan setoran',
            },
        ),
        migrations.AddIndex(
            model_name='collection',
            index=models.Index(fields=['agent', 'collected_on'], name='collection_agent_idx'),
        ),
        migrations.AddIndex(
            model_name='collection',
            index=models.Index(fields=['participant', 'collected_on'], name='collection_participant_idx'),
        ),
        migrations.AddIndex(
            model_name='collection',
            index=models.Index(fields=['kab_code', 'collected_on'], name='collection_kab_idx'),
        ),
        migrations.AddConstraint(
            model_name='collection',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='collection_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='collection',
            constraint=models.CheckConstraint(condition=models.Q(('months__gt', 0)), name='collection_months_positive'),
        ),
        migrations.AddConstraint(
            model_name='collection',
            constraint=models.CheckConstraint(condition=models.Q(('last_month__gte', models.F('first_month'))), name='collection_month_order'),
        ),
        migrations.AddConstraint(
            model_name='collection',
            constraint=models.UniqueConstraint(condition=models.Q(('client_token', ''), _negated=True), fields=('agent', 'client_token'), name='collection_client_token_unique'),
        ),
        migrations.AddIndex(
            model_name='deposit',
            index=models.Index(fields=['agent', 'deposited_on'], name='deposit_agent_idx'),
        ),
        migrations.AddIndex(
            model_name='deposit',
            index=models.Index(fields=['kab_code', 'deposited_on'], name='deposit_kab_idx'),
        ),
        migrations.AddConstraint(
            model_name='deposit',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='deposit_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='deposit',
            constraint=models.UniqueConstraint(fields=('channel', 'reference'), name='deposit_reference_unique'),
        ),
        migrations.AddConstraint(
            model_name='depositsettlement',
            constraint=models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='settlement_amount_nonzero'),
        ),
        migrations.AddConstraint(
            model_name='depositsettlement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('reverses__isnull', True)), models.Q(('amount__lt', 0), ('reverses__isnull', False)), _connector='OR'), name='settlement_sign'),
        ),
    ]
