"""Test helper for lists: the query count of a list page for each persona, in one call.

    from mitra.core.tables.testing import assert_list_queries

    assert_list_queries(self, reverse("users:teams"), {"admin": 5, "owner": 4}, warm=True)

Each persona signs in, the page is asked once to warm the caches (with `warm`), then once
under `assertNumQueries`; a persona given None must get 403 or 404 instead. Parameters in
`params` are sent with every request (a filter, a sort).
"""


def assert_list_queries(test, url, counts, *, params=None, warm=True, status=200):
    """`counts`: {persona name: number of queries, or None for "may not see the list"}."""
    for name, expected in counts.items():
        user = getattr(test, name, None) or getattr(test.p, name)
        with test.subTest(persona=name):
            test.client.force_login(user)
            if expected is None:
                response = test.client.get(url, params or {})
                test.assertIn(response.status_code, (403, 404), name)
                continue
            if warm:
                test.client.get(url, params or {})
            with test.assertNumQueries(expected):
                response = test.client.get(url, params or {})
            test.assertEqual(response.status_code, status, name)
            test.client.logout()
