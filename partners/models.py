"""Organisations and people who act, user accounts and their roles (the territories of Ain are in
``territory_models``, coverage rules and awareness actions in ``action_models``)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property

from common.text import search_key

from .action_models import Audience, AwarenessAction, CoverageRule
from .permissions import can_use_directory
from .roles import Role, primary_role
from .territory_models import Commune, Epci, Sector

__all__ = [
    "Audience",
    "AwarenessAction",
    "Commune",
    "Contact",
    "CoverageRule",
    "Epci",
    "Membership",
    "Organisation",
    "Sector",
    "User",
    "UserManager",
]


class OrganisationQuerySet(models.QuerySet):
    def department(self):
        return self.filter(kind=Organisation.Kind.DEPARTMENT)

    def for_user(self, user):
        """Organisations a user may open in the directory: all for facilitators, none otherwise."""
        return self.all() if can_use_directory(user) else self.none()

    def employers(self):
        """Companies and inclusion structures: the organisations that employ people on lots."""
        return self.filter(kind__in=[Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE])

    def facilitation_bodies(self):
        """The Département's own service and the other bodies that employ facilitators."""
        return self.filter(kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.FACILITATION_BODY])

    def search(self, query):
        """Accent- and case-insensitive search on name, SIRET, NAF code and commune."""
        terms = search_key(query).split()
        queryset = self
        for term in terms:
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def in_territory(self, epci=None, sector=None):
        """Organisations located in, or serving, an EPCI or a departmental sector."""
        if epci is not None:
            return self.filter(
                models.Q(commune__epci=epci)
                | models.Q(epci=epci)
                | models.Q(served_epcis=epci)
                | models.Q(served_communes__epci=epci)
            ).distinct()
        if sector is not None:
            epcis = sector.epcis.all()
            return self.filter(
                models.Q(commune__epci__in=epcis)
                | models.Q(commune__in=sector.communes.all())
                | models.Q(epci__in=epcis)
                | models.Q(served_epcis__in=epcis)
            ).distinct()
        return self


