"""Ethnic group codes on a resident identity card (GB 3304), with names to show.

The card carries the two-digit numeric code of GB 3304-1991 ("Names of nationalities of
China in romanization with codes"): 01-56 for the 56 ethnic groups, and the codes 97
(other, 其他) and 98 (a Chinese citizen of foreign origin, 外国血统中国籍人士) that the
identity card system adds. The card face prints the short Chinese name (汉, 蒙古...),
without the 族 suffix; that is what :attr:`EthnicGroup.name_zh` holds.

``name_en`` is the usual English name a clerk would recognise; ``romanization`` is the
spelling GB 3304 itself gives (Zang for 藏, Chosen for 朝鲜...). A code that is not in
the table is shown as it is, never treated as an error: :func:`ethnic_group` returns
None and the caller shows the raw code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class EthnicGroup(NamedTuple):
    """One code of the table.

    Attributes:
        code: the two-digit code as printed in the chip ("01").
        name_zh: the name as the card face prints it ("汉").
        name_en: the English name a clerk would recognise ("Han").
        romanization: the GB 3304 romanized spelling ("Han").
    """

    code: str
    name_zh: str
    name_en: str
    romanization: str


def _table(*rows: tuple[str, str, str, str]) -> Mapping[str, EthnicGroup]:
    return {row[0]: EthnicGroup(*row) for row in rows}


ETHNIC_GROUPS: Mapping[str, EthnicGroup] = _table(
    ("01", "汉", "Han", "Han"),
    ("02", "蒙古", "Mongol", "Mongol"),
    ("03", "回", "Hui", "Hui"),
    ("04", "藏", "Tibetan", "Zang"),
    ("05", "维吾尔", "Uyghur", "Uygur"),
    ("06", "苗", "Miao", "Miao"),
    ("07", "彝", "Yi", "Yi"),
    ("08", "壮", "Zhuang", "Zhuang"),
    ("09", "布依", "Bouyei", "Buyei"),
    ("10", "朝鲜", "Korean", "Chosen"),
    ("11", "满", "Manchu", "Man"),
    ("12", "侗", "Dong", "Dong"),
    ("13", "瑶", "Yao", "Yao"),
    ("14", "白", "Bai", "Bai"),
    ("15", "土家", "Tujia", "Tujia"),
    ("16", "哈尼", "Hani", "Hani"),
    ("17", "哈萨克", "Kazakh", "Kazak"),
    ("18", "傣", "Dai", "Dai"),
    ("19", "黎", "Li", "Li"),
    ("20", "傈僳", "Lisu", "Lisu"),
    ("21", "佤", "Va", "Va"),
    ("22", "畲", "She", "She"),
    ("23", "高山", "Gaoshan", "Gaoshan"),
    ("24", "拉祜", "Lahu", "Lahu"),
    ("25", "水", "Sui", "Sui"),
    ("26", "东乡", "Dongxiang", "Dongxiang"),
    ("27", "纳西", "Naxi", "Naxi"),
    ("28", "景颇", "Jingpo", "Jingpo"),
    ("29", "柯尔克孜", "Kyrgyz", "Kirgiz"),
    ("30", "土", "Tu", "Tu"),
    ("31", "达斡尔", "Daur", "Daur"),
    ("32", "仫佬", "Mulao", "Mulao"),
    ("33", "羌", "Qiang", "Qiang"),
    ("34", "布朗", "Blang", "Blang"),
    ("35", "撒拉", "Salar", "Salar"),
    ("36", "毛南", "Maonan", "Maonan"),
    ("37", "仡佬", "Gelao", "Gelao"),
    ("38", "锡伯", "Xibe", "Xibe"),
    ("39", "阿昌", "Achang", "Achang"),
    ("40", "普米", "Pumi", "Pumi"),
    ("41", "塔吉克", "Tajik", "Tajik"),
    ("42", "怒", "Nu", "Nu"),
    ("43", "乌孜别克", "Uzbek", "Uzbek"),
    ("44", "俄罗斯", "Russian", "Russ"),
    ("45", "鄂温克", "Evenki", "Ewenki"),
    ("46", "德昂", "De'ang", "Deang"),
    ("47", "保安", "Bonan", "Bonan"),
    ("48", "裕固", "Yugur", "Yugur"),
    ("49", "京", "Gin", "Gin"),
    ("50", "塔塔尔", "Tatar", "Tatar"),
    ("51", "独龙", "Derung", "Derung"),
    ("52", "鄂伦春", "Oroqen", "Oroqen"),
    ("53", "赫哲", "Hezhen", "Hezhen"),
    ("54", "门巴", "Monba", "Monba"),
    ("55", "珞巴", "Lhoba", "Lhoba"),
    ("56", "基诺", "Jino", "Jino"),
    ("97", "其他", "Other", "Other"),
    ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin", "Foreign origin"),
)


def ethnic_group(code: str) -> EthnicGroup | None:
    """The table's entry for ``code``.

    Args:
        code: the code as read from the chip; a single digit ("1") is read as "01".

    Returns:
        The entry, or None for a code that is not in the table (show it raw).
    """
    code = code.strip()
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    return ETHNIC_GROUPS.get(code)
