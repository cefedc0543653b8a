"""PDF output through WeasyPrint with the same Sarabun and Vazirmatn fonts as the pages."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def font_css():
    """@font-face rules with file:// URLs: WeasyPrint reads the TTFs straight from disk."""
    rules = []
    for family, weight, name in [
        ("Sarabun", 400, "Sarabun-Regular.ttf"),
        ("Sarabun", 700, "Sarabun-Bold.ttf"),
        ("Vazirmatn", 400, "Vazirmatn-Regular.ttf"),
        ("Vazirmatn", 700, "Vazirmatn-Bold.ttf"),
    ]:
        path = finders.find(f"vendor/fonts/{name}")
        if path:
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("file://{path}"); font-weight: {weight}; }}'
            )
    return "\n".join(rules)


def render_pdf(template_name, context=None, request=None):
    """Render a template to PDF bytes, right-to-left when the active language is."""
    from weasyprint import HTML

    context = {
        **(context or {}),
        "font_css": font_css(),
        "rtl": translation.get_language_bidi(),
        "html_lang": translation.get_language() or "en",
    }
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url="/").write_pdf()
