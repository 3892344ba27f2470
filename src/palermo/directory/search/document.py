"""The text by which an authority is found, and the one normalization used on both sides.

Both backends compare normalized text: case folded, compatibility-decomposed, combining marks
(accents, Arabic short vowels) removed, everything that is not a letter or a digit turned into a
space. "MÉXICO", "Mexico" and "mexico" become "mexico"; "Мексика" becomes "мексика"; Chinese
is left as it is. The same function runs when indexing and when reading a query, so SQLite and
PostgreSQL see the same strings and find the same things.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import override
from modeltranslation.utils import build_localized_fieldname

from palermo.directory.models import Authority, Function

LANGUAGES: list[str] = [code for code, _name in settings.LANGUAGES]

# Removed rather than turned into a space: joiners and marks that sit inside words, and the
# Arabic tatweel, which only stretches a word.
_DROPPED = {"\u0640"}


@functools.lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of ``text``, words separated by spaces.

    A pure function of its argument, asked again and again for the same names, cities and
    labels when the index is built: the answers are remembered.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.casefold()):
        category = unicodedata.category(char)
        if category[0] == "M" or category == "Cf" or char in _DROPPED:
            continue
        out.append(char if category[0] in "LN" else " ")
    return " ".join("".join(out).split())


def localized(field: str) -> list[str]:
    """The per-language columns of a translated field: name_ar, name_zh_hans, …"""
    return [build_localized_fieldname(field, language) for language in LANGUAGES]


def _labels(choices: Any) -> dict[str, list[str]]:
    """The label of every choice in each of the six languages."""
    labels: dict[str, list[str]] = defaultdict(list)
    for language in LANGUAGES:
        with override(language):
            for value in choices.values:
                labels[value].append(str(choices(value).label))
    return labels


@dataclass(frozen=True)
class Document:
    authority_id: int
    names: str
    document: str


def _join(parts: Iterable[Any]) -> str:
    """Normalize each part, drop empty ones and repeats, keep the order."""
    seen: dict[str, None] = {}
    for part in parts:
        text = normalize(str(part or ""))
        if text:
            seen.setdefault(text, None)
    return " ".join(seen)


AUTHORITY_FIELDS = ["id", "acronym", "city", "kind", *localized("name"),
                    *(f"state__{field}" for field in
                      ("code", "iso2", "iso_numeric", *localized("name")))]
DESIGNATION_FIELDS = ["authority_id", "function",
                      *(f"provision__instrument__{field}" for field in localized("abbreviation"))]


def build_documents(authority_model: Any, designation_model: Any,
                    pks: Iterable[int] | None = None) -> list[Document]:
    """The documents of the given authorities (all when ``pks`` is None).

    Takes the model classes so that a migration can pass its historical models. Reads plain
    values, in two queries whatever the number of authorities.
    """
    authorities = authority_model._default_manager.order_by("pk")
    designations = designation_model._default_manager.order_by("pk")
    if pks is not None:
        pks = list(pks)
        authorities = authorities.filter(pk__in=pks)
        designations = designations.filter(authority_id__in=pks)
    by_authority: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in designations.values(*DESIGNATION_FIELDS):
        by_authority[row["authority_id"]].append(row)
    functions = _labels(Function)
    kinds = _labels(Authority.Kind)
    documents = []
    for row in authorities.values(*AUTHORITY_FIELDS):
        names = _join([*(row[field] for field in localized("name")), row["acronym"]])
        designated = by_authority.get(row["id"], [])
        document = _join([
            names, row["city"], *kinds.get(row["kind"], []),
            *(row[f"state__{field}"] for field in localized("name")),
            row["state__code"], row["state__iso2"], row["state__iso_numeric"],
            *(label for d in designated for label in functions.get(d["function"], [])),
            *(d[f"provision__instrument__{field}"] for d in designated
              for field in localized("abbreviation")),
        ])
        documents.append(Document(authority_id=row["id"], names=names, document=document))
    return documents
