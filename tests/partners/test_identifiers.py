from hypothesis import given
from hypothesis import strategies as st

from partners.identifiers import build_siren, build_siret, is_valid_siren, is_valid_siret


def test_known_identifiers():
    assert is_valid_siren("220100010")  # Département de l'Ain
    assert not is_valid_siren("220100011")
    assert is_valid_siret("73282932000074")
    assert not is_valid_siret("73282932000075")
    assert not is_valid_siret("7328293200007")


@given(st.from_regex(r"\A[0-9]{8}\Z"), st.from_regex(r"\A[0-9]{4}\Z"))
def test_built_identifiers_are_valid(first_digits, nic):
    siren = build_siren(first_digits)
    assert is_valid_siren(siren)
    siret = build_siret(siren, nic)
    assert len(siret) == 14 and siret.startswith(siren)
    assert is_valid_siret(siret)
