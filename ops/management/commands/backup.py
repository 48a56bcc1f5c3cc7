"""`manage.py backup DIRECTORY [--keep N]`: a backup of the database and its manifest."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = (
        "Zálohuje databázi do adresáře (SQLite: online backup API, PostgreSQL: pg_dump "
        "--format=custom) a zapíše k záloze manifest s počty řádků a SHA-256. / Backs up "
        "the database into DIRECTORY with a manifest (row counts, SHA-256); see docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", help="where to write spojka-YYYYMMDD-HHMMSS.*")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            metavar="N",
            help="afterwards delete all but the N newest backups in DIRECTORY",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options) -> None:
        say = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        try:
            result = backup(options["directory"], using=options["database"], say=say)
            if options["keep"] is not None:
                prune(options["directory"], options["keep"], say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
