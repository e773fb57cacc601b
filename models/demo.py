"""Demo data: a whole village service station with a year of errands.

`build_demo` fills an empty database with one station, its villager groups and
cadres, households and residents (with search keys), the standard service
catalogue and about thirteen months of errands in every status and mode. The same
seed gives the same village; nothing depends on the clock except through `today`.

Two sizes: "small" (about 300 residents, 400 errands: tests and a first look) and
"large" (20,000 residents, 100,000 errands: the size the budgets in DESIGN.md are
measured at). Rows go in with multi-row INSERTs inside one transaction, so a failed
build leaves the database as empty as it was.

Test data worth knowing: 张三 (mobile 138 1234 1234) with errands in several modes,
other 张 names with initials "zs" (张顺, 张松, 张帅, 张爽), and residents named
"[red]王[/red]" and "[/bar]", which must show literally wherever names are shown.
"""
from __future__ import annotations

import datetime as dt
import getpass
import random
import sqlite3
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, islice

from models.core.db import database, is_sqlite
from models.core.entities import Cadre, Counter, Event, Station, VillagerGroup
from models.core.validation import id_check_char
from models.duty.entities import NightStay, Shift, ShiftTemplate
from models.duty.hours import next_month
from models.duty.roster import plan_month, save_plan
from models.errands.catalogue import STANDARD_CATALOGUE, item_keys
from models.errands.entities import (
    MODES,
    OPEN_STATUSES,
    STATUSES,
    Errand,
    ErrandMaterial,
    ServiceItem,
)
from models.errands.intake import due_date_for
from models.people.entities import Household, Resident, ResidentKey
from models.people.residents import resident_keys
from models.station.setup import group_name, install_default_shifts

Progress = Callable[[int, int, str], None]

SIZES = {
    "small": dict(groups=10, residents=300, errands=400),
    "large": dict(groups=12, residents=20_000, errands=100_000),
}
STATION_NAME = "红旗村便民服务站"
TOWNSHIP = "城关镇"
HISTORY_DAYS = 395  # about thirteen months of errands, up to today
BATCH_ROWS = 500

# The default for `admin_login`: whoever runs the demo is signed in as the admin.
OS_USER = "<os user>"

ZHANG_SAN_PHONE = "13812341234"  # "zs", "zhangsan", "1381234" and "1234" find him
ZS_NAMES = ("张顺", "张松", "张帅", "张爽")
MARKUP_NAMES = ("[red]王[/red]", "[/bar]")

# ---- names -----------------------------------------------------------------

# Surname frequencies (per mille, rounded) as in national counts, with 李 raised
# for 陇西 (the county the ID numbers come from, home of the 陇西李氏).
COMMON_SURNAMES = """
王71 李90 张67 刘54 陈45 杨31 赵23 黄22 周21 吴20 徐17 孙15 胡13 朱13 高12 林12
何12 郭12 马11 罗9 梁9 宋8 郑8 谢7 韩7 唐6 冯6 于6 董6 萧5 程5 曹5 袁5 邓5 许5
傅5 沈5 彭5 吕5 苏4 卢4 蒋4 蔡4 贾4 丁4 魏4 薛4 叶4 阎4 余4 潘4 杜4 戴3 夏3 钟3
汪3 田3 任3 姜3 范3 方3 石3 姚3 谭3 廖3 邹3 熊3 金3 陆3 郝3 孔3 白3 崔3 康3 毛3
邱3 秦3 江3 史3 顾3 侯3 邵3 孟3 龙3 万3 段3 雷3 钱2 汤2 尹2 黎2 易2 常2 武2 乔2
贺2 赖2 龚2 文2 牛2 令2 漆2 巩2 包2 祁2
"""
# Surnames pypinyin reads wrong, and compound surnames: a few percent in all.
TRICKY_SURNAMES = """
单4 曾5 解4 仇3 区3 查3 朴2 覃3 缪3 欧阳3 长孙2 尉迟2 司马3
"""


def _weighted(table: str) -> list[tuple[str, int]]:
    pairs = []
    for token in table.split():
        name = token.rstrip("0123456789")
        pairs.append((name, int(token[len(name):])))
    return pairs


SURNAMES = _weighted(COMMON_SURNAMES) + _weighted(TRICKY_SURNAMES)

