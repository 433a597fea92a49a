"""Document.meta as PostgreSQL json (text, checked) instead of jsonb: imports no longer parse
every meta into jsonb, and meta keeps its key order (models.fields.TextJSONField).

The ALTER rewrites the documents table (jsonb to json text, under an exclusive lock): a few
seconds per 100,000 documents here (docs/scaling.md). SQLite's column does not change.
"""

import annotator.models.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0012_retire_old_trained_models"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="meta",
            field=annotator.models.fields.TextJSONField(blank=True, default=dict),
        ),
    ]
