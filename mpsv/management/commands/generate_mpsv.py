"""`manage.py generate_mpsv PATH [--services N] [--seed S]`: a synthetic registry file."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from mpsv.synthetic import Generator


class Command(BaseCommand):
    help = (
        "Zapíše syntetický soubor registru MPSV ve tvaru rpss.json. / Writes a synthetic "
        "MPSV registry file in the shape of rpss.json (national size by default: 7,000 "
        "services, ~19,000 facilities, with the pitfalls of the real data) for benchmarks."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="where to write the JSON file")
        parser.add_argument("--services", type=int, default=7000)
        parser.add_argument("--seed", type=int, default=20_260_101)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        self.stdout.write(f"Generating {options['services']:,} services …")
        stats = Generator(services=options["services"], seed=options["seed"]).write(options["path"])
        self.stdout.write(
            self.style.SUCCESS(
                f"MPSV synthetic file: {stats['services']:,} services, "
                f"{stats['facilities']:,} facilities, {stats['providers']:,} providers "
                f"written to {options['path']} in {time.perf_counter() - started:.1f} s."
            )
        )
