"""The results of the axe-core audit run by the browser tests, kept in the repository (issue 18).

``tests/e2e/test_accessibility.py`` audits the main pages of each role with axe-core; with
``A11Y_RECORD=1`` (``make accessibility``) it writes what it found to the file named by the
setting ``CLAUSIER["ACCESSIBILITY_RESULTS_FILE"]`` (``accessibility/data/axe-results.json``), and
otherwise checks that the file still lists the pages it audits. The statement page reads the file:
no figure of the statement is typed by hand.

The file (format 1)::

    {
      "format": 1,
      "tool": "axe-core", "axe_version": "4.14.1", "browser": "Chromium 131.0… (headless)",
      "wcag_tags": ["wcag2a", …], "blocking_impacts": ["critical", "serious"],
      "run_date": "2026-12-07",        # the real date of the run (not the suite's fixed clock)
      "roles": {
        "anonymous": {
          "run_date": "2026-12-07",
          "pages": [{"url_name": "login", "path": "/compte/login/"}, …],
          "violations": {"critical": 0, "serious": 0, "moderate": 0, "minor": 0},
          "rules": [{"id": "region", "impact": "moderate", "help": "…", "pages": ["/compte/login/"]}]
        }, …
      },
      "totals": {"pages": 48, "distinct_pages": 37, "violations": {…}},
      "rules": [{"id": …, "impact": …, "help": …, "pages": [paths, all roles]}]
    }

A violation is one axe-core rule failed on one page (however many elements fail it there); pages
are named by their route, identifiers shown as ``{pk}``, so that the file does not change from
one run to the next when nothing changed. No database here.
"""

import json
import re
from pathlib import Path

from partners.roles import Role

FORMAT = 1
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

ROLE_LABELS = {"anonymous": "Visiteur non connecté", **{role.value: role.label for role in Role}}

IMPACT_LABELS = {"critical": "critiques", "serious": "graves", "moderate": "modérées", "minor": "mineures"}
IMPACT_LABEL = {"critical": "critique", "serious": "grave", "moderate": "modérée", "minor": "mineure"}

# French help of the axe-core rules most likely to show up, for the « non-compliant content »
# list; any other rule keeps the (English) help text of axe-core.
FRENCH_HELP = {
    "region": "Tout le contenu de la page doit être contenu dans des régions (landmarks).",
    "landmark-one-main": "La page doit avoir une région principale (main).",
    "landmark-unique": "Les régions de la page doivent avoir un nom ou un rôle unique.",
    "page-has-heading-one": "La page doit avoir un titre de niveau 1.",
    "heading-order": "Les niveaux de titre ne doivent augmenter que d'un à la fois.",
    "color-contrast": "Le contraste entre le texte et son arrière-plan doit être suffisant.",
    "label": "Chaque champ de formulaire doit avoir une étiquette.",
    "link-name": "Chaque lien doit avoir un intitulé perceptible.",
    "button-name": "Chaque bouton doit avoir un intitulé perceptible.",
    "image-alt": "Chaque image doit avoir une alternative textuelle.",
    "empty-heading": "Un titre ne doit pas être vide.",
    "empty-table-header": "Un en-tête de tableau ne doit pas être vide.",
    "td-has-header": "Les cellules d'un grand tableau doivent être associées à un en-tête.",
    "scrollable-region-focusable": "Une zone qui défile doit être atteignable au clavier.",
    "duplicate-id-aria": "Les identifiants utilisés par ARIA doivent être uniques.",
    "aria-allowed-attr": "Les attributs ARIA doivent être permis pour le rôle de l'élément.",
    "list": "Une liste ne doit contenir que des éléments de liste.",
    "listitem": "Un élément de liste doit être dans une liste.",
    "meta-viewport": "Le zoom ne doit pas être empêché.",
    "target-size": "Les cibles tactiles doivent être assez grandes.",
}

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def page_path(route):
    """``operations/<int:pk>/`` → ``/operations/{pk}/``: a page's name that does not change between runs."""
    return "/" + _PARAMETER.sub(r"{\1}", route)


def compliance_level(rate):
    """The RGAA compliance label (RGAA 4.1, « Obligations »): « totalement conforme » when every
    criterion is met (100 %), « partiellement conforme » from 50 %, « non conforme » below 50 % or
    when no RGAA audit has measured a rate (``rate`` is None): automatic tests alone give no rate."""
    if rate is None:
        return "non conforme"
    if rate >= 100:
        return "totalement conforme"
    if rate >= 50:
        return "partiellement conforme"
    return "non conforme"


def empty_counts():
    return dict.fromkeys(IMPACTS, 0)


