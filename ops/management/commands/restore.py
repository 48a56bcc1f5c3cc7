"""`manage.py restore FILE`: replace the database with a backup of `manage.py backup`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Obnoví databázi ze zálohy příkazu backup (nejdřív zastavte aplikaci). / Replaces the "
        "database with a backup made by `manage.py backup`: checks it against its manifest, "
        "restores it, rebuilds the full-text index and compares the row counts. Stop the "
        "application first; see docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="spojka-….sqlite3 or spojka-….dump")
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="only check the file against its manifest; change nothing",
        )
        parser.add_argument(
            "--no-reindex", action="store_true", help="do not rebuild the full-text index"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask before replacing the database",
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options) -> None:
        try:
            if options["check_only"]:
                manifest = verify(options["file"])
                if manifest is None:
                    self.stdout.write(f"{options['file']}: readable, but it has no manifest.")
                else:
                    rows = sum(manifest["tables"].values())
                    self.stdout.write(
                        self.style.SUCCESS(
                            f"{options['file']}: matches its manifest ({manifest['vendor']}, "
                            f"{len(manifest['tables'])} tables, {rows:,} rows, made "
                            f"{manifest['created_at']})."
                        )
                    )
                return
            if options["interactive"]:
                answer = input(
                    f"Replace the database {options['database']!r} with {options['file']}? "
                    "Everything stored since the backup is lost. Type 'yes': "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled; nothing was changed.")
            say = self.stdout.write if options["verbosity"] > 0 else (lambda message: None)
            result = restore(
                options["file"],
                using=options["database"],
                reindex=not options["no_reindex"],
                say=say,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    "The code has newer migrations than the backup "
                    f"({', '.join(result.pending_migrations)}): run `manage.py migrate`."
                )
            )
