"""REST API for interactions, appointments, tasks and notes (filled in below)."""


def register(router):
    pass
