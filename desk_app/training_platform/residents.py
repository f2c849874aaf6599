"""Synthetic residents, generated deterministically from a seed. No real person's data.

Anchors are fixed residents that trainers and tests can name: the public specimen
numbers of ``tests/vectors/identity.tsv`` and residents scored exactly at the
thresholds (949, 950, 999, 1000). The rest are generated with Binzhou region codes,
current (3716xx) and retired (3723xx), across every level.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from desk_app.identity.checksums import mod11_2_check
from desk_app.identity.document import DocumentKind
from desk_app.training_platform.credit import level_of

DEFAULT_SEED = 2026
GENERATED_COUNT = 120

# Binzhou: current county-level codes, and the codes of the old Huimin/Binzhou prefecture
# (3723xx) that retired in 2000 and stay on live cards.
BINZHOU_CURRENT = ("371602", "371603", "371621", "371622", "371623", "371625", "371681")
BINZHOU_RETIRED = ("372301", "372321", "372323", "372324", "372325", "372328", "372330")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国文斌辉海燕宁晨曦"
    "悦欣怡浩然子轩梓涵雨桐一诺思远"
)


@dataclass(frozen=True)
class Resident:
    """One synthetic resident of the training platform."""

    kind: DocumentKind
    number: str
    name: str
    score: int
    # An unpaid deferred settlement seeded at the training hospital: None, or days
    # until its due date (negative: overdue).
    unpaid_due_in_days: int | None = None
    note: str = ""

    @property
    def level(self) -> str:
        """The resident's level from the score."""
        return level_of(self.score).value


def _with_check(body: str) -> str:
    return body + mod11_2_check(body)


_RID = DocumentKind.RESIDENT_ID
_PERMIT = DocumentKind.RESIDENCE_PERMIT
_FOREIGN = DocumentKind.FOREIGN_PERMANENT_RESIDENCE

# fmt: off
ANCHORS: tuple[Resident, ...] = (
    Resident(_RID, "371602198601115150", "孙明远", 1000,
             note="exactly 1000: AA, medical and lodging waived"),
    Resident(_RID, "360426199101010071", "钱五零", 950, note="exactly 950: A, 950 items waived"),
    Resident(_RID, "11010219840406970X", "孙九四", 949, note="949: B, every credit item collected"),
    Resident(_RID, "44011320141005001X", "李九九", 999, note="999: A, 1000 items collected"),
    Resident(_RID, "11010519491231002X", "王标准", 1080, note="GB 11643 example, AAA"),
    Resident(_RID, "440524188001010014", "赵百岁", 880, note="born 1880, C"),
    Resident(_RID, "120110198012010073", "周东郊", 1020, note="AA"),
    Resident(_RID, "120110199212010072", "吴东丽", 760, note="D"),
    Resident(_RID, "362324198001010014", "郑铅山", 1000, note="retired region code, AA"),
    Resident(_RID, "610104196209276908", "冯十五", 975, note="upgraded from 610104620927690"),
    Resident(_RID, "440308199901101512", "陈深圳", 1010, note="AA"),
    Resident(_RID, "500154199804106120", "褚重庆", 940, note="B"),
    Resident(_PERMIT, "810000199408230021", "陈嘉欣", 1010, note="Hong Kong permit"),
    Resident(_PERMIT, "820000199408230023", "吕澳生", 955, note="Macao permit"),
    Resident(_PERMIT, "830000199201300022", "施台生", 930, note="Taiwan permit"),
    Resident(_FOREIGN, "911398199012310021", "安娜", 1001, note="2023 foreigner card"),
    Resident(_FOREIGN, "KAZ110090123105", "安娜", 960, note="2017 foreigner card"),
    Resident(_RID, _with_check("37160219900307123"), "张逾期", 1005, -10,
             note="AA but an overdue deferred settlement: collected until paid"),
    Resident(_RID, _with_check("37232119750611234"), "刘待付", 1000, 10,
             note="retired code, deferred settlement due in 10 days"),
)
# fmt: on


def generate(seed: int = DEFAULT_SEED, count: int = GENERATED_COUNT) -> list[Resident]:
    """The anchors followed by ``count`` generated residents, the same for the same seed.

    Args:
        seed: the generator's seed.
        count: how many residents to generate besides the anchors.

    Returns:
        Residents with unique numbers, every level represented.
    """
    rng = random.Random(seed)
    residents = list(ANCHORS)
    seen = {r.number for r in residents}
    # Spread over the bands: D, C, B, A, AA, AAA in turn, then a random score inside.
    bands = ((600, 799), (800, 899), (900, 949), (950, 999), (1000, 1049), (1050, 1150))
    while len(residents) < len(ANCHORS) + count:
        index = len(residents) - len(ANCHORS)
        low, high = bands[index % len(bands)]
        region = rng.choice(BINZHOU_RETIRED if index % 4 == 3 else BINZHOU_CURRENT)
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 65))
        sequence = f"{rng.randrange(0, 1000):03d}"
        number = _with_check(region + birth.strftime("%Y%m%d") + sequence)
        if number in seen:
            continue
        seen.add(number)
        name = rng.choice(_SURNAMES) + "".join(
            rng.choice(_GIVEN) for _ in range(rng.choice((1, 2)))
        )
        unpaid = rng.choice((-20, -5, 5, 12)) if index % 10 == 7 else None
        residents.append(Resident(_RID, number, name, rng.randint(low, high), unpaid))
    return residents
