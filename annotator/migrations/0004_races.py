# One gold copy per claim, one decision per submission step (issue 10).

from django.conf import settings
from django.db import migrations, models
from django.db.models import Min


def count_past_submissions(apps, schema_editor):
    """A set submitted before the counter existed has been submitted at least once."""
    Assignment = apps.get_model("annotator", "Assignment")
    Assignment.objects.filter(submitted_at__isnull=False).update(submission=1)


def unlink_duplicate_gold_copies(apps, schema_editor):
    """Before one gold copy per claim is enforced: extra copies made by the old race stay
    in the gold set (an adjudicator may have edited them) but no longer claim the origin."""
    Claim = apps.get_model("annotator", "Claim")
    gold = Claim.objects.filter(is_gold=True, origin__isnull=False)
    firsts = gold.values("origin").annotate(first=Min("id")).values_list("first", flat=True)
    gold.exclude(id__in=list(firsts)).update(origin=None)


class Migration(migrations.Migration):

    dependencies = [
        ('annotator', '0003_document_text_storage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='submission',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='review',
            name='sequence',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='review',
            name='submission',
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(count_past_submissions, migrations.RunPython.noop),
        migrations.RunPython(unlink_duplicate_gold_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.UniqueConstraint(condition=models.Q(('is_gold', True)), fields=('origin',), name='one_gold_copy_per_claim'),
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.UniqueConstraint(condition=models.Q(('assignment__isnull', False)), fields=('assignment', 'submission', 'sequence'), name='one_decision_per_submission_step'),
        ),
    ]
