"""Text helpers without the database: accent- and case-insensitive search keys."""

import unicodedata


def search_key(*parts):
    """Lower-case, accent-free, single-spaced text for searching ("Bâtir Éco" → "batir eco")."""
    text = " ".join(str(part) for part in parts if part)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().replace("’", "'").split())
