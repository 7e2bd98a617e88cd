"""The anonymous public cache: public pages and API v2 answers, purged on every change.

Councils read and editors publish a few times a day, and what an anonymous visitor
gets is the same for everyone, so :class:`PublicCacheMiddleware` keeps those answers
in Django's cache (Redis in production, shared by every gunicorn worker) and serves
them without touching the database.

What is stored: answers to anonymous ``GET`` requests (no session, message or
``Authorization``) that a public view marked with :func:`mark_public` (Wagtail's page
serving for pages without a view restriction, see ``wagtail_hooks``; the API v2
endpoints), with status 200, no cookie set and nothing but ``Cookie`` and
``Accept-Encoding`` in ``Vary`` (and ``Accept`` for JSON). They are gzipped once, before they are stored, and
carry an ``ETag`` (``ConditionalGetMiddleware`` answers 304 to a match).

Purge: every key contains a *generation*, a random token in the same cache. Any
change that can show on a public page or in the API (a page saved, published,
unpublished, moved or deleted; a view restriction; a taxonomy term, a document, a
site; see ``signal_handlers``) replaces the token once its transaction commits, and
from then on every request misses and renders afresh. One token, not a list of URLs:
a project's change shows on its plan, its library, the home page, search and the API,
and working out that list would be one more rule to keep right, for a purge that
happens a few times a day. The stale entries expire (``PUBLIC_CACHE_SECONDS``).

Headers: a stored answer says ``Cache-Control: public, max-age=0,
s-maxage=PUBLIC_CACHE_S_MAXAGE`` (browsers revalidate with the ETag; a proxy or CDN in
front may keep it that many seconds, which bounds how stale it can be since nothing
purges it). A public view answering a signed-in user says ``private, no-cache``;
a page with a view restriction (audit portal, login or password pages) says
``private, no-store``. Other views (the admin, documents) set their own.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from bm_pages.conf import get_setting

logger = logging.getLogger(__name__)

GENERATION_KEY = "bm:public-cache:generation"
# Response headers worth storing; the rest (Date, Content-Length) is made per answer.
STORED_HEADERS = (
    "Content-Type",
    "Content-Encoding",
    "Content-Language",
    "Cache-Control",
    "ETag",
    "Vary",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Content-Type-Options",
)
SHAREABLE_VARY = {"cookie", "accept-encoding"}
ATTRIBUTE = "bm_public"
CHECK_ATTRIBUTE = "bm_public_hit_check"
MESSAGES_COOKIE = "messages"
# Checks a stored answer must pass before it is served, by name (see mark_public).
HIT_CHECKS: dict[str, Callable[[HttpRequest], bool]] = {}


def register_hit_check(name: str, check: Callable[[HttpRequest], bool]) -> None:
    """``check(request)`` runs before a stored answer marked with ``name`` is served;
    False sends the request to its view instead (e.g. the API throttle's 429)."""
    HIT_CHECKS[name] = check


def mark_public(
    request: HttpRequest, public: bool, hit_check: str | None = None
) -> None:
    """Say whether the answer to ``request`` is the same for every anonymous visitor.

    :param public: True for a live page without view restrictions or a public API
        answer; False for a page with a view restriction (never stored, ``no-store``).
    :param hit_check: the name of a :func:`register_hit_check` check that a stored
        copy must pass each time it is served. A name not registered in the serving
        process sends every such request to the view.
    """
    setattr(request, ATTRIBUTE, public)
    setattr(request, CHECK_ATTRIBUTE, hit_check)


def _cache():
    return caches[get_setting("PUBLIC_CACHE_ALIAS")]


def generation() -> str:
    """The current generation token (made when missing, e.g. after an eviction)."""
    cache = _cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return str(token)


def kept(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the public cache until the next purge.

    For parts many public answers share (the search page's filter choices): a
    page miss then need not build them again. See :func:`kept_many`.
    """
    return kept_many({name: name}, lambda _missing: {name: compute()})[name]


def kept_many(names: dict[Any, str], compute: Callable[[list], dict]) -> dict:
    """For each id in ``names``, the value kept under its name until the next purge.

    ``compute(missing_ids)`` gives ``{id: value}`` for the ids not kept, in one call
    (so a listing prefetches once for all its missing items). Everything is
    computed when ``PUBLIC_PARTS_CACHE_SECONDS`` is 0 or the cache is unavailable;
    values must pickle.
    """
    timeout = get_setting("PUBLIC_PARTS_CACHE_SECONDS")
    if not timeout or not names:
        return compute(list(names)) if names else {}
    try:
        current = generation()
        keys = {key: _key(current, f"part:{name}") for key, name in names.items()}
        found = _cache().get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - a cache outage must not take the site down
        return compute(list(names))
    values = {key: found[k] for key, k in keys.items() if k in found}
    missing = [key for key in names if key not in values]
    if missing:
        computed = compute(missing)
        values.update(computed)
        try:
            _cache().set_many(
                {keys[key]: value for key, value in computed.items()}, timeout=timeout
            )
        except Exception:  # noqa: BLE001 - as above
            logger.warning("public cache unavailable; %d parts not kept", len(missing))
    return values


def _key(current_generation: str, name: str) -> str:
    """Every stored answer's and part's key: stale once the generation changes."""
    return f"bm:public-cache:{current_generation}:{name}"


def purge() -> None:
    """Make every stored answer stale, now (outside a transaction) or at its commit."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("public cache: purge failed; entries expire on their own")


def is_signed_in(request: HttpRequest) -> bool:
    """A request that may get a personal answer: a session, a message, a token."""
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or MESSAGES_COOKIE in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def request_digest(request: HttpRequest) -> str:
    """What tells two stored answers apart: the full URL, the ``Accept`` header and
    whether gzip is accepted.

    ``get_host()`` refuses a host outside ``ALLOWED_HOSTS`` here (a 400), so no
    made-up ``Host`` header can plant or read an entry.
    """
    gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    accept = request.headers.get("Accept", "")
    return hashlib.sha256(f"{int(gzip)} {accept} {url}".encode()).hexdigest()


def _shareable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v}
    if response.get("Content-Type", "").startswith("application/json"):
        # API v2 negotiates (JSON or DRF's browsable HTML, which is never stored);
        # the Accept header is part of the key.
        vary.discard("accept")
    return vary <= SHAREABLE_VARY


def _stored(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    headers = {name: response[name] for name in STORED_HEADERS if name in response}
    check = getattr(request, CHECK_ATTRIBUTE, None)
    return {"content": response.content, "headers": headers, "check": check}


def _passes_check(request: HttpRequest, entry: dict[str, Any]) -> bool:
    if entry.get("check") is None:
        return True
    check = HIT_CHECKS.get(entry["check"])
    return check is not None and check(request)


def _from_stored(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["Date"] = http_date()
    response["X-Cache"] = "hit"
    return response


class PublicCacheMiddleware:
    """Serves and stores anonymous public answers; sets Cache-Control on the rest.

    Put it below ``ConditionalGetMiddleware`` (which turns a matching ``If-None-Match``
    into 304) and above the session, CSRF and authentication middleware, which a
    cache hit then never runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = get_setting("PUBLIC_CACHE_SECONDS")
        anonymous = not is_signed_in(request)
        key = None
        if anonymous and request.method == "GET" and timeout:
            digest = request_digest(request)
            try:
                key = _key(generation(), digest)
                entry = _cache().get(key)
            except Exception:  # noqa: BLE001 - a cache outage must not take the site down
                logger.warning("public cache unavailable; serving uncached")
                key, entry = None, None
            if entry is not None and _passes_check(request, entry):
                return _from_stored(entry)
        response = self.get_response(request)
        public = getattr(request, ATTRIBUTE, None)
        if not anonymous:
            self._signed_in_headers(response, public)
        elif public is False:
            patch_cache_control(response, private=True, no_store=True)
        elif public and _shareable(response):
            self._public(request, response, key, timeout)
        return response

    def _signed_in_headers(self, response: HttpResponse, public: bool | None) -> None:
        """A public page or API answer for a signed-in user: hers alone, revalidated.

        Other views (the admin, documents) set their own Cache-Control.
        """
        if public:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Cookie"])
        elif public is False:
            patch_cache_control(response, private=True, no_store=True)

    def _public(
        self,
        request: HttpRequest,
        response: HttpResponse,
        key: str | None,
        timeout: int,
    ) -> None:
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=get_setting("PUBLIC_CACHE_S_MAXAGE"),
        )
        patch_vary_headers(response, ["Cookie"])
        # Anonymous, no cookie set, no CSRF token in the body: nothing for BREACH to find.
        self.gzip.process_response(request, response)
        if not response.has_header("ETag"):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{digest}"'
        if key is not None:
            try:
                _cache().set(key, _stored(request, response), timeout=timeout)
            except Exception:  # noqa: BLE001 - as above
                logger.warning("public cache unavailable; answer not stored")
            response["X-Cache"] = "miss"


def mark_served_page(page, request: HttpRequest, serve_args, serve_kwargs) -> None:
    """``before_serve_page``: a page is public unless it or an ancestor is restricted.

    Wagtail serves only live pages here (drafts are previewed in the admin), and its
    own hook has already turned away whoever may not see a restricted page.
    """
    # Evaluated, not ``exists()``: our page types keep the evaluated queryset, and
    # Wagtail's own check iterates it next (bm_pages.models.serving).
    mark_public(request, not page.get_view_restrictions())
