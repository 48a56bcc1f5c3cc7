"""`manage.py import_hsds DIR [--territory SLUG]`: load an HSDS 3.0 data package (upsert)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from directory.hsds_package import PackageError, import_package
from territory.models import Territory


class Command(BaseCommand):
    help = (
        "Load an Open Referral HSDS 3.0 data package (CSV tables, as export_hsds writes "
        "them) from DIR, creating or updating records by id. Everything is validated first; "
        "a package with errors changes nothing. --territory only checks that the territory "
        "exists and reports how many imported services serve it."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="directory with the CSV tables")
        parser.add_argument("--territory", metavar="SLUG", help="territory to report on")

    def handle(self, *args, directory, territory=None, **options):
        scope = None
        if territory:
            scope = Territory.objects.filter(slug=territory).first()
            if scope is None:
                raise CommandError(f"Unknown territory '{territory}'.")
        try:
            result = import_package(directory, territory=scope, stdout=self.stdout.write)
        except PackageError as exc:
            count = len([e for e in exc.errors if not e.startswith("(stopped")])
            raise CommandError(
                f"The package has {count} error(s); nothing was imported.\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(self.style.SUCCESS(result.summary(scope)))
