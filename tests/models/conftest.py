import pytest

from models.core.session import session_for
from models.core.validation import ValidationError


@pytest.fixture
def head(station, admin):
    """The station head's session, as the desk holds it after sign-in."""
    return session_for(station, admin, "tester")


def refused(key, fn, *args) -> ValidationError:
    """fn(*args) must be refused with the message the catalogue has as `key`."""
    with pytest.raises(ValidationError) as err:
        fn(*args)
    assert err.value.code == key, err.value.message
    return err.value
