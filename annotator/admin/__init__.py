"""The Django admin as a reviewer's tool: one module per concern, each registering its
models; every admin is scoped to the projects its staff user reviews or manages."""

from annotator.admin import claims, documents, entities, projects  # noqa: F401
