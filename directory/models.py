"""The directory, one-to-one with HSDS 3.0 objects.

Organization, Service, Location, ServiceAtLocation, ServiceArea, Schedule, Contact map to
the HSDS objects of the same names; Czech specifics (IČO, MPSV identifiers, form of
provision, registered capacity, reported free places) are extra fields, documented as
the Czech profile. Access rules live on the managers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import AgeGroup, CapacityType, ProvisionForm, ServiceType, TargetGroup
from directory.validators import validate_ico
from territory.models import District, Municipality, Orp, Region


class OrganizationQuerySet(models.QuerySet):
    def editable_by(self, user) -> OrganizationQuerySet:
        """Organisations whose data `user` may change: their own (as a provider member), and
        in the territories they coordinate those with a service or a seat there (a newly
        added organisation has no service yet, only its seat)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        coordinated = models.Q(territories__coordinators__user=user)
        return self.filter(
            models.Q(
                id__in=Organization.objects.filter(
                    memberships__user=user, memberships__role__in=EDITOR_ROLES
                ).values("id")
            )
            | models.Q(
                id__in=ServiceCoverage.objects.filter(
                    municipality__in=Municipality.objects.filter(coordinated)
                ).values("service__organization_id")
            )
            | models.Q(
                id__in=Location.objects.filter(
                    municipality__in=Municipality.objects.filter(coordinated)
                ).values("organization_id")
            )
        )


