"""Read a rendered edit form the way a browser would submit it (for tests)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms = []  # [(fields: list of (name, value)), has_marker]
        self.current = None
        self.select = None  # [name, options [(value, selected)], multiple]
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"fields": [], "marker": False}
            return
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if name == self.marker:
                self.current["marker"] = True
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current["fields"].append((name, a.get("value", "on")))
                return
            self.current["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = [name, [], "multiple" in a]
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
            self.select[1].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "textarea" and self.textarea is not None:
            value = self.textarea[1]
            self.current["fields"].append((self.textarea[0], value.removeprefix("\n")))
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            name, options, multiple = self.select
            chosen = [o for o in options if o[1]]
            if not chosen and options and not multiple:
                chosen = options[:1]
            for value, _sel, text in chosen:
                self.current["fields"].append((name, text.strip() if value is None else value))
            self.select = None
        elif tag == "form":
            self.forms.append(self.current)
            self.current = None


def form_values(html, marker="version"):
    """{name: value or [values]} of the first form that has an input named `marker`."""
    reader = _FormReader(marker)
    reader.feed(html if isinstance(html, str) else html.decode())
    for form in reader.forms:
        if form["marker"]:
            data = {}
            for name, value in form["fields"]:
                if name in data:
                    data[name] = (
                        [*data[name], value]
                        if isinstance(data[name], list)
                        else [
                            data[name],
                            value,
                        ]
                    )
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a field named {marker!r}")


def _errors(response):
    """The error messages on a re-rendered form, for a failing assertion's message."""
    import re

    html = response.content.decode()
    return re.findall(r"(?:invalid-feedback[^>]*|alert-danger[^>]*)>(.*?)</div>", html)[:10]


class NoLostUpdateMixin:
    def assert_stale_form_refused(
        self,
        obj,
        url,
        name,
        comment,
        first=None,
        second=None,
        value="Comment by the second",
        history=True,
    ):
        stored = True if value == "on" else value
        first, second = first or self.admin, second or self.owner
        self.login(first)
        mine = form_values(self.client.get(url).content)
        self.login(second)
        theirs = form_values(self.client.get(url).content)
        old_comment = getattr(obj, comment) or ""

        self.login(first)
        mine[name] = "Renamed by the first"
        r = self.client.post(url, mine)
        self.assertEqual(r.status_code, 302, _errors(r))

        self.login(second)
        theirs[comment] = value
        r = self.client.post(url, theirs)
        self.assertEqual(r.status_code, 200)
        obj.refresh_from_db()
        self.assertEqual(getattr(obj, name), "Renamed by the first")
        self.assertEqual(getattr(obj, comment) or "", old_comment)  # nothing saved
        self.assertContains(r, "changed this record after you opened it")
        shown = form_values(r.content)
        self.assertEqual(shown.get(comment), value)  # the input is kept
        self.assertEqual(shown["version"], str(obj.version))
        if not history:  # no history to tell who changed what: the differences are named
            self.assertContains(r, "current value “Renamed by the first”")
            return
        self.assertEqual(shown[name], "Renamed by the first")  # taken over: untouched by them

        # Saved again as shown, after reading the message: both changes stay.
        r = self.client.post(url, shown)
        self.assertEqual(r.status_code, 302, _errors(r))
        obj.refresh_from_db()
        self.assertEqual(getattr(obj, name), "Renamed by the first")
        self.assertEqual(getattr(obj, comment), stored)

    def assert_stale_post_changes_nothing(self, obj, url, data, field):
        """A post of an old version (a script, a second tab) is refused outright."""
        obj.refresh_from_db()
        before = getattr(obj, field)
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 200)
        obj.refresh_from_db()
        self.assertEqual(getattr(obj, field), before)
