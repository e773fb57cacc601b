"""The service catalogue (代办事项目录): what the station runs for villagers.

The standard list below is what a new station starts with; the station head can
change it (models.errands.catalogue_admin). Each item: category, name, default way
of handling, promised time limit in working days, and the materials to bring; and
the ways of handling it allows, whether the villager must appear in person, and
which materials are originals the desk holds for them (`standard_terms`).
"""
from __future__ import annotations

from models.core import history
from models.core.db import writes
from models.core.guard import require_head, require_station
from models.core.i18n import t
from models.core.session import Session
from models.core.validation import fail
from models.errands.entities import MODES, ServiceItem

# (category, name, default mode, working days, materials)
STANDARD_CATALOGUE = [
    ("社会保障", "城乡居民养老保险参保登记", "carried", 5, ["身份证", "户口簿"]),
    ("社会保障", "养老保险待遇资格认证", "on_the_spot", 0, ["身份证"]),
    ("社会保障", "养老金领取申请", "carried", 10, ["身份证", "户口簿", "银行卡", "一寸照片"]),
    ("社会保障", "被征地农民养老保险申报", "accompanied", 15, ["身份证", "户口簿", "征地协议"]),
    ("医疗保险", "城乡居民医疗保险参保缴费", "on_the_spot", 0, ["身份证", "户口簿"]),
    ("医疗保险", "城乡居民医保费用报销", "carried", 10,
     ["身份证", "户口簿", "医保卡", "住院发票原件", "费用清单", "出院小结"]),
    ("医疗保险", "门诊慢特病认定申请", "carried", 15,
     ["身份证", "医保卡", "病历", "诊断证明"]),
    ("医疗保险", "异地就医备案", "carried", 3, ["身份证", "医保卡", "转诊证明"]),
    ("民政救助", "最低生活保障申请", "carried", 20,
     ["身份证", "户口簿", "家庭收入证明", "银行卡", "申请书"]),
    ("民政救助", "特困人员供养申请", "carried", 20, ["身份证", "户口簿", "申请书"]),
    ("民政救助", "临时救助申请", "carried", 10, ["身份证", "户口簿", "申请书", "相关证明"]),
    ("民政救助", "高龄津贴申领", "carried", 10, ["身份证", "户口簿", "银行卡"]),
    ("残疾人服务", "残疾人证办理", "accompanied", 20,
     ["身份证", "户口簿", "二寸照片", "医院诊断证明"]),
    ("残疾人服务", "残疾人两项补贴申请", "carried", 15, ["身份证", "残疾人证", "银行卡"]),
    ("户籍管理", "新生儿落户", "carried", 10,
     ["出生医学证明", "父母身份证", "户口簿", "结婚证"]),
    ("户籍管理", "身份证换领补领", "accompanied", 20, ["户口簿", "旧身份证"]),
    ("户籍管理", "户口迁移", "accompanied", 15, ["户口簿", "身份证", "迁移证明"]),
    ("户籍管理", "死亡注销户口", "carried", 5, ["死亡证明", "户口簿", "逝者身份证"]),
    ("证明盖章", "村委会证明开具", "on_the_spot", 0, ["身份证"]),
    ("证明盖章", "家庭经济状况证明", "on_the_spot", 0, ["身份证", "户口簿"]),
    ("证明盖章", "外出务工证明", "on_the_spot", 0, ["身份证"]),
    ("农业补贴", "耕地地力保护补贴申报", "carried", 10, ["身份证", "土地承包经营权证", "银行卡"]),
    ("农业补贴", "农机购置补贴申请", "carried", 15, ["身份证", "购机发票", "农机照片"]),
    ("农业补贴", "种植养殖保险投保", "mobile", 5, ["身份证", "银行卡"]),
    ("土地宅基地", "宅基地建房申请", "carried", 20,
     ["身份证", "户口簿", "建房申请书", "四邻签字"]),
    ("土地宅基地", "土地承包经营权流转备案", "carried", 10, ["身份证", "承包合同", "流转协议"]),
    ("养老服务", "居家养老服务申请", "mobile", 5, ["身份证", "户口簿"]),
    ("养老服务", "80岁以上老人生存认证", "mobile", 0, ["身份证"]),
    ("计划生育", "独生子女父母奖励申请", "carried", 15, ["身份证", "户口簿", "独生子女证"]),
    ("就业服务", "就业失业登记", "carried", 5, ["身份证", "一寸照片"]),
    ("教育", "雨露计划助学补助申请", "carried", 15, ["身份证", "户口簿", "学籍证明", "银行卡"]),
    ("水电", "水费、电费代缴", "on_the_spot", 0, ["缴费户号"]),
]

