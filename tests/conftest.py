import pytest
from django.core.cache import cache

from partners.roles import Role
from tests.partners.factories import user_with_role


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no dashboard kept ready from another test's data."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def administrator(db):
    return user_with_role(Role.ADMINISTRATOR, first_name="Anne")


@pytest.fixture
def facilitator(db):
    return user_with_role(Role.FACILITATOR, first_name="Claire")


@pytest.fixture
def department_reader(db):
    return user_with_role(Role.DEPARTMENT_READER, first_name="Paul")


@pytest.fixture
def employer(db):
    return user_with_role(Role.EMPLOYER, first_name="Julien")


@pytest.fixture
def buyer(db):
    return user_with_role(Role.BUYER, first_name="Sophie")


@pytest.fixture
def users_by_role(administrator, facilitator, department_reader, employer, buyer):
    return {
        Role.ADMINISTRATOR: administrator,
        Role.FACILITATOR: facilitator,
        Role.DEPARTMENT_READER: department_reader,
        Role.EMPLOYER: employer,
        Role.BUYER: buyer,
    }
