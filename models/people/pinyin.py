"""Pinyin search keys for people's names and catalogue text.

Keys are computed when a record is saved, so a cadre can find 单田芳 by typing
"shantianfang", "stf" or the given name alone, "tianfang".  pypinyin is imported
lazily (it costs start-up time) and only its single-character readings are used;
surnames get their own table because surname readings often differ from the
everyday reading of the character (单 is "shan" as a surname, never "dan"), and
characters read differently in names than pypinyin's default (长乐 is "chang le")
get another.  A name is read once (`name_index`): its first reading is the one
shown, and every reading gives keys.  Traditional characters of those tables are
read as their simplified forms (單 is "shan" too).
"""

from __future__ import annotations

import os
import re
import unicodedata

MAX_READINGS = 8

# Checked longest first; a leading match is always taken as the surname.
COMPOUND_SURNAMES = frozenset("""
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 长孙 慕容 令狐 宇文 司徒 司空
    夏侯 轩辕 独孤 南宫 万俟 端木 闻人 澹台 公冶 呼延 赫连 钟离 太史 申屠
    濮阳 淳于 单于 鲜于 拓跋 百里 东郭 西门 第五 左丘 梁丘 宗政 乐正 谷梁
    仲孙 叔孙 亓官 子车 巫马 公西 漆雕 壤驷 公良 段干 羊舌 微生 公羊 东门
    南门 归海 即墨 完颜 爱新觉罗
""".split())

# Surname readings, preferred first.  Covers surnames whose reading differs
# from pypinyin's default, surnames with more than one real reading, and a few
# common ones pinned so a pypinyin data change cannot move them.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",),
    "区": ("ou",), "查": ("zha",), "朴": ("piao",), "覃": ("qin", "tan"),
    "缪": ("miao",), "秘": ("bi",), "种": ("chong",), "盖": ("ge", "gai"),
    "燕": ("yan",), "乐": ("yue", "le"), "召": ("shao",), "员": ("yun",),
    "谌": ("chen",), "隗": ("wei", "kui"), "厍": ("she",), "宓": ("mi", "fu"),
    "过": ("guo",), "繁": ("po",), "尉": ("wei", "yu"), "折": ("she",),
    "能": ("nai",), "黑": ("he", "hei"), "句": ("gou",), "华": ("hua",),
    "任": ("ren",), "沈": ("shen",), "柏": ("bai",), "薄": ("bo",),
    "卜": ("bu",), "郇": ("huan",), "纪": ("ji",), "翟": ("zhai", "di"),
    "祭": ("zhai",), "眭": ("sui",), "撒": ("sa",), "阚": ("kan",),
    "那": ("na",), "宁": ("ning",), "都": ("du",), "重": ("chong",),
    "行": ("xing", "hang"), "洗": ("xian",), "冼": ("xian",), "角": ("jue",),
    "莘": ("shen", "xin"), "乜": ("nie",), "藏": ("zang",), "粘": ("nian",),
    "佴": ("nai",), "番": ("pan", "po"), "便": ("pian",), "炅": ("gui", "jiong"),
    "长孙": ("zhang sun",), "尉迟": ("yu chi",), "万俟": ("mo qi",),
    "澹台": ("tan tai",), "令狐": ("ling hu",), "单于": ("chan yu",),
    "乐正": ("yue zheng",), "子车": ("zi ju",),
}

