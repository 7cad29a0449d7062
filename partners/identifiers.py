"""French company identifiers (SIREN, SIRET), through python-stdnum: never hand-written checksums."""

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def build_siren(first_eight_digits):
    """A valid SIREN from eight digits (the ninth is the Luhn check digit)."""
    return first_eight_digits + luhn.calc_check_digit(first_eight_digits)


def build_siret(siren, nic_first_four_digits):
    """A valid SIRET from a SIREN and the first four digits of the establishment number."""
    body = siren + nic_first_four_digits
    return body + luhn.calc_check_digit(body)


def is_valid_siret(value):
    try:
        stdnum_siret.validate(value)
    except ValidationError:
        return False
    return True


def is_valid_siren(value):
    try:
        stdnum_siren.validate(value)
    except ValidationError:
        return False
    return True
