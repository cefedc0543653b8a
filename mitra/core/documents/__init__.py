"""Documents: a template per document type and language, rendered to PDF and issued as
immutable snapshots. Apps register their types (`registry.register_document_type`) from
their `apps.py`; core never imports them. See docs/architecture.md, "a new document is a
template"."""
