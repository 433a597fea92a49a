"""The shapes of requests and responses, for the OpenAPI schema.

The services validate (offsets, scheme, entities, import rules) so that the API, the web
pages and the commands refuse the same things with the same messages; these serializers only
describe what goes over the wire.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotator.models.document import GoldStatus
from annotator.models.project import Role
from annotator.models.workflow import AssignmentStatus, Decision


@extend_schema_field(
    {
        "oneOf": [{"type": "integer"}, {"type": "string"}],
        "nullable": True,
        "description": "The entity's id, or its name or one of its aliases.",
    }
)
class EntityRefField(serializers.Field):
    pass


# Responses -----------------------------------------------------------------------------------


class FragmentSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code-point offset into the text, inclusive.")
    end = serializers.IntegerField(help_text="Code-point offset, exclusive.")
    text = serializers.CharField(help_text="Always equal to text[start:end].")


FRAGMENTS_HELP = (
    "Only on a discontinuous span: its pieces in text order, not overlapping; start and end "
    "are then the outer extent (first piece's start, last piece's end)."
)


class SpanSerializer(FragmentSerializer):
    fragments = FragmentSerializer(many=True, required=False, help_text=FRAGMENTS_HELP)


class EntitySpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(allow_null=True)
    fragments = FragmentSerializer(many=True, required=False, help_text=FRAGMENTS_HELP)
    entity = serializers.CharField(allow_null=True, help_text="The entity's canonical name.")


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.CharField(help_text="The claim's id in exports, kept across projects.")
    claim = SpanSerializer()
    speaker = EntitySpanSerializer(allow_null=True)
    cue = SpanSerializer(allow_null=True)
    stance = serializers.CharField(allow_null=True)
    target = EntitySpanSerializer(allow_null=True)
    attributes = serializers.DictField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)
    document = serializers.IntegerField()
    annotator = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back with PATCH and DELETE.")
    gold = serializers.BooleanField(help_text="Part of the adjudicated gold set.")


class StaleClaimSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = ClaimSerializer(help_text="The claim as it is now.")


class SchemeSerializer(serializers.Serializer):
    stance_labels = serializers.ListField(child=serializers.CharField())
    attributes = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    overlap = serializers.IntegerField(min_value=1, max_value=20)
    blind = serializers.BooleanField()


class ProjectSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    guidelines = serializers.CharField(allow_blank=True)
    scheme = SchemeSerializer()
    role = serializers.ChoiceField(choices=Role.choices, help_text="Your role in the project.")
    created_at = serializers.DateTimeField()


class DocumentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_null=True)
    published = serializers.CharField(allow_null=True)
    meta = serializers.DictField()
    gold_status = serializers.ChoiceField(
        choices=[c for c in GoldStatus.values if c], allow_null=True
    )
    created_at = serializers.DateTimeField()


class DocumentSerializer(DocumentSummarySerializer):
    project = serializers.SlugField()
    text = serializers.CharField()
    claims = ClaimSerializer(many=True, help_text="The claims you may see on this document.")


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Already present with the same text.")


ENTITY_TYPES = ["person", "organisation", "country", "other"]


class EntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    wikidata = serializers.CharField(allow_null=True, help_text="Wikidata item id, e.g. Q30.")
    type = serializers.ChoiceField(choices=ENTITY_TYPES, allow_null=True)


class AssignmentSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    annotator = serializers.CharField()
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    review = serializers.ChoiceField(choices=Decision.choices, allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)


class AssignInputSerializer(serializers.Serializer):
    overlap = serializers.IntegerField(
        required=False, min_value=1, help_text="Annotators per document (default: the scheme's)."
    )
    annotators = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Only these annotators."
    )


class AssignResultSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text="New assignments made; existing ones stay.")


class SpanFiguresSerializer(serializers.Serializer):
    exact = serializers.FloatField(allow_null=True)
    overlap = serializers.FloatField(allow_null=True)


class AgreementSerializer(serializers.Serializer):
    project = serializers.SlugField()
    documents = serializers.IntegerField(help_text="Documents with two or more submitted sets.")
    annotators = serializers.ListField(child=serializers.CharField())
    pairs = serializers.ListField(child=serializers.DictField())
    span_f1 = SpanFiguresSerializer()
    span_precision = SpanFiguresSerializer()
    span_recall = SpanFiguresSerializer()
    stance = serializers.DictField()
    speaker_agreement = serializers.FloatField(allow_null=True)
    speaker_pairs = serializers.IntegerField()
    target_agreement = serializers.FloatField(allow_null=True)
    target_pairs = serializers.IntegerField()
    per_annotator = serializers.DictField(child=serializers.DictField())
    attribution = serializers.DictField(
        help_text="PolNeAR's measures: token_alpha (token-wise Krippendorff's alpha over "
        "source/cue/content/none), agr (attribution-wise agreement), per pair; see the README."
    )


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="Position in the list, from 0.")
    line = serializers.IntegerField(allow_null=True, help_text="The same, counted from 1.")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """``{"field": ["message"]}`` for an invalid body, else ``detail``; bulk posts add
    ``errors``, one per refused item."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    errors = ItemErrorSerializer(many=True, required=False)


# Requests ------------------------------------------------------------------------------------


class FragmentInputSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField(
        required=False, allow_null=True, help_text="Optional; must equal text[start:end]."
    )


FRAGMENTS_INPUT_HELP = (
    "A discontinuous span: its pieces in text order, not overlapping. start and end may then "
    "be left out (they are the outer extent)."
)


class SpanInputSerializer(FragmentInputSerializer):
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    fragments = FragmentInputSerializer(many=True, required=False, help_text=FRAGMENTS_INPUT_HELP)


class EntitySpanInputSerializer(serializers.Serializer):
    start = serializers.IntegerField(required=False, allow_null=True)
    end = serializers.IntegerField(required=False, allow_null=True)
    text = serializers.CharField(required=False, allow_null=True)
    fragments = FragmentInputSerializer(many=True, required=False, help_text=FRAGMENTS_INPUT_HELP)
    entity = EntityRefField(required=False)


class NewClaimSerializer(serializers.Serializer):
    claim = SpanInputSerializer()
    speaker = EntitySpanInputSerializer(required=False, allow_null=True)
    cue = SpanInputSerializer(required=False, allow_null=True)
    stance = serializers.CharField(
        required=False, allow_null=True, help_text="One of the project's stance labels."
    )
    target = EntitySpanInputSerializer(required=False, allow_null=True)
    attributes = serializers.DictField(
        child=serializers.CharField(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class ClaimChangeSerializer(NewClaimSerializer):
    claim = SpanInputSerializer(required=False)
    version = serializers.IntegerField(help_text="The version you last read.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Or send ?version=N.")


class SchemeInputSerializer(serializers.Serializer):
    stance_labels = serializers.ListField(child=serializers.CharField(), required=False)
    attributes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    overlap = serializers.IntegerField(min_value=1, max_value=20, required=False)
    blind = serializers.BooleanField(required=False)


class NewProjectSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=60)
    name = serializers.CharField(required=False, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    guidelines = serializers.CharField(required=False, allow_blank=True)
    scheme = SchemeInputSerializer(required=False, allow_null=True)


class ProjectChangeSerializer(NewProjectSerializer):
    slug = None  # a project's slug does not change
    scheme = SchemeInputSerializer(required=False)


class DocumentRecordSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=200, help_text="Unique in the project.")
    title = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    text = serializers.CharField(help_text="Stored exactly as sent; offsets index into it.")
    url = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    published = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="ISO 8601."
    )
    meta = serializers.DictField(required=False, allow_null=True)


class EntityInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    aliases = serializers.ListField(child=serializers.CharField(), required=False)
    wikidata = serializers.RegexField(
        r"^Q[1-9][0-9]*$", required=False, allow_blank=True, help_text="e.g. Q30; checked for form."
    )
    type = serializers.ChoiceField(choices=ENTITY_TYPES, required=False, allow_blank=True)


# Jobs ----------------------------------------------------------------------------------------


class JobErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="Line (or item) of the input.")
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="This job in the API.")
    project = serializers.CharField(help_text="The project's slug.")
    owner = serializers.CharField(allow_null=True, help_text="Null for the command line.")
    kind = serializers.CharField(help_text="import_documents, import_annotations, suggest, ...")
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=["queued", "running", "done", "failed", "cancelled"])
    cancel_requested = serializers.BooleanField()
    progress = serializers.DictField(help_text="{done, total (null if unknown), unit}")
    result = serializers.DictField(help_text="Counts or figures, when done.")
    message = serializers.CharField()
    errors = JobErrorSerializer(many=True)
    input_name = serializers.CharField()
    download = serializers.CharField(allow_null=True, help_text="The job's file, when done.")
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class JobStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["suggest", "export", "agreement", "train_suggester"])
    params = serializers.DictField(
        required=False,
        help_text='suggest: {"documents": [id, ...]}; export: {"format" (claims, brat, '
        'label-studio), "per", "status", "gold"}; train_suggester: {"include_submitted": bool}.',
    )


def _interval(figure: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        allow_null=True,
        help_text=f"[low, high]: 95 % bootstrap interval of {figure} over the held-out "
        "documents (null for a model trained before intervals were kept).",
    )


class HeldOutSerializer(serializers.Serializer):
    precision = serializers.FloatField()
    recall = serializers.FloatField()
    f1 = serializers.FloatField()
    speaker = serializers.FloatField(allow_null=True, help_text="Speaker right on matched claims.")
    f1_95 = _interval("f1")
    speaker_95 = _interval("speaker")


class TrainedFiguresSerializer(serializers.Serializer):
    trained = HeldOutSerializer()
    rules = HeldOutSerializer()


class TrainedSuggesterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    active = serializers.BooleanField()
    documents = serializers.IntegerField(help_text="Training documents.")
    claims = serializers.IntegerField(help_text="Training claims.")
    held_out_documents = serializers.IntegerField()
    held_out_claims = serializers.IntegerField()
    seconds = serializers.FloatField(help_text="Training time.")
    held_out = TrainedFiguresSerializer(
        help_text="The trained model's and the rules' figures on the same held-out documents."
    )


class SuggesterStatusSerializer(serializers.Serializer):
    in_use = serializers.ChoiceField(choices=["rules", "trained"])
    trained = TrainedSuggesterSerializer(
        allow_null=True, help_text="The active trained suggester, else the latest one."
    )