# Given names by the era a person was born in: (male, female) whole names.
GIVEN_NAMES = {
    "old": ("""建国 国庆 建军 志强 永福 福林 德胜 明德 文华 保国 振华 金生 有才 长林 树林
               春生 玉山 宝山 根生 满仓 喜才 万福 占魁 世杰 守仁 天禄 存孝 正清 忠 福 贵 林""",
            """秀英 桂英 玉兰 秀兰 桂兰 凤英 秀珍 玉珍 桂芳 淑珍 翠花 春花 金花 玉梅 冬梅
               彩霞 改兰 粉兰 存英 菊花 月英 兰英 巧云 素琴 玉琴 凤兰 桂香 引弟 爱莲 英 兰 珍"""),
    "mid": ("""伟 强 军 勇 磊 涛 斌 鹏 辉 刚 海 波 峰 俊 亮 建华 志刚 海涛 文军 红军 晓东
               永强 建平 国强 卫东 小龙 振宇 志军 文斌 海龙 学军 新民 永红 建伟 少华""",
            """丽 芳 娟 敏 静 艳 霞 燕 红 玲 丽娟 小红 晓燕 海燕 春燕 文静 丽丽 亚丽 小芳
               秀梅 红梅 晓丽 金凤 海霞 彩云 丽萍 美玲 小琴 雪梅 慧敏"""),
    "young": ("""浩 宇 轩 博 杰 鑫 睿 浩然 宇航 梓轩 子豪 俊杰 一鸣 天佑 嘉豪 明轩 家乐 思远
                 宇轩 博文 浩宇 子轩 皓轩 泽宇 昊天 志远 梓豪 宏宇 晨阳 文博""",
              """琪 悦 萱 妍 欣怡 梓涵 诗涵 雨涵 佳怡 子萱 思琪 雨欣 可欣 紫涵 梦瑶 心怡 语桐
                 欣悦 雅琪 梓萱 若汐 一诺 佳琪 思雨 雨萱 婉婷 嘉怡 静怡 欣妍 梦琪"""),
}
GIVEN_NAMES = {era: (m.split(), f.split()) for era, (m, f) in GIVEN_NAMES.items()}
# Characters to compose further names from: (first, second) for men, for women.
NAME_CHARS = (("建国志永文明海晓小俊子浩宇天嘉家学德振兴世春长金",
               "军华强平东林峰伟涛杰明成龙辉宇轩博鹏生才福山忠刚民斌新荣贵顺松帅胜"),
              ("秀桂玉春丽美晓小海雅欣思雨佳梦紫淑翠金彩红文巧",
               "英兰珍芳梅花霞娟燕琴萍玲丽静怡涵萱琪婷雪洁莉娜慧云凤艳蓉"))

RELATIONS = ("户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女")

# ---- places, phones ----------------------------------------------------------

HOME_AREA = "621122"  # 甘肃省定西市陇西县
NEARBY_AREAS = ("621102", "621121", "621123", "621124", "621125", "621126")  # 定西 others
MOBILE_PREFIXES = tuple("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 "
                        "157 158 159 166 173 177 178 180 181 182 183 185 186 187 188 189 "
                        "191 198 199".split())

# ---- errands -------------------------------------------------------------------

# Open statuses an errand passes through, in order, for each way of handling.
OPEN_PATHS = {
    "on_the_spot": ("registered",),
    "carried": ("registered", "in_progress", "submitted", "result_back"),
    "accompanied": ("registered", "appointment_set", "in_progress", "submitted",
                    "result_back"),
    "mobile": ("registered", "in_progress"),
}
# For making sure every status shows up: modes a status makes sense for.
STATUS_MODES = {
    "waiting_villager": ("carried", "accompanied"),
    "submitted": ("carried", "accompanied"),
    "result_back": ("carried", "accompanied"),
    "appointment_set": ("accompanied",),
    "in_progress": ("carried", "accompanied", "mobile"),
}
SATISFACTION = ("满意",) * 8 + ("基本满意",) * 3 + ("不满意",)
RETURN_REASONS = ("材料不全，乡镇退回补充", "信息填写有误，需重新填报", "不符合申请条件")
CANCEL_REASONS = ("群众自行办理", "群众不再需要", "重复登记")
# How often each catalogue item is asked for, relative to the others (items not
# named here count 1).
ITEM_DEMAND = {
    "养老保险待遇资格认证": 6, "城乡居民医疗保险参保缴费": 6, "村委会证明开具": 6,
    "新农合医疗费用报销": 5, "自来水电费代缴": 4, "80岁以上老人生存认证": 3,
    "高龄津贴申领": 3, "耕地地力保护补贴申报": 3, "家庭经济状况证明": 3, "外出务工证明": 3,
    "城乡居民养老保险参保登记": 2, "养老金领取申请": 2, "最低生活保障申请": 2,
    "临时救助申请": 2, "门诊慢特病认定申请": 2, "异地就医备案": 2, "身份证换领补领": 2,
    "种植养殖保险投保": 2, "居家养老服务申请": 2,
}


