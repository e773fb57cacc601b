import pytest

from models.core.entities import Station
from models.core.history import StaleEdit, history
from models.core.validation import ValidationError
from models.duty.entities import ShiftTemplate
from models.station.settings import SettingsForm, settings_of, update_settings


def form(station, **changes):
    _, templates = settings_of(station.id)
    values = dict(station_name=station.name, township=station.township,
                  callback_days="3", nights_required="15",
                  shifts={tp.id: f"{tp.name} {tp.starts}-{tp.ends}" for tp in templates})
    values.update(changes)
    return SettingsForm(**values)


def test_rules_and_shifts_change_with_history(station, head_session):
    day, night = settings_of(station.id)[1]
    saved = update_settings(station.id, station.version, form(
        station, callback_days="5", nights_required="12",
        shifts={day.id: "白班 07:30-19:30", night.id: "夜班 19:30–07:30"}), head_session)
    assert (saved.callback_days, saved.nights_required) == (5, 12)
    day, night = ShiftTemplate.get_by_id(day.id), ShiftTemplate.get_by_id(night.id)
    assert (day.name, day.starts, day.ends, day.night) == ("白班", "07:30", "19:30", False)
    assert (night.starts, night.ends, night.night) == ("19:30", "07:30", True)
    assert history("shift_template", day.id)[0].detail["after"] == "白班 07:30-19:30"
    assert history("station", station.id)[-1].detail["changes"]["callback_days"] == [3, 5]


@pytest.mark.parametrize("changes, field", [
    (dict(callback_days="0"), "callback_days"),
    (dict(nights_required="32"), "nights_required"),
    (dict(nights_required="十五"), "nights_required"),
    (dict(station_name="  "), "station_name"),
])
def test_bad_values_refused_whole(station, head_session, changes, field):
    with pytest.raises(ValidationError) as refused:
        update_settings(station.id, station.version, form(station, **changes), head_session)
    assert refused.value.field == field
    assert Station.get_by_id(station.id).version == station.version


def test_bad_shift_refused(station, head_session):
    day, _ = settings_of(station.id)[1]
    with pytest.raises(ValidationError) as refused:
        update_settings(station.id, station.version,
                        form(station, shifts={day.id: "日班 8点到20点"}), head_session)
    assert refused.value.field == f"shift_{day.id}" and "日班 08:00-20:00" in str(refused.value)
    assert ShiftTemplate.get_by_id(day.id).starts == "08:00"


def test_shifts_typed_with_an_ime(station, head_session):
    day, night = settings_of(station.id)[1]
    update_settings(station.id, station.version, form(station, shifts={
        day.id: "白班 ０７：３０－１９：３０", night.id: "夜班 19:30-07:30"}), head_session)
    assert ShiftTemplate.get_by_id(day.id).starts == "07:30"
    for bad in ("日班 ٠٨:٠٠-٢٠:٠٠", "\x1b[31m日班 08:00-20:00", "日班 99999999999:00-20:00"):
        with pytest.raises(ValidationError):
            update_settings(station.id, Station.get_by_id(station.id).version,
                            form(station, shifts={day.id: bad}), head_session)


def test_stale_settings_refused(station, head_session):
    update_settings(station.id, station.version, form(station, callback_days="4"), head_session)
    with pytest.raises(StaleEdit):
        update_settings(station.id, station.version, form(station, callback_days="6"), head_session)


def test_duty_phone_and_opening_hours(station, head_session):
    saved = update_settings(station.id, station.version, form(
        station, duty_phone="0932 1234567", opening_hours="周一至周五 8:30-17:30"),
        head_session)
    assert (saved.duty_phone, saved.opening_hours) == ("0932-1234567", "周一至周五 8:30-17:30")
    with pytest.raises(ValidationError) as refused:
        update_settings(station.id, saved.version, form(station, duty_phone="12345"),
                        head_session)
    assert refused.value.field == "duty_phone"
    assert Station.get_by_id(station.id).duty_phone == "0932-1234567"
