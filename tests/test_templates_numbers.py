"""French formats group thousands (« 1 761 »): a primary key written into HTML must not be localized,
or ids, checkbox values and links break once a table passes 999 rows."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A widget's `attrs.id` is an HTML id ("id_sex_0"), not a number: it is left out.
BARE_KEY = re.compile(r"\{\{\s*(?![\w.]*attrs\.id)[\w.]+\.(pk|id)\s*\}\}")


def test_no_template_prints_a_localized_primary_key():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BARE_KEY.search(line)
    ]
    assert offenders == []
