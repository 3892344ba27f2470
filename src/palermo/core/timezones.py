"""The main IANA time zone of each country, from the tz database's zone.tab (via tzdata)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def country_time_zones() -> dict[str, str]:
    """ISO 3166 alpha-2 → the first zone listed for it (the most populous, by tz convention)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone, *_rest = line.split("\t")
        zones.setdefault(country, zone)
    return zones


def time_zone_for(iso2: str) -> str:
    return country_time_zones().get(iso2.upper(), "UTC")