def build_demo(size: str = "small", seed: int = 0, progress: Progress | None = None,
               today: dt.date | None = None, admin_login: str | None = OS_USER) -> dict:
    """Fill the empty database behind `models.core.db.database` with a demo village.

    `admin_login` is the login of the station head (by default the OS user running
    this, so they are signed in as the admin); None leaves the admin without a login.
    `progress(done, total, label)` is called while the village is made up (done=0,
    the label says what is being done) and then as rows are written, with the total
    of all rows. Returns the number of rows of each kind. Raises ValueError for an unknown size or when the database
    already holds a station.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: choose one of {', '.join(SIZES)}")
    today = today or dt.date.today()
    if admin_login == OS_USER:
        admin_login = _os_user()
    report = progress or (lambda done, total, label: None)
    report(0, 1, "准备演示数据")

    spec = SIZES[size]
    builder = _Builder(random.Random(seed), today, spec, seed)
    with database.atomic():
        if Station.select().exists():
            raise ValueError("数据库里已经有服务站，演示数据只能装入空数据库 "
                             "(the database already holds a station)")
        counts = builder.build(admin_login, report)
    database.execute_sql("ANALYZE")  # fresh statistics for the query planner
    if is_sqlite():
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or the password database
        return None


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, spec: dict, seed: int):
        self.rng = rng
        self.seed = seed
        self.today = today
        self.spec = spec
        self.start = today - dt.timedelta(days=HISTORY_DAYS)
        self.registered_at = dt.datetime.combine(self.start - dt.timedelta(days=30),
                                                 dt.time(9, 0))
        self.surnames = [s for s, _ in SURNAMES]
        self.surname_cum = list(accumulate(w for _, w in SURNAMES))
        self.phones: set[str] = {ZHANG_SAN_PHONE}
        self.id_numbers: set[str] = set()
        self.reserved_names = {"张三", *ZS_NAMES, *MARKUP_NAMES}
        self.written = 0
        self.total = 1
        self.report: Progress = lambda done, total, label: None

    # ---- the whole build ----

    def build(self, admin_login: str | None, report: Progress) -> dict:
        self.report = report
        station = Station.create(name=STATION_NAME, township=TOWNSHIP,
                                 created_at=self.registered_at)
        install_default_shifts(station)
        groups = self._groups(station)
        cadres = self._cadres(station, groups, admin_login)
        items = self._catalogue(station, cadres[0])

        report(0, 1, "生成农户和村民")
        households = self._households(groups)
        residents = [r for h in households for r in h["members"]]
        report(0, 1, "计算拼音检索键")
        keys = [self._keys(r, h["number"]) for h in households for r in h["members"]]
        report(0, 1, "生成代办事项")
        errands = self._errands(residents, items, cadres)
        materials = sum(len(e["item"].materials) for e in errands)
        events = sum(1 + (e["status"] != "registered") for e in errands)
        self.total = (len(households) + len(residents) + sum(map(len, keys))
                      + len(errands) + materials + events + 1)  # 1: the closing step

        self._insert_households(households)
        resident_ids = self._insert_residents(residents)
        self._insert(ResidentKey, [ResidentKey.resident, ResidentKey.key],
                     ((rid, key) for rid, rkeys in zip(resident_ids, keys) for key in rkeys),
                     "写入检索键")
        self._insert_errands(errands, resident_ids)
        last_numbers: dict[int, int] = {}
        for errand in errands:
            last_numbers[errand["created"].year] = errand["seq"]
        Counter.insert_many([(f"errand-{year}", value) for year, value in last_numbers.items()],
                            fields=[Counter.name, Counter.value]).execute()
        shifts = self._roster(station, cadres)
        Event.create(entity="station", entity_id=station.id, action="create",
                     actor=cadres[0], at=self.registered_at,
                     detail=dict(name=station.name, groups=len(groups), demo=True,
                                 seed=self.seed, residents=len(residents),
                                 errands=len(errands)))
        report(self.total, self.total, "完成")
        return dict(stations=1, groups=len(groups), cadres=len(cadres),
                    households=len(households), residents=len(residents),
                    resident_keys=sum(map(len, keys)), items=len(items),
                    errands=len(errands), materials=materials,
                    events=Event.select().count(), shifts=shifts)

    def _roster(self, station: Station, cadres: list[Cadre]) -> int:
        """This month's and next month's roster, as the generator makes it; the
        shifts before noon today were worked: mostly checked in on time, a few late,
        one in twenty missed. Night shifts and "stayed tonight" marks are nights in
        the village."""
        first = self.today.replace(day=1)
        count = 0
        for year, month in (first.year, first.month), next_month(first.year, first.month):
            plan = plan_month(station.id, year, month, today=first)
            count += save_plan(plan, cadres[0])
        now = dt.datetime.combine(self.today, dt.time(12))
        rng = self.rng
        worked = (Shift.select(Shift, ShiftTemplate).join(ShiftTemplate)
                  .where((Shift.station == station.id) & (Shift.starts_at <= now)
                         & Shift.cadre.is_null(False)).order_by(Shift.starts_at))
        nights = []
        for shift in worked:
            roll = rng.random()
            if roll < 0.05:
                continue  # never checked in: shows as missed
            late = roll > 0.88
            shift.checked_in_at = shift.starts_at + dt.timedelta(
                minutes=rng.randint(20, 50) if late else -rng.randint(1, 15))
            if shift.ends_at <= now:
                shift.checked_out_at = shift.ends_at + dt.timedelta(minutes=rng.randint(0, 10))
            shift.save()
            if shift.template.night:
                nights.append((shift.cadre_id, shift.starts_at.date(), "shift"))
        # resident cadres live in the village Monday to Friday: Mon–Thu evenings,
        # marked "stayed tonight" most weeks
        day = first
        while day < self.today:
            if day.weekday() < 4:
                nights += [(c.id, day, "mark") for c in cadres if rng.random() < 0.8]
            day += dt.timedelta(days=1)
        NightStay.insert_many(nights, fields=[NightStay.cadre, NightStay.night,
                                              NightStay.source]).on_conflict_ignore().execute()
        return count

    def _insert(self, model, fields: list, rows: Iterable[tuple], label: str) -> None:
        """Multi-row INSERTs of at most BATCH_ROWS rows (and the backend's limit of
        bound parameters); `rows` may be a generator, so big tables never sit in
        memory as a whole."""
        per_statement = max(1, min(BATCH_ROWS, _max_variables() // len(fields)))
        rows = iter(rows)
        while batch := list(islice(rows, per_statement)):
            model.insert_many(batch, fields=fields).execute()
            self.written += len(batch)
            self.report(self.written, self.total, label)

    # ---- station, groups, cadres, catalogue ----

    def _groups(self, station: Station) -> list[VillagerGroup]:
        count = self.spec["groups"]
        VillagerGroup.insert_many([(station.id, n, group_name(n)) for n in range(1, count + 1)],
                                  fields=[VillagerGroup.station, VillagerGroup.number,
                                          VillagerGroup.name]).execute()
        return list(VillagerGroup.select().where(VillagerGroup.station == station.id)
                    .order_by(VillagerGroup.number))

    def _cadres(self, station: Station, groups: list[VillagerGroup],
                admin_login: str | None) -> list[Cadre]:
        """The station head first, then duty cadres; each looks after one group."""
        rng = self.rng
        cadres = []
        for n in range(rng.randint(7, 9)):
            male = rng.random() < 0.6
            name = self._unique_name(rng.choice(self.surnames[:40]), male,
                                     self.today.year - rng.randint(28, 52))
            login = admin_login if n == 0 else f"cadre{n + 1}"
            if n > 0 and login == admin_login:
                login = f"cadre{n + 1}-demo"
            cadres.append(Cadre.create(station=station, name=name, login=login,
                                       phone=self._phone(), role="admin" if n == 0 else "duty",
                                       group=groups[n % len(groups)]))
        return cadres

    def _catalogue(self, station: Station, admin: Cadre) -> list[ServiceItem]:
        """The standard catalogue, as `install_standard_catalogue` writes it."""
        fields = [ServiceItem.station, ServiceItem.category, ServiceItem.name,
                  ServiceItem.default_mode, ServiceItem.time_limit_days,
                  ServiceItem.materials, ServiceItem.search_keys]
        ServiceItem.insert_many(
            [(station.id, cat, name, mode, days, materials, item_keys(name))
             for cat, name, mode, days, materials in STANDARD_CATALOGUE],
            fields=fields).execute()
        Event.create(entity="station", entity_id=station.id, action="catalogue",
                     actor=admin, at=self.registered_at,
                     detail=dict(items=len(STANDARD_CATALOGUE)))
        return list(ServiceItem.select().where(ServiceItem.station == station.id)
                    .order_by(ServiceItem.id))

    # ---- people ----

    def _surname(self) -> str:
        rng = self.rng
        return self.surnames[bisect(self.surname_cum, rng.random() * self.surname_cum[-1])]

    def _given(self, male: bool, born: int) -> str:
        rng = self.rng
        era = "old" if born < 1965 else "mid" if born < 1992 else "young"
        whole = GIVEN_NAMES[era][0 if male else 1]
        first, second = NAME_CHARS[0 if male else 1]
        roll = rng.random()
        if roll < 0.55:
            return rng.choice(whole)
        if roll < 0.7:
            return rng.choice(second)
        return rng.choice(first) + rng.choice(second)

    def _unique_name(self, surname: str, male: bool, born: int) -> str:
        # Namesakes are real, but the few names tests look for stay unique.
        while True:
            name = surname + self._given(male, born)
            if name not in self.reserved_names:
                return name

    def _person(self, relation: str, male: bool, age: int, surname: str,
                name: str | None = None, home: bool = True) -> dict:
        rng = self.rng
        age = max(0, min(age, 96))
        born = self.today - dt.timedelta(days=age * 365 + age // 4 + rng.randint(0, 364))
        born = min(born, self.today)
        name = name or self._unique_name(surname, male, born.year)
        area = HOME_AREA if home or rng.random() < 0.4 else rng.choice(NEARBY_AREAS)
        return dict(name=name, relation=relation, male=male, born=born,
                    id_number=self._id_number(area, born, male),
                    phone=ZHANG_SAN_PHONE if name == "张三" else self._phone_for(age),
                    surname=surname)

    def _id_number(self, area: str, born: dt.date, male: bool) -> str:
        rng = self.rng
        while True:
            sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
            if sequence == 0:
                continue
            first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_char(first17)
            # Last digits "1234" would crowd 张三 out of a four-digit phone lookup.
            if number not in self.id_numbers and not number.endswith("1234"):
                self.id_numbers.add(number)
                return number

    def _phone_for(self, age: int) -> str:
        chance = (0.0 if age < 14 else 0.4 if age < 18 else 0.93 if age < 70
                  else 0.6 if age < 80 else 0.3)
        return self._phone() if self.rng.random() < chance else ""

    def _phone(self) -> str:
        rng = self.rng
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            if (phone not in self.phones and not phone.endswith("1234")
                    and not phone.startswith("1381234")):
                self.phones.add(phone)
                return phone

    def _family(self, head_name: str | None = None, head_male: bool | None = None,
                head_age: int | None = None, surname: str | None = None,
                spouse_name: str | None = None) -> list[dict]:
        """One household: the head, usually a spouse, children, sometimes the head's
        parents, and grandchildren left with their grandparents (留守儿童)."""
        rng = self.rng
        male = rng.random() < 0.88 if head_male is None else head_male
        age = head_age or min(int(rng.triangular(26, 84, 52)), 84)
        surname = surname or self._surname()
        members = [self._person("户主", male, age, surname, head_name)]
        if spouse_name or rng.random() < (0.87 if age < 70 else 0.62):
            spouse_age = age + (rng.randint(-5, 1) if male else rng.randint(-1, 5))
            members.append(self._person("配偶", not male, spouse_age, self._surname(),
                                        spouse_name, home=False))
        if age < 46:
            children = rng.choices((0, 1, 2, 3), (1, 4, 5, 1))[0]
            child_ages = (rng.randint(0, max(0, age - 22)) for _ in range(children))
        elif age < 66:
            children = rng.choices((0, 1, 2), (3, 5, 2))[0]
            child_ages = (rng.randint(max(0, age - 36), age - 22) for _ in range(children))
        else:
            children = rng.choices((0, 1), (3, 2))[0]
            child_ages = (rng.randint(age - 34, age - 24) for _ in range(children))
        for child_age in child_ages:
            son = rng.random() < 0.52
            members.append(self._person("子" if son else "女", son, child_age, surname))
        if age < 52 and rng.random() < 0.35:
            parent_age = age + rng.randint(23, 32)
            if parent_age <= 92 and rng.random() < 0.7:
                members.append(self._person("父亲", True, parent_age, surname))
            if parent_age <= 94:
                members.append(self._person("母亲", False, parent_age - rng.randint(0, 4),
                                            self._surname(), home=False))
        if age >= 50 and rng.random() < 0.4:
            for _ in range(rng.choice((1, 1, 2))):
                boy = rng.random() < 0.52
                members.append(self._person("孙子" if boy else "孙女", boy,
                                            rng.randint(2, min(16, age - 44)), surname))
        return members

    def _households(self, groups: list[VillagerGroup]) -> list[dict]:
        """Households with their members, numbered f"{group:02d}{seq:03d}"."""
        rng = self.rng
        specials = [  # (group number, family)
            (3, self._family("张三", True, 46, "张")),
            (5, self._family("张顺", True, 58, "张")),
            (2, self._family("张松", True, 39, "张")),
            (7, self._family("张帅", True, 33, "张")),
            (8, self._family("张爽", False, 62, "张")),
            (4, self._family("[red]王[/red]", True, 51, "王")),
            (6, self._family(None, True, 44, None, spouse_name="[/bar]")),
        ]
        target = self.spec["residents"] - sum(len(f) for _, f in specials)
        weights = [rng.uniform(0.7, 1.3) for _ in groups]
        by_group: dict[int, list[list[dict]]] = {g.number: [] for g in groups}
        people = 0
        while people < target:
            family = self._family()[:target - people]
            people += len(family)
            by_group[rng.choices(groups, weights)[0].number].append(family)
        for number, family in specials:
            number = min(number, len(groups))
            by_group[number].insert(rng.randint(0, len(by_group[number])), family)

        households = []
        for group in groups:
            seq = 0
            for family in by_group[group.number]:
                seq += 1
                number = f"{group.number:02d}{seq:03d}"
                if number.startswith("1234"):  # would crowd a "1234" phone lookup
                    seq += 10
                    number = f"{group.number:02d}{seq:03d}"
                households.append(dict(group=group, number=number, members=family,
                                       address=f"{group.name} {seq}号"))
                for person in family:
                    person["group"] = group
        return households

    def _keys(self, person: dict, household_number: str) -> list[str]:
        resident = Resident(name=person["name"], phone=person["phone"],
                            id_number=person["id_number"], pinyin_override="")
        keys = resident_keys(resident, household_number)
        person["pinyin"] = resident.pinyin
        return keys

    def _insert_households(self, households: list[dict]) -> None:
        self._insert(Household, [Household.group, Household.number, Household.address],
                     [(h["group"].id, h["number"], h["address"]) for h in households],
                     "写入农户")
        ids = dict(Household.select(Household.number, Household.id).tuples())
        for household in households:
            for person in household["members"]:
                person["household_id"] = ids[household["number"]]

    def _insert_residents(self, residents: list[dict]) -> list[int]:
        rng = self.rng
        fields = [Resident.household, Resident.name, Resident.gender, Resident.id_number,
                  Resident.phone, Resident.pinyin, Resident.relation, Resident.created_at,
                  Resident.updated_at]
        rows = []
        for person in residents:
            at = self.registered_at + dt.timedelta(minutes=rng.randint(0, 30 * 24 * 60))
            rows.append((person["household_id"], person["name"],
                         "男" if person["male"] else "女", person["id_number"],
                         person["phone"], person["pinyin"], person["relation"], at, at))
        self._insert(Resident, fields, rows, "写入村民")
        ids = dict(Resident.select(Resident.id_number, Resident.id).tuples())
        return [ids[person["id_number"]] for person in residents]

    # ---- errands ----

    def _errands(self, residents: list[dict], items: list[ServiceItem],
                 cadres: list[Cadre]) -> list[dict]:
        """All errands, in intake order, numbered per year."""
        rng = self.rng
        count = self.spec["errands"]
        days = [self.start + dt.timedelta(days=n) for n in range(HISTORY_DAYS + 1)]
        day_weights = [(1.0, 1.0, 1.0, 1.0, 1.0, 0.45, 0.35)[d.weekday()] for d in days]
        item_weights = [ITEM_DEMAND.get(item.name, 1) for item in items]
        adults = [i for i, r in enumerate(residents)
                  if (self.today - r["born"]).days >= 18 * 365]
        self.due_cache: dict[tuple[int, dt.date], dt.date] = {}
        self.owner_of = {c.group_id: c for c in cadres if c.group_id}

        errands = []
        for day, item in zip(rng.choices(days, day_weights, k=count),
                             rng.choices(items, item_weights, k=count)):
            pick = rng.choice(adults) if rng.random() < 0.92 else rng.randrange(len(residents))
            errands.append(self._errand(residents[pick], pick, item, day, cadres))
        self._showcase(errands, residents, items, cadres)
        self._every_status(errands)

        errands.sort(key=lambda e: e["created"])
        seq: dict[int, int] = {}
        for errand in errands:
            year = errand["created"].year
            seq[year] = seq.get(year, 0) + 1
            errand["seq"] = seq[year]
            errand["number"] = f"{year}-{seq[year]:06d}"
        return errands

    def _due(self, item: ServiceItem, day: dt.date) -> dt.date:
        key = (item.id, day)
        if key not in self.due_cache:
            self.due_cache[key] = due_date_for(item, day)
        return self.due_cache[key]

    def _errand(self, person: dict, index: int, item: ServiceItem, day: dt.date,
                cadres: list[Cadre], mode: str | None = None,
                status: str | None = None) -> dict:
        rng = self.rng
        hour = rng.choices(range(7, 22), (1, 5, 9, 10, 9, 5, 6, 8, 8, 6, 3, 2, 1, 1, 1))[0]
        created = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59),
                                                   rng.randint(0, 59)))
        if mode is None:
            mode = (item.default_mode if rng.random() < 0.8
                    else rng.choice([m for m in MODES if m != item.default_mode]))
        owner = self.owner_of.get(person["group"].id)
        if owner is None or rng.random() < 0.4:
            owner = rng.choice(cadres)
        on_duty = cadres[day.toordinal() % len(cadres)]
        errand = dict(resident=index, item=item, mode=mode, created=created,
                      owner=owner, created_by=on_duty if rng.random() < 0.75 else owner,
                      due=self._due(item, day))
        self._settle(errand, status)
        return errand

    def _settle(self, errand: dict, status: str | None = None) -> None:
        """Status, closing and last-change times, and materials, for the errand's age
        (or for the given status)."""
        rng = self.rng
        created, mode, limit = errand["created"], errand["mode"], errand["item"].time_limit_days
        age = (self.today - created.date()).days
        end_of_today = dt.datetime.combine(self.today, dt.time(23, 59, 59))

        def after(days: int) -> dt.datetime:
            """A moment `days` days after intake (the same day: a little later)."""
            days = min(days, age)
            if days <= 0:
                moment = created + dt.timedelta(minutes=rng.randint(10, 50))
            else:
                moment = dt.datetime.combine(created.date() + dt.timedelta(days=days),
                                             dt.time(rng.randint(8, 17), rng.randint(0, 59)))
            return max(created, min(moment, end_of_today))

        if mode == "on_the_spot":
            takes = 0 if rng.random() < 0.85 else rng.randint(1, 2)
        else:
            takes = max(1, round(limit * 1.4 * rng.uniform(0.5, 1.15))) + rng.randint(0, 2)
        if status is None:
            roll = rng.random()
            stuck = rng.random() < (0.06 if age < 60 else 0.002)
            if roll < 0.025:
                status = "cancelled"
            elif roll < 0.055:
                status = "returned"
            elif age >= takes and not stuck:
                late = age >= takes + 10 or (age >= takes + 1 and rng.random() < 0.4)
                status = "called_back" if late and rng.random() < 0.8 else "delivered"
            else:
                path = OPEN_PATHS[mode]
                done = rng.random() if stuck else age / max(takes, 1)
                step = min(len(path) - 1, int(done * len(path)))
                status = path[step]
                if mode in ("carried", "accompanied") and step <= 1 and rng.random() < 0.2:
                    status = "waiting_villager"

        closed = None
        if status == "registered":
            updated = created
        elif status in OPEN_STATUSES:
            updated = after(rng.randint(0, max(0, min(age, takes - 1))) if age < takes
                            else rng.randint(0, age))
        elif status in ("delivered", "called_back"):
            closed = updated = after(takes)
            if status == "called_back":
                updated = max(closed, after(takes + rng.randint(1, 10)))
        elif status == "returned":
            closed = updated = after(rng.randint(1, max(1, takes)))
        else:  # cancelled
            closed = updated = after(rng.randint(0, min(5, takes)))
        errand.update(status=status, closed=closed, updated=updated,
                      satisfaction=rng.choice(SATISFACTION) if status == "called_back"
                      else "")

        materials = []
        for name in errand["item"].materials:
            received = rng.random() < 0.95
            held = (received and mode in ("carried", "accompanied")
                    and any(word in name for word in ("原件", "证", "户口簿"))
                    and rng.random() < 0.35)
            materials.append((name, received, held))
        if status == "waiting_villager" and materials:
            name, _, _ = materials[-1]
            materials[-1] = (name, False, False)  # what the villager still has to bring
        errand["materials"] = materials

    def _showcase(self, errands: list[dict], residents: list[dict],
                  items: list[ServiceItem], cadres: list[Cadre]) -> None:
        """张三's errands in every mode, and a few due today."""
        by_name = {item.name: item for item in items}
        who = {r["name"]: i for i, r in enumerate(residents)}
        zhang = who["张三"]
        today = self.today
        cases = [  # (resident, item, mode, status, intake date or None for "due today")
            (zhang, "新农合医疗费用报销", "carried", "in_progress", None),
            (zhang, "村委会证明开具", "on_the_spot", "delivered", today - dt.timedelta(days=20)),
            (zhang, "身份证换领补领", "accompanied", "appointment_set",
             today - dt.timedelta(days=35)),
            (zhang, "种植养殖保险投保", "mobile", "called_back", today - dt.timedelta(days=60)),
            (who["张顺"], "临时救助申请", "carried", "submitted", None),
            (who["张爽"], "高龄津贴申领", "carried", "registered", None),
        ]
        for index, item_name, mode, status, day in cases:
            item = by_name.get(item_name) or items[0]
            day = day or self._intake_due_today(item) or today
            if day < self.start:
                day = self.start
            errands.append(self._errand(residents[index], index, item, day, cadres,
                                        mode, status))

    def _intake_due_today(self, item: ServiceItem) -> dt.date | None:
        for back in range(0, 60):
            day = self.today - dt.timedelta(days=back)
            if self._due(item, day) == self.today:
                return day
        return None

    def _every_status(self, errands: list[dict]) -> None:
        """Every status a few times, even in the small demo: recent finished errands
        of a fitting mode take the missing ones."""
        rng = self.rng
        least = 3
        for status in STATUSES:
            missing = least - sum(e["status"] == status for e in errands)
            if missing <= 0:
                continue
            modes = STATUS_MODES.get(status, MODES)
            finished = [e for e in errands if e["status"] in ("delivered", "called_back")]
            donors = [e for e in finished if e["mode"] in modes]
            if len(donors) < missing:
                donors = finished
            donors.sort(key=lambda e: e["created"], reverse=True)
            for donor in rng.sample(donors[:max(missing * 4, 20)], missing):
                if donor["mode"] not in modes:
                    donor["mode"] = modes[0]
                self._settle(donor, status)

    def _insert_errands(self, errands: list[dict], resident_ids: list[int]) -> None:
        station_id = errands[0]["item"].station_id if errands else None
        fields = [Errand.number, Errand.station, Errand.resident, Errand.item, Errand.mode,
                  Errand.status, Errand.owner, Errand.created_by, Errand.created_at,
                  Errand.due_date, Errand.closed_at, Errand.updated_at, Errand.paused_since,
                  Errand.delivered_at, Errand.callback_due, Errand.satisfaction,
                  Errand.flagged]
        self._insert(Errand, fields, (
            (e["number"], station_id, resident_ids[e["resident"]], e["item"].id, e["mode"],
             e["status"], e["owner"].id, e["created_by"].id, e["created"], e["due"],
             e["closed"], e["updated"], *self._lifecycle_columns(e))
            for e in errands), "写入代办事项")
        ids = dict(Errand.select(Errand.number, Errand.id).tuples())

        # originals: the owner holds them while the errand is open; they went back
        # to the villager when it closed
        self._insert(ErrandMaterial, [ErrandMaterial.errand, ErrandMaterial.name,
                                      ErrandMaterial.received, ErrandMaterial.original,
                                      ErrandMaterial.holder, ErrandMaterial.returned_at],
                     ((ids[e["number"]], name, received, held,
                       e["owner"].id if held and not e["closed"] else None,
                       e["closed"] if held else None)
                      for e in errands for name, received, held in e["materials"]),
                     "写入材料")
        self._insert(Event, [Event.entity, Event.entity_id, Event.action, Event.actor,
                             Event.at, Event.detail], self._events(errands, ids),
                     "写入办理记录")

    def _lifecycle_columns(self, e: dict) -> tuple:
        """paused_since, delivered_at, callback_due, satisfaction, flagged — as
        models.errands.lifecycle would have left them."""
        status = e["status"]
        paused = e["updated"].date() if status == "waiting_villager" else None
        delivered = e["closed"] if status in ("delivered", "called_back") else None
        callback_due = (delivered.date() + dt.timedelta(days=3)
                        if status == "delivered" else None)
        return (paused, delivered, callback_due, e["satisfaction"],
                e["satisfaction"] == "不满意")

    def _events(self, errands: list[dict], ids: dict[str, int]) -> Iterator[tuple]:
        """Each errand's intake, shaped as `register_errand` records it, and for
        errands that moved on, the status change that took them where they are."""
        rng = self.rng
        for e in errands:
            errand_id = ids[e["number"]]
            yield ("errand", errand_id, "create", e["created_by"].id, e["created"],
                   dict(number=e["number"], mode=e["mode"], item=e["item"].name,
                        received=[n for n, received, _ in e["materials"] if received]))
            if e["status"] == "registered":
                continue
            detail: dict = dict(changes=dict(status=["registered", e["status"]]))
            if e["status"] == "called_back":
                detail["satisfaction"] = e["satisfaction"]
            elif e["status"] == "returned":
                detail["reason"] = rng.choice(RETURN_REASONS)
            elif e["status"] == "cancelled":
                detail["reason"] = rng.choice(CANCEL_REASONS)
            yield ("errand", errand_id, "status", e["owner"].id, e["updated"], detail)


def _max_variables() -> int:
    """Bound parameters one statement may carry."""
    if not is_sqlite():
        return 65_535
    return 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999

