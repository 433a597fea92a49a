"""Document.meta as PostgreSQL json (text, checked) instead of jsonb: imports no longer parse
every meta into jsonb, and meta keeps its key order (models.fields.TextJSONField).

The ALTER rewrites the documents table (jsonb to json text, under an exclusive lock): a few
seconds per 100,000 documents here (docs/scaling.md). SQLite's column does not change, and
its table is left alone: a bare AlterField would have SQLite copy every document.
"""

import annotator.models.fields
from django.db import migrations


def _column_type(name: str):
    def alter(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE annotator_document ALTER COLUMN meta TYPE {name}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0012_retire_old_trained_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="document",
                    name="meta",
                    field=annotator.models.fields.TextJSONField(blank=True, default=dict),
                ),
            ],
            database_operations=[
                migrations.RunPython(_column_type("json"), _column_type("jsonb")),
            ],
        ),
    ]
