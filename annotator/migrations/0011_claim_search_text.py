from django.db import DatabaseError, migrations, models, transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Substr


def copy_claim_texts(apps, schema_editor):
    """Each existing claim's text, sliced from its document in one statement."""
    Claim = apps.get_model("annotator", "Claim")
    Document = apps.get_model("annotator", "Document")
    text = Subquery(Document.objects.filter(pk=OuterRef("document_id")).values("text")[:1])
    Claim.objects.update(
        search_text=Substr(text, F("claim_start") + 1, F("claim_end") - F("claim_start"))
    )


def trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index for the explorer's word search (``icontains`` is
    ``UPPER(x) LIKE UPPER(y)``). pg_trgm is a trusted extension, so a database owner may add
    it; where it cannot be added the search still works, by reading every claim."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        print("\n  pg_trgm is not available: the explorer's word search will not use an index")
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS claim_search_trgm"
        " ON annotator_claim USING gin (UPPER(search_text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claim_search_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0010_trained_suggester"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(copy_claim_texts, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
