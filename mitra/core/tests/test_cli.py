import io
from contextlib import redirect_stdout

from django.test import TestCase

from mitra import cli
from mitra.users.models import Role, Team, User


class CliTest(TestCase):
    def test_demo_is_idempotent(self):
        cli.cmd_demo(type("O", (), {"parties": 0, "activities_for": None})())
        counts = (User.objects.count(), Team.objects.count(), Role.objects.count())
        cli.cmd_demo(type("O", (), {"parties": 0, "activities_for": None})())
        self.assertEqual(counts, (User.objects.count(), Team.objects.count(), Role.objects.count()))
        self.assertTrue(User.objects.filter(username="sara", calendar="jalali").exists())

    def test_createuser_and_check(self):
        cli.main(
            ["createuser", "kim", "--password", "long enough pass 1", "--email", "kim@example.com"]
        )
        self.assertTrue(User.objects.get(username="kim").check_password("long enough pass 1"))
        out = io.StringIO()
        with redirect_stdout(out):
            cli.main(["check"])
        self.assertIn("database ok", out.getvalue())

    def test_first_start_creates_an_admin_once_and_prints_the_login(self):
        out = io.StringIO()
        with redirect_stdout(out):
            cli.first_start(load_demo=False)
            cli.first_start(load_demo=False)
        self.assertEqual(User.objects.filter(is_superuser=True).count(), 1)
        self.assertIn("sign in as  admin /", out.getvalue())
