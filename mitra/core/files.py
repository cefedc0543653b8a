"""Uploaded files: their type read from the content, and a download response that never
lets a browser run them (parties' files, activities' attachments, later apps' files)."""

import mimetypes

from django.http import FileResponse, Http404

_TEXT_TYPES = {"application/json", "application/xml", "application/javascript"}
# Types a browser may show inside the page's tab rather than download (?inline=1).
INLINE_PREFIXES = ("image/",)
INLINE_TYPES = {"application/pdf"}


def detect_content_type(upload, name=""):
    """The type read from the file's first bytes; by name when the content says nothing."""
    import filetype

    head = b""
    try:
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
    except (AttributeError, OSError):
        pass
    kind = filetype.guess(head) if head else None
    if kind is not None:
        # Office files are zip archives: filetype looks inside, so a .docx renamed .zip is
        # still a Word document and a plain zip renamed .docx is still a zip.
        return kind.mime
    if _looks_like_text(head):
        lowered = head.lstrip()[:200].lower()
        if lowered.startswith((b"<!doctype html", b"<html")):
            return "text/html"
        by_name = mimetypes.guess_type(name)[0]
        if by_name and (by_name.startswith("text/") or by_name in _TEXT_TYPES):
            return by_name
        return "text/plain"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _looks_like_text(head):
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.start >= len(head) - 3
    return True


def may_show_inline(content_type):
    return content_type.startswith(INLINE_PREFIXES) or content_type in INLINE_TYPES


def safe_file_response(field, *, filename, content_type=None, inline=False):
    """A download of a stored file (a FieldFile) that cannot run in our origin.

    The type is the one recorded at upload or, when none was, read from the content now
    (never from the name alone: an HTML page named .png stays text/html). The browser is
    told not to sniff, the response has a sandbox CSP of its own instead of the page's, and
    only images and PDFs may be shown inline — everything else is an attachment. 404 when
    the file is missing from storage.
    """
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    if not content_type:
        content_type = detect_content_type(handle, filename)
    response = FileResponse(
        handle,
        as_attachment=not (inline and may_show_inline(content_type)),
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
