"""One error shape for every API refusal: {"error": {"code", "message", "fields"?}}."""

from django.test import RequestFactory, SimpleTestCase
from django.utils import translation
from rest_framework.exceptions import Throttled

from mitra.activities.tests.factories import make_task
from mitra.api.errors import exception_handler
from mitra.core.testing import BaseTestCase
from mitra.parties.tests.factories import make_party

API = "/api/v1"


class ErrorShapeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.party = make_party(cls.owner, name="Acme Co", team=cls.p.alpha)
        cls.task = make_task(cls.owner, party=cls.party)

    def error(self, response, status):
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertEqual(set(body), {"error"})
        self.assertIsInstance(body["error"]["message"], str)
        self.assertTrue(body["error"]["message"])
        return body["error"]

    def post(self, path, body, **kwargs):
        return self.client.post(f"{API}/{path}", body, content_type="application/json", **kwargs)

    def test_not_signed_in_and_a_bad_key(self):
        self.assertEqual(self.error(self.client.get(f"{API}/parties/"), 401)["code"],
                         "not_authenticated")  # fmt: skip
        r = self.client.get(f"{API}/parties/", headers={"Authorization": "Api-Key mk_nope"})
        self.assertEqual(self.error(r, 401)["code"], "authentication_failed")

    def test_refused_by_the_role_and_not_found(self):
        self.login(self.readonly)
        r = self.client.patch(f"{API}/parties/{self.party.public_id}/", {"name": "X"},
                              content_type="application/json")  # fmt: skip
        self.assertEqual(self.error(r, 403)["code"], "permission_denied")
        self.login(self.outsider)
        r = self.client.get(f"{API}/parties/{self.party.public_id}/")
        self.assertEqual(self.error(r, 404), {"code": "not_found", "message": "Not found."})

    def test_a_serializer_refusal_names_the_fields(self):
        self.login(self.owner)
        error = self.error(self.post("interactions/", {"subject": "", "channel": "pigeon"}), 400)
        self.assertEqual(error["code"], "invalid")
        self.assertEqual(set(error["fields"]), {"subject", "channel"})
        self.assertEqual(error["message"], "Some values are not valid; see the fields.")

    def test_an_actions_refusal_has_the_same_shape(self):
        self.login(self.owner)
        r = self.post(f"tasks/{self.task.public_id}/status/", {"status": "lost"})
        error = self.error(r, 400)
        self.assertEqual(error["code"], "invalid")
        self.assertTrue(error.get("fields") or error["message"])

    def test_a_filter_refusal_has_the_same_shape(self):
        self.login(self.owner)
        error = self.error(self.client.get(f"{API}/tasks/", {"status": "maybe"}), 400)
        self.assertEqual((error["code"], list(error["fields"])), ("invalid", ["status"]))
        self.assertEqual(error["message"], error["fields"]["status"][0])

    def test_a_stale_version_keeps_its_details(self):
        self.login(self.owner)
        url = f"{API}/parties/{self.party.public_id}/"
        r = self.client.patch(url, {"name": "Acme 2"}, content_type="application/json",
                              headers={"If-Match": '"99"'})  # fmt: skip
        error = self.error(r, 412)
        self.assertEqual(error["code"], "precondition_failed")
        self.assertEqual(error["current_version"], self.party.version)
        self.assertEqual(r["ETag"], f'"{self.party.version}"')

    def test_an_idempotency_key_for_another_path(self):
        self.login(self.owner)
        self.post("tasks/", {"title": "Once"}, headers={"Idempotency-Key": "k1"})
        r = self.post("notes/", {"body": "Hi"}, headers={"Idempotency-Key": "k1"})
        self.assertEqual(self.error(r, 422)["code"], "idempotency_key_reused")

    def test_messages_are_in_the_users_language(self):
        self.owner.language = "th"
        self.owner.save()
        self.login(self.owner)
        error = self.error(self.post("interactions/", {"subject": "", "channel": "pigeon"}), 400)
        with translation.override("th"):
            expected = translation.gettext("Some values are not valid; see the fields.")
        self.assertNotEqual(expected, "Some values are not valid; see the fields.")
        self.assertEqual(error["message"], expected)

    def test_the_schema_documents_the_shape(self):
        self.login(self.owner)
        schema = self.client.get("/api/schema/?format=json").json()
        error = schema["components"]["schemas"]["Error"]
        self.assertEqual(error["required"], ["error"])
        answer = schema["paths"]["/api/v1/parties/"]["post"]["responses"]["4XX"]
        self.assertEqual(
            answer["content"]["application/json"]["schema"], {"$ref": "#/components/schemas/Error"}
        )

    def test_an_api_key_gets_its_owners_language(self):
        from mitra.users.models import ApiKey

        self.owner.language = "fa"
        self.owner.save()
        _key, raw = ApiKey.issue(self.owner, "ERP")
        r = self.client.post(f"{API}/interactions/", {"subject": "", "channel": "pigeon"},
                             content_type="application/json",
                             headers={"Authorization": f"Api-Key {raw}"})  # fmt: skip
        with translation.override("fa"):
            expected = translation.gettext("Some values are not valid; see the fields.")
        self.assertEqual(self.error(r, 400)["message"], expected)


class ThrottledShapeTests(SimpleTestCase):
    def test_throttling_has_the_same_shape(self):
        request = RequestFactory().get("/api/v1/parties/")
        response = exception_handler(Throttled(wait=5), {"request": request, "view": None})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.data["error"]["code"], "throttled")
        self.assertIn("5", response.data["error"]["message"])
