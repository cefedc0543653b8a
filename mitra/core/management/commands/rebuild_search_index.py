from django.core.management.base import BaseCommand, CommandError

from mitra.core import search


class Command(BaseCommand):
    help = "Rebuild the substring search index (all kinds, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="e.g. party; default: every kind")

    def handle(self, *args, **options):
        names = options["kinds"] or [k.name for k in search.kinds()]
        known = {k.name for k in search.kinds()}
        if unknown := [n for n in names if n not in known]:
            raise CommandError(
                f"unknown search kinds: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        for name in names:
            count = search.rebuild(name, stdout=self.stdout).get(name, 0)
            self.stdout.write(f"{name}: {count} indexed")
