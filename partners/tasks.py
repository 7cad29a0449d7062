from celery import shared_task
from django.utils import timezone


@shared_task
def ping(value):
    """Round trip through the broker: the worker echoes the value with the time it answered."""
    return {"echo": value, "answered_at": timezone.now().isoformat()}
