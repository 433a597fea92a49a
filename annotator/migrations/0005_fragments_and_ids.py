"""Discontinuous spans (a JSON column of fragments per role) and stable claim ids.

Every existing claim gets its own id (a callable default would give all rows one value);
historical rows take the id of their claim. Reviews keep the time they were made when
imported (created_at is no longer auto_now_add)."""

import uuid

import annotator.models.claim
import annotator.models.fields
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_uids(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("UPDATE annotator_claim SET uid = gen_random_uuid()::text")
    else:
        Claim = apps.get_model("annotator", "Claim")
        ids = list(Claim.objects.values_list("id", flat=True))
        for start in range(0, len(ids), 1000):
            batch = [Claim(id=pk, uid=str(uuid.uuid4())) for pk in ids[start : start + 1000]]
            Claim.objects.bulk_update(batch, ["uid"])
    schema_editor.execute(
        "UPDATE annotator_historicalclaim SET uid = (SELECT c.uid FROM annotator_claim c "
        "WHERE c.id = annotator_historicalclaim.id) "
        "WHERE id IN (SELECT id FROM annotator_claim)"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('annotator', '0004_races'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='fragments',
            field=annotator.models.fields.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='claim',
            name='uid',
            field=models.CharField(default='', max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='fragments',
            field=annotator.models.fields.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='historicalclaim',
            name='uid',
            field=models.CharField(default='', max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='claim',
            name='uid',
            field=models.CharField(default=annotator.models.claim.new_uid, max_length=100),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='uid',
            field=models.CharField(default=annotator.models.claim.new_uid, max_length=100),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='fragments',
            field=annotator.models.fields.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='review',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.UniqueConstraint(fields=('document', 'uid'), name='unique_claim_uid_per_document'),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(('uid', ''), _negated=True), name='claim_uid_not_empty'),
        ),
    ]
