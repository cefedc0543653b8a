"""Code lists, groups, rating levels and roles have a name per language (issue 9, part 9)."""

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from mitra.activities.models import Lookup, LookupKind
from mitra.activities.tests.factories import make_interaction, make_lookup
from mitra.core.labels import localized
from mitra.core.testing import BaseTestCase
from mitra.parties.models import Group, GroupMembership, RatingLevel
from mitra.parties.tests.factories import make_party
from mitra.users.models import Role


class LabelsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.vip = Group.objects.create(
            name="VIP", labels={"th": "ลูกค้าคนสำคัญ", "fa": "مشتریان ویژه"}
        )
        cls.food = Group.objects.create(name="Food", labels={"th": "อาหาร"})  # no Persian
        cls.gold = RatingLevel.objects.create(
            name="Gold", colour="yellow", labels={"th": "ทอง", "fa": "طلایی"}
        )
        cls.party = make_party(cls.owner, "Siam Foods")
        GroupMembership.objects.create(party=cls.party, group=cls.vip)
        GroupMembership.objects.create(party=cls.party, group=cls.food)
        cls.party.rating = cls.gold
        cls.party.save()
        cls.sold = make_lookup(
            LookupKind.RESULT, "Ordered", labels={"th": "สั่งซื้อแล้ว", "fa": "سفارش داد"}
        )
        cls.later = make_lookup(LookupKind.RESULT, "Call back later", labels={"th": "โทรกลับภายหลัง"})
        make_interaction(cls.owner, cls.party, subject="Price call", result=cls.sold)

    def speak(self, language):
        self.owner.language = language
        self.owner.save()
        self.login(self.owner)


class LocalizedTest(LabelsTestCase):
    def test_the_label_follows_the_active_language_and_falls_back_to_the_name(self):
        for language, vip, food in (
            ("en", "VIP", "Food"),
            ("th", "ลูกค้าคนสำคัญ", "อาหาร"),
            ("fa", "مشتریان ویژه", "Food"),
        ):
            with translation.override(language):
                self.assertEqual((str(self.vip), self.vip.label), (vip, vip))
                self.assertEqual(self.food.localized_name, food)
        self.assertEqual(localized("Gold", {}), "Gold")
        self.assertEqual(localized("Gold", None, "th"), "Gold")


class PartyScreensTest(LabelsTestCase):
    def test_a_thai_user_sees_thai_labels_in_the_list_filters_and_rows(self):
        self.speak("th")
        self.client.post(reverse("parties:list_columns"), {"cols": ["roles", "rating"]})
        r = self.client.get(reverse("parties:list"))
        self.assertContains(r, ">ลูกค้าคนสำคัญ</option>")
        self.assertContains(r, ">ทอง</option>")
        self.assertContains(r, ">ทอง</span>")  # the row's rating badge
        self.assertNotContains(r, ">VIP</option>")

    def test_the_filter_choices_are_cached_per_language(self):
        self.speak("en")
        self.assertContains(self.client.get(reverse("parties:list")), ">Gold</option>")
        self.speak("fa")
        self.assertContains(self.client.get(reverse("parties:list")), ">طلایی</option>")
        self.vip.labels = {"fa": "ویژه"}
        self.vip.save()
        self.assertContains(self.client.get(reverse("parties:list")), ">ویژه</option>")

    def test_a_thai_user_sees_thai_labels_on_the_record(self):
        self.speak("th")
        r = self.client.get(reverse("parties:detail", args=[self.party.public_id]))
        self.assertContains(r, "ลูกค้าคนสำคัญ")
        self.assertContains(r, "ทอง")
        self.assertNotContains(r, ">VIP<")

    def test_a_missing_language_falls_back_to_the_default_name(self):
        self.speak("fa")
        r = self.client.get(reverse("parties:detail", args=[self.party.public_id]))
        self.assertContains(r, "مشتریان ویژه")
        self.assertContains(r, ">Food<")  # no Persian name given

    def test_the_party_form_offers_groups_by_label(self):
        self.speak("th")
        r = self.client.get(reverse("parties:edit", args=[self.party.public_id]))
        self.assertContains(r, "ลูกค้าคนสำคัญ")

    def test_the_group_list_and_rating_levels_show_labels(self):
        self.speak("th")
        self.assertContains(self.client.get(reverse("parties:groups")), "ลูกค้าคนสำคัญ")
        self.assertContains(self.client.get(reverse("parties:ratings")), "ทอง")


