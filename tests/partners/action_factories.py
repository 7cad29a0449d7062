import datetime

import factory
from factory.django import DjangoModelFactory

from partners.models import Audience, AwarenessAction


class AwarenessActionFactory(DjangoModelFactory):
    """An action on 15 March 2026, aimed at companies unless ``audiences`` (codes or objects) says otherwise."""

    class Meta:
        model = AwarenessAction
        skip_postgeneration_save = True

    date = datetime.date(2026, 3, 15)
    kind = AwarenessAction.Kind.INFORMATION_MEETING
    title = factory.Sequence(lambda n: f"Réunion d'information n° {n}")
    people_reached = 10

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if not create:
            return
        values = extracted if extracted is not None else ["companies"]
        self.audiences.set(
            [value if isinstance(value, Audience) else Audience.objects.get(code=value) for value in values]
        )

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)