class Organisation(models.Model):
    """Any organisation Clausier knows: the Département, buyers, companies, structures, services."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Département"
        CONTRACTING_AUTHORITY = "contracting_authority", "Donneur d'ordre"
        COMPANY = "company", "Entreprise"
        INCLUSION_STRUCTURE = "inclusion_structure", "Structure d'insertion ou du handicap"
        EMPLOYMENT_SERVICE = "employment_service", "Service public de l'emploi, prescripteur"
        FEDERATION = "federation", "Fédération ou branche professionnelle"
        FACILITATION_BODY = "facilitation_body", "Structure d'animation des clauses"

    class BuyerKind(models.TextChoices):
        DEPARTMENT = "department", "Département"
        COMMUNE = "commune", "Commune"
        EPCI = "epci", "EPCI"
        SOCIAL_LANDLORD = "social_landlord", "Bailleur social"
        HOSPITAL = "hospital", "Hôpital"
        SEM = "sem", "SEM"
        STATE = "state", "État"
        REGION = "region", "Région"
        OTHER = "other", "Autre"

    class StructureKind(models.TextChoices):
        ACI = "ACI", "ACI — atelier et chantier d'insertion"
        AI = "AI", "AI — association intermédiaire"
        EI = "EI", "EI — entreprise d'insertion"
        ETTI = "ETTI", "ETTI — entreprise de travail temporaire d'insertion"
        EITI = "EITI", "EITI — entreprise d'insertion par le travail indépendant"
        GEIQ = "GEIQ", "GEIQ — groupement d'employeurs pour l'insertion et la qualification"
        EA = "EA", "EA — entreprise adaptée"
        EATT = "EATT", "EATT — entreprise adaptée de travail temporaire"
        ESAT = "ESAT", "ESAT — établissement et service d'accompagnement par le travail"

    class ServiceKind(models.TextChoices):
        FRANCE_TRAVAIL = "france_travail", "Agence France Travail"
        MISSION_LOCALE = "mission_locale", "Mission locale"
        CAP_EMPLOI = "cap_emploi", "Cap emploi"
        PLIE = "plie", "PLIE"
        CDS = "cds", "Centre départemental de la solidarité (CDS)"
        RSA_REFERENT = "rsa_referent", "Référent RSA du Département"
        MDPH = "mdph", "MDPH"

    class SizeBand(models.TextChoices):
        NONE = "0", "0 salarié"
        MICRO = "1-9", "1 à 9 salariés"
        SMALL = "10-49", "10 à 49 salariés"
        MEDIUM = "50-249", "50 à 249 salariés"
        INTERMEDIATE = "250-4999", "250 à 4 999 salariés"
        LARGE = "5000+", "5 000 salariés et plus"

    class RegisterStatus(models.TextChoices):
        ACTIVE = "active", "En activité"
        CLOSED_ESTABLISHMENT = "closed_establishment", "Établissement fermé"
        CEASED_COMPANY = "ceased_company", "Entreprise cessée"

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    # Contracting authorities
    buyer_kind = models.CharField("type de donneur d'ordre", max_length=20, choices=BuyerKind.choices, blank=True)
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="EPCI",
        help_text="Pour un EPCI donneur d'ordre : l'EPCI lui-même.",
    )
    engineering_agency_member = models.BooleanField("adhérent de l'Agence d'Ingénierie 01", default=False)
    # Companies
    naf_code = models.CharField("code NAF", max_length=6, blank=True)
    size_band = models.CharField("tranche d'effectif", max_length=10, choices=SizeBand.choices, blank=True)
    federation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "federation"},
        verbose_name="fédération professionnelle",
    )
    # Inclusion structures
    structure_kind = models.CharField("type de structure", max_length=4, choices=StructureKind.choices, blank=True)
    served_epcis = models.ManyToManyField(Epci, blank=True, related_name="+", verbose_name="EPCI desservis")
    served_communes = models.ManyToManyField(Commune, blank=True, related_name="+", verbose_name="communes desservies")
    provides_staff = models.BooleanField("mise à disposition de personnel", default=False)
    subcontracts = models.BooleanField("prestations en sous-traitance", default=False)
    # From the Sirene register (API Recherche d'entreprises), refreshed weekly.
    legal_form = models.CharField("catégorie juridique", max_length=4, blank=True)
    is_siae = models.BooleanField("structure d'insertion (SIAE) selon Sirene", default=False)
    is_ess = models.BooleanField("entreprise de l'ESS selon Sirene", default=False)
    register_status = models.CharField(
        "situation au registre", max_length=20, choices=RegisterStatus.choices, blank=True
    )
    closed_on = models.DateField("fermé le", null=True, blank=True)
    register_checked_at = models.DateTimeField("vérifié au registre le", null=True, blank=True)
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    # Employment services
    service_kind = models.CharField("type de service", max_length=20, choices=ServiceKind.choices, blank=True)
    notes = models.TextField("notes", blank=True)
    search_text = models.TextField(editable=False, blank=True, db_index=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True, null=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~models.Q(siret=""), name="unique_organisation_siret"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.siret and not self.siren:
            self.siren = self.siret[:9]
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "siren"}
        super().save(*args, **kwargs)

    def build_search_text(self):
        commune_name = self.commune.name if self.commune_id and self.commune else ""
        return search_key(self.name, self.siret, self.naf_code, commune_name)

    @property
    def is_closed(self):
        """The establishment or its company no longer exists in the Sirene register."""
        return self.register_status in (self.RegisterStatus.CLOSED_ESTABLISHMENT, self.RegisterStatus.CEASED_COMPANY)

    @property
    def structure_group(self):
        """Inclusion structures fall in two groups: insertion (IAE, GEIQ) and disability."""
        if not self.structure_kind:
            return ""
        return "disability" if self.structure_kind in DISABILITY_STRUCTURE_KINDS else "insertion"

    @property
    def structure_group_label(self):
        return {"disability": "Handicap", "insertion": "Insertion"}.get(self.structure_group, "")

    @property
    def subkind_label(self):
        """The precise kind shown in lists: buyer kind, structure kind or service kind."""
        if self.kind == self.Kind.CONTRACTING_AUTHORITY:
            return self.get_buyer_kind_display()
        if self.kind == self.Kind.INCLUSION_STRUCTURE:
            return self.structure_kind
        if self.kind == self.Kind.EMPLOYMENT_SERVICE:
            return self.get_service_kind_display()
        return ""


DISABILITY_STRUCTURE_KINDS = frozenset(
    {Organisation.StructureKind.EA, Organisation.StructureKind.EATT, Organisation.StructureKind.ESAT}
)


class Contact(models.Model):
    """A person at an organisation whom the facilitator works with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name="organisation"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    function = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    retention_reason = models.CharField(
        "motif de conservation des données",
        max_length=250,
        help_text="Pourquoi ces coordonnées sont gardées (ex. : interlocuteur pour le suivi des clauses du marché).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "contact"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in, by e-mail. What they may do comes from their memberships."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def roles(self):
        """The set of roles this user holds through active memberships (superusers administer)."""
        roles = {Role(m.role) for m in self.memberships.all() if m.is_active}
        if self.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        return frozenset(roles)

    @property
    def role(self):
        return primary_role(self.roles)

    @property
    def role_label(self):
        return self.role.label if self.role else "Aucun rôle"

    @cached_property
    def organisations(self):
        return [m.organisation for m in self.memberships.select_related("organisation") if m.is_active]


class Membership(models.Model):
    """A user's role within an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name="organisation"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "appartenance"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"
