"""From a CPV code (common procurement vocabulary) to a trade and a sector of Clausier.

Pure: returns the trade's *name*, as in ``clauses.reference.DEFAULT_TRADES`` (administrators may
rename a trade: the service then finds none and leaves the trade empty). The longest known prefix
of the code wins; a code the mapping does not know gives no trade, never a guess.
"""

from clauses.models import ActivitySector

DEMOLITION = "Démolition, désamiantage"
EARTHWORKS = "Terrassement"
STRUCTURAL_WORK = "Gros œuvre, maçonnerie"
ROADS_AND_NETWORKS = "Voirie et réseaux divers (VRD)"
STEEL_FRAME = "Charpente métallique"
ROOFING = "Charpente bois, couverture, zinguerie"
ELECTRICITY = "Électricité"
PLUMBING = "Plomberie, chauffage, ventilation"
PLASTERING = "Plâtrerie, cloisons, faux plafonds"
JOINERY = "Menuiseries intérieures et extérieures"
FLOORING = "Carrelage, revêtements de sols"
PAINTING = "Peinture intérieure"
CLEANING = "Nettoyage des locaux"
GREEN_SPACES = "Entretien des espaces verts"
WASTE = "Collecte et tri des déchets"
CATERING = "Restauration collective"

# Prefix of the 8 digits → trade name. CPV 2008: division 45 (construction work) and its groups.
TRADE_BY_PREFIX = {
    "45111": DEMOLITION,  # demolition, site preparation and clearance
    "45112": EARTHWORKS,  # excavating and earthmoving
    "4511": EARTHWORKS,  # site preparation
    "4521": STRUCTURAL_WORK,  # building construction work
    "452232": STEEL_FRAME,  # structural steelworks
    "4522": ROADS_AND_NETWORKS,  # engineering works and construction works (bridges, structures)
    "4523": ROADS_AND_NETWORKS,  # pipelines, communication and power lines, roads
    "4524": ROADS_AND_NETWORKS,  # water projects
    "4526": ROOFING,  # roof works and other special trade construction works
    "452624": STEEL_FRAME,  # structural steel erection
    "452623": STRUCTURAL_WORK,  # concrete work
    "452625": STRUCTURAL_WORK,  # masonry
    "452627": STRUCTURAL_WORK,  # façade work
    "4531": ELECTRICITY,  # electrical installation work
    "4532": PLASTERING,  # insulation work
    "4533": PLUMBING,  # plumbing, heating, ventilation and air-conditioning
    "4541": PLASTERING,  # plastering
    "4542": JOINERY,  # joinery and carpentry installation
    "4543": FLOORING,  # floor and wall covering
    "4544": PAINTING,  # painting and glazing
    "9091": CLEANING,  # cleaning services
    "9092": CLEANING,  # facility-related sanitation services
    "773": GREEN_SPACES,  # horticultural services (planting and maintenance of green areas)
    "905": WASTE,  # refuse and waste related services
    "9051": WASTE,
    "5552": CATERING,  # catering services
    "5551": CATERING,  # canteen services
    "5532": CATERING,  # meal-serving services
    "1589": CATERING,  # prepared meals (delivered to canteens)
}

# When no trade is known: the sector from the division (or group) of the code.
SECTOR_BY_PREFIX = {
    "4511": ActivitySector.PUBLIC_WORKS,
    "4522": ActivitySector.PUBLIC_WORKS,
    "4523": ActivitySector.PUBLIC_WORKS,
    "4524": ActivitySector.PUBLIC_WORKS,
    "45": ActivitySector.BUILDING,
    "909": ActivitySector.CLEANING,
    "905": ActivitySector.WASTE,
    "773": ActivitySector.GREEN_SPACES,
    "77": ActivitySector.GREEN_SPACES,
    "555": ActivitySector.CATERING,
    "553": ActivitySector.CATERING,
}


def digits(cpv_code):
    """The eight digits of a code written "45210000-2", "45210000" or " 4521 0000 "."""
    head = str(cpv_code or "").split("-")[0]
    return "".join(char for char in head if char.isdigit())[:8]


def _longest(mapping, code):
    for length in range(len(code), 1, -1):
        value = mapping.get(code[:length])
        if value is not None:
            return value
    return None


def trade_name_for(cpv_code):
    """The name of the trade a CPV code belongs to, or None."""
    code = digits(cpv_code)
    return _longest(TRADE_BY_PREFIX, code) if len(code) >= 2 else None


def sector_for(cpv_code, trade_sector=None):
    """The sector of activity: the trade's when there is one, else from the code, else services."""
    if trade_sector:
        return trade_sector
    code = digits(cpv_code)
    return (_longest(SECTOR_BY_PREFIX, code) if len(code) >= 2 else None) or ActivitySector.SERVICES
