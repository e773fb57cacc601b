"""The catalogue editor, the ways of handling an item allows, and intake keeping to
them."""
import pytest

from models.core.history import StaleEdit, history
from models.core.session import session_for
from models.errands.batches import create_batch
from models.errands.catalogue import active_items, filter_items
from models.errands.catalogue_admin import (
    ItemForm,
    add_item,
    catalogue_of,
    form_of,
    materials_line,
    set_item_active,
    update_item,
)
from models.errands.entities import Errand, ErrandMaterial, ServiceItem
from models.errands.intake import IntakeForm, register_errand
from models.people.residents import ResidentForm, register_resident
from models.station.cadres import CadreForm, add_cadre
from tests.actors import acting

from .conftest import refused


@pytest.fixture
def person(station, admin):
    return register_resident(ResidentForm(name="张三"), acting(admin))



def item_named(name):
    return ServiceItem.get(ServiceItem.name == name)


def test_standard_catalogue_allows_sensible_ways(station):
    ways = {item.name: (item.allowed_modes, item.in_person) for item in active_items(station.id)}
    assert ways["身份证换领补领"] == (["accompanied"], True)
    assert ways["村委会证明开具"] == (["on_the_spot", "carried"], False)
    assert "on_the_spot" not in ways["最低生活保障申请"][0]
    for item in active_items(station.id):
        assert item.default_mode in item.allowed_modes, item.name
        assert not (item.in_person and "carried" in item.allowed_modes), item.name
    assert item_named("城乡居民医保费用报销").originals == ["住院发票原件"]


def test_minimum_living_allowance_is_never_done_on_the_spot(station, admin, person):
    """最低生活保障申请 takes a 20-working-day review: intake and batches refuse 马上办."""
    item = item_named("最低生活保障申请")
    assert (item.time_limit_days, "on_the_spot" in item.allowed_modes) == (20, False)
    refused("intake.mode_not_allowed", register_errand,
            IntakeForm(person.id, item.id, "on_the_spot"), station.id, acting(admin))
    refused("intake.mode_not_allowed", create_batch, station.id, item.id, "on_the_spot",
            [person.id], acting(admin))
    assert register_errand(IntakeForm(person.id, item.id, item.default_mode), station.id,
                           acting(admin)).mode == "carried"


def test_add_an_item_with_only_accompanied_allowed(head, station, admin, person):
    item = add_item(ItemForm("户籍管理", "户口本补办", "10", "身份证、[/bar]证明＊, 户口本原件*",
                             "accompanied", ["accompanied"], in_person=True), head)
    assert (item.materials, item.originals) == (["身份证", "[/bar]证明", "户口本原件"],
                                                ["[/bar]证明", "户口本原件"])
    assert materials_line(item) == "身份证、[/bar]证明*、户口本原件*"
    assert filter_items(active_items(station.id), "hkbbb") == [item]  # pinyin initials
    refused("intake.mode_not_allowed", register_errand,
            IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    refused("intake.mode_not_allowed", create_batch, station.id, item.id, "on_the_spot",
            [person.id], acting(admin))
    errand = register_errand(IntakeForm(person.id, item.id, "accompanied",
                                        received=["身份证", "户口本原件"]), station.id, acting(admin))
    held = {m.name: (m.original, m.holder_id) for m in
            ErrandMaterial.select().where(ErrandMaterial.errand == errand.id)}
    # the catalogue's originals are held once received, by the intake cadre
    assert held == {"身份证": (False, None), "[/bar]证明": (False, None),
                    "户口本原件": (True, admin.id)}


@pytest.mark.parametrize("change, key", [
    (dict(category=""), "invalid.text_empty"),
    (dict(name="补\x1b]0;办"), "invalid.text_control"),
    (dict(name="城乡居民医保费用报销"), "item.name_taken"),
    (dict(time_limit_days="-1"), "item.bad_days"),
    (dict(time_limit_days="366"), "item.bad_days"),
    (dict(time_limit_days="五"), "item.bad_days"),
    (dict(materials="、".join(f"材料{n}" for n in range(21))), "item.too_many_materials"),
    (dict(materials="身份证、户\x07口簿"), "invalid.text_control"),
    (dict(allowed_modes=[]), "item.no_ways"),
    (dict(allowed_modes=["mobile"]), "item.default_not_allowed"),
    (dict(allowed_modes=["carried", "mobile"], default_mode="mobile", in_person=True),
     "item.in_person_carried"),
])
def test_bad_items_refused(head, change, key):
    before = ServiceItem.select().count()
    form = ItemForm("户籍管理", "户口本补办", "10", "身份证", "carried", ["carried"])
    refused(key, add_item, ItemForm(**{**vars(form), **change}), head)
    assert ServiceItem.select().count() == before


def test_edit_changes_no_errand_taken_in(head, station, admin, person):
    item = item_named("高龄津贴申领")
    errand = register_errand(IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    form = form_of(item)
    form.materials += "、户口簿原件*"
    form.time_limit_days = "３"  # full-width, as an IME types it
    saved = update_item(item.id, item.version, form, head)
    assert (saved.time_limit_days, saved.originals) == (3, ["户口簿原件"])
    assert [m.name for m in ErrandMaterial.select().where(ErrandMaterial.errand == errand.id)] \
        == ["身份证", "户口簿", "银行卡"]
    assert Errand.get_by_id(errand.id).due_date == errand.due_date
    with pytest.raises(StaleEdit):
        update_item(item.id, item.version, form, head)
    assert [e.action for e in history("service_item", item.id)] == ["edit"]


def test_retiring_keeps_old_errands_and_leaves_intake(head, station, admin, person):
    item = item_named("高龄津贴申领")
    errand = register_errand(IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    retired = set_item_active(item.id, item.version, False, head)
    assert item.id not in [i.id for i in active_items(station.id)]
    assert catalogue_of(station.id)[-1].id == item.id  # still listed, last
    assert Errand.get_by_id(errand.id).item_id == item.id
    refused("intake.item_retired", register_errand,
            IntakeForm(person.id, item.id, "carried"), station.id, acting(admin))
    # a new item may take the retired one's name; the old one then cannot come back
    add_item(ItemForm("民政救助", "高龄津贴申领", "5", "身份证", "carried", ["carried"]), head)
    refused("item.name_taken", set_item_active, item.id, retired.version, True, head)
    assert [e.action for e in history("service_item", item.id)] == ["retire"]


def test_only_the_head_keeps_the_catalogue(head, station):
    li = add_cadre(CadreForm("李华", login="lihua"), head)
    duty = session_for(station, li, "lihua")
    item = item_named("高龄津贴申领")
    refused("guard.head_only", add_item, form_of(item), duty)
    refused("guard.head_only", update_item, item.id, item.version, form_of(item), duty)
    refused("guard.head_only", set_item_active, item.id, item.version, False, duty)
    assert item_named("高龄津贴申领").active
