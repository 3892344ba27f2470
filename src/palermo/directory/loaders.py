"""Load the useful resources (decision 3/2 g(iv)) shipped in ``data/resources.json``.

Real reference data, not demo data: ``load_reference`` runs this after the reference loaders.
Idempotent: a resource is keyed on its address, and a second run changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from palermo.reference.loaders import LoadReport, _translated, _upsert
from palermo.reference.models import Instrument, Language

from .models import Resource

DATA_DIR = Path(__file__).resolve().parent / "data"


def resource_data() -> list[dict[str, Any]]:
    with (DATA_DIR / "resources.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    resources: list[dict[str, Any]] = data["resources"]
    return resources


def _by_code(model: Any, codes: set[str]) -> dict[str, Any]:
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    missing = codes - set(found)
    if missing:
        raise ValueError(f"resources.json names unknown {model.__name__} codes: {sorted(missing)}")
    return found


@transaction.atomic
def load_resources(report: LoadReport) -> None:
    entries = resource_data()
    languages = _by_code(Language, {c for e in entries for c in e["languages"]})
    instruments = _by_code(Instrument, {c for e in entries for c in e["instruments"]})
    for entry in entries:
        updated_before = report.updated.get("Resource", 0)
        resource, created = _upsert(Resource, report, {"url": entry["url"]}, {
            **_translated("title", entry["title"]),
            "kind": entry["kind"],
            "publisher": entry["publisher"],
            "year": entry["year"],
            "reference": entry["reference"],
        })
        related_changed = False
        for manager, wanted in (
            (resource.languages, {languages[c].pk for c in entry["languages"]}),
            (resource.instruments, {instruments[c].pk for c in entry["instruments"]}),
        ):
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(wanted)
                related_changed = True
        if related_changed and not created and report.updated.get("Resource", 0) == updated_before:
            report.count("Resource", created=False)
