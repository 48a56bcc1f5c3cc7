"""`manage.py add_member`: give a user a role in an organisation or a territory.

For the operator of a deployment (the first coordinator, scripted set-ups, tests): it
creates the user when missing and sets the password given. Running it again with the same
arguments changes nothing; with another role it changes the role.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, TerritoryCoordinator
from directory.models import Organization
from territory.models import Territory

COORDINATOR = "coordinator"
ROLES = (*Membership.Role.values, COORDINATOR)


class Command(BaseCommand):
    help = (
        "Add a user to an organisation (--organization UUID) with a role, or make them the "
        "coordinator of a territory (--territory SLUG --role coordinator). Creates the user "
        "if missing and sets the password. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--organization", metavar="ID", help="the organisation's UUID")
        where.add_argument("--territory", metavar="SLUG", help="the territory's slug")
        parser.add_argument("--role", required=True, choices=ROLES)

    def handle(self, *args, username, password, organization, territory, role, **options):
        username = username.strip()
        if not username:
            raise CommandError("--username must not be empty.")
        if role == COORDINATOR:
            if territory is None:
                raise CommandError("--role coordinator needs --territory SLUG, not --organization.")
            place = self._territory(territory)
        else:
            if organization is None:
                raise CommandError(f"--role {role} needs --organization ID, not --territory.")
            place = self._organization(organization)

        with transaction.atomic():
            user, created = self._user(username, password)
            if role == COORDINATOR:
                _, added = TerritoryCoordinator.objects.get_or_create(user=user, territory=place)
                change = "now coordinates" if added else "already coordinates"
            else:
                membership = Membership.objects.filter(user=user, organization=place).first()
                if membership is None:
                    Membership.objects.create(user=user, organization=place, role=role)
                    change = f"is now {role} of"
                elif membership.role != role:
                    previous = membership.role
                    Membership.objects.filter(pk=membership.pk).update(role=role)
                    change = f"is now {role} (was {previous}) of"
                else:
                    change = f"already is {role} of"
        who = f"User {user.get_username()} ({'created' if created else 'password set'})"
        self.stdout.write(self.style.SUCCESS(f"{who} {change} {place}."))

    def _organization(self, value: str) -> Organization:
        try:
            pk = uuid.UUID(value.strip())
        except ValueError:
            raise CommandError(f"--organization {value!r} is not a UUID.") from None
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            raise CommandError(f"--organization {value}: no organisation has this id.")
        return organization

    def _territory(self, value: str) -> Territory:
        territory = Territory.objects.filter(slug=value.strip()).first()
        if territory is None:
            known = ", ".join(Territory.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"--territory {value!r}: no territory has this slug (known: {known or 'none'})."
            )
        return territory

    def _user(self, username: str, password: str):
        user_model = get_user_model()
        user = user_model.objects.filter(username__iexact=username).first()
        created = user is None
        if created:
            user = user_model(username=username)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(f"--password: {' '.join(error.messages)}") from None
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        return user, created
