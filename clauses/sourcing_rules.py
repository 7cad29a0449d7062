"""Advice on a lot from the inclusion structures near it: pure rules, no database.

Source (domain.md, "Legal bases of a clause"; Code de la commande publique): a lot may be reserved
to EA and ESAT (L2113-12) or to SIAE (L2113-13), never both. When enough structures of one kind
work within the radius, competition among them is real, and reserving the lot, or asking for
subcontracting to an SIAE, is worth proposing to the buyer. A lot already reserved gets no advice.
"""

from dataclasses import dataclass

# At least this many structures within the radius before a reservation is suggested.
MIN_DISABILITY_STRUCTURES = 2
MIN_SIAE = 2
# Names listed in the reason before « … ».
NAMES_SHOWN = 4

SIAE_KINDS = frozenset({"ACI", "AI", "EI", "ETTI", "EITI"})
DISABILITY_KINDS = frozenset({"EA", "EATT", "ESAT"})
RESERVED_BASES = frozenset({"reserved_siae", "reserved_disability", "reserved_ess"})


@dataclass(frozen=True)
class Advice:
    legal_basis: str
    title: str
    reason: str


def _names(names):
    names = sorted(set(names))
    shown = names[:NAMES_SHOWN]
    if len(names) > NAMES_SHOWN:
        return ", ".join(shown) + "…"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " et " + shown[-1]


def _reason(count, label, radius_km, names):
    names = _names(names)
    return f"{count} {label} à moins de {radius_km} km : {names}{'' if names.endswith('…') else '.'}"


def advise(structures, radius_km, legal_basis=""):
    """Advice for a lot whose clause has ``legal_basis`` ("" without a clause), from the
    ``(name, structure kind)`` of the structures within ``radius_km``."""
    if legal_basis in RESERVED_BASES:
        return []
    structures = list(structures)
    disability = [name for name, kind in structures if kind in DISABILITY_KINDS]
    siae = [name for name, kind in structures if kind in SIAE_KINDS]
    advice = []
    if len(disability) >= MIN_DISABILITY_STRUCTURES:
        advice.append(
            Advice(
                "reserved_disability",
                "Envisager un lot réservé aux EA et ESAT (art. L2113-12)",
                _reason(len(disability), "EA ou ESAT", radius_km, disability),
            )
        )
    if len(siae) >= MIN_SIAE:
        advice.append(
            Advice(
                "reserved_siae",
                "Envisager un lot réservé aux SIAE (art. L2113-13) ou la sous-traitance à une SIAE",
                _reason(len(siae), "SIAE", radius_km, siae),
            )
        )
    return advice
