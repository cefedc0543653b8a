"""The document types apps offer: a registry filled from each app's `apps.py`.

A type says which model its records are (`model`, an "app_label.Model" string, read through
`visible_to(user)`), how to build the merge data for one record (`build_context`: plain
dicts, lists and strings only, from what the user may see), which merge fields a template
author can use (`fields`, shown beside the editor), and the default template of each
language (`defaults`: {"en": {"title": …, "body": …}, "th": …, "fa": …}), which is stored
the first time the type is used in that language.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TYPES = {}


@dataclass(frozen=True)
class DocumentType:
    key: str  # "parties.fact_sheet": app label, dot, name
    label: Any  # a lazy translation: "Fact sheet"
    model: str  # "parties.Party"
    # build_context(record, user) -> dict of plain data (see sandbox.freeze)
    build_context: Callable
    defaults: dict = field(default_factory=dict)
    # (name, description) pairs shown to the template author.
    fields: tuple = ()
    # The record's page, for the back link: record -> URL.
    record_url: Callable | None = None
    # A sample record for the editor's preview when none is chosen: user -> record or None.
    sample: Callable | None = None

    def get_model(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def record_for(self, user, public_id):
        """The record `user` may see with this public id, else 404 (the policy check)."""
        from mitra.core.policy import get_for_user

        return get_for_user(user, self.get_model(), public_id=public_id)


def register_document_type(doc_type):
    _TYPES[doc_type.key] = doc_type
    return doc_type


def document_types():
    return sorted(_TYPES.values(), key=lambda t: str(t.label))


def get_document_type(key):
    """The registered type, or None."""
    return _TYPES.get(key)
