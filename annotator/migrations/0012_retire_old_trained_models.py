from django.db import migrations


def retire(apps, schema_editor):
    """Models stored in the first format (b"CLAIMCRF1") cannot be loaded by this release:
    they stop being the project's suggester, so the dashboard says the rules are in use
    until the project trains again. Their figures stay for the record."""
    TrainedSuggester = apps.get_model("annotator", "TrainedSuggester")
    for pk, blob in TrainedSuggester.objects.filter(active=True).values_list("pk", "model"):
        if bytes(blob[:9]) == b"CLAIMCRF1":
            TrainedSuggester.objects.filter(pk=pk).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("annotator", "0011_claim_search_text")]
    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
