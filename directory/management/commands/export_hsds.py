"""`manage.py export_hsds DIR [--territory SLUG]`: the directory as an HSDS 3.0 data package."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from directory.hsds_package import export_package
from territory.models import Territory


class Command(BaseCommand):
    help = (
        "Write the directory as an Open Referral HSDS 3.0 data package (CSV tables and "
        "datapackage.json) into DIR; with --territory only the services that serve the "
        "territory. See directory/hsds_package.py for the Czech profile."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory to write into (created if needed)")
        parser.add_argument("--territory", metavar="SLUG", help="only services of this territory")

    def handle(self, *args, directory, territory=None, **options):
        scope = None
        if territory:
            scope = Territory.objects.filter(slug=territory).first()
            if scope is None:
                raise CommandError(f"Unknown territory '{territory}'.")
        self.stdout.write(f"Exporting HSDS 3.0 data package to {directory}")
        counts = export_package(directory, territory=scope, stdout=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {counts['service']} services, {counts['organization']} "
                f"organizations, {counts['location']} locations "
                f"({sum(counts.values())} rows in {len(counts)} tables) to {directory}."
            )
        )
