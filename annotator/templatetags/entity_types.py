"""``{% entity_types as types %}``: the entity types, for the forms that set them."""

from django import template

from annotator.models.document import EntityType

register = template.Library()


@register.simple_tag
def entity_types() -> list[tuple[str, str]]:
    return EntityType.choices
