"""The API instance: routers, error answers and caching headers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import directory, reference
from .conditional import conditional

DESCRIPTION = """\
Reference data (States, instruments, participation) and the directory of competent national
authorities of the States parties to the United Nations Convention against Transnational
Organized Crime and its Protocols.

**Languages.** Every translated field is an object with the six languages of the United Nations
as keys (`ar`, `zh-hans`, `en`, `fr`, `ru`, `es`); a language without a text is `null`.

**Visibility.** The API answers with what the Django session may see, like the pages: anonymous
requests see public entries only; signed-in practitioners, focal points and the secretariat
also see restricted ones. What may not be seen answers exactly like what does not exist:
404 with `{"detail": "Not found."}`. Only GET is offered; no CSRF token is needed.

**Caching.** Each answer carries an ETag, different for public and restricted visitors; send
it back in `If-None-Match` to get 304 Not Modified. Directory answers also carry
Last-Modified, given for information: `If-Modified-Since` is not evaluated, because a deletion
or a change of visibility does not move the date. Answers vary with the session cookie
(`Vary: Cookie`); those to signed-in visitors are private.

**Errors.** A malformed or unknown parameter answers 422 with one entry per problem
(`loc`, `msg`, `type`).
"""


class CompactJSONRenderer(JSONRenderer):
    """UTF-8 as it is and no spaces: Arabic, Chinese and Russian names take half the bytes."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


api = NinjaAPI(
    title="Palermo API", version="1", urls_namespace="api", description=DESCRIPTION,
    renderer=CompactJSONRenderer(),
)
api.add_router("", reference.router)
api.add_router("", directory.router)
api.add_decorator(conditional, mode="view")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """The same answer for what does not exist and for what may not be seen."""
    return api.create_response(request, {"detail": "Not found."}, status=404)
