"""Load and refresh the reference data shipped in ``data/``. Every function is idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale
from django.conf import settings
from django.db import transaction

from .models import (
    Article,
    Instrument,
    Language,
    Paragraph,
    Participation,
    Provision,
    RegionalGroup,
    Source,
    State,
)
from .treaty_text import parse_treaty, treaty_path

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
BABEL_LOCALES = {"zh-hans": "zh_Hans"}

REGIONAL_GROUPS: dict[str, dict[str, str]] = {
    "AFR": {"en": "African States", "fr": "Groupe des États d'Afrique",
            "es": "Grupo de los Estados de África", "ru": "Группа африканских государств",
            "ar": "مجموعة الدول الأفريقية", "zh-hans": "非洲国家集团"},
    "APG": {"en": "Asia-Pacific States", "fr": "Groupe des États d'Asie et du Pacifique",
            "es": "Grupo de los Estados de Asia y el Pacífico",
            "ru": "Группа азиатско-тихоокеанских государств",
            "ar": "مجموعة دول آسيا والمحيط الهادئ", "zh-hans": "亚洲和太平洋国家集团"},
    "EEG": {"en": "Eastern European States", "fr": "Groupe des États d'Europe orientale",
            "es": "Grupo de los Estados de Europa Oriental",
            "ru": "Группа восточноевропейских государств",
            "ar": "مجموعة دول أوروبا الشرقية", "zh-hans": "东欧国家集团"},
    "GRULAC": {"en": "Latin American and Caribbean States",
               "fr": "Groupe des États d'Amérique latine et des Caraïbes",
               "es": "Grupo de los Estados de América Latina y el Caribe",
               "ru": "Группа государств Латинской Америки и Карибского бассейна",
               "ar": "مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي",
               "zh-hans": "拉丁美洲和加勒比国家集团"},
    "WEOG": {"en": "Western European and other States",
             "fr": "Groupe des États d'Europe occidentale et autres États",
             "es": "Grupo de los Estados de Europa Occidental y otros Estados",
             "ru": "Группа западноевропейских и других государств",
             "ar": "مجموعة دول أوروبا الغربية ودول أخرى", "zh-hans": "西欧和其他国家集团"},
}

# Participants that are not among the 193 Member States of the regional-groups file.
OTHER_PARTICIPANTS: list[tuple[str, str, str]] = [
    ("VAT", "VA", State.Kind.OBSERVER),
    ("PSE", "PS", State.Kind.OBSERVER),
    ("COK", "CK", State.Kind.OTHER),
    ("NIU", "NU", State.Kind.OTHER),
    ("EU", "EU", State.Kind.REIO),
]


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, model: str, created: bool, changed: bool = True) -> None:
        bucket = self.created if created else self.updated
        if created or changed:
            bucket[model] = bucket.get(model, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        models = sorted(set(self.created) | set(self.updated))
        return [
            f"{model}: {self.created.get(model, 0)} created, {self.updated.get(model, 0)} updated"
            for model in models
        ]


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sync(obj: Any, values: dict[str, Any]) -> bool:
    """Set values on obj; return whether anything changed."""
    changed = False
    for name, value in values.items():
        field = obj._meta.get_field(name) if name in _fk_names(obj) else None
        if field is not None:
            current = getattr(obj, field.attname)
            if current != (value.pk if value is not None else None):
                setattr(obj, name, value)
                changed = True
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _fk_names(obj: Any) -> set[str]:
    return {f.name for f in obj._meta.concrete_fields if f.is_relation}


def _upsert(model: Any, report: LoadReport, lookup: dict[str, Any],
            values: dict[str, Any]) -> tuple[Any, bool]:
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    changed = _sync(obj, values)
    if created or changed:
        obj.full_clean()
        obj.save()
    report.count(model.__name__, created, changed)
    return obj, created


def _translated(field_name: str, names: dict[str, str]) -> dict[str, str]:
    values = {f"{field_name}_{code.replace('-', '_')}": names.get(code, "")
              for code in LANGUAGE_CODES}
    values[field_name] = names["en"]
    return values


def instrument_data() -> dict[str, Any]:
    with (DATA_DIR / "instruments.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_sources(report: LoadReport) -> None:
    for row in instrument_data()["sources"]:
        _upsert(Source, report, {"tag": row["tag"]}, {
            "title": row["title"], "url": row["url"], "as_at": _date(row["as_at"]),
            "note": row["note"],
        })


def load_regional_groups(report: LoadReport) -> None:
    for position, (code, names) in enumerate(REGIONAL_GROUPS.items()):
        _upsert(RegionalGroup, report, {"code": code},
                {"position": position, **_translated("name", names)})


def state_names(iso2: str, iso3: str, overrides: dict[tuple[str, str], str]) -> dict[str, str]:
    names = {}
    for code in LANGUAGE_CODES:
        cldr = Locale.parse(BABEL_LOCALES.get(code, code)).territories[iso2]
        names[code] = overrides.get((iso3, code), cldr.replace(" & ", " and "))
    return names


def _alpha_2(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise ValueError(f"{iso3} is not an ISO 3166-1 alpha-3 code")
    return str(country.alpha_2)


def load_states(report: LoadReport) -> None:
    overrides = {(row["iso3"], row["lang"]): row["name"]
                 for row in _csv_rows(DATA_DIR / "un-short-names.csv")}
    groups = {group.code: group for group in RegionalGroup.objects.all()}
    members: dict[str, list[str]] = {}
    for row in _csv_rows(DATA_DIR / "un-regional-groups.csv"):
        members.setdefault(row["iso3"], []).append(row["group_code"])
    entries = [(iso3, _alpha_2(iso3), str(State.Kind.MEMBER)) for iso3 in members]
    entries += OTHER_PARTICIPANTS
    for iso3, iso2, kind in entries:
        country = pycountry.countries.get(alpha_2=iso2)
        names = state_names(iso2, iso3, overrides)
        source = "CLDR, UNTERM" if any(key[0] == iso3 for key in overrides) else "CLDR"
        state, created = _upsert(State, report, {"code": iso3}, {
            "iso2": iso2, "iso_numeric": country.numeric if country else "", "kind": kind,
            "names_source": source, **_translated("name", names),
        })
        wanted = {groups[code].pk for code in members.get(iso3, [])}
        current = set(state.regional_groups.values_list("pk", flat=True))
        if wanted != current:
            state.regional_groups.set(wanted)
            if not created:
                report.count("State", created=False)


def load_instruments(report: LoadReport) -> None:
    data = instrument_data()
    sources = {source.tag: source for source in Source.objects.all()}
    text_source = sources["NL-treaty-texts"]
    for position, row in enumerate(data["instruments"]):
        parent = Instrument.objects.get(code=row["parent"]) if row["parent"] else None
        instrument, _created = _upsert(Instrument, report, {"code": row["code"]}, {
            "parent": parent, "position": position,
            "adopted_on": _date(row["adopted_on"]), "adopted_by": row["adopted_by"],
            "entry_into_force_on": _date(row["entry_into_force_on"]),
            "depositary_reference": row["depositary_reference"],
            "status_url": row["status_url"],
            "official_signatories": row["official_signatories"],
            "official_parties": row["official_parties"],
            "official_count_as_at": _date(row["official_count_as_at"]),
            "official_count_source": sources.get(row["official_count_source"] or ""),
            "text_source": text_source,
            **_translated("name", row["name"]),
            **_translated("short_name", row["short_name"]),
            **_translated("abbreviation", row["abbreviation"]),
        })
        load_text(instrument, row["file"], report)
        for index, provision in enumerate(row["provisions"]):
            load_provision(instrument, provision, index, report)


def load_text(instrument: Instrument, filename: str, report: LoadReport) -> None:
    for parsed in parse_treaty(treaty_path(filename).read_text(encoding="utf-8")):
        article, _created = _upsert(
            Article, report, {"instrument": instrument, "number": parsed.number},
            {"title": parsed.title},
        )
        for paragraph in parsed.paragraphs:
            _upsert(Paragraph, report, {"article": article, "number": paragraph.number},
                    {"text": paragraph.text})


def load_provision(instrument: Instrument, row: dict[str, Any], position: int,
                   report: LoadReport) -> None:
    article = Article.objects.get(instrument=instrument, number=row["article"])
    paragraph = (Paragraph.objects.get(article=article, number=row["paragraph"])
                 if row["paragraph"] is not None else None)
    _upsert(Provision, report, {"instrument": instrument, "code": row["code"]}, {
        "article": article, "paragraph": paragraph, "subparagraph": row["subparagraph"],
        "subject": row["subject"], "position": position, **_translated("title", row["title"]),
    })


SHIPPED_PARTICIPATION = {"untoc": "untoc-parties.csv"}


def load_participation(report: LoadReport) -> None:
    """Load the shipped participation files.

    A row that the secretariat has since corrected with a source of its own is left alone:
    a refresh never overwrites a correction.
    """
    shipped_tags = {"UNTC-EN-2024-05-04", "UNTC-FR-XML", "NL-Trb-2007-70"}
    for code, filename in SHIPPED_PARTICIPATION.items():
        instrument = Instrument.objects.get(code=code)
        for row in _csv_rows(DATA_DIR / filename):
            tags = row["source"].split("+")
            state = State.objects.get(code=row["iso3"])
            existing = Participation.objects.filter(state=state, instrument=instrument).first()
            if existing is not None and existing.source.tag not in shipped_tags:
                continue
            notes = [row["note"]] if row["note"] else []
            if len(tags) > 1:
                notes.append("Also recorded in " + ", ".join(tags[1:]) + ".")
            _upsert(Participation, report, {"state": state, "instrument": instrument}, {
                "signed_on": _date(row["signature_date"]),
                "consent_on": _date(row["ratification_date"]),
                "action": row["action_type"] if row["ratification_date"] else "",
                "source": Source.objects.get(tag=tags[0]),
                "note": " ".join(notes),
            })


UN_LANGUAGES = {"ar", "zh", "en", "fr", "ru", "es"}


def load_languages(report: LoadReport) -> None:
    """Every ISO 639-1 language that CLDR names in all six UN languages."""
    locales = {code: Locale.parse(BABEL_LOCALES.get(code, code)) for code in LANGUAGE_CODES}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code is None:
            continue
        names = {lang: locale.languages.get(code, "") for lang, locale in locales.items()}
        if not all(names.values()):
            continue
        _upsert(Language, report, {"code": code}, {
            "is_un_official": code in UN_LANGUAGES, **_translated("name", names),
        })


@transaction.atomic
def load_all() -> LoadReport:
    report = LoadReport()
    load_sources(report)
    load_regional_groups(report)
    load_languages(report)
    load_states(report)
    load_instruments(report)
    load_participation(report)
    return report
