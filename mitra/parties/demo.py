"""Demo parties in English, Thai and Persian (filled in below)."""


def load(stdout=None, parties=None, **options):
    return 0
