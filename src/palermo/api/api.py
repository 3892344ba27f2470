"""The API instance: routers, error answers and caching headers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from palermo.core.pagecache import anonymous_page

from . import directory, finder, reference
from .auth import BearerToken, Session, TokenRefused, token_scope
from .conditional import conditional

DESCRIPTION = """\
Reference data (States, instruments, participation), the directory of competent national
authorities of the States parties to the United Nations Convention against Transnational
Organized Crime and its Protocols, the finder (where to send a request, how, in which
language, and what it must contain), the request writer's drafts and their documents, and the
reporting cycles' questionnaires and responses.

**Languages.** Every translated field is an object with the six languages of the United Nations
as keys (`ar`, `zh-hans`, `en`, `fr`, `ru`, `es`); a language without a text is `null`.
Messages (errors, what the directory does not know) follow `Accept-Language`.

**Visibility.** The API answers each request as the pages would answer its sender: anonymous
requests see public entries only; practitioners, focal points and the secretariat also see
restricted ones. What may not be seen answers exactly like what does not exist: 404 with
`{"detail": "Not found."}`. Reference and directory data are read-only (GET). Requests
(`/requests`) are also written through the API: a write sent with the session cookie must carry
the CSRF token (the `csrftoken` cookie's value in an `X-CSRFToken` header); a write with a
personal API token needs none. Drafts and responses answer 401 to anonymous callers.

**Who is asking.** Either the session cookie of someone signed in on the site, or a personal
API token: create one on your account's *API tokens* page (`/en/api-tokens/`; it is shown once,
and only its fingerprint is kept) and send it as `Authorization: Bearer palermo_…`. A token
sees exactly what its owner's session sees, until it is revoked on the same page. A token
that is wrong or revoked, or whose account is disabled, answers 401 with a sentence saying
why (`{"detail": "…"}`); it never falls back to anonymous answers. Without either, the
request is anonymous.

**Caching.** Each answer carries an ETag, different for public and restricted visitors; send
it back in `If-None-Match` to get 304 Not Modified. Directory answers also carry
Last-Modified, given for information: `If-Modified-Since` is not evaluated, because a deletion
or a change of visibility does not move the date. Answers vary with the session cookie and
the Authorization header (`Vary: Cookie, Authorization`); those to signed-in visitors and to
tokens are private.

**Errors.** A malformed or unknown parameter answers 422 with one entry per problem
(`loc`, `msg`, `type`).
"""


class CompactJSONRenderer(JSONRenderer):
    """UTF-8 as it is and no spaces: Arabic, Chinese and Russian names take half the bytes."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


class PalermoAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        """Every operation also answers without credentials (``{}``), for public data."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                operation["security"] = [*operation.get("security", []), {}]
        return schema


api = PalermoAPI(
    title="Palermo API", version="1", urls_namespace="api", description=DESCRIPTION,
    renderer=CompactJSONRenderer(), auth=[BearerToken(), Session()],
)
api.add_router("", reference.router)
api.add_router("", directory.router)
api.add_router("", finder.router)
api.add_router("", "palermo.reporting.analysis.api.router")  # questionnaires, cycles, responses
api.add_router("", "palermo.writer.api.router")  # the request writer: /requests
api.add_decorator(conditional, mode="view")
api.add_decorator(token_scope, mode="view")  # outside conditional: see its docstring
# Outermost: anonymous answers without a token come from the whole-page cache (core.pagecache).
api.add_decorator(anonymous_page("day"), mode="view")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """The same answer for what does not exist and for what may not be seen."""
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(TokenRefused)
def token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="Palermo API", error="invalid_token"'
    return response
