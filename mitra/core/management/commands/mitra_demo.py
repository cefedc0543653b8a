from django.core.management.base import BaseCommand

from mitra.core.registry import demo_providers


class Command(BaseCommand):
    help = "Load demo data from every app (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--parties", type=int, default=None)

    def handle(self, *args, **options):
        for provider in demo_providers():
            provider(stdout=self.stdout, **{k: v for k, v in options.items() if k == "parties"})
