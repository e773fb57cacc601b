"""One row of a household register as a clerk typed it, read the way the desk
stores it: names, villager groups ("3组" / "三组" / "第三村民小组"), door numbers,
ID numbers Excel turned into numbers, relations, and gender and birth date checked
against the ID number. `register_import` applies the rows this makes."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from models.core.table_import import (
    Column,
    compact,
)
from models.core.text import inert
from models.core.validation import birth_date_from_id, fail
from models.people.residents import ResidentForm, resident_values
from models.station.setup import MAX_GROUPS, group_name

HEAD = "户主"
HEAD_WORDS = frozenset({"户主", "本人", "户主本人"})

COLUMNS = (
    Column("head", ("户主姓名", "户主")),
    Column("name", ("姓名", "成员姓名", "人员姓名")),
    Column("relation", ("与户主关系", "与户主的关系", "家庭关系", "关系")),
    Column("id_number", ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码",
                         "身份证", "证件号码")),
    Column("phone", ("联系电话", "电话", "手机号", "手机号码", "手机", "电话号码", "联系方式")),
    Column("group", ("村民小组", "组别", "小组", "组", "所在小组", "村组", "社")),
    Column("door", ("门牌号", "户号", "门牌", "门牌号码")),
    Column("gender", ("性别",)),
    Column("birth", ("出生日期", "出生年月", "出生年月日", "生日")),
    Column("note", ("备注",)),
)
REQUIRED = (("name",), ("group",), ("door",), ("head", "relation"))

GENDERS = {"男": "男", "男性": "男", "女": "女", "女性": "女"}
# Household.number is group (2 digits) + door + "/n" when two households share a door
MAX_DOOR = 15

# "三" -> 3 … "九十九" -> 99, read off the names groups are given
_NUMERALS = {group_name(n)[1:-4]: n for n in range(1, 100)}
_GROUP = re.compile(r"第?([0-9]{1,3}|[一二三四五六七八九十]{1,3})(?:村民小组|村民组|小组|组|社|队)?")
_VILLAGE = re.compile(r"^.*?村(?=[第0-9一二三四五六七八九十])")  # "红旗村3组"
_SCIENTIFIC = re.compile(r"[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+")  # 1.10105E+17
_BIRTH = re.compile(r"([0-9]{4})[-/.年]?([0-9]{1,2})(?:[-/.月]?([0-9]{1,2})日?)?月?")


def normalize_name(raw: str) -> str:
    """'张  三' -> '张三'; a name in Latin letters keeps single spaces."""
    text = inert(" ".join(unicodedata.normalize("NFKC", raw or "").split()))
    if re.fullmatch(r"[\u3400-\u9fff·\s]+", text):
        return text.replace(" ", "")
    return text


def parse_group(raw: str) -> int:
    """'3', '3组', '三组', '第三村民小组', '红旗村3组' -> 3."""
    text = _VILLAGE.sub("", compact(raw).replace("两", "二"))
    match = _GROUP.fullmatch(text)
    number = None
    if match:
        digits = match.group(1)
        number = int(digits) if digits.isdigit() else _NUMERALS.get(digits)
    if number and 1 <= number <= MAX_GROUPS:
        return number
    if not text:
        raise fail("group", "import.reason.no_group")
    raise fail("group", "import.reason.bad_group", given=raw.strip(), max=MAX_GROUPS)


def parse_door(raw: str) -> str:
    """'12号' -> '012', '3组12号' -> '012', '12-1' -> '012-1'."""
    text = re.sub(r"^.*组", "", inert(compact(raw))).removesuffix("号").replace("/", "-")
    if not text:
        raise fail("door", "import.reason.no_door")
    text = re.sub(r"^[0-9]+", lambda digits: digits.group().zfill(3), text)
    if len(text) > MAX_DOOR:
        raise fail("door", "import.reason.door_too_long", max_len=MAX_DOOR)
    return text


def _id_text(raw: str) -> str:
    """An ID cell as Excel leaves it: '="…"' and a leading apostrophe keep it text;
    scientific notation means Excel took it for a number and lost the last digits."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    text = text.lstrip("'")
    if _SCIENTIFIC.fullmatch(text.replace(" ", "")):
        raise fail("id_number", "import.reason.id_as_number")
    return text


def _relation(raw: str) -> str:
    text = compact(raw)
    return HEAD if text in HEAD_WORDS else text


def _check_gender(raw: str, values: dict) -> None:
    given = compact(raw)
    if not given:
        return
    gender = GENDERS.get(given)
    if gender is None:
        raise fail("gender", "import.reason.bad_gender", given=raw.strip())
    if values["id_number"] and gender != values["gender"]:
        raise fail("gender", "import.reason.gender_mismatch", given=gender,
                   from_id=values["gender"])
    values["gender"] = gender


def _check_birth(raw: str, id_number: str | None) -> None:
    """Only a check of the ID number (a neighbour's number pasted on the wrong row):
    without an ID there is no column to keep a birth date in."""
    given = unicodedata.normalize("NFKC", raw).strip()
    if not given or not id_number:
        return
    match = _BIRTH.fullmatch(given.split()[0])
    if match is None:
        raise fail("birth", "import.reason.bad_birth", given=given)
    born = birth_date_from_id(id_number)
    year, month, day = (int(part) if part else None for part in match.groups())
    if (year, month) != (born.year, born.month) or day not in (None, born.day):
        raise fail("birth", "import.reason.birth_mismatch", given=given,
                   from_id=born.isoformat())


@dataclass
class Row:
    """A person as one row of the register gives them."""
    index: int
    group: int
    door: str
    head: str
    address: str  # group and door as typed, for a new household
    values: dict  # the resident's columns this row gives

    @property
    def name(self) -> str:
        return self.values["name"]

    @property
    def id_number(self) -> str | None:
        return self.values.get("id_number")

    @property
    def household(self) -> tuple[int, str, str]:
        return self.group, self.door, self.head


def parse_row(index: int, cells: dict[str, str]) -> Row:
    """The row's person, normalised and checked; ValidationError for the first
    thing wrong. The head may still be unknown (""): see `_find_heads`."""
    name = normalize_name(cells.get("name", ""))
    relation = _relation(cells.get("relation", ""))
    head = normalize_name(cells.get("head", ""))
    if relation == HEAD or (not relation and name and name == head):
        relation, head = HEAD, head or name
        name = name or head  # the head's own row, the name not typed twice
    values = resident_values(ResidentForm(
        name=name, id_number=_id_text(cells.get("id_number", "")),
        phone=cells.get("phone", ""), relation=relation, note=cells.get("note", "")))
    group = parse_group(cells.get("group", ""))
    door = parse_door(cells.get("door", ""))
    _check_gender(cells.get("gender", ""), values)
    _check_birth(cells.get("birth", ""), values["id_number"])
    # as the columns will store them, so that a second import finds nothing changed
    given = {"name", "id_number", "phone", "relation", "note", "gender"}
    values = {k: inert(v, multiline=k == "note") for k, v in values.items()
              if k in given and v}
    address = f"{group_name(group)} {' '.join(cells['door'].split())}"[:120]
    return Row(index, group, door, head, address, values)
