from django.core.management.base import BaseCommand

from mitra.core.registry import demo_providers


class Command(BaseCommand):
    help = "Load demo data from every app (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--parties", type=int, default=None, help="how many demo parties")
        parser.add_argument(
            "--activities-for",
            type=int,
            default=None,
            help="give activities to this many parties (default 20,000; 0 = all)",
        )

    def handle(self, *args, **options):
        for provider in demo_providers():
            keys = ("parties", "activities_for")
            provider(stdout=self.stdout, **{k: v for k, v in options.items() if k in keys})
