"""Document screens: a record's documents (open, issue, download revisions) and the
administrator's templates (list, edit with a live preview) and letterhead."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mitra.core.files import safe_file_response
from mitra.core.idempotency import create_once
from mitra.core.policy import Action, can, can_configure, require_configure

from . import actions, engine
from .forms import CompanyProfileForm, DocumentTemplateForm, IssueForm
from .lists import ISSUED, TEMPLATES
from .models import CompanyProfile, DocumentTemplate, IssuedDocument, Language
from .registry import document_types, get_document_type


def _type(key):
    doc_type = get_document_type(key)
    if doc_type is None:
        raise Http404
    return doc_type


def _language(value):
    if value not in Language.values:
        raise Http404
    return value


def _pdf_response(pdf, filename, *, inline=True):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _issued(doc_type, record):
    from django.contrib.contenttypes.models import ContentType

    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        doc_type=doc_type.key,
    ).select_related("issued_by")


# -- a record's documents -----------------------------------------------------------------


@login_required
def record_documents(request, type_key, public_id):
    """The record's document: open it in a language, issue it, its issued revisions."""
    doc_type = _type(type_key)
    record = doc_type.record_for(request.user, public_id)
    listing = ISSUED.bind(request, _issued(doc_type, record))
    listing.paginate()
    return listing.render(
        "documents/record.html",
        {
            "doc_type": doc_type,
            "record": record,
            "record_url": doc_type.record_url(record) if doc_type.record_url else "",
            "languages": Language.choices,
            "may_issue": can(request.user, Action.EDIT, record),
            "may_configure": can_configure(request.user),
            "form": IssueForm(initial={"language": request.LANGUAGE_CODE}),
        },
    )


@login_required
def record_pdf(request, type_key, public_id, language):
    """The document as it would be issued now (not stored)."""
    doc_type = _type(type_key)
    record = doc_type.record_for(request.user, public_id)
    language = _language(language)
    try:
        pdf = engine.render_pdf(doc_type, record, request.user, language)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:record", type_key, public_id)
    return _pdf_response(pdf, f"{record}-{language}.pdf")


@login_required
@require_POST
@create_once
def issue(request, type_key, public_id):
    doc_type = _type(type_key)
    record = doc_type.record_for(request.user, public_id)
    if not can(request.user, Action.EDIT, record):
        raise PermissionDenied
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect("documents:record", type_key, public_id)
    try:
        issued = actions.issue_document(
            doc_type, record, language=form.cleaned_data["language"], acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Revision %(n)s issued.") % {"n": issued.revision})
    return redirect("documents:record", type_key, public_id)


@login_required
def issued_download(request, public_id):
    """An issued revision, exactly as stored; 404 unless the user may see its record."""
    issued = IssuedDocument.objects.filter(public_id=public_id).first()
    if issued is None:
        raise Http404
    doc_type = _type(issued.doc_type)
    doc_type.record_for(request.user, issued.record_public_id)
    return safe_file_response(
        issued.file, filename=issued.filename, content_type="application/pdf", inline=True
    )


# -- configuration: templates and letterhead -----------------------------------------------


@login_required
def template_list(request):
    require_configure(request.user)
    stored = {(t.doc_type, t.language): t for t in DocumentTemplate.objects.all()}
    rows = [
        {"type": t, "language": code, "language_label": label, "template": stored.get((t.key, code))}
        for t in document_types()
        for code, label in Language.choices
    ]  # fmt: skip
    listing = TEMPLATES.bind(request, rows)
    listing.page = Paginator(listing.queryset, TEMPLATES.per_page).get_page(request.GET.get("page"))
    return listing.render("documents/template_list.html", {"languages": Language.choices})


def _sample(doc_type, user):
    return doc_type.sample(user) if doc_type.sample else None


@login_required
def template_edit(request, type_key, language):
    require_configure(request.user)
    doc_type = _type(type_key)
    language = _language(language)
    template = DocumentTemplate.objects.filter(doc_type=type_key, language=language).first()
    if template is None:
        template = engine.default_template(doc_type, language)  # stored when saved
    form = DocumentTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_template(form.instance, acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.update_error_dict({}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Template saved."))
            return redirect("documents:template_edit", type_key, language)
    return render(
        request,
        "documents/template_form.html",
        {
            "form": form,
            "template": template,
            "doc_type": doc_type,
            "language": language,
            "language_label": dict(Language.choices)[language],
            "history": template.history.select_related("history_user")[:20] if template.pk else [],
            "has_sample": _sample(doc_type, request.user) is not None,
        },
    )


def _draft(request, type_key, language):
    """The unsaved template from the editor's form, checked in the sandbox."""
    require_configure(request.user)
    doc_type = _type(type_key)
    language = _language(language)
    stored = DocumentTemplate.objects.filter(doc_type=type_key, language=language).first()
    draft = DocumentTemplate(doc_type=type_key, language=language)
    if stored is not None:
        draft.version = stored.version
    form = DocumentTemplateForm(request.POST, instance=draft)
    form.is_valid()
    return doc_type, language, form


@login_required
@require_POST
def template_preview(request, type_key, language):
    """htmx: the editor's text rendered with a sample record the administrator may see."""
    doc_type, language, form = _draft(request, type_key, language)
    context = {"form": form, "language": language}
    record = _sample(doc_type, request.user)
    if record is None:
        context["error"] = _("There is no record to preview with yet.")
    elif not form.errors:
        try:
            context["html"] = engine.render_html(
                doc_type, record, request.user, language, template=form.instance, browser=True
            )
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
    return render(request, "documents/_preview.html", context)


@login_required
@require_POST
def template_preview_pdf(request, type_key, language):
    doc_type, language, form = _draft(request, type_key, language)
    record = _sample(doc_type, request.user)
    if record is None or form.errors:
        return render(
            request,
            "documents/_preview.html",
            {
                "form": form,
                "error": _("There is no record to preview with yet.") if record is None else "",
            },
            status=400,
        )
    try:
        pdf = engine.render_pdf(doc_type, record, request.user, language, template=form.instance)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    return _pdf_response(pdf, f"preview-{language}.pdf")


@login_required
def company(request):
    require_configure(request.user)
    profile = CompanyProfile.current()
    form = CompanyProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_company(form.instance, acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.update_error_dict({}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Letterhead saved."))
            return redirect("documents:company")
    return render(request, "documents/company_form.html", {"form": form, "profile": profile})
