"""Demo: the dataset of the previous year, built at once (no worker needed), whatever the day."""

from common.dates import today

from . import services
from .models import OpenDataset


def seed(context):
    dataset, _ = OpenDataset.objects.get_or_create(year=today().year - 1)
    services.build(dataset)
    return context
