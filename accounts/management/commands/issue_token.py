"""`manage.py issue_token`: issue, list and revoke tokens of the private API (/api/v1/).

For the operator: a token for an integration without going through POST /api/v1/auth/token
(no password, no TOTP code at hand), and revoking one when a system is retired or a key
leaked. The plain token is printed once, on the last line; only its hash is stored.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue an API token for a user (--username U [--label L]; the token is printed once), "
        "list a user's tokens (--username U --list), or revoke one (--revoke TOKEN_ID)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--label", default="", help="what the token is for")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--list", action="store_true", help="list the user's tokens")
        action.add_argument("--revoke", metavar="TOKEN_ID", help="revoke this token (its id)")

    def handle(self, *args, username, label, list, revoke, **options):
        if revoke:
            self._revoke(revoke)
            return
        if not username:
            raise CommandError("--username is required to issue or list tokens.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if list:
            self._list(user)
            return
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active; a token would not work.")
        token, key = ApiToken.issue(user=user, label=label.strip()[:100] or "manage.py")
        self.stdout.write(f"Token {token.pk} for {username} (send as 'Authorization: Bearer …'):")
        self.stdout.write(key)

    def _list(self, user) -> None:
        tokens = ApiToken.objects.filter(user=user).order_by("created_at")
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}  {token.created_at:%Y-%m-%d}  {state:<24}  last used {used:<16}  "
                f"{token.label}"
            )
        self.stdout.write(f"{len(tokens)} token(s) of {user.get_username()}.")

    def _revoke(self, token_id: str) -> None:
        try:
            pk = uuid.UUID(token_id)
        except ValueError:
            raise CommandError(f"{token_id!r} is not a token id (a UUID).") from None
        token = ApiToken.objects.filter(pk=pk).first()
        if token is None:
            raise CommandError(f"No token {token_id}.")
        changed = ApiToken.objects.filter(pk=pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.stdout.write(f"Token {pk} {'revoked' if changed else 'was already revoked'}.")
