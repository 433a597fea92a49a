import orjson
from django.core.management.base import BaseCommand, CommandParser

from annotator.management.commands._jobs import add_enqueue_argument, enqueue
from annotator.management.commands._project import named_project
from annotator.services.agreement import project_agreement


def _fmt(value: object) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


class Command(BaseCommand):
    help = (
        "Inter-annotator agreement over documents with at least two submitted annotators: "
        "span F1 (exact, overlap), stance kappa and alpha, speaker and target agreement, and "
        "PolNeAR's token-wise alpha and attribution-wise agreement."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project slug")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        add_enqueue_argument(parser)

    def handle(self, *args, **options) -> None:
        project = named_project(options["project"])
        if options["enqueue"]:
            enqueue(self, project, "agreement", {})
            return
        result = project_agreement(project)
        if options["json"]:
            self.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
            return
        stance = result["stance"]
        attribution = result["attribution"]
        lines = [
            f"project {project.slug}: {result['documents']} documents with 2+ submitted "
            f"annotators ({', '.join(result['annotators']) or 'none'})",
            f"claim span F1     exact {_fmt(result['span_f1']['exact'])}   "
            f"overlap {_fmt(result['span_f1']['overlap'])}",
            f"stance            Cohen's kappa (mean of pairs) {_fmt(stance['cohen_kappa_mean'])}"
            f"   Krippendorff's alpha {_fmt(stance['krippendorff_alpha'])}"
            f"   on {stance['matched_pairs']} matched pairs",
            f"speaker agreement {_fmt(result['speaker_agreement'])}",
            f"target agreement  {_fmt(result['target_agreement'])}",
            f"PolNeAR's measures: token-wise α (source/cue/content/none) "
            f"{_fmt(attribution['token_alpha'])} over {attribution['tokens']} tokens "
            f"(published 0.754); attribution-wise agreement {_fmt(attribution['agr'])} "
            f"(published 0.923)",
        ]
        agr = {(p["a"], p["b"]): p["agr"] for p in attribution["pairs"]}
        for pair in result["pairs"]:
            lines.append(
                f"  {pair['a']} × {pair['b']}: F1 exact {_fmt(pair['exact']['f1'])}, "
                f"overlap {_fmt(pair['overlap']['f1'])}, kappa {_fmt(pair['cohen_kappa'])}, "
                f"agr {_fmt(agr.get((pair['a'], pair['b'])))}"
            )
        self.stdout.write("\n".join(lines))
