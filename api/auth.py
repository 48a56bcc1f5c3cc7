"""Bearer tokens of the private API: `Authorization: Bearer <token>`.

Only the SHA-256 of a token is stored (`ApiToken.key_hash`), so a token is looked up by its
hash among the active ones (not revoked, user active). `last_used_at` is written at most
once a minute per token: a busy integration must not turn every read into a write.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=1)
# secrets.token_urlsafe(32) gives 43 characters; anything far longer is not one of ours.
MAX_TOKEN_LENGTH = 200


class TokenAuth(HttpBearer):
    """Authenticates with an API token; `request.auth` is the ApiToken, with its user."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            key_hash = ApiToken.hash_key(token)
        except UnicodeEncodeError:  # a lone surrogate cannot be one of our tokens
            return None
        found = ApiToken.objects.active().select_related("user").filter(key_hash=key_hash).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or found.last_used_at <= now - LAST_USED_RESOLUTION:
            # Conditional, so concurrent requests of one token write once.
            ApiToken.objects.filter(pk=found.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
            ).update(last_used_at=now)
            found.last_used_at = now
        # The rest of the request (and anything it logs) sees the token's user.
        request.user = found.user
        return found


def user_of(request: HttpRequest):
    return request.auth.user
