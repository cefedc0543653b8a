import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from mitra.core.documents import engine, sandbox
from mitra.core.documents.models import DocumentTemplate
from mitra.users.models import User


class SandboxValidationTest(SimpleTestCase):
    def test_it_refuses_tags_that_reach_other_templates_or_the_server(self):
        for source in (
            "{% load i18n %}",
            "{% include 'base.html' %}",
            "{% extends 'base.html' %}",
            "{% ssi '/etc/passwd' %}",
            "{% debug %}",
            "{%  load static %}",
            "{% url 'home' %}",
        ):
            with self.subTest(source=source), self.assertRaises(ValidationError) as caught:
                sandbox.validate(source)
            self.assertEqual(caught.exception.code, "forbidden_tag")
            self.assertIn("is not allowed in a document template", caught.exception.messages[0])

    def test_it_refuses_unknown_tags_filters_and_private_names_cleanly(self):
        for source in (
            "{% csrf %}",
            "{{ x|safe }}",
            "{{ x|pprint }}",
            "{{ x.__class__ }}",
            "{% if %}",
        ):
            with self.subTest(source=source), self.assertRaises(ValidationError) as caught:
                sandbox.validate(source)
            self.assertIn(caught.exception.code, ("syntax", "forbidden_tag"))

    def test_it_allows_the_listed_tags_and_filters(self):
        source = (
            "{% for r in roles %}{{ r|upper }}{% if not forloop.last %}, {% endif %}{% empty %}—"
            "{% endfor %} {{ note|linebreaksbr }} {{ d|date:'short' }} {{ n|number }}"
        )
        out = sandbox.render(
            source, {"roles": ["a", "b"], "note": "x\n<y>", "d": dt.date(2026, 1, 2), "n": 1234}
        )
        self.assertEqual(out, "A, B x<br>&lt;y&gt; 2026-01-02 1,234")

    def test_the_context_is_plain_data_only(self):
        with self.assertRaises(TypeError):
            sandbox.freeze({"user": User(username="x")})
        frozen = sandbox.freeze({"items": [{"a": 1}]})
        self.assertIsInstance(frozen["items"], tuple)
        with self.assertRaises(TypeError):
            frozen["items"][0]["a"] = 2  # read-only

    def test_what_is_not_in_the_context_renders_nothing(self):
        out = sandbox.render(
            "[{{ party.owner.password }}][{{ party.name.upper }}][{{ settings.SECRET_KEY }}]",
            {"party": {"name": "acme"}},
        )
        self.assertEqual(out, "[][ACME][]")

    def test_a_method_that_would_change_the_data_cannot_be_called(self):
        out = sandbox.render(
            "{{ party.clear }}{{ party.pop }}{{ party.name }}", {"party": {"name": "acme"}}
        )
        self.assertEqual(out, "acme")

    def test_values_are_escaped(self):
        out = sandbox.render("{{ name }}", {"name": "<script>x</script>"})
        self.assertEqual(out, "&lt;script&gt;x&lt;/script&gt;")


class DocumentCalendarTest(SimpleTestCase):
    def render(self, language, source, **context):
        with engine.in_language(language):
            return sandbox.render(source, context)

    def test_thai_dates_are_in_the_buddhist_era_with_thai_months(self):
        out = self.render("th", "{{ d|date }}", d=dt.date(2026, 12, 6))
        self.assertEqual(out, "6 ธันวาคม พ.ศ. 2569")

    def test_persian_dates_are_jalali_with_persian_digits(self):
        out = self.render("fa", "{{ d|date }} {{ n|number }} {{ m|money:'IRR' }}",
                          d=dt.date(2025, 3, 21), n=1250000, m=Decimal("1250000.4"))  # fmt: skip
        money = '<bdi class="money"><bdi dir="ltr">۱٬۲۵۰٬۰۰۰</bdi>\xa0ریال</bdi>'
        self.assertEqual(out, f"۱ فروردین ۱۴۰۴ ۱٬۲۵۰٬۰۰۰ {money}")

    def test_english_dates_are_gregorian(self):
        out = self.render("en", "{{ d|date }} {{ m|money:'THB' }}", d=dt.date(2026, 12, 6),
                          m=Decimal("1234.5"))  # fmt: skip
        money = '<bdi class="money"><bdi dir="ltr">1,234.50</bdi>\xa0THB</bdi>'
        self.assertEqual(out, f"6 December 2026 {money}")

    def test_money_is_core_money_with_its_words(self):
        from mitra.core.money import Money

        out = self.render("th", "{{ m|money }} {{ m|amount_words }}", m=Money("1121.50", "THB"))
        self.assertEqual(
            out,
            '<bdi class="money"><bdi dir="ltr">1,121.50</bdi>\xa0บาท</bdi> '
            "หนึ่งพันหนึ่งร้อยยี่สิบเอ็ดบาทห้าสิบสตางค์",
        )
        # USD in English puts its sign first; a float amount is read by its text; an
        # unknown currency or no amount shows nothing rather than a wrong figure.
        out = self.render("en", "{{ a|money:'USD' }}|{{ a|money:'XYZ' }}|{{ b|money }}",
                          a=1234.5, b=None)  # fmt: skip
        self.assertEqual(out, '<bdi class="money">$<bdi dir="ltr">1,234.50</bdi></bdi>||')
        # A Money is plain data for the sandbox: it reaches a template, a record does not.
        self.assertEqual(sandbox.freeze({"m": Money(1, "IRR")})["m"], Money(1, "IRR"))


class TemplateModelTest(TestCase):
    def test_saving_a_template_checks_every_block(self):
        template = DocumentTemplate(
            doc_type="x.y", language="en", title="{% include 'x' %}", body="{% debug %}"
        )
        with self.assertRaises(ValidationError) as caught:
            template.full_clean()
        self.assertEqual(set(caught.exception.message_dict), {"title", "body"})

    def test_the_pdf_may_load_our_fonts_and_nothing_else(self):
        fetcher = engine._fetcher()
        for url in ("file:///etc/passwd", "http://127.0.0.1/", "file:///etc/hostname.ttf"):
            with self.subTest(url=url), self.assertRaises(ValueError):
                fetcher.fetch(url)
        fetcher.fetch("data:text/plain,hi").close()  # inline data is fine
        font = engine._FONT_URL_RE.findall(engine.font_css())[0]
        fetcher.fetch(font).close()

    def test_a_template_cannot_embed_a_server_file_in_the_pdf(self):
        html = (
            '<html><body><p>x</p><a rel="attachment" href="file:///etc/passwd">a</a>'
            '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/hosts">'
            "</body></html>"
        )
        pdf = engine.write_pdf(html)
        self.assertNotIn(b"EmbeddedFile", pdf)
        self.assertNotIn(b"root:", pdf)
