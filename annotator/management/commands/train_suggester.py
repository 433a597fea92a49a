import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._project import named_project
from annotator.services.errors import DomainError
from annotator.services.training import train_suggester


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Train a claim suggester on the project's gold and accepted claims, score it and the "
        "rules on held-out documents, and use it for the project's suggestions if it is better."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument(
            "--include-submitted",
            action="store_true",
            help="also learn from submitted sets nobody reviewed (an imported corpus)",
        )
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        if options["enqueue"]:
            enqueue(
                self,
                project,
                "train_suggester",
                {"include_submitted": options["include_submitted"]},
            )
            return
        tty = sys.stderr.isatty()
        shown = [-1]

        def progress(done: int, total: int | None = None) -> None:
            percent = done * 100 // total if total else 0
            if tty and percent != shown[0]:
                shown[0] = percent
                sys.stderr.write(f"\rtraining: {percent}% ({done}/{total} steps)")
                sys.stderr.flush()

        try:
            s = train_suggester(
                project, include_submitted=options["include_submitted"], progress=progress
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        if tty:
            sys.stderr.write("\n")
        self.stdout.write(
            f"trained on {s.documents} documents ({s.claims} claims) in {s.seconds:.1f} s; "
            f"held out {s.held_out_documents} documents ({s.held_out_claims} claims)"
        )
        for name, p, r, f, spk in (
            ("trained", s.precision, s.recall, s.f1, s.speaker),
            ("rules", s.rules_precision, s.rules_recall, s.rules_f1, s.rules_speaker),
        ):
            self.stdout.write(
                f"{name:<8} precision {_figure(p)} recall {_figure(r)} F1 {_figure(f)} "
                f"speaker {_figure(spk)}"
            )
        if s.active:
            self.stdout.write("the trained suggester beats the rules: suggestions now use it")
        else:
            self.stdout.write("the rules do as well or better: suggestions keep using them")
