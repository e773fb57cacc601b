from datetime import date, timedelta

import pytest

from models.core.i18n import ZH, t
from models.core.validation import (
    ValidationError,
    birth_date_from_id,
    gender_from_id,
    id_check_char,
    id_from_old,
    mask_id,
    mask_phone,
    normalize_id_number,
    normalize_mobile,
    parse_when,
    require_text,
)


def make_id(first17: str) -> str:
    return first17 + id_check_char(first17)


# ---- ValidationError ----

def test_validation_error_carries_field_and_message():
    err = ValidationError("name", "姓名不能为空")
    assert isinstance(err, ValueError)
    assert err.field == "name"
    assert err.message == "姓名不能为空"
    assert str(err) == "姓名不能为空"


def test_messages_are_chinese_templates():
    invalid = {k: v for k, v in ZH.items() if k.startswith("invalid.")}
    assert len(invalid) >= 10
    for key, template in invalid.items():
        assert any("\u4e00" <= c <= "\u9fff" for c in template), key
        template.format(given=1, new="1", birth="b", year=1, label="L", max_len=2)


# ---- ID numbers ----

@pytest.mark.parametrize("valid", ["11010519491231002X", "440524188001010014"])
def test_valid_ids(valid):
    assert normalize_id_number(valid) == valid


def test_lowercase_x_and_spaces():
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"


@pytest.mark.parametrize("raw", ["110105-19491231-002X", "110105 1949 1231 002x",
                                 "110105－19491231－002X", "110105–19491231—002X"])
def test_dashes_and_spaces_stripped(raw):
    assert normalize_id_number(raw) == "11010519491231002X"


def test_full_width_digits_accepted():
    assert normalize_id_number("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"


def test_area_code_not_checked():
    fake_area = make_id("99999919800101123")
    assert normalize_id_number(fake_area) == fake_area


def _error(func, raw):
    with pytest.raises(ValidationError) as info:
        func(raw)
    return info.value


@pytest.mark.parametrize("raw, given", [("1101051949123100", 16), ("11010519491231002X1", 19)])
def test_id_wrong_length(raw, given):
    err = _error(normalize_id_number, raw)
    assert err.field == "id_number"
    assert f"当前输入了 {given} 位" in err.message
    assert "18 位" in err.message


def test_id_empty():
    err = _error(normalize_id_number, "   ")
    assert err.field == "id_number"
    assert err.message == t("invalid.id_empty")


def test_id_old_15_digit():
    err = _error(normalize_id_number, "110105491231002")
    assert err.code == "invalid.id_old_15"
    assert "15 位" in err.message


@pytest.mark.parametrize("old, new", [("110105491231002", "11010519491231002X"),
                                      ("440524800101001", "440524198001010013"),
                                      ("440524-800101-001", "440524198001010013")])
def test_id_old_15_digit_offers_its_18_digit_form(old, new):
    assert id_from_old(old.replace("-", "")) == new
    err = _error(normalize_id_number, old)
    assert (err.code, err.field, err.offer) == ("invalid.id_old_15", "id_number", new)
    assert new in err.message


def test_id_old_15_digit_with_an_impossible_birth_date_offers_nothing():
    err = _error(normalize_id_number, "110105491331002")  # month 13
    assert err.code == "invalid.id_birth_invalid"
    assert err.offer is None


@pytest.mark.parametrize("raw", ["1101051949123100XX", "11010519491231002Y", "11010519491A31002X", "１1010519491231002/"])
def test_id_bad_characters(raw):
    err = _error(normalize_id_number, raw)
    assert err.field == "id_number"
    assert err.message == t("invalid.id_chars")


@pytest.mark.parametrize("first17", ["11010519490230002", "11010519491301002", "11010519490000002"])
def test_id_impossible_birth_date(first17):
    err = _error(normalize_id_number, make_id(first17))
    assert err.code == "invalid.id_birth_invalid"
    assert first17[6:10] in err.message
    assert "不是有效日期" in err.message


def test_id_birth_before_1880():
    err = _error(normalize_id_number, make_id("11010518791231002"))
    assert err.code == "invalid.id_birth_too_early"
    assert "1879" in err.message


def test_id_birth_in_future():
    tomorrow = date.today() + timedelta(days=1)
    err = _error(normalize_id_number, make_id(f"110105{tomorrow:%Y%m%d}002"))
    assert err.code == "invalid.id_birth_future"
    assert "晚于今天" in err.message


def test_id_born_today_is_fine():
    today = make_id(f"110105{date.today():%Y%m%d}002")
    assert normalize_id_number(today) == today


@pytest.mark.parametrize("raw, expected", [("110105194912310021", "X"), ("44052418800101001X", "4")])
def test_id_wrong_check_digit_says_compare_digit_by_digit(raw, expected):
    # which digit would pass is never said: a typo elsewhere would be "fixed"
    # into someone else's number
    err = _error(normalize_id_number, raw)
    assert err.code == "invalid.id_check_digit"
    assert "逐位核对" in err.message
    assert expected not in err.message and err.offer is None


def test_id_single_digit_typo_is_caught():
    err = _error(normalize_id_number, "11010519491231003X")
    assert err.code == "invalid.id_check_digit"


def test_birth_date_and_gender():
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "女"
    assert birth_date_from_id("440524188001010014") == date(1880, 1, 1)
    assert gender_from_id("440524188001010014") == "男"
    with pytest.raises(ValidationError):
        gender_from_id("123")


# ---- phones ----

@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "008613812345678",
        "8613812345678",
        "(+86) 138-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_normalised(raw):
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0932-1234567", "0932-1234567"),
        ("09321234567", "0932-1234567"),
        ("(0932) 1234567", "0932-1234567"),
        ("010-12345678", "010-12345678"),
        ("021 87654321", "021-87654321"),
        ("0931-12345678", "0931-12345678"),
        ("+86 932 1234567", "0932-1234567"),
        ("+86 10 12345678", "010-12345678"),
    ],
)
def test_landline_normalised(raw, expected):
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["1381234567", "138123456789", "12812345678", "23812345678", "abc", "0932-12345",
     "0932-123456789", "+1 138 1234 5678", "138１234５67x",
     # once an IndexError: too short to hold an area code
     "0", "+86", "0086", "(0)", "86", "+860", "00",
     # not a landline: 00 is the way abroad; other scripts' digits are no digits here
     "00123456789", "٠٩٣٢١٢٣٤٥٦٧"],
)
def test_invalid_phones(raw):
    err = _error(normalize_mobile, raw)
    assert err.field == "phone"
    assert err.message == t("invalid.phone_invalid")


