"""Projects, their indicators and reporting periods, participants (podpořené osoby) with
their ESF+ cards, records of support, and the service statistics of a funded network.

Who sees what is decided here, on the managers:

- a project is seen by the coordinators of its territory, by members of its implementer
  and partner organisations in a working role (`PROJECT_ROLES`) and by superusers
  (`Project.objects.visible_to`);
- a participant card is personal data of the organisation that owns the person: only
  its members see it (`Participant.objects.visible_to`), whatever their role in the
  project; coordinators get counts, never cards.

Values of a reporting period are frozen when the period is locked: computed values are
stored as snapshots (`IndicatorValue.is_snapshot`), and every lock and reopening is kept
with its reason in `PeriodEvent`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from catalog.models import TargetGroup
from directory.models import Organization, Service
from monitoring.validators import validate_registration_number
from referrals.models import Person
from territory.models import Territory

# Roles of a member of the implementer or a partner that see the project.
PROJECT_ROLES = ("social_worker", "community_worker", "provider_admin")
# Roles of a member of the implementer that manage the project (periods, approvals).
MANAGER_ROLES = ("provider_admin",)
# Roles that record participants and support of their own organisation.
PARTICIPANT_ROLES = ("social_worker", "community_worker", "provider_admin")
# Roles of a provider that fill in the statistics of its funded services.
STATISTICS_ROLES = ("provider_admin", "provider_staff")


def _member_orgs(user, roles):
    from accounts.models import Membership

    return Membership.objects.filter(user=user, role__in=roles).values("organization_id")


def evidence_storage() -> FileSystemStorage:
    """Evidence files are private: stored outside the static and media roots, served only
    through an access-checked view (`monitoring.views.evidence_download`)."""
    root = getattr(settings, "SPOJKA_EVIDENCE_ROOT", None) or Path(settings.BASE_DIR) / "var"
    return FileSystemStorage(location=Path(root) / "monitoring-evidence", base_url=None)


def evidence_path(instance: IndicatorValue, filename: str) -> str:
    # A random directory per upload: names never collide and are never guessable.
    return f"{instance.indicator.project_id}/{uuid.uuid4().hex}/{Path(filename).name}"


# --- projects ----------------------------------------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.models import TerritoryCoordinator

        orgs = _member_orgs(user, PROJECT_ROLES)
        providers = _member_orgs(user, STATISTICS_ROLES)
        return self.filter(
            Q(
                territory_id__in=TerritoryCoordinator.objects.filter(user=user).values(
                    "territory_id"
                )
            )
            | Q(implementer_id__in=orgs)
            | Q(id__in=ProjectPartner.objects.filter(organization_id__in=orgs).values("project"))
            # Providers of funded services see the project whose statistics they fill in.
            | Q(
                id__in=ProjectService.objects.filter(service__organization_id__in=providers).values(
                    "project"
                )
            )
        )

    def manageable_by(self, user) -> ProjectQuerySet:
        """Projects whose periods, targets and approvals `user` manages: the territory's
        coordinators and the implementer's administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from accounts.models import TerritoryCoordinator

        return self.filter(
            Q(
                territory_id__in=TerritoryCoordinator.objects.filter(user=user).values(
                    "territory_id"
                )
            )
            | Q(implementer_id__in=_member_orgs(user, MANAGER_ROLES))
        )


