"""`manage.py import_mpsv PATH_OR_URL [--territory SLUG] [--codelists DIR]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from mpsv.progress import ProgressBar
from mpsv.services import ImportFailed, import_registry


class Command(BaseCommand):
    help = (
        "Importuje registr poskytovatelů sociálních služeb MPSV (rpss.json, soubor nebo "
        "URL). / Imports the MPSV registry of social services (a file or an http(s) URL): "
        "creates and updates services by portalId, marks ended registrations, reports "
        "rejected records. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", metavar="PATH_OR_URL", help="rpss.json or its URL")
        parser.add_argument(
            "--territory",
            metavar="SLUG",
            help="import only services with a facility or service area in this territory",
        )
        parser.add_argument(
            "--codelists",
            metavar="DIR",
            help="directory with MPSV code lists (druhy-socialni-sluzby.json, "
            "cilove-skupiny-osoby.json, …) to match codes to the catalog by name",
        )

    def handle(self, *args, **options) -> None:
        source = options["source"]
        progress = (
            ProgressBar(self.stderr, "MPSV import") if options.get("verbosity", 1) > 0 else None
        )
        try:
            result = import_registry(
                source,
                territory=options.get("territory"),
                codelists=options.get("codelists"),
                progress=progress,
            )
        except ImportFailed as exc:
            if exc.result is not None and exc.result.items:
                for line in exc.result.report_lines():
                    self.stdout.write(line)
                raise CommandError(
                    f"{exc} — the import stopped; the services written before it are "
                    "complete, run the import again with a good file."
                ) from exc
            raise CommandError(str(exc)) from exc
        lines = result.report_lines()
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
        self.stdout.write(f"({result.items:,} records read in {result.seconds:.1f} s)")
