"""The territories of Ain: EPCI, communes and the Département's own sectors."""

from django.db import models


class Epci(models.Model):
    """An intercommunality (EPCI) with at least one commune in Ain."""

    class Kind(models.TextChoices):
        CA = "CA", "Communauté d'agglomération"
        CC = "CC", "Communauté de communes"

    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=150)
    kind = models.CharField("type", max_length=2, choices=Kind.choices)
    communes_in_ain = models.PositiveIntegerField("communes dans l'Ain")
    communes_total = models.PositiveIntegerField("communes au total")
    departments = models.CharField("départements", max_length=20)
    population = models.PositiveIntegerField("population municipale totale")

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def current(self):
        """The communes in force: those that merged into a « commune nouvelle » are left out."""
        return self.filter(is_current=True)

    def for_choice(self, *kept):
        """The communes a picker offers: the current ones, plus those the edited row already points
        at (``kept``, primary keys), so that a row keeps showing its old commune."""
        kept = [pk for pk in kept if pk]
        return self.filter(models.Q(is_current=True) | models.Q(pk__in=kept)) if kept else self.current()


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150)
    siren = models.CharField("SIREN", max_length=9, unique=True)
    postal_codes = models.CharField("codes postaux", max_length=60)
    population = models.PositiveIntegerField("population")
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="communes", verbose_name="EPCI")
    # The town centre (geo.api.gouv.fr ``centre``), for distances; unknown until a refresh gives it.
    latitude = models.DecimalField("latitude", max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField("longitude", max_digits=8, decimal_places=5, null=True, blank=True)
    # A commune that merged into a « commune nouvelle » stays, for the history of what refers to it.
    is_current = models.BooleanField("commune en vigueur", default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_communes",
        verbose_name="fusionnée dans",
    )
    ended_on = models.DateField("supprimée le", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    def in_force(self):
        """This commune if it is current, else the commune nouvelle it merged into (followed
        through successive mergers), else itself."""
        commune, seen = self, set()
        while not commune.is_current and commune.merged_into_id and commune.pk not in seen:
            seen.add(commune.pk)
            commune = commune.merged_into
        return commune


class Sector(models.Model):
    """A departmental sector: a named group of EPCIs (and single communes), editable by administrators."""

    name = models.CharField("nom", max_length=150, unique=True)
    description = models.TextField("description", blank=True)
    epcis = models.ManyToManyField(Epci, blank=True, related_name="sectors", verbose_name="EPCI")
    communes = models.ManyToManyField(
        Commune,
        blank=True,
        related_name="sectors",
        verbose_name="communes ajoutées",
        help_text="Communes rattachées au secteur en plus de celles de ses EPCI.",
    )

    class Meta:
        verbose_name = "secteur départemental"
        verbose_name_plural = "secteurs départementaux"
        ordering = ["name"]

    def __str__(self):
        return self.name