# Traditional forms of the characters in the tables above and below, so that 單,
# 區, 樂, 員 … are read as 单, 区, 乐, 员 are.  (pypinyin reads other traditional
# characters as their simplified forms by itself.)
SIMPLIFIED = str.maketrans(
    "單區樂員種蓋過華紀闞寧長孫遲萬臺車樸繆諶厙歐陽馬諸東軒轅獨宮聞連鍾離鮮門穀駟歸顏愛覺羅"
    "傳還參會",
    "单区乐员种盖过华纪阚宁长孙迟万台车朴缪谌厍欧阳马诸东轩辕独宫闻连钟离鲜门谷驷归颜爱觉罗"
    "传还参会",
)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(f"[{_HAN}]+|[a-z0-9]+")
_IS_HAN = re.compile(f"[{_HAN}]")
_UMLAUT = re.compile(r"([ln])v(e?)")  # lü, nü, lüe, nüe as stored
# Rich/Textual console markup such as [red], [/red], [/], [b], [@click=...].
_MARKUP = re.compile(r"\[/?(?:[a-z@#][^\[\]]*)?\]", re.IGNORECASE)
# Characters read more than one way in given names: the reading in a name first
# (长乐 is "chang le", 重阳 "chong yang", 汪曾祺 "wang zeng qi", where pypinyin
# reads zhang, zhong, ceng), then the others, which are keys too.
GIVEN_NAME_READINGS: dict[str, tuple[str, ...]] = {
    "乐": ("le", "yue"), "长": ("chang", "zhang"), "朝": ("chao", "zhao"),
    "重": ("chong", "zhong"), "行": ("xing", "hang"), "觉": ("jue", "jiao"),
    "茜": ("qian", "xi"), "柏": ("bai", "bo"), "蔚": ("wei", "yu"),
    "传": ("chuan", "zhuan"), "还": ("huan", "hai"), "藏": ("cang", "zang"),
    "盛": ("sheng", "cheng"), "晟": ("sheng", "cheng"), "参": ("can", "shen"),
    "莘": ("shen", "xin"), "单": ("dan", "shan"), "解": ("jie", "xie"),
    "曾": ("zeng", "ceng"), "会": ("hui", "kuai"), "省": ("sheng", "xing"),
    "正": ("zheng",), "阿": ("a", "e"), "降": ("jiang", "xiang"), "艾": ("ai", "yi"),
}

# Transliterated minority names (阿依古丽·买买提) have no Chinese surname.
_NAME_DOTS = set("·•‧・.．")

Reading = list[str]


def _pypinyin():
    # Without the phrase dictionary the import is ~3x faster and uses far less
    # memory; names are read per character anyway.  Process-wide setting.
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin

    return pypinyin


def _ascii(syllable: str) -> str:
    """Lowercase ASCII pinyin: ü -> v, tone marks and ê hats removed."""
    text = unicodedata.normalize("NFC", syllable.lower()).replace("ü", "v").replace("u:", "v")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isascii() and c.isalnum())


def _tokens(text: str) -> list[str]:
    """Han runs and lowercase Latin/digit runs; markup and punctuation dropped."""
    text = _MARKUP.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return _TOKEN.findall(text.lower())


def _han_options(run: str) -> list[list[str]]:
    """Per character: its reading in a name (the table's first, else pypinyin's
    default), then the other readings that character really has in names.
    (pypinyin's full heteronym lists hold rare readings — 俊 shun, dun — that
    would make "zs" find 周俊.)"""
    pp = _pypinyin()
    result = pp.pinyin(run, style=pp.Style.NORMAL)
    if len(result) != len(run):  # unknown characters get grouped; go one by one
        result = [pp.pinyin(c, style=pp.Style.NORMAL)[0] for c in run]
    options = []
    for char, (default,) in zip(run, result):
        readings = [*GIVEN_NAME_READINGS.get(char, ()), _ascii(default) or default]
        options.append(list(dict.fromkeys(readings)))
    return options


def _units(tokens: list[str]) -> list[list[str]]:
    """One option list per syllable: Han characters and whole Latin tokens."""
    units: list[list[str]] = []
    for token in tokens:
        if _IS_HAN.match(token):
            units.extend(_han_options(token))
        else:
            units.append([token])
    return units


def _surname_splits(first_run: str) -> list[str]:
    """Possible surnames at the start of a Han run, preferred first."""
    for length in (4, 2):
        if first_run[:length] in COMPOUND_SURNAMES:
            # 单于明 may also be 单 + 于明, so keep the single-character split too.
            return [first_run[:length], first_run[0]]
    return [first_run[0]]


def _override_reading(override: str | None) -> Reading:
    return [s for s in map(_ascii, re.split(r"[\s'’‘`]+", override or "")) if s]


