"""How drf-spectacular describes the token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton personnel créé depuis « Jetons d'API » (menu du compte), montré une seule fois.",
        }


ERROR = "Erreur"
# Answers every operation may give besides its own: documented once, so that a client (and the
# contract test) knows them all.
COMMON_ERRORS = {
    "400": "Paramètres ou données refusés ; un message en français par champ ou par ligne",
    "401": "Jeton absent, inconnu ou révoqué",
    "403": "Le compte n'a pas le droit de faire cet appel",
    "404": "L'objet n'existe pas ou n'est pas dans le périmètre du compte",
    "405": "Méthode non permise",
    "429": "Trop d'appels avec ce jeton : réessayez après le délai de l'en-tête Retry-After",
}


def add_common_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: the common error answers on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": True,
        "description": "Une erreur : « detail », ou les messages par champ.",
    }
    reference = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                responses.setdefault(code, {"description": description, "content": reference})
    return result
