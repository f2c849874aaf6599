"""Training institutions and their fixed, documented credentials.

Every training client id starts with ``training-``: a live platform must refuse them,
and the desk in live mode never sends them. The trainer credential opens the
training endpoints (knobs, archives).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desk_app.training_platform.items import BodyType

TRAINING_PREFIX = "training-"


class Role(StrEnum):
    """What a credential may do."""

    INSTITUTION = "institution"
    TRAINER = "trainer"


@dataclass(frozen=True)
class Institution:
    """A training institution (or the trainer) with its credentials."""

    client_id: str
    client_secret: str
    institution_id: str
    name_zh: str
    name_en: str
    body_types: frozenset[BodyType]
    role: Role = Role.INSTITUTION


INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "training-hospital", "training-hospital-secret", "BZ-H-0001",
        "滨州市第一人民医院（培训）", "Binzhou No.1 People's Hospital (training)",
        frozenset({BodyType.HOSPITAL}),
    ),
    Institution(
        "training-hotel", "training-hotel-secret", "BZ-L-0001",
        "滨州黄河大酒店（培训）", "Binzhou Yellow River Hotel (training)",
        frozenset({BodyType.HOTEL}),
    ),
    Institution(
        "training-library", "training-library-secret", "BZ-B-0001",
        "滨州市图书馆（培训）", "Binzhou Library (training)",
        frozenset({BodyType.LIBRARY}),
    ),
    Institution(
        "training-parking", "training-parking-secret", "BZ-P-0001",
        "滨州市中心停车场（培训）", "Binzhou Central Car Park (training)",
        frozenset({BodyType.PARKING}),
    ),
    Institution(
        "training-apartment", "training-apartment-secret", "BZ-A-0001",
        "滨州人才公寓与养老公寓（培训）", "Binzhou talent and elderly apartments (training)",
        frozenset({BodyType.APARTMENT}),
    ),
    Institution(
        "training-utility", "training-utility-secret", "BZ-U-0001",
        "滨州水务燃气（培训）", "Binzhou water and gas (training)",
        frozenset({BodyType.UTILITY}),
    ),
    Institution(
        "training-trainer", "training-trainer-secret", "BZ-TRAINER",
        "培训讲师", "Trainer", frozenset(BodyType), Role.TRAINER,
    ),
)  # fmt: skip

BY_CLIENT_ID = {i.client_id: i for i in INSTITUTIONS}
BY_INSTITUTION_ID = {i.institution_id: i for i in INSTITUTIONS}
