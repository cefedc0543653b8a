"""REST API for parties, roles, contact points, addresses and groups (filled in below)."""


def register(router):
    pass
