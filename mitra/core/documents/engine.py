"""Render a document: the type's merge data through its template, in its language and
calendar, inside the letterhead, to PDF by WeasyPrint with Sarabun and Vazirmatn."""

import base64
import re
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from mitra.core import calendars
from mitra.core.pdf import font_css

from . import sandbox
from .models import CompanyProfile, DocumentTemplate, Language


@contextmanager
def in_language(language):
    """The document's language, with its calendar and digits: Thai in the Buddhist era,
    Persian in the Jalali calendar with Persian digits, English Gregorian."""
    calendar, digits = calendars.defaults_for(language)
    with ExitStack() as stack:
        stack.enter_context(translation.override(language))
        stack.enter_context(calendars.override(calendar, digits, language))
        yield


def default_template(doc_type, language):
    """The type's default template in `language`, not stored."""
    default = doc_type.defaults.get(language) or doc_type.defaults.get(Language.EN) or {}
    return DocumentTemplate(
        doc_type=doc_type.key,
        language=language,
        title=default.get("title") or str(doc_type.label),
        header=default.get("header", ""),
        body=default.get("body", ""),
        footer=default.get("footer", ""),
        css=default.get("css", ""),
    )


def template_for(doc_type, language):
    """The type's template in `language`: the stored one, else its default (stored on its
    first use, so an administrator edits what documents were made with)."""
    template = DocumentTemplate.objects.filter(doc_type=doc_type.key, language=language).first()
    if template is None:
        draft = default_template(doc_type, language)
        fields = {f: getattr(draft, f) for f in ("title", "header", "body", "footer", "css")}
        template, _created = DocumentTemplate.objects.get_or_create(
            doc_type=doc_type.key, language=language, defaults=fields
        )
    return template


def _logo_data_uri(profile):
    """The logo inlined: the PDF never fetches anything but our fonts."""
    if not profile.logo:
        return ""
    from mitra.core.files import detect_content_type

    try:
        with profile.logo.open("rb") as handle:
            kind = detect_content_type(handle, profile.logo.name)
            data = handle.read()
    except OSError:
        return ""
    if not kind.startswith("image/") or kind == "image/svg+xml":
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def merge_data(doc_type, record, user, language, *, revision=None):
    """Everything a template may read: the type's data, the company, today, the document."""
    profile = CompanyProfile.current()
    with in_language(language):
        data = dict(doc_type.build_context(record, user))
        data["company"] = profile.in_language(language)
        data["today"] = timezone.localdate()
        data["document"] = {"revision": revision or "", "language": language}
    return data, profile


def browser_font_css():
    """The same fonts for the editor's preview in the browser (static URLs)."""
    from django.templatetags.static import static

    return mark_safe(
        font_css()
        .replace("file://", "")
        .replace(
            str(Path(finders.find("vendor/fonts/Sarabun-Regular.ttf") or "").parent) + "/",
            static("vendor/fonts/"),
        )
    )


def render_html(doc_type, record, user, language, *, template=None, revision=None, browser=False):
    """The document's HTML (ValidationError when a block cannot be rendered). `browser`:
    for the editor's preview, fonts from our static URLs instead of the disk."""
    template = template or template_for(doc_type, language)
    data, profile = merge_data(doc_type, record, user, language, revision=revision)
    with in_language(language):
        blocks = {name: mark_safe(sandbox.render(getattr(template, name), data))
                  for name in DocumentTemplate.BLOCKS}  # fmt: skip
        return render_to_string(
            "documents/document.html",
            {
                **blocks,
                "template": template,
                "company": data["company"],
                "logo": _logo_data_uri(profile) if template.show_letterhead else "",
                "css": mark_safe((template.css or "").replace("<", "")),
                "font_css": browser_font_css() if browser else font_css(),
                "rtl": translation.get_language_bidi(),
                "html_lang": language,
            },
        )


_FONT_URL_RE = re.compile(r'url\("(file://[^"]+)"\)')


def _fetcher():
    """WeasyPrint may read our font files and inline data, nothing else: a template cannot
    make the PDF embed a file of the server or call an address."""
    from weasyprint.urls import URLFetcher

    fonts = frozenset(_FONT_URL_RE.findall(font_css()))

    class DocumentFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:") or url in fonts:
                return super().fetch(url, headers)
            raise ValueError(f"documents may not load {url[:80]}")

    return DocumentFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def write_pdf(html):
    from weasyprint import HTML

    return HTML(string=html, base_url="about:blank", url_fetcher=_fetcher()).write_pdf()


def render_pdf(doc_type, record, user, language, *, template=None, revision=None):
    return write_pdf(
        render_html(doc_type, record, user, language, template=template, revision=revision)
    )
