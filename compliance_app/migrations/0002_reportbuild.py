"""ReportBuild: the record of each background build of the annual report (state, step, failure reason)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('compliance_app', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportBuild',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('requested_at', models.DateTimeField()),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('state', models.CharField(choices=[('queued', 'Menunggu giliran'), ('running', 'Sedang disusun'), ('done', 'Sudah disusun'), ('failed', 'Gagal')], default='queued', max_length=10)),
                ('step', models.PositiveSmallIntegerField(default=0)),
                ('error', models.CharField(blank=True, choices=[('broker', 'antrean tugas tidak dapat dihubungi, laporan tidak masuk antrean'), ('stuck', 'tidak selesai: pekerja berhenti atau waktu habis'), ('timeout', 'penyusunan melebihi batas waktu'), ('storage', 'berkas laporan tidak dapat disimpan'), ('error', 'kesalahan tak terduga; rinciannya tercatat di log server')], max_length=10)),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['year', '-requested_at'], name='compliance_build_year_idx')],
            },
        ),
    ]