def _read(tokens: list[str], name: str, override: str | None) -> list[tuple[Reading, int]]:
    """Plausible readings of a personal name, each with how many of its first
    syllables are the surname (0: the cadre's override, or a name without one)."""
    readings: list[tuple[Reading, int]] = []

    def add(reading: Reading, surname_length: int) -> None:
        if (reading and all(reading != r for r, _ in readings)
                and len(readings) < MAX_READINGS):
            readings.append((reading, surname_length))

    add(_override_reading(override), 0)
    tokens = [token.translate(SIMPLIFIED) for token in tokens]
    if not tokens:
        return readings

    # (surname readings, given-name units) per way of splitting the name.
    splits: list[tuple[list[Reading], list[list[str]]]] = []
    if _IS_HAN.match(tokens[0]) and not _NAME_DOTS & set(name):
        for surname in _surname_splits(tokens[0]):
            if surname in SURNAME_READINGS:
                surname_readings = [r.split() for r in SURNAME_READINGS[surname]]
            else:
                surname_readings = [[u[0] for u in _han_options(surname)]]
            rest = [tokens[0][len(surname):], *tokens[1:]]
            splits.append((surname_readings, _units([t for t in rest if t])))
    else:
        splits.append(([[]], _units(tokens)))

    for surname_readings, units in splits:
        for surname_reading in surname_readings:
            add(surname_reading + [u[0] for u in units], len(surname_reading))

    # Other readings of polyphonic given-name characters, one at a time.
    surname_readings, units = splits[0]
    defaults = [u[0] for u in units]
    for i, unit in enumerate(units):
        for alternative in unit[1:]:
            add(surname_readings[0] + defaults[:i] + [alternative] + defaults[i + 1:],
                len(surname_readings[0]))
    return readings


def name_readings(name: str, override: str | None = None) -> list[Reading]:
    """Plausible readings of a personal name, each a list of syllables; the
    first is the one shown.

    The override (as typed by a cadre, e.g. "shan tianfang") comes first.
    """
    return [reading for reading, _ in _read(_tokens(name), name, override)]


def _spellings(reading: Reading) -> list[str]:
    """The reading run together, ü as cadres type it: v (as stored), u (most
    keyboards), yu (passports) — in the syllables of ü only (lü, nü, lüe, nüe),
    so a Latin name keeps its v."""
    return list(dict.fromkeys(
        "".join(_UMLAUT.sub(rf"\g<1>{u}\g<2>", s) if _UMLAUT.fullmatch(s) else s
                for s in reading)
        for u in ("v", "u", "yu")))


def _keys(readings: list[Reading], text: str) -> list[str]:
    keys: list[str] = []
    for reading in readings:
        keys += _spellings(reading)
        keys.append("".join(s[0] for s in reading))
    plain = (text or "").strip().lower()
    keys += [plain, re.sub(r"\s+", "", plain)]
    return [k for k in dict.fromkeys(keys) if k]


def name_index(name: str, override: str | None = None) -> tuple[str, list[str]]:
    """The reading shown for a name (spaced syllables, e.g. "shan tian fang") and
    its deduplicated lowercase index keys — full pinyin, initials, the name, the
    given name alone — from one reading of the name: the shown reading is the
    first key."""
    tokens = _tokens(name)
    read = _read(tokens, name, override)
    keys = _keys([reading for reading, _ in read], name)
    written = "".join(tokens)
    for reading, surname_length in read:
        if surname_length:
            keys += [*_spellings(reading[surname_length:]), written[surname_length:]]
    return (" ".join(read[0][0]) if read else "",
            [k for k in dict.fromkeys(keys) if k])


def search_keys(name: str, override: str | None = None) -> list[str]:
    """Deduplicated lowercase index keys: full pinyin, initials, the name."""
    return name_index(name, override)[1]


def text_keys(text: str) -> list[str]:
    """Keys for non-person text (catalogue items): pypinyin defaults only."""
    tokens = _tokens(text)
    reading: Reading = []
    if tokens:
        pp = _pypinyin()
        for token in tokens:
            if _IS_HAN.match(token):
                reading += [_ascii(s) or s for s in pp.lazy_pinyin(token, style=pp.Style.NORMAL)]
            else:
                reading.append(token)
    return _keys([reading] if reading else [], text)


def display_pinyin(name: str, override: str | None = None) -> str:
    """The reading shown for a name, as spaced syllables, e.g. "shan tian fang"."""
    return name_index(name, override)[0]