class Project(models.Model):
    class Programme(models.TextChoices):
        OPZ = "opz", _("OPZ (2014–2020)")
        OPZ_PLUS = "opz_plus", _("OPZ+ (2021–2027)")

    PERIOD_MONTHS_CHOICES = [(3, _("čtvrtletí")), (6, _("pololetí")), (12, _("rok"))]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    registration_number = models.CharField(
        _("registrační číslo"),
        max_length=40,
        unique=True,
        validators=[validate_registration_number],
    )
    name = models.CharField(_("název"), max_length=300)
    programme = models.CharField(_("operační program"), max_length=10, choices=Programme.choices)
    implementer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="implemented_projects",
        verbose_name=_("příjemce (realizátor)"),
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="projects", verbose_name=_("území")
    )
    start_date = models.DateField(_("začátek realizace"))
    end_date = models.DateField(_("konec realizace"))
    budget = models.DecimalField(
        _("rozpočet (Kč)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    aim = models.TextField(_("cíl a zamýšlená změna"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="projects", verbose_name=_("cílové skupiny")
    )
    target_groups_text = models.TextField(_("cílové skupiny, jak je projekt popisuje"), blank=True)
    period_months = models.PositiveSmallIntegerField(
        _("délka monitorovacího období"), choices=PERIOD_MONTHS_CHOICES, default=6
    )
    sources_note = models.TextField(
        _("zdroj údajů"),
        blank=True,
        help_text=_("Co je převzato ze zveřejněných údajů projektu a co je doplněno."),
    )
    is_demo = models.BooleanField(_("ukázková data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekty")
        constraints = [
            models.CheckConstraint(
                name="project_ends_after_start", condition=Q(end_date__gte=models.F("start_date"))
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class ProjectPartner(models.Model):
    class Role(models.TextChoices):
        PARTNER = "partner", _("partner projektu")
        FINANCIAL = "financial", _("partner s finančním příspěvkem")
        NON_FINANCIAL = "non_financial", _("partner bez finančního příspěvku")
        COOPERATING = "cooperating", _("spolupracující organizace")
        FUNDED_PROVIDER = "funded_provider", _("poskytovatel podporované služby")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="project_partnerships",
        verbose_name=_("organizace"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    note = models.CharField(_("poznámka"), max_length=300, blank=True)

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("partner projektu")
        verbose_name_plural = _("partneři projektu")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="unique_project_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class KeyActivity(models.Model):
    """Klíčová aktivita (KA) of the project."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="key_activities")
    code = models.CharField(_("označení"), max_length=10)
    name = models.CharField(_("název"), max_length=300)
    description = models.TextField(_("popis"), blank=True)
    order = models.PositiveSmallIntegerField(_("pořadí"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("klíčová aktivita")
        verbose_name_plural = _("klíčové aktivity")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="unique_key_activity_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProjectService(models.Model):
    """A service the project supports (funds or extends), from `since` until `until`."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="services")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="projects", verbose_name=_("služba")
    )
    since = models.DateField(_("podporována od"))
    until = models.DateField(_("podporována do"), null=True, blank=True)

    class Meta:
        verbose_name = _("podporovaná služba")
        verbose_name_plural = _("podporované služby")
        constraints = [
            models.UniqueConstraint(fields=["project", "service"], name="unique_project_service")
        ]

    def __str__(self) -> str:
        return str(self.service)


class ReportingPeriod(models.Model):
    """A monitoring period (e.g. a half-year); locked once reported."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("pořadí"))
    start = models.DateField(_("od"))
    end = models.DateField(_("do"))
    locked_at = models.DateTimeField(_("uzamčeno"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("monitorovací období")
        verbose_name_plural = _("monitorovací období")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_period_number"),
            models.CheckConstraint(
                name="period_ends_after_start", condition=Q(end__gte=models.F("start"))
            ),
        ]

    def __str__(self) -> str:
        return _("%(number)s. období (%(start)s – %(end)s)") % {
            "number": self.number,
            "start": date_format(self.start, "j. n. Y"),
            "end": date_format(self.end, "j. n. Y"),
        }

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def contains(self, day) -> bool:
        return self.start <= day <= self.end


class PeriodEvent(models.Model):
    """History of a period: every lock (with the values reported) and every reopening
    (with its reason). Rows are only ever added."""

    class Action(models.TextChoices):
        LOCK = "lock", _("uzamčeno")
        REOPEN = "reopen", _("znovu otevřeno")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("důvod"), blank=True)
    # The project totals of every indicator at the time of locking: {code: value}.
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("změna stavu období")
        verbose_name_plural = _("historie období")

    def __str__(self) -> str:
        return f"{self.period} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


# --- indicators --------------------------------------------------------------------------------


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("počítá se ze záznamů")
        MANUAL = "manual", _("zadává se ručně s doložením")

    class Source(models.TextChoices):
        PARTICIPANTS = "participants", _("podpořené osoby (účastníci, každý jednou)")
        SUPPORT_RECORDS = "support_records", _("záznamy poskytnuté podpory")
        SUPPORT_HOURS = "support_hours", _("hodiny poskytnuté podpory")
        HELP_REQUESTS = "help_requests", _("vyřízené žádosti o pomoc")
        REFERRALS_COMPLETED = "referrals_completed", _("dokončená předání do služeb")
        MEETINGS_HELD = "meetings_held", _("uskutečněná komunitní setkání")
        MEETING_ATTENDANCE = "meeting_attendance", _("účasti na komunitních setkáních")
        COMMUNITY_LEADERS = "community_leaders", _("noví komunitní lídři")
        EVENTS_HELD = "events_held", _("pořádané akce")
        EVENT_ATTENDANCE = "event_attendance", _("účasti na akcích")
        SERVICES_SUPPORTED = "services_supported", _("podporované sociální služby")
        SERVICES_CAPACITY = "services_capacity", _("kapacita podporovaných služeb")
        COMMUNITY_CENTRES = "community_centres", _("komunitní centra v provozu")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("sčítá se za období")
        LAST = "last", _("stav na konci období")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("kód"), max_length=20)
    name = models.CharField(_("název"), max_length=300)
    unit = models.CharField(_("měrná jednotka"), max_length=50)
    kind = models.CharField(_("způsob zjištění"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("z čeho se počítá"), max_length=30, choices=Source.choices, blank=True
    )
    aggregation = models.CharField(
        _("hodnota za projekt"), max_length=10, choices=Aggregation.choices, default="sum"
    )
    baseline = models.DecimalField(_("výchozí hodnota"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(
        _("cílová hodnota"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_invented = models.BooleanField(
        _("cílová hodnota doplněna pro ukázku"),
        default=False,
        help_text=_("Projekt tuto hodnotu nezveřejnil; je smyšlená, aby bylo co sledovat."),
    )
    description = models.TextField(_("popis"), blank=True)
    order = models.PositiveSmallIntegerField(_("pořadí"), default=0)

    class Meta:
        ordering = ["project", "order", "code"]
        verbose_name = _("indikátor")
        verbose_name_plural = _("indikátory")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="unique_indicator_code"),
            models.CheckConstraint(
                name="computed_indicator_has_source",
                condition=Q(kind="manual", source="") | (Q(kind="computed") & ~Q(source="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_manual(self) -> bool:
        return self.kind == self.Kind.MANUAL


class IndicatorTarget(models.Model):
    """A target for one partner, one period, or one partner in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target = models.DecimalField(_("cílová hodnota"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("dílčí cílová hodnota")
        verbose_name_plural = _("dílčí cílové hodnoty")
        constraints = [
            models.CheckConstraint(
                name="partial_target_names_partner_or_period",
                condition=Q(organization__isnull=False) | Q(period__isnull=False),
            )
        ]


class IndicatorValue(models.Model):
    """A value of an indicator in a period, for the project (no organisation) or a partner.

    Manual values are entered with evidence and approved before they count; computed
    values are stored only as snapshots when their period is locked.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("čeká na schválení")
        APPROVED = "approved", _("schváleno")
        RETURNED = "returned", _("vráceno k opravě")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="values")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("hodnota"), max_digits=14, decimal_places=2)
    is_snapshot = models.BooleanField(default=False)
    note = models.TextField(_("poznámka"), blank=True)
    evidence_file = models.FileField(
        _("doklad (soubor)"),
        storage=evidence_storage,
        upload_to=evidence_path,
        max_length=300,
        blank=True,
    )
    evidence_url = models.URLField(_("doklad (odkaz)"), max_length=500, blank=True)
    status = models.CharField(
        _("stav"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("důvod vrácení"), max_length=500, blank=True)

    class Meta:
        ordering = ["period__number", "organization__name"]
        verbose_name = _("hodnota indikátoru")
        verbose_name_plural = _("hodnoty indikátorů")
        indexes = [models.Index(fields=["indicator", "period", "is_snapshot"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.number}: {self.value}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_file or self.evidence_url or self.note.strip())


# --- participants ------------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> ParticipantQuerySet:
        """Cards of persons of the organisations the user works for; nobody else's."""
        if not user.is_authenticated:
            return self.none()
        from referrals.models import PERSONAL_DATA_ROLES

        return self.filter(organization_id__in=_member_orgs(user, PERSONAL_DATA_ROLES))


class Participant(models.Model):
    """A person who entered the project, with the ESF+ common indicator data
    (Regulation (EU) 2021/1057, Annex I) as they were on the day of entry.

    Counted once per project, however many activities the person takes part in.
    Sensitive items may be refused; "refused" is an answer, an empty item is not.
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("žena")
        MALE = "male", _("muž")
        NON_BINARY = "non_binary", _("nebinární")

    class LabourStatus(models.TextChoices):
        EMPLOYED = "employed", _("zaměstnaný/á, včetně OSVČ")
        UNEMPLOYED = "unemployed", _("nezaměstnaný/á (méně než 12 měsíců)")
        LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("dlouhodobě nezaměstnaný/á")
        INACTIVE = "inactive", _("neaktivní (mimo trh práce)")

    class Education(models.TextChoices):
        ISCED_0 = "isced_0", _("ISCED 0 – bez ukončeného základního vzdělání")
        ISCED_1 = "isced_1", _("ISCED 1 – první stupeň základní školy")
        ISCED_2 = "isced_2", _("ISCED 2 – základní vzdělání")
        ISCED_3 = "isced_3", _("ISCED 3 – střední vzdělání (výuční list, maturita)")
        ISCED_4 = "isced_4", _("ISCED 4 – nástavbové studium")
        ISCED_5_8 = "isced_5_8", _("ISCED 5–8 – vyšší odborné a vysokoškolské")

    class Answer(models.TextChoices):
        YES = "yes", _("ano")
        NO = "no", _("ne")
        REFUSED = "refused", _("odmítl/a uvést")

    class Rural(models.TextChoices):
        YES = "yes", _("ano, venkovská oblast")
        NO = "no", _("ne, město")

    class RuralSource(models.TextChoices):
        DERIVED = "derived", _("odvozeno z obce")
        WORKER = "worker", _("určil pracovník")

    # Items that may be refused (special categories of personal data).
    SENSITIVE = (
        "disability",
        "third_country_national",
        "foreign_background",
        "minority",
        "homeless",
    )
    # Items that must be answered for the card to be complete.
    REQUIRED = ("gender", "birth_year", "labour_status", "education", "rural_area")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    # The owner of the card: the organisation of the person.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(_("datum vstupu do projektu"))
    left_on = models.DateField(_("datum odchodu z projektu"), null=True, blank=True)
    gender = models.CharField(_("pohlaví"), max_length=12, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("rok narození"), null=True, blank=True)
    age_at_entry = models.PositiveSmallIntegerField(_("věk při vstupu"), null=True, blank=True)
    labour_status = models.CharField(
        _("postavení na trhu práce"), max_length=25, choices=LabourStatus.choices, blank=True
    )
    education = models.CharField(
        _("nejvyšší dosažené vzdělání (ISCED)"),
        max_length=12,
        choices=Education.choices,
        blank=True,
    )
    disability = models.CharField(
        _("osoba se zdravotním postižením"), max_length=8, choices=Answer.choices, blank=True
    )
    third_country_national = models.CharField(
        _("státní příslušník třetí země"), max_length=8, choices=Answer.choices, blank=True
    )
    foreign_background = models.CharField(
        _("osoba cizího původu"), max_length=8, choices=Answer.choices, blank=True
    )
    minority = models.CharField(
        _("příslušník menšiny (včetně marginalizovaných komunit, např. Romů)"),
        max_length=8,
        choices=Answer.choices,
        blank=True,
    )
    homeless = models.CharField(
        _("bez domova nebo vyloučen/a z bydlení"), max_length=8, choices=Answer.choices, blank=True
    )
    rural_area = models.CharField(
        _("z venkovské oblasti"), max_length=5, choices=Rural.choices, blank=True
    )
    rural_area_source = models.CharField(max_length=10, choices=RuralSource.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["entered_on", "id"]
        verbose_name = _("účastník projektu")
        verbose_name_plural = _("účastníci projektu")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="unique_participant"),
            models.CheckConstraint(
                name="participant_leaves_after_entry",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
            ),
        ]
        indexes = [models.Index(fields=["project", "entered_on", "organization"])]

    def __str__(self) -> str:
        return f"{_('Účastník')} {str(self.id)[:8]}"

    def missing_items(self) -> list[str]:
        """Names of the card's items that are not answered yet (refused is an answer)."""
        return [f for f in (*self.REQUIRED, *self.SENSITIVE) if getattr(self, f) in ("", None)]

    @property
    def is_complete(self) -> bool:
        return not self.missing_items()

    def refused_items(self) -> list[str]:
        return [f for f in self.SENSITIVE if getattr(self, f) == self.Answer.REFUSED]


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """Support records of persons of the user's organisations (personal data)."""
        if not user.is_authenticated:
            return self.none()
        from referrals.models import PERSONAL_DATA_ROLES

        return self.filter(participant__organization_id__in=_member_orgs(user, PERSONAL_DATA_ROLES))


class Activity(models.Model):
    """One record of support given to a participant: when, in which key activity, by
    which organisation, how long. The raw material of the support indicators."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individuální podpora")
        GROUP = "group", _("skupinová aktivita")
        FIELD = "field", _("terénní práce")
        COUNSELLING = "counselling", _("poradenství")
        COMMUNITY = "community", _("komunitní aktivita")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    # Indexed by `activity_participant_idx` below, which also covers the hours.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="activities", db_index=False
    )
    key_activity = models.ForeignKey(
        KeyActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("klíčová aktivita"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("kdo podporu dal")
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("druh podpory"), max_length=12, choices=Kind.choices)
    hours = models.DecimalField(_("hodiny"), max_digits=6, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("záznam podpory")
        verbose_name_plural = _("záznamy podpory")
        indexes = [
            # Covers the indicator queries: a project's rows by date, grouped by partner
            # and key activity, summing hours, without touching the table.
            models.Index(
                fields=["project", "date", "organization", "key_activity", "hours"],
                name="activity_indicator_idx",
            ),
            # A participant's records and hours (the export's columns) from the index alone.
            models.Index(fields=["participant", "hours"], name="activity_participant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


# --- service statistics of a funded network ----------------------------------------------------


class ServiceStatistics(models.Model):
    """What a provider reports for one funded service and one period: the figures a region
    asks of the services it pays "by the quantity and quality of social work"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("rozpracováno")
        SUBMITTED = "submitted", _("odevzdáno")

    # Fields by form of provision (the code of catalog.ProvisionForm), for the validation
    # against registered capacity.
    FORM_FIELDS = {
        "amb": ("clients_amb", "peak_amb", "contacts_amb", "interventions_amb"),
        "ter": ("clients_ter", "peak_ter", "contacts_ter", "interventions_ter"),
        "pob": ("clients_pob", "bed_days", "interventions_pob"),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="service_statistics"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="statistics")
    clients_total = models.PositiveIntegerField(_("klienti celkem (každý jednou)"), default=0)
    clients_amb = models.PositiveIntegerField(_("klienti – ambulantní forma"), default=0)
    clients_ter = models.PositiveIntegerField(_("klienti – terénní forma"), default=0)
    clients_pob = models.PositiveIntegerField(_("klienti – pobytová forma"), default=0)
    peak_amb = models.PositiveIntegerField(
        _("nejvíce klientů v jednom okamžiku – ambulantní forma"), default=0
    )
    peak_ter = models.PositiveIntegerField(
        _("nejvíce klientů v jednom okamžiku – terénní forma"), default=0
    )
    bed_days = models.PositiveIntegerField(_("obsazené lůžkodny – pobytová forma"), default=0)
    contacts_amb = models.PositiveIntegerField(_("kontakty – ambulantní forma"), default=0)
    contacts_ter = models.PositiveIntegerField(_("kontakty – terénní forma"), default=0)
    interventions_amb = models.PositiveIntegerField(_("intervence – ambulantní forma"), default=0)
    interventions_ter = models.PositiveIntegerField(_("intervence – terénní forma"), default=0)
    interventions_pob = models.PositiveIntegerField(_("intervence – pobytová forma"), default=0)
    refused_capacity = models.PositiveIntegerField(
        _("odmítnutí zájemci – pro nedostatek kapacity"), default=0
    )
    refused_target_group = models.PositiveIntegerField(
        _("odmítnutí zájemci – mimo cílovou skupinu"), default=0
    )
    refused_other = models.PositiveIntegerField(_("odmítnutí zájemci – jiný důvod"), default=0)
    refused_note = models.CharField(_("jiné důvody odmítnutí"), max_length=500, blank=True)
    waiting_list_end = models.PositiveIntegerField(_("v pořadníku na konci období"), default=0)
    status = models.CharField(
        _("stav"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period__number", "service__name"]
        verbose_name = _("statistika služby")
        verbose_name_plural = _("statistiky služeb")
        constraints = [
            models.UniqueConstraint(fields=["period", "service"], name="unique_service_statistics")
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.period}"

    @property
    def refused_total(self) -> int:
        return self.refused_capacity + self.refused_target_group + self.refused_other
