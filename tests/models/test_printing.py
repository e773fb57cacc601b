"""The printable receipt and carry list: A4 pages, data escaped, written where told."""
import pytest

from models.errands.entities import ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.errands.printing import (carry_printout, print_dir, receipt_printout,
                                     write_printout)
from models.errands.records import errand_receipt
from models.people.residents import ResidentForm, register_resident
from tests.actors import our_station


@pytest.fixture
def errand(station, head_session, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # PostgreSQL: the data dir
    person = register_resident(ResidentForm(name="<script>alert(1)</script>王&李"),
                               head_session)
    item = ServiceItem.get(ServiceItem.name == "城乡居民医保费用报销")
    return register_errand(IntakeForm(person.id, item.id, "carried",
                                      ["身份证", "户口簿"], ["户口簿"]),
                           station.id, head_session)


def test_receipt_page_is_a4_escaped_and_says_the_receipt(errand, tmp_path):
    path = write_printout(receipt_printout(errand.id, station_id=our_station()))
    assert path.parent == print_dir() and path.is_relative_to(tmp_path)
    assert errand.number in path.name
    page = path.read_text(encoding="utf-8")
    assert "@page { size: A4" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;王&amp;李" in page
    receipt = errand_receipt(errand.id, station_id=our_station())
    for label, value in receipt.lines():
        if "<" not in value:
            assert value in page, label
    assert receipt.number in page


def test_carry_list_page_marks_originals(errand, station):
    page = carry_printout(station.id).html
    assert errand.number in page and "&lt;script&gt;" in page and "<script>" not in page
    assert "身份证、户口簿（原件）" in page and "住院发票原件" in page  # to take; missing
