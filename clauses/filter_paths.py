"""Where the filters of the operation, contract and lot lists look, from the objects of each list
(``LotFilterForm`` applies them)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FilterPaths:
    """Where the list filters look, from the objects of one list."""

    texts: tuple  # searched by « q »
    buyer: str
    commune: str
    dates: tuple  # (start, end): the objects running in the chosen year
    legal_basis: str


OPERATION_PATHS = FilterPaths(
    texts=("title", "contracts__reference"),
    buyer="buyer",
    commune="commune",
    dates=("contracts__lots__start_date", "contracts__lots__end_date"),
    legal_basis="contracts__lots__clause__legal_basis",
)
CONTRACT_PATHS = FilterPaths(
    texts=("reference", "title", "operation__title"),
    buyer="operation__buyer",
    commune="operation__commune",
    dates=("start_date", "end_date"),
    legal_basis="lots__clause__legal_basis",
)
LOT_PATHS = FilterPaths(
    texts=("title", "contract__reference", "contract__operation__title"),
    buyer="contract__operation__buyer",
    commune="contract__operation__commune",
    dates=("start_date", "end_date"),
    legal_basis="clause__legal_basis",
)