def role_summary(audited):
    """What one role's audit found. ``audited``: (url name, route, violations) for each page
    opened, the violations as axe-core returns them (dicts with ``id``, ``impact``, ``help``)."""
    counts, rules, pages = empty_counts(), {}, []
    for url_name, route, violations in audited:
        path = page_path(route)
        pages.append({"url_name": url_name, "path": path})
        for violation in violations:
            impact = violation.get("impact") or "minor"
            counts[impact] = counts.get(impact, 0) + 1
            rule = rules.setdefault(
                violation["id"],
                {"id": violation["id"], "impact": impact, "help": violation.get("help", ""), "pages": []},
            )
            if path not in rule["pages"]:
                rule["pages"].append(path)
    return {"pages": pages, "violations": counts, "rules": sorted(rules.values(), key=lambda r: r["id"])}


def blocking_counts(summary):
    return {impact: summary["violations"].get(impact, 0) for impact in BLOCKING}


def merge(data, role, summary, meta):
    """``data`` (the file's content, or None) with ``role``'s summary put in and the totals redone.
    ``meta``: axe_version, browser, wcag_tags, run_date of this run."""
    data = dict(data or {})
    roles = dict(data.get("roles", {}))
    roles[role] = {"run_date": meta["run_date"], **summary}
    ordered = {name: roles[name] for name in ROLE_LABELS if name in roles}
    ordered.update({name: value for name, value in roles.items() if name not in ordered})
    data.update(
        {
            "format": FORMAT,
            "tool": "axe-core",
            "axe_version": meta["axe_version"],
            "browser": meta["browser"],
            "wcag_tags": list(meta["wcag_tags"]),
            "blocking_impacts": list(BLOCKING),
            "run_date": max(value["run_date"] for value in ordered.values()),
            "roles": ordered,
        }
    )
    data["totals"], data["rules"] = _totals(ordered)
    return data


def _totals(roles):
    counts, rules, distinct, pages = empty_counts(), {}, set(), 0
    for summary in roles.values():
        pages += len(summary["pages"])
        distinct.update(page["path"] for page in summary["pages"])
        for impact, count in summary["violations"].items():
            counts[impact] = counts.get(impact, 0) + count
        for rule in summary["rules"]:
            merged = rules.setdefault(rule["id"], {**rule, "pages": []})
            merged["pages"] += [path for path in rule["pages"] if path not in merged["pages"]]
    totals = {"pages": pages, "distinct_pages": len(distinct), "violations": counts}
    return totals, sorted(rules.values(), key=lambda r: r["id"])


def dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def problems(data):
    """What makes ``data`` unfit for the statement (an empty list when it is fine)."""
    if not isinstance(data, dict):
        return ["the file is not a JSON object"]
    found = [f"no {key}" for key in ("axe_version", "wcag_tags", "run_date", "roles", "totals") if key not in data]
    if data.get("format") != FORMAT:
        found.append(f"format {data.get('format')!r}, expected {FORMAT}")
    for role, summary in (data.get("roles") or {}).items():
        if not isinstance(summary, dict) or not {"pages", "violations", "rules"} <= set(summary):
            found.append(f"role {role}: pages, violations and rules expected")
    return found


def load(path):
    """The file's content, or None when it is missing, unreadable or not in the expected format."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return None if problems(data) else data


def statement_figures(data):
    """What the statement shows, from the file's content (None: the figures are unavailable)."""
    if data is None:
        return None
    roles = [
        {
            "key": key,
            "label": ROLE_LABELS.get(key, key),
            "page_count": len(summary["pages"]),
            "pages": summary["pages"],
            "violations": _impact_rows(summary["violations"]),
        }
        for key, summary in data["roles"].items()
    ]
    distinct = {}
    for summary in data["roles"].values():
        for page in summary["pages"]:
            distinct.setdefault(page["path"], page)
    rules = [
        {
            **rule,
            "code": rule["id"],  # axe-core's rule name (« color-contrast »), not a key
            "help_fr": FRENCH_HELP.get(rule["id"], rule["help"]),
            "impact_label": IMPACT_LABEL.get(rule["impact"], rule["impact"]),
            "page_count": len(rule["pages"]),
        }
        for rule in data.get("rules", [])
    ]
    violations = data["totals"]["violations"]
    return {
        "axe_version": data["axe_version"],
        "browser": data.get("browser", ""),
        "wcag_tags": data["wcag_tags"],
        "run_date": data["run_date"],
        "roles": roles,
        "page_count": data["totals"]["pages"],
        "distinct_page_count": len(distinct),
        "distinct_pages": sorted(distinct.values(), key=lambda page: page["path"]),
        "violations": _impact_rows(violations),
        "blocking_total": sum(violations.get(impact, 0) for impact in BLOCKING),
        "non_blocking_rules": [rule for rule in rules if rule["impact"] not in BLOCKING],
        "blocking_rules": [rule for rule in rules if rule["impact"] in BLOCKING],
    }


def _impact_rows(counts):
    return [{"impact": impact, "label": IMPACT_LABELS[impact], "count": counts.get(impact, 0)} for impact in IMPACTS]
