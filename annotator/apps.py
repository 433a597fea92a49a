from importlib import import_module

from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Claim annotation"

    def ready(self) -> None:
        from annotator.jobs import KIND_MODULES

        for module in KIND_MODULES:  # each registers its job kinds
            import_module(module)
