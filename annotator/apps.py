from importlib import import_module

from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Claim annotation"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from annotator.jobs import KIND_MODULES
        from annotator.models.fields import json_as_text

        connection_created.connect(json_as_text)

        for module in KIND_MODULES:  # each registers its job kinds
            import_module(module)
