"""A yearly build of the open dataset: a row first (queued → running → done/failed), then the task."""

from django.db import models

from placements.models import private_storage


def dataset_upload_path(dataset, filename):
    return f"opendata/{filename}"


class OpenDatasetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=OpenDataset.Status.DONE).exclude(file="")


class OpenDataset(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Publié"
        FAILED = "failed", "Échec"

    year = models.PositiveSmallIntegerField("année", unique=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    error = models.TextField("erreur", blank=True)
    # Served by a public view (the storage has no URL of its own).
    file = models.FileField("fichier CSV", upload_to=dataset_upload_path, storage=private_storage, blank=True)
    row_count = models.PositiveIntegerField("lignes", default=0)
    built_at = models.DateTimeField("construit le", null=True, blank=True)

    objects = OpenDatasetQuerySet.as_manager()

    class Meta:
        verbose_name = "jeu de données ouvertes"
        verbose_name_plural = "jeux de données ouvertes"
        ordering = ["-year"]

    def __str__(self):
        return f"Données ouvertes {self.year}"

    @property
    def filename(self):
        return f"clauses-sociales-ain-{self.year}.csv"
