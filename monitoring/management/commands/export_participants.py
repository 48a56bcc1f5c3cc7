"""`manage.py export_participants PROJECT --output FILE`: participant cards for the managing
authority's system, in the layout of docs/participants-export.md."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts import audit
from accounts.models import AuditEntry
from directory.models import Organization
from monitoring.models import Participant, Project
from monitoring.reports import write_participants_csv, write_participants_xlsx


class Progress:
    """A progress bar on a terminal, a line every few seconds in a log."""

    def __init__(self, out, *, width: int = 30, interval: float = 0.5) -> None:
        self.out = out
        self.width = width
        self.interval = interval
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        final = done >= total
        if not final and now - self.last < (self.interval if self.tty else 5.0):
            return
        self.last = now
        fraction = done / total if total else 1.0
        filled = int(fraction * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        text = (
            f"Exporting [{bar}] {fraction * 100:5.1f} %  {done:,}/{total:,} cards, "
            f"{now - self.started:.0f} s"
        )
        line = ("\r" + text + ("\n" if final else "")) if self.tty else text + "\n"
        try:
            # Django's OutputWrapper colours stderr; a progress bar is not an error.
            self.out.write(line, ending="", style_func=lambda s: s)
        except TypeError:
            self.out.write(line)
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Export the participant cards of a project (by registration number or id) as XLSX or "
        "CSV in the documented layout (docs/participants-export.md), for transfer to the "
        "managing authority's system. --organization limits it to one organisation's "
        "persons. The file is written whole or not at all; the export is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="registration number or id of the project")
        parser.add_argument("--output", "-o", required=True, help="file to write")
        parser.add_argument(
            "--format",
            choices=["xlsx", "csv"],
            help="file format (default: from the file's extension, else xlsx)",
        )
        parser.add_argument(
            "--organization", metavar="ICO_OR_ID", help="only persons of this organisation"
        )
        parser.add_argument(
            "--reason", default="", help="why the export is made (kept in the audit log)"
        )

    def handle(self, *args, project, output, format=None, organization=None, reason="", **opts):
        found = self._project(project)
        cards = Participant.objects.filter(project=found)
        if organization:
            org = self._organization(organization)
            cards = cards.filter(organization=org)
        target = Path(output)
        fmt = format or ("csv" if target.suffix.lower() == ".csv" else "xlsx")
        if not target.parent.exists():
            raise CommandError(f"Directory {target.parent} does not exist.")
        counts = Counter(cards.values_list("organization_id", flat=True))
        total = sum(counts.values())
        self.stdout.write(f"Project {found.registration_number}: {total:,} participant cards")
        progress = Progress(self.stderr)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=f".{fmt}")
        try:
            if fmt == "csv":
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                    written = write_participants_csv(cards, out, progress=progress)
            else:
                with os.fdopen(handle, "wb") as out:
                    written = write_participants_xlsx(cards, out, progress=progress)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for organization_id, count in counts.items():
            audit.record(
                actor=None,
                action=AuditEntry.Action.EXPORT,
                object_type="monitoring.participant",
                object_id=str(found.pk),
                organization_id=organization_id,
                count=count,
                reason=reason or f"export_participants {fmt}",
                via="command",
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {written:,} participant cards of {len(counts)} "
                f"organisation{'' if len(counts) == 1 else 's'} to "
                f"{target} ({fmt.upper()}, {target.stat().st_size / 1024:.0f} kB)."
            )
        )

    @staticmethod
    def _project(value: str) -> Project:
        query = Project.objects.filter(registration_number=value.strip().upper())
        with contextlib.suppress(ValueError):
            query = query | Project.objects.filter(pk=uuid.UUID(value))
        found = query.first()
        if found is None:
            raise CommandError(f"No project with registration number or id '{value}'.")
        return found

    @staticmethod
    def _organization(value: str) -> Organization:
        query = Organization.objects.filter(ico=value.strip())
        with contextlib.suppress(ValueError):
            query = query | Organization.objects.filter(pk=uuid.UUID(value))
        found = query.first()
        if found is None:
            raise CommandError(f"No organisation with IČO or id '{value}'.")
        return found