def test_empty_phone():
    err = _error(normalize_mobile, "  ")
    assert err.field == "phone"
    assert err.message == t("invalid.phone_empty")


# ---- text ----

def test_require_text_strips():
    assert require_text("name", "  张三 ", "姓名", 20) == "张三"


@pytest.mark.parametrize("value", ["", "   ", "\u3000", None])
def test_require_text_empty(value):
    err = _error(lambda v: require_text("name", v, "姓名", 20), value)
    assert err.field == "name"
    assert err.message == "姓名不能为空"


def test_require_text_too_long():
    assert require_text("name", "一二三四五", "姓名", 5) == "一二三四五"
    err = _error(lambda v: require_text("name", v, "姓名", 5), "一二三四五六")
    assert err.field == "name"
    assert "5" in err.message and "6" in err.message
    assert err.message.startswith("姓名")


@pytest.mark.parametrize("value", ["张\n三", "张\t三", "张\x00三", "张\x1b[31m三", "张\u200b三", "张\u202e三"])
def test_require_text_control_characters(value):
    err = _error(lambda v: require_text("name", v, "姓名", 20), value)
    assert err.field == "name"
    assert err.code == "invalid.text_control"


def test_user_text_is_never_a_template():
    # A label or value containing braces must not be interpreted as a format field.
    err = _error(lambda v: require_text("note", v, "备注{given}", 20), "")
    assert err.message == "备注{given}不能为空"
    assert require_text("note", "{0}{label}", "备注", 20) == "{0}{label}"


# ---- masks ----

def test_mask_id():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_id("440524188001010014") == "440524********0014"
    assert mask_id("") == ""
    assert mask_id(None) == ""
    assert "1949" not in mask_id("11010519491231002X")


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0932-1234567") == "0932-***4567"
    assert mask_phone("010-12345678") == "010-****5678"
    assert mask_phone("") == ""
    assert mask_phone(None) == ""
    assert mask_phone("12345") == "*2345"


# ---- what a message repeats of the input ----

def test_a_message_quotes_what_was_typed_short_and_inert():
    typed = "\x1b]52;c;aGk=\x07" + "9" * 10_000
    err = _error(parse_when, typed)
    assert "\x1b" not in err.message and "\x07" not in err.message
    assert len(err.message) < 120 and "…" in err.message


# ---- appointments ----

@pytest.mark.parametrize("raw", ["202612010930", "99999999999-1-1 9:00", "12-01 99999999999:00",
                                 "2026-12-01 9:99999999999999999999", "1" * 5000,
                                 "１２-０１ ９：３０x", "\ud800", "12-01\x00 9:30", "-", ":"])
def test_appointment_times_that_cannot_be_read_are_refused(raw):
    assert _error(parse_when, raw).code == "invalid.when_invalid"


def test_appointment_times_as_cadres_write_them():
    today = date(2026, 11, 20)
    assert parse_when("2026-11-25 9:30", today).isoformat() == "2026-11-25T09:30:00"
    assert parse_when("１１－２５ ９：３０", today).isoformat() == "2026-11-25T09:30:00"
    assert parse_when("14:00", today).isoformat() == "2026-11-20T14:00:00"