# Standard names the catalogue had before, and their names now (新农合 was merged
# into 城乡居民医保 in 2016): migration 0015 renames them on stations that still
# carry them. old name -> name now
FORMER_NAMES = {"新农合医疗费用报销": "城乡居民医保费用报销", "自来水电费代缴": "水费、电费代缴"}


# Standard items whose ways of handling are not the rule of thumb in `standard_terms`:
# name -> (ways allowed, the villager must appear in person)
STANDARD_WAYS = {
    # the police station takes the photo and fingerprints: the villager goes, with a cadre
    "身份证换领补领": (("accompanied",), True),
    "残疾人证办理": (("accompanied",), True),  # assessed at the hospital in person
    "户口迁移": (("accompanied", "carried"), False),
    # certificates the village committee stamps at once, or carries for signing
    "村委会证明开具": (("on_the_spot", "carried"), False),
    "家庭经济状况证明": (("on_the_spot", "carried"), False),
    "外出务工证明": (("on_the_spot", "carried"), False),
    # face recognition of the pensioner: at the desk, or the cadre comes to the home
    "养老保险待遇资格认证": (("on_the_spot", "mobile"), True),
    "80岁以上老人生存认证": (("mobile", "on_the_spot"), True),
}


def standard_terms(name: str, days: int, materials: list[str]) -> dict:
    """How a standard item may be handled. Rule of thumb: only a same-day item can
    be done on the spot (最低生活保障申请 takes a review, never 马上办); a material
    named as an original (原件) is held for the villager."""
    modes, in_person = STANDARD_WAYS.get(
        name, (MODES if days == 0 else tuple(m for m in MODES if m != "on_the_spot"),
               False))
    # in the order of MODES, as the editor keeps them (an export imports unchanged)
    return dict(allowed_modes=[mode for mode in MODES if mode in modes], in_person=in_person,
                originals=[m for m in materials if "原件" in m])


def standard_item_rows(station_id: int) -> list[dict]:
    """The standard catalogue as rows of `station_id`'s service items."""
    return [dict(station=station_id, category=cat, name=name, default_mode=mode,
                 time_limit_days=days, materials=materials, search_keys=item_keys(name),
                 **standard_terms(name, days, materials))
            for cat, name, mode, days, materials in STANDARD_CATALOGUE]


def item_keys(name: str) -> str:
    from models.people.pinyin import text_keys
    return "|".join(text_keys(name))


@writes
def install_standard_catalogue(station_id: int, actor: Session) -> int:
    require_head(actor)
    require_station(actor, station_id)
    rows = standard_item_rows(station_id)
    ServiceItem.insert_many(rows).execute()
    history.record("station", station_id, "catalogue", actor, items=len(rows))
    return len(rows)


def active_items(station_id: int) -> list[ServiceItem]:
    return list(ServiceItem.select()
                .where((ServiceItem.station == station_id) & ServiceItem.active)
                .order_by(ServiceItem.category, ServiceItem.id))


def ways_text(item: ServiceItem) -> str:
    """"马上办、代着办": the ways of handling an item allows."""
    return "、".join(t(f"mode.{mode}") for mode in MODES if mode in item.allowed_modes)


def require_way(item: ServiceItem, mode: str) -> None:
    """Refuse an errand of a retired item, or a way of handling the item does not
    allow (a 身份证 renewal is 领着办 only: the villager must go in person)."""
    if not item.active:
        raise fail("item", "intake.item_retired", item=item.name)
    if mode not in item.allowed_modes:
        raise fail("mode", "intake.mode_not_allowed", item=item.name,
                    mode=t(f"mode.{mode}"), allowed=ways_text(item))


def filter_items(items: list[ServiceItem], query: str) -> list[ServiceItem]:
    """Items whose name, category or pinyin keys contain the query (a few dozen
    rows: filtered in memory as the cadre types)."""
    q = "".join(query.lower().split())
    if not q:
        return items
    return [item for item in items
            if q in item.search_keys or q in item.name or q in item.category]
