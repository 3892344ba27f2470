from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info


def _alternate(path: str, current: str, code: str) -> str:
    """The same page in another language. Palermo's paths are not translated, only prefixed
    with the language, so swapping the prefix is enough (and resolves no URL, which every page
    would otherwise pay twelve times); other paths go through Django's ``translate_url``."""
    prefix = f"/{current}/"
    if current and path.startswith(prefix):
        return f"/{code}/{path[len(prefix):]}"
    return translate_url(path, code)


def site(request: HttpRequest) -> dict[str, Any]:
    path = request.get_full_path()
    current = get_language() or ""
    alternates = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _alternate(path, current, code),
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "LANGUAGE_ALTERNATES": alternates,
        "LANGUAGE_CODE": get_language(),
        "LANGUAGE_BIDI": get_language_bidi(),
        "PALERMO_ENV": settings.PALERMO_ENV,
        # A signed-in demo account shows its (fictional) name on every page.
        "demo_shown": getattr(getattr(request, "user", None), "is_demo", False),
    }