EDITOR_ROLES = ("provider_admin", "provider_staff")


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("název"), max_length=300)
    alternate_name = models.CharField(_("zkrácený název"), max_length=200, blank=True)
    description = models.TextField(_("popis"), blank=True)
    ico = models.CharField(
        _("IČO"), max_length=8, blank=True, validators=[validate_ico], db_index=True
    )
    legal_status = models.CharField(_("právní forma"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("web"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("ukázková data"), default=False)
    updated_at = models.DateTimeField(_("změněno"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizace")
        verbose_name_plural = _("organizace")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where services are given (HSDS location + address)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("název místa"), max_length=300)
    street = models.CharField(_("ulice a číslo"), max_length=200, blank=True)
    city = models.CharField(_("obec / část obce"), max_length=200, blank=True)
    postal_code = models.CharField(_("PSČ"), max_length=6, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="locations", verbose_name=_("obec")
    )
    latitude = models.FloatField(_("zeměpisná šířka"), null=True, blank=True)
    longitude = models.FloatField(_("zeměpisná délka"), null=True, blank=True)
    accessibility = models.TextField(_("bezbariérovost a přístup"), blank=True)
    transport = models.TextField(_("jak se k nám dostanete"), blank=True)
    # Shelters and intervention centres: the address is never shown, exported or mapped.
    address_hidden = models.BooleanField(_("utajená adresa"), default=False)
    mpsv_facility_id = models.CharField(_("identifikátor zařízení MPSV"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("místo")
        verbose_name_plural = _("místa")

    def __str__(self) -> str:
        return self.name

    @property
    def public_address(self) -> str:
        """The address as the public may see it: only the municipality when hidden."""
        if self.address_hidden:
            return str(self.municipality)
        parts = [self.street, " ".join(filter(None, [self.postal_code, self.city]))]
        return ", ".join(p for p in parts if p) or str(self.municipality)

    @property
    def public_point(self) -> tuple[float, float] | None:
        """Coordinates for a map, never of a hidden address."""
        if self.address_hidden or self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class ServiceQuerySet(models.QuerySet):
    def public(self) -> ServiceQuerySet:
        return self.filter(status=Service.Status.ACTIVE)

    def in_territory(self, territory) -> ServiceQuerySet:
        """Services that serve at least one obec of the territory."""
        if territory.kind == territory.Kind.NATIONAL:
            # Every obec belongs to it: serving any obec is enough. Probing the coverage
            # index per service beats materialising 1.6 million coverage rows of the country.
            return self.filter(
                models.Exists(ServiceCoverage.objects.filter(service=models.OuterRef("pk")))
            )
        return self.filter(
            id__in=ServiceCoverage.objects.filter(municipality__territories=territory).values(
                "service_id"
            )
        )

    def covering(self, municipality_code: int) -> ServiceQuerySet:
        return self.filter(
            id__in=ServiceCoverage.objects.filter(municipality_id=municipality_code).values(
                "service_id"
            )
        )

    def editable_by(self, user) -> ServiceQuerySet:
        """Services `user` may edit: those of organisations they are a provider member of,
        and all services in the territories they coordinate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        own = models.Q(
            organization__memberships__user=user,
            organization__memberships__role__in=EDITOR_ROLES,
        )
        coordinated = models.Q(
            id__in=ServiceCoverage.objects.filter(
                municipality__territories__coordinators__user=user
            ).values("service_id")
        )
        return self.filter(own | coordinated).distinct()

    # Set by for_cards(): attach code-list entries when the rows are fetched.
    _with_code_lists = False

    def for_cards(self) -> ServiceQuerySet:
        """Everything a result card shows, in a fixed number of queries.

        Forms, target and age groups come from the in-memory code lists (catalog.codes)
        joined through their link tables, instead of three prefetches that build a model
        object and a related manager per service and entry: on a page of 20 cards that was
        half the cost of loading them.
        """
        clone = self.select_related(
            "organization", "service_type", "latest_capacity"
        ).prefetch_related(
            models.Prefetch(
                "locations",
                queryset=Location.objects.select_related("municipality"),
            ),
        )
        clone._with_code_lists = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_code_lists = self._with_code_lists
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._with_code_lists and self._iterable_class is ModelIterable:
            attach_code_lists(self._result_cache)


def attach_code_lists(services: list[Service]) -> None:
    """Give each service its forms, target and age groups (the `listed_*` properties)."""
    from catalog.codes import code_lists

    if not services:
        return
    codes = code_lists()
    by_id = {service.pk: service for service in services}
    for service in services:
        service._listed = {"forms": [], "target_groups": [], "age_groups": []}
    links = (
        ("forms", Service.forms.through, "provisionform_id", ProvisionForm),
        ("target_groups", Service.target_groups.through, "targetgroup_id", TargetGroup),
        ("age_groups", Service.age_groups.through, "agegroup_id", AgeGroup),
    )
    # One statement for the three link tables: a card page asks it for twenty services.
    keys = [Service._meta.pk.get_db_prep_value(pk, connection) for pk in by_id]
    marks = ", ".join(["%s"] * len(keys))
    sql = " UNION ALL ".join(
        f"SELECT {i}, service_id, {column} FROM {through._meta.db_table} "
        f"WHERE service_id IN ({marks})"
        for i, (_name, through, column, _model) in enumerate(links)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, keys * len(links))
        rows = cursor.fetchall()
    by_key = dict(zip(keys, by_id.values(), strict=True))
    for link, key, entry_id in rows:
        name, _through, _column, model = links[link]
        entry = codes.by_id[model].get(entry_id)
        if entry is None:  # added since the snapshot was read: read it as it is now
            entry = model.objects.get(pk=entry_id)
        by_key[key]._listed[name].append(entry)
    for name, _through, _column, model in links:
        position = codes.position[model]
        for service in services:
            service._listed[name].sort(key=lambda e: position.get(e.pk, len(position)))


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("poskytuje se")
        INACTIVE = "inactive", _("dočasně neposkytuje")
        DEFUNCT = "defunct", _("ukončena")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("poskytovatel"),
    )
    name = models.CharField(_("název"), max_length=300)
    alternate_name = models.CharField(_("jiný název"), max_length=300, blank=True)
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="services", verbose_name=_("druh")
    )
    forms = models.ManyToManyField(ProvisionForm, blank=True, verbose_name=_("formy"))
    target_groups = models.ManyToManyField(TargetGroup, blank=True, verbose_name=_("pro koho"))
    age_groups = models.ManyToManyField(AgeGroup, blank=True, verbose_name=_("věk"))
    description = models.TextField(_("co pro vás uděláme"), blank=True)
    eligibility = models.TextField(_("komu je služba určena"), blank=True)
    application_process = models.TextField(_("jak se do služby dostat"), blank=True)
    is_free = models.BooleanField(_("zdarma"), default=True)
    fees_description = models.TextField(_("úhrady"), blank=True)
    languages = models.CharField(
        _("jazyky"), max_length=200, blank=True, help_text=_("Kódy ISO 639-1 oddělené čárkou.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    url = models.URLField(_("web"), blank=True)
    status = models.CharField(
        _("stav"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    mpsv_identifier = models.CharField(
        _("identifikátor služby v registru MPSV"), max_length=20, blank=True, db_index=True
    )
    mpsv_portal_id = models.CharField(_("portalId v registru MPSV"), max_length=40, blank=True)
    registered_from = models.DateField(_("registrace od"), null=True, blank=True)
    registered_until = models.DateField(_("registrace do"), null=True, blank=True)
    locations = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True
    )
    # The newest capacity report, denormalised so that search and cards need no subquery.
    latest_capacity = models.OneToOneField(
        "CapacityReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the latest report said there were free places (else empty), denormalised from
    # latest_capacity by services.sync_room: "free places now" = this is within the last
    # SPOJKA_CAPACITY_STALE_DAYS, a plain indexed column instead of a join.
    room_reported_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Normalised text (spojka.text.normalize) indexed by FTS5 / tsvector; see search.py.
    # The title (name, type) weighs more than the body (descriptions, groups, places).
    search_title = models.TextField(editable=False, blank=True)
    search_document = models.TextField(editable=False, blank=True)
    is_demo = models.BooleanField(_("ukázková data"), default=False)
    updated_at = models.DateTimeField(_("změněno"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("služba")
        verbose_name_plural = _("služby")
        # Each index carries the columns the directory filters on besides its order
        # (type, verified room, id), so that counting a kind of help, browsing by name
        # with "free places now" and intersecting with an obec's coverage are answered
        # from the index without reading the rows, whose text makes them large.
        indexes = [
            models.Index(
                fields=["status", "service_type", "room_reported_at", "id"],
                name="directory_service_type_idx",
            ),
            models.Index(
                fields=["status", "name", "id", "room_reported_at"],
                name="directory_service_name_idx",
            ),
            models.Index(fields=["status", "room_reported_at"]),
            # HSDS lists page by id over active services.
            models.Index(
                fields=["status", "id", "service_type", "room_reported_at"],
                name="directory_service_id_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self, territory_slug: str | None = None) -> str:
        return reverse(
            "portal:service", kwargs={"territory": territory_slug or "cr", "pk": self.pk}
        )

    @property
    def is_field_service(self) -> bool:
        return any(form.is_field for form in self.listed_forms)

    # Forms and groups as attached by ServiceQuerySet.for_cards, or read from the relation.
    def _listed_entries(self, relation: str) -> list:
        listed = getattr(self, "_listed", None)
        return listed[relation] if listed is not None else list(getattr(self, relation).all())

    @property
    def listed_forms(self) -> list:
        return self._listed_entries("forms")

    @property
    def listed_target_groups(self) -> list:
        return self._listed_entries("target_groups")

    @property
    def listed_age_groups(self) -> list:
        return self._listed_entries("age_groups")


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    location = models.ForeignKey(Location, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]


class ServiceArea(models.Model):
    """Where a (field) service comes to people: an obec, an ORP, an okres or a kraj."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE)
    orp = models.ForeignKey(Orp, null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("oblast působnosti")
        verbose_name_plural = _("oblasti působnosti")
        constraints = [
            models.CheckConstraint(
                name="service_area_exactly_one_unit",
                condition=(
                    models.Q(
                        municipality__isnull=False,
                        orp__isnull=True,
                        district__isnull=True,
                        region__isnull=True,
                    )
                    | models.Q(
                        municipality__isnull=True,
                        orp__isnull=False,
                        district__isnull=True,
                        region__isnull=True,
                    )
                    | models.Q(
                        municipality__isnull=True,
                        orp__isnull=True,
                        district__isnull=False,
                        region__isnull=True,
                    )
                    | models.Q(
                        municipality__isnull=True,
                        orp__isnull=True,
                        district__isnull=True,
                        region__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.municipality or self.orp or self.district or self.region)

    @property
    def unit_label(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        if self.orp_id:
            return _("ORP %(name)s") % {"name": self.orp}
        if self.district_id:
            return _("okres %(name)s") % {"name": self.district}
        return str(self.region)


class ServiceCoverage(models.Model):
    """Derived: every obec a service serves (its locations plus its areas expanded).

    Rebuilt by `services.refresh_coverage`; it makes "covers my municipality" and
    "in this territory" one indexed lookup.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coverage")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    by_area = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "municipality"], name="unique_coverage")
        ]
        indexes = [models.Index(fields=["municipality", "service"])]


class Schedule(models.Model):
    """Opening hours (HSDS schedule, simplified to weekly hours plus a note)."""

    class Weekday(models.IntegerChoices):
        MO = 1, _("pondělí")
        TU = 2, _("úterý")
        WE = 3, _("středa")
        TH = 4, _("čtvrtek")
        FR = 5, _("pátek")
        SA = 6, _("sobota")
        SU = 7, _("neděle")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("den"), choices=Weekday.choices)
    opens_at = models.TimeField(_("od"))
    closes_at = models.TimeField(_("do"))
    note = models.CharField(_("poznámka"), max_length=200, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        verbose_name = _("otevírací doba")
        verbose_name_plural = _("otevírací doby")


class Contact(models.Model):
    """A contact point of a service: a role ("sociální pracovnice"), not a private person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("jméno"), max_length=200, blank=True)
    title = models.CharField(_("funkce"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakty")


class RegisteredCapacity(models.Model):
    """Capacity as registered with MPSV, per form of provision (not per facility)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="registered_capacities"
    )
    form = models.ForeignKey(ProvisionForm, on_delete=models.PROTECT)
    capacity_type = models.ForeignKey(CapacityType, on_delete=models.PROTECT)
    count = models.PositiveIntegerField(_("počet"))
    note = models.CharField(_("popis"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "form", "capacity_type"], name="unique_registered_capacity"
            )
        ]


class CapacityReport(models.Model):
    """What the provider says about free places and the waiting list, at a moment.

    Rows are never changed: each update is a new report, so history is kept.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacity_reports")
    free_places = models.PositiveIntegerField(_("volná místa"))
    waiting_list = models.PositiveIntegerField(_("čeká v pořadníku"), default=0)
    typical_wait_days = models.PositiveIntegerField(
        _("obvyklá čekací doba (dny)"), null=True, blank=True
    )
    note = models.CharField(_("poznámka"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("nahlášeno"), default=timezone.now, db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("hlášení kapacity")
        verbose_name_plural = _("hlášení kapacity")

    @property
    def is_stale(self) -> bool:
        age = timezone.now() - self.reported_at
        return age > timedelta(days=settings.SPOJKA_CAPACITY_STALE_DAYS)

    @property
    def has_room(self) -> bool:
        return not self.is_stale and self.free_places > 0
