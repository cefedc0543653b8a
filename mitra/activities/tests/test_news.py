from django.urls import reverse

from mitra.core.testing import BaseTestCase

from ..models import News
from .factories import make_news

URL = reverse("activities:news")


class NewsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.everyone = make_news(cls.owner, "Office closed on Friday", kind="rule")
        cls.alpha = make_news(
            cls.teammate, "Alpha sales meeting", kind="meeting", audience_team=cls.p.alpha
        )
        cls.beta = make_news(
            cls.outsider, "Beta team dinner", kind="event", audience_team=cls.p.beta
        )

    def titles(self, response):
        return [n.title for n in response.context["page"]]

    def test_everyone_sees_posts_for_everyone_and_their_own_team(self):
        self.login(self.readonly)
        self.assertEqual(
            sorted(self.titles(self.client.get(URL))),
            ["Alpha sales meeting", "Office closed on Friday"],
        )
        self.login(self.outsider)
        self.assertEqual(
            sorted(self.titles(self.client.get(URL))),
            ["Beta team dinner", "Office closed on Friday"],
        )

    def test_a_team_post_is_a_404_outside_the_team(self):
        self.login(self.outsider)
        url = reverse("activities:news_detail", args=[self.alpha.public_id])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_filters_by_kind(self):
        self.login(self.teammate)
        self.assertEqual(
            self.titles(self.client.get(URL, {"kind": "meeting"})), ["Alpha sales meeting"]
        )

    def test_it_posts_to_a_team(self):
        self.login(self.teammate)
        response = self.client.post(
            reverse("activities:news_create"),
            {
                "kind": "event",
                "title": "Team lunch",
                "body": "Thursday at noon",
                "audience_team": self.p.alpha.pk,
            },
        )
        news = News.objects.get(title="Team lunch")
        self.assertRedirects(response, reverse("activities:news_detail", args=[news.public_id]))
        self.assertEqual(news.audience_team, self.p.alpha)
        self.assertIsNotNone(news.published_at)

    def test_it_does_not_let_a_user_post_to_a_team_they_are_not_on(self):
        self.login(self.teammate)
        response = self.client.post(
            reverse("activities:news_create"),
            {"kind": "event", "title": "Intrusion", "body": "x", "audience_team": self.p.beta.pk},
        )
        self.assertEqual(response.status_code, 200)  # not a choice for them
        self.assertFalse(News.objects.filter(title="Intrusion").exists())

    def test_only_the_author_edits(self):
        self.login(self.readonly)
        url = reverse("activities:news_edit", args=[self.everyone.public_id])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.teammate)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_it_runs_a_constant_number_of_queries(self):
        self.login(self.readonly)
        self.client.get(URL)
        with self.assertNumQueries(4) as ctx:
            self.client.get(URL)
        for i in range(5):
            make_news(self.owner, f"Post {i}", audience_team=self.p.alpha)
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(URL)