class EditFormsTest(LabelsTestCase):
    def test_the_group_form_has_three_names_and_saves_them(self):
        self.login(self.admin)
        r = self.client.get(reverse("parties:group_edit", args=[self.food.public_id]))
        for name in ("name", "name_th", "name_fa"):
            self.assertContains(r, f'name="{name}"')
        self.assertContains(r, 'value="อาหาร"')
        r = self.client.post(
            reverse("parties:group_edit", args=[self.food.public_id]),
            {"name": "Food", "name_th": "อาหาร", "name_fa": " مواد غذایی "},
        )
        self.assertEqual(r.status_code, 302)
        self.food.refresh_from_db()
        self.assertEqual(self.food.labels, {"th": "อาหาร", "fa": "مواد غذایی"})

    def test_an_emptied_name_is_dropped_and_the_default_shown(self):
        self.login(self.admin)
        self.client.post(
            reverse("parties:group_edit", args=[self.vip.public_id]),
            {"name": "VIP", "name_th": "", "name_fa": "مشتریان ویژه"},
        )
        self.vip.refresh_from_db()
        self.assertEqual(self.vip.labels, {"fa": "مشتریان ویژه"})
        with translation.override("th"):
            self.assertEqual(str(self.vip), "VIP")

    def test_a_too_long_label_is_refused_and_nothing_changes(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("parties:group_edit", args=[self.vip.public_id]),
            {"name": "VIP", "name_th": "ก" * 200},
        )
        self.assertEqual(r.status_code, 200)
        self.vip.refresh_from_db()
        self.assertEqual(self.vip.labels["th"], "ลูกค้าคนสำคัญ")

    def test_the_rating_level_form(self):
        self.login(self.admin)
        r = self.client.post(
            reverse("parties:rating_level_edit", args=[self.gold.public_id]),
            {
                "name": "Gold",
                "name_th": "ระดับทอง",
                "name_fa": "طلایی",
                "colour": "yellow",
                "order": 1,
            },
        )
        self.assertEqual(r.status_code, 302)
        self.gold.refresh_from_db()
        self.assertEqual(self.gold.labels, {"th": "ระดับทอง", "fa": "طلایی"})

    def test_the_code_form(self):
        self.login(self.admin)
        url = reverse("activities:lookup_edit", args=[self.later.public_id])
        self.assertContains(self.client.get(url), 'name="name_fa"')
        r = self.client.post(
            url,
            {"kind": "result", "name": "Call back later", "name_th": "โทรกลับทีหลัง",
             "name_fa": "بعداً تماس", "order": 2, "is_active": "on"},
        )  # fmt: skip
        self.assertEqual(r.status_code, 302)
        self.later.refresh_from_db()
        self.assertEqual(self.later.labels, {"th": "โทรกลับทีหลัง", "fa": "بعداً تماس"})

    def test_the_role_form_and_the_role_shown_to_its_holder(self):
        self.login(self.admin)
        role = self.p.roles["owner"]
        url = reverse("users:role_edit", args=[role.public_id])
        data = {"name": "Owner", "name_th": "เจ้าของงาน", "name_fa": "مالک", "level": role.level,
                "scope": role.scope}  # fmt: skip
        data.update(
            {f"perm__{m}__{a}": "on" for m, actions in role.permissions.items() for a in actions}
        )
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302)
        role.refresh_from_db()
        self.assertEqual(role.labels, {"th": "เจ้าของงาน", "fa": "مالک"})
        self.assertEqual(
            Role.objects.get(pk=role.pk).permissions, self.p.roles["owner"].permissions
        )
        self.speak("th")
        self.assertContains(self.client.get("/"), "เจ้าของงาน")  # the user menu
        self.login(self.admin)
        self.admin.language = "fa"
        self.admin.save()
        self.assertContains(self.client.get(reverse("users:roles")), "مالک")


class ActivityScreensTest(LabelsTestCase):
    def test_a_thai_user_sees_thai_codes_in_the_filter_and_the_list(self):
        self.speak("th")
        r = self.client.get(reverse("activities:interactions"))
        self.assertContains(r, ">โทรกลับภายหลัง</option>")
        self.assertContains(r, "สั่งซื้อแล้ว</span>")
        self.assertNotContains(r, ">Ordered<")

    def test_the_interaction_form_offers_codes_by_label_with_fallback(self):
        self.speak("fa")
        r = self.client.get(reverse("activities:interaction_create"))
        self.assertContains(r, ">سفارش داد</option>")
        self.assertContains(r, ">Call back later</option>")

    def test_the_analysis_counts_by_code_and_shows_the_label(self):
        self.speak("th")
        r = self.client.get(reverse("activities:interaction_analysis"), {"by": "result"})
        self.assertContains(r, "สั่งซื้อแล้ว")

    def test_the_codes_page_lists_labels(self):
        self.admin.language = "th"
        self.admin.save()
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("activities:lookups")), "โทรกลับภายหลัง")


@override_settings(LANGUAGE_CODE="en")
class DemoDataTest(BaseTestCase):
    def test_demo_codes_groups_levels_and_roles_have_thai_and_persian_names(self):
        from mitra.activities import demo as activities_demo
        from mitra.parties import demo as parties_demo
        from mitra.users import demo as users_demo

        names = [n for n, _s in activities_demo.RESULTS] + activities_demo.REASONS
        names += activities_demo.MEDIA + activities_demo.APPOINTMENT_TYPES
        for name in names:
            th, fa = activities_demo.LOOKUP_LABELS[name]
            self.assertTrue(th and fa, name)
        for row in parties_demo.GROUP_TREE + parties_demo.RATING_LEVELS:
            self.assertTrue(row[-1] and row[-2], row)
        for role in users_demo.roles_spec():
            self.assertEqual(set(users_demo.ROLE_LABELS[role]), {"th", "fa"})

    def test_the_demo_loads_them(self):
        from mitra.activities.demo import _lookups
        from mitra.parties.demo import _setup_reference_data
        from mitra.users import demo as users_demo

        users_demo.load()
        _setup_reference_data()
        _lookups()
        with translation.override("th"):
            self.assertEqual(str(RatingLevel.objects.get(name="Gold")), "ทอง")
            self.assertEqual(str(Group.objects.get(name="Retail")), "ค้าปลีก")
            self.assertEqual(str(Role.objects.get(name="Sales rep")), "พนักงานขาย")
        with translation.override("fa"):
            self.assertEqual(str(Lookup.objects.get(name="Ordered")), "سفارش داد")
