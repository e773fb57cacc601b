"""Only known, active cadres get the desk; a head may cover for another, on record."""
import pytest

from models.core.entities import Cadre, Station
from models.core.history import history
from models.core.session import Role, fresh_session, session_for
from models.station.team import SignInRefused, sign_in


@pytest.fixture
def li(station):
    return Cadre.create(station=station, name="李干事", login="li", role="duty")


def test_an_active_cadre_signs_in_as_themself(admin, li):
    assert sign_in("li").id == li.id
    assert sign_in("tester").id == admin.id


@pytest.mark.parametrize("login", ["nobody", "", "root"])
def test_a_login_with_no_cadre_is_refused(station, login):
    with pytest.raises(SignInRefused, match="不是本站在岗的干部"):
        sign_in(login)


def test_a_deactivated_cadre_is_refused(li):
    Cadre.update(active=False).where(Cadre.id == li.id).execute()
    with pytest.raises(SignInRefused):
        sign_in("li")


def test_the_head_may_act_as_another_cadre_and_it_is_logged(admin, li):
    assert sign_in("tester", act_as="li").id == li.id
    event = history("cadre", li.id)[-1]
    assert (event.action, event.actor_id, event.detail["by"]) == ("signed_in_as", admin.id,
                                                                  "tester")


def test_a_duty_cadre_may_not_act_as_anyone(admin, li):
    with pytest.raises(SignInRefused, match="只有站长"):
        sign_in("li", act_as="tester")
    assert history("cadre", admin.id) == []


def test_acting_as_a_login_of_another_station_is_refused(admin):
    other = Station.create(name="东风村便民服务站")
    Cadre.create(station=other, name="外站干部", login="far", role="duty")
    with pytest.raises(SignInRefused):
        sign_in("tester", act_as="far")


def test_a_fresh_session_follows_role_changes_and_ends_on_deactivation(station, li):
    session = session_for(station, li, "li")
    assert session.role is Role.DUTY
    Cadre.update(role="admin").where(Cadre.id == li.id).execute()
    assert fresh_session(session).is_head
    Cadre.update(active=False).where(Cadre.id == li.id).execute()
    assert fresh_session(session) is None


def test_a_cadre_signs_in_to_their_own_station_among_several(station, admin):
    from models.station.setup import SetupForm, set_up_station
    from models.station.team import desk_station
    other, other_head = set_up_station(SetupForm(
        station_name="东风村便民服务站", group_count="1", admin_name="赵站长",
        admin_login="zhao"))
    assert desk_station(sign_in("zhao")).id == other.id
    assert desk_station(sign_in("tester")).id == station.id


def test_first_run_setup_is_refused_once_a_station_exists(station):
    from models.core.validation import ValidationError
    from models.station.setup import SetupForm, set_up_first_station
    with pytest.raises(ValidationError) as refused:
        set_up_first_station(SetupForm(station_name="东风村便民服务站", admin_name="赵站长"))
    assert refused.value.code == "setup.has_stations"
    assert Station.select().count() == 1
