"""Made-up people: names by the era they were born in, ID numbers and mobile
numbers, each unique in the village."""
from __future__ import annotations

import datetime as dt
from bisect import bisect
from itertools import accumulate

from models.core.validation import id_check_char

from .context import Demo

ZHANG_SAN_PHONE = "13812341234"  # "zs", "zhangsan", "1381234" and "1234" find him
ZS_NAMES = ("张顺", "张松", "张帅", "张爽")
MARKUP_NAMES = ("[red]王[/red]", "[/bar]")

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

HOME_AREA = "621122"  # 甘肃省定西市陇西县
NEARBY_AREAS = ("621102", "621121", "621123", "621124", "621125", "621126")  # 定西 others
MOBILE_PREFIXES = tuple("130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 "
                        "157 158 159 166 173 177 178 180 181 182 183 185 186 187 188 189 "
                        "191 198 199".split())


class People:
    """Makes up people for one build, cadres and residents alike, and remembers
    the phone and ID numbers handed out so that none comes twice."""

    def __init__(self, demo: Demo):
        self.rng = demo.rng
        self.today = demo.today
        self.surnames = [s for s, _ in SURNAMES]
        self.surname_cum = list(accumulate(w for _, w in SURNAMES))
        self.phones: set[str] = {ZHANG_SAN_PHONE}
        self.id_numbers: set[str] = set()
        self.reserved_names = {"张三", *ZS_NAMES, *MARKUP_NAMES}

    def surname(self) -> str:
        """A surname, as often as it is found in the county."""
        rng = self.rng
        return self.surnames[bisect(self.surname_cum, rng.random() * self.surname_cum[-1])]

    def unique_name(self, surname: str, male: bool, born: int) -> str:
        # Namesakes are real, but the few names tests look for stay unique.
        while True:
            name = surname + self._given(male, born)
            if name not in self.reserved_names:
                return name

    def person(self, relation: str, male: bool, age: int, surname: str,
               name: str | None = None, home: bool = True) -> dict:
        """A resident not yet in a household; `home`: born in this county."""
        rng = self.rng
        age = max(0, min(age, 96))
        born = self.today - dt.timedelta(days=age * 365 + age // 4 + rng.randint(0, 364))
        born = min(born, self.today)
        name = name or self.unique_name(surname, male, born.year)
        area = HOME_AREA if home or rng.random() < 0.4 else rng.choice(NEARBY_AREAS)
        return dict(name=name, relation=relation, male=male, born=born,
                    id_number=self._id_number(area, born, male),
                    phone=ZHANG_SAN_PHONE if name == "张三" else self._phone_for(age),
                    surname=surname)

    def phone(self) -> str:
        rng = self.rng
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"
            if (phone not in self.phones and not phone.endswith("1234")
                    and not phone.startswith("1381234")):
                self.phones.add(phone)
                return phone

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
        return self.phone() if self.rng.random() < chance else ""
