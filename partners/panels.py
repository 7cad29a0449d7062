"""Panels on a page, contributed by the apps further down the import chain.

A provider takes (object, user) and returns a list of ``Panel``s (or none) for the objects it
knows: clauses shows on an organisation's page the operations of a buyer and the lots a company
won; placements shows the people an employer employs, and on a lot's page its offers and people.
"""

from dataclasses import dataclass, field

_providers = []


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


def register(provider):
    _providers.append(provider)
    return provider


def panels_for(obj, user):
    panels = []
    for provider in _providers:
        panels.extend(provider(obj, user) or [])
    return panels
