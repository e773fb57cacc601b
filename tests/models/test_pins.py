"""A desk shared under one OS login: cadres say who they are with a PIN."""
import datetime as dt

import pytest

from models.core.entities import Cadre, Event, Station
from models.core.history import history
from models.core.i18n import t
from models.core.validation import ValidationError
from models.station.cadres import clean_login
from models.station.pins import (
    TRIES,
    pin_cadres,
    set_pin,
    sign_in_with_pin,
)
from models.station.settings import SettingsForm, settings_of, update_settings
from models.station.team import SignInRefused, sign_in
from tests.actors import acting


@pytest.fixture
def shared(station, head_session):
    """The station's desk is signed into as "zhiban" by everyone."""
    _, templates = settings_of(station.id)
    update_settings(station.id, station.version, SettingsForm(
        station.name, station.township, "3", "15",
        {tp.id: f"{tp.name} {tp.starts}-{tp.ends}" for tp in templates}, "zhiban"),
        head_session)
    return "zhiban"


@pytest.fixture
def li(station):
    return Cadre.create(station=station, name="李干事", role="duty")


def test_the_right_pin_signs_the_cadre_in_and_is_on_record(shared, li, head_session):
    set_pin(li.id, "２０２６", head_session)  # full-width, as an IME types it
    assert Cadre.get_by_id(li.id).pin_hash.startswith("scrypt$")
    assert "2026" not in Cadre.get_by_id(li.id).pin_hash
    assert [c.id for c in pin_cadres(li.station_id)] == [li.id]
    assert sign_in_with_pin(shared, li.id, "2026").id == li.id
    assert [e.action for e in history("cadre", li.id)] == ["pin_set", "signed_in_pin"]


def test_a_wrong_pin_is_refused_counted_and_a_run_of_them_locks(shared, li, head_session):
    set_pin(li.id, "2026", head_session)
    for left in range(TRIES - 1, 0, -1):
        with pytest.raises(ValidationError) as refused:
            sign_in_with_pin(shared, li.id, "1111")
        assert str(refused.value) == t("pin.wrong", left=left)
    with pytest.raises(ValidationError, match="暂停"):
        sign_in_with_pin(shared, li.id, "1111")
    with pytest.raises(ValidationError, match="暂停"):  # even the right one, for a while
        sign_in_with_pin(shared, li.id, "2026")
    assert Event.select().where(Event.action == "pin_failed").count() == TRIES
    for event in Event.select():  # a quarter of an hour and a minute later
        Event.update(at=event.at - dt.timedelta(minutes=16)).where(
            Event.id == event.id).execute()
    assert sign_in_with_pin(shared, li.id, "2026").id == li.id


def test_setting_the_pin_anew_lifts_the_lock(shared, li, head_session):
    set_pin(li.id, "2026", head_session)
    for _ in range(TRIES):
        with pytest.raises(ValidationError):
            sign_in_with_pin(shared, li.id, "0000")
    set_pin(li.id, "4321", head_session)
    assert sign_in_with_pin(shared, li.id, "4321").id == li.id


@pytest.mark.parametrize("typed", ["", "\x00", "\ud800", "９" * 10000, "[/b]", "2026\x1b"])
def test_anything_typed_as_a_pin_is_just_wrong(shared, li, head_session, typed):
    set_pin(li.id, "2026", head_session)
    with pytest.raises(ValidationError) as refused:
        sign_in_with_pin(shared, li.id, typed)
    assert str(refused.value) == t("pin.wrong", left=TRIES - 1)


@pytest.mark.parametrize("login", ["tester", "nobody", ""])
def test_only_the_shared_login_signs_in_by_pin(shared, li, head_session, login):
    set_pin(li.id, "2026", head_session)
    with pytest.raises(ValidationError):
        sign_in_with_pin(login, li.id, "2026")


def test_no_pin_or_deactivated_is_refused(shared, li, head_session):
    with pytest.raises(ValidationError, match="没有设置 PIN"):
        sign_in_with_pin(shared, li.id, "")
    set_pin(li.id, "2026", head_session)
    Cadre.update(active=False).where(Cadre.id == li.id).execute()
    with pytest.raises(ValidationError):
        sign_in_with_pin(shared, li.id, "2026")
    assert pin_cadres(li.station_id) == []


def test_the_shared_login_is_nobody_s_own(shared, li, station, head_session):
    with pytest.raises(SignInRefused):  # no PIN-less way in through it
        sign_in(shared)
    with pytest.raises(ValidationError) as refused:
        clean_login(shared)
    assert refused.value.code == "cadre.login_shared"
    with pytest.raises(ValidationError) as taken:  # a cadre's own login cannot be shared
        update_settings(station.id, Station.get_by_id(station.id).version, SettingsForm(
            station.name, "", "3", "15", {}, "tester"), head_session)
    assert taken.value.field == "shared_login"


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "[/b]", "\x1b]52;"])
def test_a_pin_is_four_to_eight_digits(li, head_session, pin):
    with pytest.raises(ValidationError) as refused:
        set_pin(li.id, pin, head_session)
    assert refused.value.code == "pin.bad"


def test_a_duty_cadre_sets_only_their_own_pin(shared, li, admin):
    own = acting(li)
    set_pin(li.id, "5678", own)
    with pytest.raises(ValidationError) as refused:
        set_pin(admin.id, "5678", own)
    assert refused.value.code == "guard.own_only"
    set_pin(li.id, "", acting(admin))  # the head clears it
    assert Cadre.get_by_id(li.id).pin_hash is None
