"""The management list (押金事项管理清单): 16 illustrative deposit items for Binzhou.

Illustrative, not the city's official list: the split follows the city's report (2
legally cleared, 5 directly cancelled, 5 credit substitution, 4 strengthened
supervision) and the thresholds follow its tiered access (credit medical and credit
lodging 1000 points, the other credit scenarios 950).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from desk_app.training_platform.credit import min_level_for


class ItemPath(StrEnum):
    """The four paths of the management list."""

    LEGALLY_CLEARED = "legally_cleared"
    CANCELLED = "cancelled"
    CREDIT = "credit"
    SUPERVISED = "supervised"


class Scenario(StrEnum):
    """Where the item is met."""

    MEDICAL = "medical"
    LODGING = "lodging"
    LIBRARY = "library"
    PARKING = "parking"
    APARTMENT_RENTAL = "apartment_rental"
    ELDERLY_CARE = "elderly_care"
    PUBLIC_SERVICE = "public_service"


class BodyType(StrEnum):
    """The kind of body that collects (or collected) the deposit."""

    HOSPITAL = "hospital"
    HOTEL = "hotel"
    LIBRARY = "library"
    PARKING = "parking"
    APARTMENT = "apartment"
    UTILITY = "utility"


class OfflineMode(StrEnum):
    """What a desk does for this item when the platform cannot be reached."""

    COLLECT = "collect"
    PROVISIONAL = "provisional"


@dataclass(frozen=True)
class Item:
    """One deposit item of the management list."""

    code: str
    name_zh: str
    name_en: str
    definition: str
    scenario: Scenario
    path: ItemPath
    min_score: int | None
    standard_deposit_fen: int
    collecting_body_type: BodyType
    conditions: tuple[str, ...]
    offline_mode: OfflineMode
    offline_cap_fen: int
    repayment_days: int
    emergency_path: bool = False
    decision_valid_hours: int = 24

    def to_json(self) -> dict[str, Any]:
        """The item as ``GET /v1/items`` serves it."""
        return {
            "code": self.code,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "definition": self.definition,
            "scenario": self.scenario.value,
            "path": self.path.value,
            "min_score": self.min_score,
            "min_level": None if self.min_score is None else min_level_for(self.min_score).value,
            "standard_deposit_fen": self.standard_deposit_fen,
            "collecting_body_type": self.collecting_body_type.value,
            "conditions": list(self.conditions),
            "offline_policy": {"mode": self.offline_mode.value, "cap_fen": self.offline_cap_fen},
            "repayment_days": self.repayment_days,
            "emergency_path": self.emergency_path,
            "decision_valid_hours": self.decision_valid_hours,
        }


_C = OfflineMode.COLLECT
_P = OfflineMode.PROVISIONAL

ITEMS: tuple[Item, ...] = (
    # Legally cleared (依法清理): no legal basis for the deposit; it is gone.
    Item(
        "BZ-LC-01", "驾驶人培训押金", "Driver training deposit",
        "驾驶培训机构向学员收取的培训押金，已依法清理。",
        Scenario.PUBLIC_SERVICE, ItemPath.LEGALLY_CLEARED, None, 50000, BodyType.UTILITY,
        ("不得收取",), _C, 0, 0,
    ),
    Item(
        "BZ-LC-02", "供水供气开户押金", "Water and gas account deposit",
        "供水、供气企业为居民开户收取的押金，已依法清理。",
        Scenario.PUBLIC_SERVICE, ItemPath.LEGALLY_CLEARED, None, 30000, BodyType.UTILITY,
        ("不得收取",), _C, 0, 0,
    ),
    # Directly cancelled (直接取消): record the service only, no credit check.
    Item(
        "BZ-CA-01", "公立医院住院押金", "Public hospital admission deposit",
        "公立医疗机构住院时收取的预交押金，全市公立医疗机构已取消，先诊疗后付费。",
        Scenario.MEDICAL, ItemPath.CANCELLED, None, 300000, BodyType.HOSPITAL,
        ("公立医疗机构", "参加基本医疗保险"), _C, 0, 15, emergency_path=True,
    ),
    Item(
        "BZ-CA-02", "门诊就诊卡押金", "Outpatient card deposit",
        "医院发放就诊卡时收取的工本押金，已取消。",
        Scenario.MEDICAL, ItemPath.CANCELLED, None, 1000, BodyType.HOSPITAL,
        (), _C, 0, 0,
    ),
    Item(
        "BZ-CA-03", "公共自行车租赁押金", "Public bicycle deposit",
        "公共自行车办卡押金，已取消。",
        Scenario.PARKING, ItemPath.CANCELLED, None, 20000, BodyType.PARKING,
        (), _C, 0, 0,
    ),
    Item(
        "BZ-CA-04", "公共图书馆读者证押金", "Public library reader card deposit",
        "公共图书馆办理普通读者证的押金，已取消。",
        Scenario.LIBRARY, ItemPath.CANCELLED, None, 10000, BodyType.LIBRARY,
        ("普通外借，限借 5 册",), _C, 0, 0,
    ),
    Item(
        "BZ-CA-05", "养老机构入住保证金", "Elderly care admission bond",
        "公办养老机构入住时收取的保证金，已取消。",
        Scenario.ELDERLY_CARE, ItemPath.CANCELLED, None, 500000, BodyType.APARTMENT,
        ("公办养老机构",), _C, 0, 30,
    ),
    # Credit substitution (信用替代): waived at or above the threshold.
    Item(
        "BZ-CR-01", "信易医住院押金", "Credit medical admission deposit",
        "非公立医疗机构住院押金，信用分达到门槛的患者凭信用承诺免交，先诊疗后付费。",
        Scenario.MEDICAL, ItemPath.CREDIT, 1000, 500000, BodyType.HOSPITAL,
        ("信用分 1000 分及以上", "签署信用承诺书", "出院后 15 日内结清自付部分"),
        _P, 1000000, 15, emergency_path=True,
    ),
    Item(
        "BZ-CR-02", "信易住酒店押金", "Credit lodging room deposit",
        "酒店入住押金，信用分达到门槛的旅客凭信用承诺免交，离店后结算。",
        Scenario.LODGING, ItemPath.CREDIT, 1000, 50000, BodyType.HOTEL,
        ("信用分 1000 分及以上", "签署信用承诺书"), _P, 200000, 3,
    ),
    Item(
        "BZ-CR-03", "信用借阅押金", "Credit library borrowing deposit",
        "图书馆外借图书押金，信用分达到门槛的读者免交。",
        Scenario.LIBRARY, ItemPath.CREDIT, 950, 20000, BodyType.LIBRARY,
        ("信用分 950 分及以上", "逾期或丢失按规定赔偿"), _P, 100000, 30,
    ),
    Item(
        "BZ-CR-04", "信用停车先离场后付费", "Credit parking: leave first, pay later",
        "停车场离场前缴费改为先离场后付费，信用分达到门槛的车主适用。",
        Scenario.PARKING, ItemPath.CREDIT, 950, 5000, BodyType.PARKING,
        ("信用分 950 分及以上", "7 日内补缴停车费"), _P, 50000, 7,
    ),
    Item(
        "BZ-CR-05", "人才公寓、养老公寓信用租赁押金", "Talent and elderly apartment rental deposit",
        "人才公寓、养老公寓租赁押金，信用分达到门槛的承租人凭信用承诺免交。",
        Scenario.APARTMENT_RENTAL, ItemPath.CREDIT, 950, 300000, BodyType.APARTMENT,
        ("信用分 950 分及以上", "签署信用承诺书", "退租时结清费用"), _C, 0, 30,
    ),
    # Strengthened supervision (加强监管): still collected; collection and refund recorded.
    Item(
        "BZ-SV-01", "医疗设备租借押金", "Medical equipment loan deposit",
        "轮椅、陪护床等设备租借押金，仍收取，归还后退还。",
        Scenario.MEDICAL, ItemPath.SUPERVISED, None, 50000, BodyType.HOSPITAL,
        ("归还后 3 日内原路退还",), _C, 0, 3,
    ),
    Item(
        "BZ-SV-02", "酒店客房物品押金", "Hotel room items deposit",
        "客房内特殊物品使用押金，仍收取，离店后退还。",
        Scenario.LODGING, ItemPath.SUPERVISED, None, 20000, BodyType.HOTEL,
        ("离店时退还",), _C, 0, 1,
    ),
    Item(
        "BZ-SV-03", "停车场门禁卡押金", "Car park access card deposit",
        "月租车辆门禁卡押金，仍收取，退卡时退还。",
        Scenario.PARKING, ItemPath.SUPERVISED, None, 10000, BodyType.PARKING,
        ("退卡时退还",), _C, 0, 1,
    ),
    Item(
        "BZ-SV-04", "公寓门禁及家具押金", "Apartment key and furniture deposit",
        "公寓门禁卡与家具押金，仍收取，退租验收后退还。",
        Scenario.APARTMENT_RENTAL, ItemPath.SUPERVISED, None, 100000, BodyType.APARTMENT,
        ("退租验收后 7 日内退还",), _C, 0, 7,
    ),
)  # fmt: skip

ITEMS_BY_CODE = {item.code: item for item in ITEMS}
