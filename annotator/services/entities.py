"""Entities: the canonical speakers and targets of a project, with their aliases."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from annotator.models import Claim, Entity, Project, Suggestion
from annotator.models.document import WIKIDATA_ID, EntityType
from annotator.services.access import Access
from annotator.services.errors import DomainError

MAX_ALIASES = 100


def _aliases(value: object, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise DomainError("aliases must be a list of names", field="aliases")
    aliases: list[str] = []
    for alias in (a.strip() for a in value):
        if alias and alias.lower() != name.lower() and alias not in aliases:
            aliases.append(alias[:200])
    if len(aliases) > MAX_ALIASES:
        raise DomainError(f"at most {MAX_ALIASES} aliases", field="aliases")
    return aliases


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError("an entity needs a name", field="name")
    if len(value.strip()) > 200:
        raise DomainError("a name has at most 200 characters", field="name")
    return value.strip()


def wikidata_id(value: object) -> str:
    """A Wikidata item id ("Q30"), or "" for none; checked for its form only."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not re.fullmatch(WIKIDATA_ID, value.strip()):
        raise DomainError("a Wikidata id is Q and a number, like Q30", field="wikidata")
    return value.strip()


def entity_type(value: object) -> str:
    """One of the entity types, or "" for none."""
    if value is None or value == "":
        return ""
    if value not in EntityType.values:
        raise DomainError(f"type is one of {', '.join(EntityType.values)}", field="type")
    return str(value)


def create_entity(access: Access, data: Mapping[str, Any]) -> Entity:
    """Any member may create an entity while annotating; names are unique per project."""
    name = _name(data.get("name"))
    entity = Entity(
        project=access.project,
        name=name,
        aliases=_aliases(data.get("aliases"), name),
        wikidata=wikidata_id(data.get("wikidata")),
        type=entity_type(data.get("type")),
    )
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise DomainError(
            f"an entity named {name!r} already exists", field="name", code="exists"
        ) from None
    return entity


def update_entity(access: Access, entity: Entity, data: Mapping[str, Any]) -> Entity:
    """Rename an entity or change its aliases, Wikidata id or type (managers and reviewers)."""
    access.require_reviewer()
    if "name" in data:
        entity.name = _name(data["name"])
    if "aliases" in data:
        entity.aliases = _aliases(data["aliases"], entity.name)
    if "wikidata" in data:
        entity.wikidata = wikidata_id(data["wikidata"])
    if "type" in data:
        entity.type = entity_type(data["type"])
    try:
        with transaction.atomic():
            entity.save()
    except IntegrityError:
        raise DomainError(
            f"an entity named {entity.name!r} already exists", field="name", code="exists"
        ) from None
    return entity


def search_entities(project: Project, query: str, limit: int = 10) -> QuerySet[Entity]:
    """Entities whose name or an alias contains the query, names starting with it first."""
    query = query.strip().lower()
    entities = Entity.objects.filter(project=project)
    if query:
        entities = entities.filter(search__contains=query)
    return entities.order_by("name")[:limit]


def _name_forms(mention: str) -> list[str]:
    """A mention as an entity might be listed: as written, without a leading "the", without
    a possessive: "The United States" → "the united states", "united states"."""
    forms = [" ".join(mention.split()).lower()]
    for form in list(forms):
        if form.startswith("the "):
            forms.append(form[4:])
    for form in list(forms):
        if form.endswith(("'s", "’s")):
            forms.append(form[:-2])
    return [f for f in dict.fromkeys(forms) if f]


def entity_named(project: Project, mention: str) -> Entity | None:
    """The project's entity whose name or an alias is exactly this mention, if just one is."""
    forms = _name_forms(mention)
    if not forms or len(forms[0]) > 200:
        return None
    query = Q()
    for form in forms:
        query |= Q(search__contains=form)
    candidates = Entity.objects.filter(Q(project=project) & query)[:20]
    matches = [e for e in candidates if set(forms) & set(e.search.split("\n"))]
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def merge_entities(access: Access, into: Entity, others: Iterable[Entity]) -> Entity:
    """Merge duplicates ("US", "U.S.") into one entity: their names and aliases become its
    aliases, every claim and suggestion naming them names it instead, and they are deleted.
    Claims keep their history (a new record each, version bumped so that a form opened
    before the merge is refused), and the entities' history says into which they went.
    All must be entities of the access's project."""
    access.require_reviewer()
    ids = {e.pk for e in others} - {into.pk}
    if not ids:
        raise DomainError("choose at least two entities to merge", field="entities")
    # Locked in id order: two merges of overlapping entities queue instead of deadlocking.
    locked = list(Entity.objects.select_for_update().filter(pk__in=[into.pk, *ids]).order_by("pk"))
    if {e.project_id for e in locked} != {access.project.pk} or len(locked) != len(ids) + 1:
        raise DomainError(
            "only entities of the same project can be merged (one has been deleted or "
            "belongs to another project)",
            field="entities",
        )
    kept = next(e for e in locked if e.pk == into.pk)
    merged = [e for e in locked if e.pk != into.pk]
    names = [*kept.aliases, *(n for e in merged for n in (e.name, *e.aliases))]
    kept.aliases = _aliases(names, kept.name)
    reason = "merged " + ", ".join(repr(e.name) for e in merged) + f" into {kept.name!r}"
    kept._change_reason, kept._history_user = reason, access.user
    kept.save()
    claims = list(
        Claim.objects.select_for_update()
        .filter(Q(speaker_entity__in=ids) | Q(target_entity__in=ids))
        .order_by("pk")
    )
    now = timezone.now()
    for claim in claims:
        if claim.speaker_entity_id in ids:
            claim.speaker_entity_id = kept.pk
        if claim.target_entity_id in ids:
            claim.target_entity_id = kept.pk
        claim.version += 1
        claim.updated_at = now
    bulk_update_with_history(
        claims,
        Claim,
        ["speaker_entity", "target_entity", "version", "updated_at"],
        default_user=access.user,
        default_change_reason=reason,
    )
    Suggestion.objects.filter(speaker_entity__in=ids).update(speaker_entity=kept)
    Suggestion.objects.filter(target_entity__in=ids).update(target_entity=kept)
    for entity in merged:
        entity._change_reason, entity._history_user = reason, access.user
        entity.delete()
    return kept
