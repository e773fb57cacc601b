"""The station itself: its shifts, villager groups, cadres and service catalogue."""
from __future__ import annotations

import datetime as dt

from models.core.entities import Cadre, Event, GroupCoverage, Station, VillagerGroup
from models.errands.catalogue import STANDARD_CATALOGUE, item_keys, standard_item_rows
from models.errands.entities import ServiceItem
from models.public.entities import Policy, Publication
from models.station.setup import group_name, install_default_shifts

from .context import Demo
from .people import People

STATION_NAME = "红旗村便民服务站"
# the other villages of a demo township (`kiosk demo --size township`), in order
TOWNSHIP_VILLAGES = tuple("""
东风 向阳 光明 胜利 新华 团结 前进 和平 建设 幸福 金星 红星 丰收 长青 永丰
太平 兴隆 石门 柳树 杨庄 李家湾 王家沟 张家坪 马营 高庙 河西 梨园 双泉 三合 五里铺
石桥 花园 黄土坡 青龙 白马 新庄 南湾 北岭 中和 大河
""".split())
TOWNSHIP = "城关镇"


def village_station(village: str) -> str:
    return f"{village}村便民服务站"
DUTY_PHONE = "0791-8321 2345"
OPENING_HOURS = "每天 8:00–18:00（夜间请拨值班电话）"
# (title, who qualifies, what to bring, where to apply, amount or standard, household tag)
POLICIES = [
    ("农村低保金", "家庭人均收入低于当地低保标准、财产符合规定的农户",
     "身份证、户口簿、收入情况说明", "村便民服务站代办，乡镇民政办审核", "每人每月 520 元（差额补足）",
     "dibao"),
    ("特困人员救助供养", "无劳动能力、无生活来源、无赡养抚养扶养义务人的老人、残疾人和未成年人",
     "身份证、户口簿、残疾证（如有）", "村便民服务站代办", "基本生活费每人每月 700 元", "tekun"),
    ("耕地地力保护补贴", "承包耕地并种植的农户", "身份证、一卡通存折、土地承包经营权证",
     "村便民服务站登记面积", "每亩 105 元，打入一卡通", ""),
    ("城乡居民基本医疗保险", "未参加职工医保的城乡居民", "身份证或户口簿",
     "村便民服务站代缴", "个人缴费每年 400 元，住院报销 50%–80%", ""),
    ("残疾人两项补贴", "持第二代残疾人证的困难残疾人、一至二级重度残疾人",
     "身份证、残疾人证、户口簿", "村便民服务站代办，乡镇残联审核", "每人每月 90 元", "disabled"),
    ("高龄老人津贴", "年满 80 周岁的本村户籍老人", "身份证、户口簿",
     "村便民服务站代办", "80–89 岁每月 50 元，90 岁以上每月 100 元", "alone_elderly"),
    ("农村危房改造补助", "居住在危房中的低保户、特困户、残疾人家庭等困难农户",
     "身份证、户口簿、房屋照片", "村委会申请，乡镇评定", "每户 1.5 万至 3.5 万元", "hardship"),
]
# (days before today, title, decision, result)
PUBLICATIONS = [
    (150, "修建三组至五组通组公路", "村民代表会议表决通过：修建 2.3 公里水泥路，"
     "上级补助 60 万元，村集体自筹 8 万元", "已完工验收，决算 67.6 万元"),
    (90, "集体林地承包费分配", "村民会议决议：承包费 12 万元按人口平均分配到户",
     "已按 2,311 人每人 51.9 元发放到一卡通"),
    (40, "2026 年低保评议结果", "村民代表评议：新纳入 6 户，退出 3 户，名单张贴于村务公开栏", ""),
    (12, "村部便民服务站改造", "两委会商议、党员大会审议、村民代表会议决议："
     "改造服务大厅并加装大厅查询屏，预算 3.2 万元", ""),
]


def open_station(demo: Demo) -> Station:
    station = Station.create(name=STATION_NAME, township=TOWNSHIP, duty_phone=DUTY_PHONE,
                             opening_hours=OPENING_HOURS, created_at=demo.registered_at)
    install_default_shifts(station)
    return station


def add_groups(station: Station, count: int) -> list[VillagerGroup]:
    VillagerGroup.insert_many([(station.id, n, group_name(n)) for n in range(1, count + 1)],
                              fields=[VillagerGroup.station, VillagerGroup.number,
                                      VillagerGroup.name]).execute()
    return list(VillagerGroup.select().where(VillagerGroup.station == station.id)
                .order_by(VillagerGroup.number))


def add_cadres(demo: Demo, people: People, station: Station, groups: list[VillagerGroup],
               admin_login: str | None) -> list[Cadre]:
    """The station head first, then duty cadres; each looks after one group."""
    rng = demo.rng
    cadres = []
    for n in range(rng.randint(7, 9)):
        male = rng.random() < 0.6
        name = people.unique_name(rng.choice(people.surnames[:40]), male,
                                  demo.today.year - rng.randint(28, 52))
        login = admin_login if n == 0 else f"cadre{n + 1}"
        if n > 0 and login == admin_login:
            login = f"cadre{n + 1}-demo"
        cadres.append(Cadre.create(station=station, name=name, login=login,
                                   phone=people.phone(), role="admin" if n == 0 else "duty"))
    GroupCoverage.insert_many([dict(cadre=cadre, group=groups[n % len(groups)],
                                    since=demo.registered_at.date())
                               for n, cadre in enumerate(cadres)]).execute()
    return cadres


def add_catalogue(demo: Demo, station: Station, admin: Cadre) -> list[ServiceItem]:
    """The standard catalogue, as `install_standard_catalogue` writes it."""
    ServiceItem.insert_many(standard_item_rows(station.id)).execute()
    Event.create(entity="station", entity_id=station.id, action="catalogue",
                 actor=admin, at=demo.registered_at,
                 detail=dict(items=len(STANDARD_CATALOGUE)))
    return list(ServiceItem.select().where(ServiceItem.station == station.id)
                .order_by(ServiceItem.id))


def add_notices(demo: Demo, station: Station) -> None:
    """What the station tells every villager: policies and published decisions."""
    Policy.insert_many([dict(station=station, title=title, qualifies=qualifies, bring=bring,
                             apply_at=apply_at, amount=amount, tag=tag,
                             search_keys=item_keys(title))
                        for title, qualifies, bring, apply_at, amount, tag in POLICIES]).execute()
    Publication.insert_many([dict(station=station, title=title, decision=decision,
                                  result=result,
                                  decided_on=demo.today - dt.timedelta(days=days))
                             for days, title, decision, result in PUBLICATIONS]).execute()
