import subprocess
import sys
from pathlib import Path

import pytest

from models.people.pinyin import (
    COMPOUND_SURNAMES,
    MAX_READINGS,
    SURNAME_READINGS,
    display_pinyin,
    name_index,
    name_readings,
    search_keys,
    text_keys,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Surname -> (expected preferred reading, readings that must NOT be produced).
SINGLE_SURNAMES = {
    "单": ("shan", {"dan", "chan"}),
    "曾": ("zeng", {"ceng"}),
    "解": ("xie", {"jie"}),
    "仇": ("qiu", {"chou"}),
    "区": ("ou", {"qu"}),
    "查": ("zha", {"cha"}),
    "朴": ("piao", {"pu"}),
    "覃": ("qin", set()),
    "缪": ("miao", {"mou"}),
    "秘": ("bi", {"mi"}),
    "种": ("chong", {"zhong"}),
    "盖": ("ge", set()),
    "燕": ("yan", set()),
    "乐": ("yue", set()),
    "召": ("shao", {"zhao"}),
    "员": ("yun", {"yuan"}),
    "谌": ("chen", set()),
    "隗": ("wei", set()),
    "厍": ("she", set()),
    "宓": ("mi", set()),
    "过": ("guo", set()),
    "繁": ("po", {"fan"}),
    "尉": ("wei", set()),
    "折": ("she", {"zhe"}),
    "能": ("nai", {"neng"}),
    "黑": ("he", set()),
    "句": ("gou", {"ju"}),
    "华": ("hua", set()),
    "任": ("ren", {"lin"}),
    "沈": ("shen", {"chen"}),
    "柏": ("bai", set()),
    "薄": ("bo", {"bao"}),
    "卜": ("bu", {"bo"}),
    "郇": ("huan", set()),
    "纪": ("ji", set()),
    "翟": ("zhai", set()),
    "祭": ("zhai", {"ji"}),
    "眭": ("sui", set()),
    "撒": ("sa", set()),
    "阚": ("kan", {"han"}),
    "那": ("na", set()),
    "宁": ("ning", set()),
}

POLYPHONIC_SURNAMES = {
    "乐": {"yue", "le"},
    "翟": {"zhai", "di"},
    "尉": {"yu", "wei"},
    "覃": {"qin", "tan"},
    "盖": {"ge", "gai"},
}

COMPOUND_READINGS = {
    "欧阳": "ou yang", "司马": "si ma", "上官": "shang guan", "诸葛": "zhu ge",
    "东方": "dong fang", "皇甫": "huang fu", "尉迟": "yu chi", "公孙": "gong sun",
    "长孙": "zhang sun", "慕容": "mu rong", "令狐": "ling hu", "宇文": "yu wen",
    "司徒": "si tu", "夏侯": "xia hou", "轩辕": "xuan yuan", "独孤": "du gu",
    "南宫": "nan gong", "万俟": "mo qi", "端木": "duan mu", "闻人": "wen ren",
    "澹台": "tan tai", "公冶": "gong ye", "呼延": "hu yan", "赫连": "he lian",
    "钟离": "zhong li",
}


@pytest.mark.parametrize("surname", sorted(SINGLE_SURNAMES))
def test_single_surname_reading(surname):
    expected, forbidden = SINGLE_SURNAMES[surname]
    name = surname + "小明"
    readings = name_readings(name)
    assert readings[0] == [expected, "xiao", "ming"]
    assert display_pinyin(name) == f"{expected} xiao ming"
    surname_syllables = {r[0] for r in readings}
    assert not surname_syllables & forbidden
    keys = search_keys(name)
    assert expected + "xiaoming" in keys
    assert expected[0] + "xm" in keys


@pytest.mark.parametrize("surname", sorted(SINGLE_SURNAMES))
def test_single_surname_alone(surname):
    assert name_readings(surname)[0] == [SINGLE_SURNAMES[surname][0]]


@pytest.mark.parametrize("surname", sorted(POLYPHONIC_SURNAMES))
def test_polyphonic_surname_gives_every_reading(surname):
    readings = name_readings(surname + "嘉")
    assert {r[0] for r in readings} == POLYPHONIC_SURNAMES[surname]
    keys = search_keys(surname + "嘉")
    for reading in POLYPHONIC_SURNAMES[surname]:
        assert reading + "jia" in keys


@pytest.mark.parametrize("surname", sorted(COMPOUND_READINGS))
def test_compound_surname(surname):
    expected = COMPOUND_READINGS[surname].split()
    assert surname in COMPOUND_SURNAMES
    readings = name_readings(surname + "明")
    assert readings[0] == [*expected, "ming"]
    assert "".join(expected) + "ming" in search_keys(surname + "明")


def test_every_table_entry_is_lowercase_ascii_pinyin():
    for surname, readings in SURNAME_READINGS.items():
        assert readings, surname
        for reading in readings:
            syllables = reading.split()
            assert len(syllables) == len(surname), surname
            assert all(s.isascii() and s.isalpha() and s.islower() for s in syllables)


def test_compound_surname_gets_compound_reading_first():
    # Without the table these come out as wei chi / wan qi / dan tai.
    assert display_pinyin("尉迟恭") == "yu chi gong"
    assert display_pinyin("万俟卨")[:6] == "mo qi "
    assert display_pinyin("澹台灭明") == "tan tai mie ming"
    assert "wanqixie" not in search_keys("澹台灭明")


def test_documented_examples():
    keys = search_keys("单田芳")
    assert {"shantianfang", "stf", "单田芳"} <= set(keys)
    assert "dantianfang" not in keys
    assert "dtf" not in keys
    assert {"zengguofan", "zgf"} <= set(search_keys("曾国藩"))
    assert "cengguofan" not in search_keys("曾国藩")
    assert {"zhangsunwuji", "zswj"} <= set(search_keys("长孙无忌"))
    assert {"yuejia", "lejia", "yj", "lj"} <= set(search_keys("乐嘉"))
    assert {"zhangsan", "zs", "张三"} <= set(search_keys("张三"))


def test_keys_are_deduplicated_and_lowercase():
    keys = search_keys("张三ABC")
    assert len(keys) == len(set(keys))
    assert all(k == k.lower() for k in keys)
    assert "zhangsanabc" in keys


def test_v_for_u_umlaut():
    assert display_pinyin("吕布") == "lv bu"
    assert "lvbu" in search_keys("吕布")
    assert "nvhai" in text_keys("女孩")


@pytest.mark.parametrize("name, spellings", [
    ("吕布", {"lvbu", "lubu", "lyubu"}),
    ("吕", {"lv", "lu", "lyu"}),
    ("李女", {"linv", "linu", "linyu"}),
    ("王绿", {"wanglv", "wanglu", "wanglyu"}),
    ("张略", {"zhanglve", "zhanglue", "zhanglyue"}),
])
def test_u_umlaut_found_as_v_u_and_yu(name, spellings):
    # cadres type ü as v, as u (most phones' keyboards) or as yu (the passport spelling)
    assert spellings <= set(search_keys(name))


def test_u_umlaut_spellings_in_given_name_and_catalogue_too():
    assert {"lvlv", "lulu", "lyulyu"} <= set(search_keys("吕绿"))
    assert "nuhai" in text_keys("女孩")
    assert search_keys("Dave") == ["dave", "d"]  # a Latin v is no ü


@pytest.mark.parametrize("name, expected", [
    ("张长乐", "zhang chang le"),
    ("李重阳", "li chong yang"),
    ("汪曾祺", "wang zeng qi"),
    ("王朝阳", "wang chao yang"),
])
def test_display_uses_the_reading_in_a_name(name, expected):
    # pypinyin alone reads 长 zhang and 重 zhong: not how these names are said
    assert display_pinyin(name) == expected
    assert name_readings(name)[0] == expected.split()


def test_display_and_keys_come_from_one_reading():
    display, keys = name_index("张长乐")
    assert display == "zhang chang le"
    assert keys[:2] == ["zhangchangle", "zcl"]  # the displayed reading is the first key
    assert {"zhangzhangle", "zhangchangyue"} <= set(keys)  # the other readings still found
    assert name_index("单田芳", "shan tian fang") == (display_pinyin("单田芳", "shan tian fang"),
                                                     search_keys("单田芳", "shan tian fang"))


@pytest.mark.parametrize("name, expected", [
    ("單田芳", "shan tian fang"),
    ("區小明", "ou xiao ming"),
    ("樂嘉", "yue jia"),
    ("員明", "yun ming"),
    ("曾國藩", "zeng guo fan"),
    ("歐陽明", "ou yang ming"),
    ("長孫無忌", "zhang sun wu ji"),
    ("張長樂", "zhang chang le"),
])
def test_traditional_characters_read_like_simplified(name, expected):
    assert display_pinyin(name) == expected
    assert expected.replace(" ", "") in search_keys(name)
    assert name in search_keys(name)  # the name as written is still a key


def test_traditional_polyphonic_surname_gives_every_reading():
    assert {"yuejia", "lejia"} <= set(search_keys("樂嘉"))
    assert "dantianfang" not in search_keys("單田芳")


@pytest.mark.parametrize("name, given", [
    ("张长乐", {"changle", "长乐"}),
    ("单田芳", {"tianfang", "田芳"}),
    ("欧阳明", {"ming", "明"}),
    ("李重阳", {"chongyang", "zhongyang", "重阳"}),
])
def test_given_name_alone_is_a_key(name, given):
    assert given <= set(search_keys(name))


def test_names_without_a_surname_have_no_given_name_keys():
    assert "maimaiti" not in search_keys("阿依古丽·买买提")
    assert "smith" not in search_keys("John Smith")


def test_latin_letters_and_digits_are_own_syllables():
    assert name_readings("王A")[0] == ["wang", "a"]
    assert name_readings("李Tom2")[0] == ["li", "tom2"]
    assert "litom2" in search_keys("李Tom2")
    assert name_readings("John Smith") == [["john", "smith"]]
    assert {"johnsmith", "js", "john smith"} <= set(search_keys("John Smith"))


def test_full_width_latin_is_normalised():
    assert name_readings("王Ａ")[0] == ["wang", "a"]


def test_punctuation_and_spaces_dropped():
    assert name_readings("张 三")[0] == ["zhang", "san"]
    assert name_readings("张三（大）")[0] == ["zhang", "san", "da"]
    assert "张三" in search_keys("张 三")


def test_markup_looking_name():
    keys = search_keys("[red]王[/red]")
    assert "wang" in keys
    assert "w" in keys
    assert not any("red" in k for k in keys if k.isascii())
    assert display_pinyin("[bold]张三[/]") == "zhang san"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", "[red][/red]", "！？。", None])
def test_blank_names(blank):
    assert name_readings(blank) == []
    assert display_pinyin(blank) == ""
    assert all(k.strip() for k in search_keys(blank))
    assert not any(k.isascii() and k.isalpha() for k in search_keys(blank))


def test_override_comes_first():
    cases = {
        "shan tian fang": ["shan", "tian", "fang"],
        "shan tianfang": ["shan", "tianfang"],
        "shan'tianfang": ["shan", "tianfang"],
        "Shàn Tián Fāng": ["shan", "tian", "fang"],
    }
    for override, expected in cases.items():
        readings = name_readings("单田芳", override)
        assert readings[0] == expected
        assert ["shan", "tian", "fang"] in readings
    assert display_pinyin("单田芳", "shan'tianfang") == "shan tianfang"
    assert "shantianfang" in search_keys("单田芳", "shan tianfang")


def test_override_changes_display_and_adds_keys():
    assert display_pinyin("曾小凡", "ceng xiao fan") == "ceng xiao fan"
    keys = search_keys("曾小凡", "ceng xiao fan")
    assert {"cengxiaofan", "cxf", "zengxiaofan", "zxf"} <= set(keys)


def test_override_umlaut_and_blank_override():
    assert name_readings("吕", "lü")[0] == ["lv"]
    assert name_readings("张三", "  ") == [["zhang", "san"]]
    assert name_readings("张三", "") == [["zhang", "san"]]


def test_override_for_blank_name():
    assert name_readings("", "zhang san") == [["zhang", "san"]]


def test_reading_count_is_capped():
    readings = name_readings("乐长朝行重重乐长朝")
    assert 1 < len(readings) <= MAX_READINGS
    assert len(name_readings("单田芳", "x y z")) <= MAX_READINGS


def test_given_name_polyphone_default_first_then_alternatives():
    readings = name_readings("张朝阳")
    assert readings[0][0] == "zhang"
    assert {"zhangzhaoyang", "zhangchaoyang"} <= set(search_keys("张朝阳"))


def test_surname_table_only_applies_to_surname_position():
    # 单 in a given name keeps the ordinary reading.
    assert name_readings("王单")[0] == ["wang", "dan"]
    assert display_pinyin("张区") == "zhang qu"


def test_single_character_split_kept_for_compound_lookalikes():
    # 单于明 could be a 单于 or 单 + 于明.
    keys = search_keys("单于明")
    assert "chanyuming" in keys
    assert "shanyuming" in keys


def test_minority_names_with_dot_have_no_surname_rules():
    assert display_pinyin("乐·买买提") == "le mai mai ti"
    assert display_pinyin("阿依古丽·买买提") == "a yi gu li mai mai ti"


def test_text_keys_plain_pinyin():
    keys = text_keys("城乡居民医疗保险报销")
    assert keys[:2] == ["chengxiangjuminyiliaobaoxianbaoxiao", "cxjmylbxbx"]
    assert "城乡居民医疗保险报销" in keys
    # No surname rules for non-person text.
    assert "dandu" in text_keys("单独")
    assert "shandu" not in text_keys("单独")


def test_text_keys_mixed_and_blank():
    keys = text_keys("CT检查 2024")
    assert "ctjiancha2024" in keys
    assert "ct检查 2024" in keys
    assert text_keys("") == []
    assert text_keys("   ") == []


def test_importing_module_does_not_import_pypinyin():
    result = subprocess.run(
        [sys.executable, "-c", "import models.people.pinyin, sys; assert 'pypinyin' not in sys.modules"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_results_independent_of_phrase_dictionary():
    # If something imported pypinyin with phrases first, surname results must not change.
    code = (
        "import os; os.environ['PYPINYIN_NO_PHRASES'] = ''\n"
        "import pypinyin\n"
        "from models.people.pinyin import display_pinyin\n"
        "print(display_pinyin('单田芳'), display_pinyin('尉迟恭'), display_pinyin('万俟卨'), display_pinyin('澹台明'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == "shan tian fang yu chi gong mo qi xie tan tai ming".split()
