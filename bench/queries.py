"""Count SQL queries per request, in-process, with Django's test Client; and describe the data.

    DJANGO_SETTINGS_MODULE=bench.settings PALERMO_DEBUG=false \\
        DATABASE_URL=sqlite:////work/main/var/bench/bench.sqlite3 \\
        .venv/bin/python bench/queries.py /en/ /en/states/

``bench/run.py`` starts this with the same environment as the benchmarked server. Each path is
requested twice; the first request (cold: empty caches in this process) and the second (warm,
as in a long-running worker) are counted separately. Prints JSON to standard output.

``bench/queries.py --pick`` prints instead the entries the measured addresses point at (the
public authority whose page and API detail are measured).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"


def count(paths: list[str]) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    results = []
    for path in paths:
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as warm:
            response = client.get(path)
        results.append({
            "path": path, "status": response.status_code, "body_bytes": len(response.content),
            "queries_cold": len(cold), "queries": len(warm),
            "sql": [q["sql"] for q in warm.captured_queries],
            "sql_cold": [q["sql"] for q in cold.captured_queries],
        })
    return results


def pick() -> dict[str, Any]:
    """A public authority of Mexico to measure, the central one if there is one."""
    from palermo.core.models import Visibility
    from palermo.directory.models import Authority

    public = Authority.objects.filter(visibility=Visibility.PUBLIC).order_by("pk")
    authority = (public.filter(state__code="MEX", kind=Authority.Kind.CENTRAL).first()
                 or public.filter(state__code="MEX").first() or public.first())
    return {"authority": authority.pk if authority else None,
            "authority_name": authority.name if authority else None}


def describe() -> dict[str, Any]:
    """Row counts of Palermo's own models, and the database engine and version."""
    from django.apps import apps
    from django.conf import settings
    from django.db import connection

    rows = {}
    for model in apps.get_models():
        if model.__module__.startswith("palermo.") and not model._meta.proxy:
            rows[f"{model._meta.app_label}.{model.__name__}"] = model._default_manager.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
        else:
            cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, "rows": rows,
            "debug": settings.DEBUG, "name": str(connection.settings_dict["NAME"])}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if sys.argv[1:] == ["--pick"]:
        json.dump(pick(), sys.stdout, indent=1)
    else:
        json.dump({"database": describe(), "queries": count(sys.argv[1:])}, sys.stdout,
                  indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
