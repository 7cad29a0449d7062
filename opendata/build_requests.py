"""Asking for a build: the row first, the task after the commit (design.md, Jobs). Apart from the
services so that the task module, which calls the services, and this one do not import each other."""

from django.db import transaction

from . import services
from .tasks import build_dataset


def request_build(year):
    dataset = services.queue(year)
    pk = dataset.pk
    transaction.on_commit(lambda: build_dataset.delay(pk))
    return dataset
