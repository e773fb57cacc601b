"""Text is inert: nothing a cadre types or pastes reaches another terminal as control."""
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from models.core.history import history, record
from models.core.text import FORBIDDEN_CATEGORIES, inert
from models.people.entities import Resident
from models.people.residents import ResidentForm, register_resident

CLIPBOARD = "\x1b]52;c;ZWNobyBoaQ==\x07"
TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"


@given(st.text(), st.booleans())
def test_inert_text_holds_no_control_or_invisible_character(text, multiline):
    out = inert(text, multiline)
    assert all(unicodedata.category(c) not in FORBIDDEN_CATEGORIES
               for c in out if c != "\n")
    assert multiline or "\n" not in out
    assert inert(out, multiline) == out  # cleaning twice changes nothing
    assert out == out.strip()


def test_escape_sequences_lose_their_escape():
    assert inert(f"王{CLIPBOARD}五{TITLE}{CLEAR}") == "王]52;c;ZWNobyBoaQ==五]0;pwned[2J[H"
    assert inert("第一行\r\n第二行\u2028第三行", multiline=True) == "第一行\n第二行\n第三行"
    assert inert("第一行\n第二行") == "第一行 第二行"
    assert inert("a\u202eb\u200bc\x00d\ud800e") == "abcde"  # bidi, zero-width, NUL, surrogate


def test_what_is_stored_is_inert_whichever_function_saves_it(station, head_session):
    person = register_resident(ResidentForm(name="王五"), head_session)
    Resident.update(note=f"备注{CLIPBOARD}\n第二行", relation=f"户主{TITLE}",
                    phone=" 13800000000\x1b[2J ").where(Resident.id == person.id).execute()
    row = Resident.get_by_id(person.id)
    assert "\x1b" not in row.note + row.relation + row.phone
    assert row.note == "备注]52;c;ZWNobyBoaQ==\x07\n第二行".replace("\x07", "")
    assert row.phone == "13800000000[2J"


def test_event_details_are_stored_inert(station, head_session):
    record("resident", 1, "edit", head_session, note=[f"旧{CLEAR}", {"新": f"x{TITLE}"}])
    detail = history("resident", 1)[-1].detail
    assert "\x1b" not in str(detail)
