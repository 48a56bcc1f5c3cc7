"""Plain factories for tests: explicit arguments, no hidden randomness."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.models import Membership, TerritoryCoordinator
from catalog.models import ProvisionForm, ServiceType, TargetGroup
from directory.models import Location, Organization, Service, ServiceArea, ServiceAtLocation
from directory.services import refresh_service, report_capacity
from territory.models import Municipality, Territory

KYJOV = 586307
TYN_NAD_VLTAVOU = 545201
LAZNE_BOHDANEC = 574767


def make_territory(slug: str = "kyjovsko", codes: tuple[int, ...] = (KYJOV,), **kw) -> Territory:
    territory = Territory.objects.create(
        slug=slug, name=kw.pop("name", slug.title()), kind=kw.pop("kind", "mas"), **kw
    )
    territory.municipalities.set(Municipality.objects.filter(code__in=codes))
    return territory


def make_organization(name: str = "Poskytovatel A, z.ú.", **kw) -> Organization:
    return Organization.objects.create(name=name, **kw)


def make_service(
    organization: Organization,
    *,
    type_code: str = "37",
    name: str | None = None,
    municipality: int = KYJOV,
    forms: tuple[str, ...] = ("amb",),
    target_groups: tuple[str, ...] = (),
    area_municipalities: tuple[int, ...] = (),
    address_hidden: bool = False,
    free_places: int | None = None,
    waiting_list: int = 0,
    **kw,
) -> Service:
    stype = ServiceType.objects.get(code=type_code)
    service = Service.objects.create(
        organization=organization, name=name or stype.name, service_type=stype, **kw
    )
    service.forms.set(ProvisionForm.objects.filter(code__in=forms))
    service.target_groups.set(TargetGroup.objects.filter(code__in=target_groups))
    muni = Municipality.objects.get(code=municipality)
    location = Location.objects.create(
        organization=organization,
        name=f"{service.name} – {muni.name}",
        street="Masarykovo nám. 1",
        city=muni.name,
        municipality=muni,
        latitude=muni.latitude,
        longitude=muni.longitude,
        address_hidden=address_hidden,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    for code in area_municipalities:
        ServiceArea.objects.create(service=service, municipality_id=code)
    refresh_service(service)
    if free_places is not None:
        report_capacity(service=service, free_places=free_places, waiting_list=waiting_list)
    return service


def make_user(
    username: str,
    *,
    organization: Organization | None = None,
    role: str = "provider_admin",
    coordinates: Territory | None = None,
):
    user = get_user_model().objects.create_user(username=username, password="heslo-pro-testy-1")
    if organization is not None:
        Membership.objects.create(user=user, organization=organization, role=role)
    if coordinates is not None:
        TerritoryCoordinator.objects.create(user=user, territory=coordinates)
    return user
