"""Setup step: copy front-end assets and fonts into static/vendor, compile catalogues.

Run by `make setup` (and so by `make run`/`make test` and before building a wheel).
Catalogues are compiled with polib so that no system gettext is needed.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = Path(__file__).resolve().parent / "static" / "vendor"

# (source under node_modules, destination under static/vendor)
FILES = [
    ("@tabler/core/dist/css/tabler.min.css", "tabler/tabler.min.css"),
    ("@tabler/core/dist/css/tabler.rtl.min.css", "tabler/tabler.rtl.min.css"),
    ("@tabler/core/dist/js/tabler.min.js", "tabler/tabler.min.js"),
    ("@tabler/icons-webfont/dist/tabler-icons.min.css", "tabler-icons/tabler-icons.min.css"),
    (
        "@tabler/icons-webfont/dist/fonts/tabler-icons.woff2",
        "tabler-icons/fonts/tabler-icons.woff2",
    ),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.woff", "tabler-icons/fonts/tabler-icons.woff"),
    ("@tabler/icons-webfont/dist/fonts/tabler-icons.ttf", "tabler-icons/fonts/tabler-icons.ttf"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("@alpinejs/csp/dist/cdn.min.js", "alpinejs/alpine.min.js"),
    ("sortablejs/Sortable.min.js", "sortablejs/Sortable.min.js"),
    ("vega/build/vega.min.js", "vega/vega.min.js"),
    ("vega-lite/build/vega-lite.min.js", "vega/vega-lite.min.js"),
    ("vega-embed/build/vega-embed.min.js", "vega/vega-embed.min.js"),
    ("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf", "fonts/Vazirmatn-Regular.ttf"),
    ("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf", "fonts/Vazirmatn-Bold.ttf"),
]


def copy_assets():
    missing = [src for src, _ in FILES if not (NODE / src).exists()]
    if missing:
        sys.exit(f"Front-end packages missing ({', '.join(missing[:3])}…): run `npm ci` first.")
    for src, dst in FILES:
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    vega_interpreter()
    # Sarabun ships as full TTF files only on PyPI (npm has split woff subsets that break
    # Thai shaping in WeasyPrint).
    import fontpkg_sarabun

    fonts = Path(fontpkg_sarabun.__file__).parent / "files"
    for name in ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf"):
        shutil.copyfile(fonts / name, VENDOR / "fonts" / name)


def vega_interpreter():
    """Vega compiles chart expressions with Function(), which the CSP forbids; its
    interpreter (vega-interpreter) ships as an ES module importing vega-util. Rewrite it as
    a plain script over the `vega` global (which re-exports vega-util) that sets
    vega.expressionInterpreter (charts.js passes it to vega-embed)."""
    source = (NODE / "vega-interpreter/build/vega-interpreter.js").read_text()
    first, rest = source.split("\n", 1)
    names = first.removeprefix("import {").split("}")[0]
    assert first.startswith("import {") and first.endswith("from 'vega-util';"), first
    export = "export { expression as expressionInterpreter };"
    assert export in rest and "import " not in rest
    rest = rest.replace(export, "vega.expressionInterpreter = expression;")
    rest = "\n".join(line for line in rest.splitlines() if "sourceMappingURL" not in line)
    script = f"(function (vega) {{\nconst {{{names}}} = vega;\n{rest}\n}})(window.vega);\n"
    (VENDOR / "vega" / "vega-interpreter.js").write_text(script)


def compile_messages():
    import polib

    # One catalogue per app (mitra/<app>/locale) plus the project one (mitra/locale).
    for po_path in (ROOT / "mitra").glob("**/locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def main():
    copy_assets()
    compile_messages()
    print("assets ready in", VENDOR.relative_to(ROOT))


if __name__ == "__main__":
    main()
