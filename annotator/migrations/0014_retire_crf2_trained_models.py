from django.db import migrations


def retire(apps, schema_editor):
    """Models stored in the second format (b"CLAIMCRF2") were trained on features this
    release no longer gives them (false flags, "O" marks): they stop being the project's
    suggester, so the dashboard says the rules are in use until the project trains again.
    Their figures stay for the record."""
    TrainedSuggester = apps.get_model("annotator", "TrainedSuggester")
    for pk, blob in TrainedSuggester.objects.filter(active=True).values_list("pk", "model"):
        if bytes(blob[:9]) == b"CLAIMCRF2":
            TrainedSuggester.objects.filter(pk=pk).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("annotator", "0013_document_meta_json")]
    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
