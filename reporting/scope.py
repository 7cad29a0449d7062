"""What a figure covers: all of Ain, a departmental sector, an EPCI, a buyer, a facilitation body
or a contract. A scope narrows the lots; everything else follows the lots."""

from dataclasses import dataclass

from django.db.models import Q

from clauses.models import Contract, Lot
from partners.models import Epci, Organisation, Sector

ALL = "all"
SECTOR = "sector"
EPCI = "epci"
BUYER = "buyer"
FACILITATION_BODY = "facilitation_body"
CONTRACT = "contract"

KIND_LABELS = {
    ALL: "Tout l'Ain",
    SECTOR: "Secteur départemental",
    EPCI: "EPCI",
    BUYER: "Donneur d'ordre",
    FACILITATION_BODY: "Structure d'animation",
    CONTRACT: "Marché",
}
_MODELS = {SECTOR: Sector, EPCI: Epci, BUYER: Organisation, FACILITATION_BODY: Organisation, CONTRACT: Contract}


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    kind: str = ALL
    pk: int | None = None
    name: str = ""

    @classmethod
    def load(cls, kind, pk=None):
        """The scope of that kind and id, named from the database; ScopeError when it does not exist."""
        if kind == ALL or not kind:
            return cls()
        if kind not in _MODELS:
            raise ScopeError("Ce périmètre n'existe pas.")
        obj = _MODELS[kind].objects.filter(pk=pk).first() if pk else None
        if obj is None:
            raise ScopeError("Choisissez l'élément du périmètre.")
        return cls(kind, obj.pk, str(obj) if kind != CONTRACT else f"{obj.reference} — {obj.title}")

    @property
    def label(self):
        if self.kind == ALL:
            return KIND_LABELS[ALL]
        return f"{KIND_LABELS[self.kind]} : {self.name}"

    def lot_condition(self):
        """A condition on lots (``Q``) that keeps the lots of the scope."""
        operation = "contract__operation__"
        if self.kind == ALL:
            return Q()
        if self.kind == SECTOR:
            return Q(**{f"{operation}commune__sectors": self.pk}) | Q(**{f"{operation}commune__epci__sectors": self.pk})
        if self.kind == EPCI:
            return Q(**{f"{operation}commune__epci": self.pk})
        if self.kind == BUYER:
            return Q(**{f"{operation}buyer": self.pk})
        if self.kind == FACILITATION_BODY:
            return Q(**{f"{operation}facilitation_body": self.pk})
        return Q(contract=self.pk)

    def lots(self, lots=None):
        """The lots of the scope among ``lots`` (default: every lot), as a subquery-friendly queryset."""
        lots = Lot.objects.all() if lots is None else lots
        if self.kind == ALL:
            return lots
        return lots.filter(pk__in=Lot.objects.filter(self.lot_condition()).values("pk"))

    def as_params(self):
        return {"scope": self.kind, "scope_id": self.pk}
