"""Property tests: generated valid numbers are accepted and round-trip; single changes are not."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from desk_app.identity import (
    ALL_KINDS,
    PERSON_KINDS,
    DocumentKind,
    InvalidDocumentError,
    Sex,
    identify,
)
from desk_app.identity.checksums import icao_check, mod11_2_check
from desk_app.identity.mrz import TD3

TODAY = dt.date(2026, 12, 3)

# Current, retired and unknown region codes alike: validity never depends on the table.
regions = st.one_of(
    st.sampled_from(["371602", "372321", "110105", "120110", "440524", "362324", "710000"]),
    st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
)
births = st.dates(min_value=dt.date(1800, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    body = draw(regions) + draw(births).strftime("%Y%m%d") + draw(sequences)
    return body + mod11_2_check(body)


@st.composite
def gb11643_numbers(draw: st.DrawFn) -> str:
    prefix = draw(
        st.one_of(
            regions,
            st.sampled_from(["810000", "820000", "830000"]),
            # 2023 foreigner card: 9, province, ISO numeric nationality.
            st.sampled_from(["911398", "931840", "937156", "944392"]),
        )
    )
    body = prefix + draw(births).strftime("%Y%m%d") + draw(sequences)
    return body + mod11_2_check(body)


@given(resident_ids())
def test_every_generated_resident_id_is_accepted_and_round_trips(number: str) -> None:
    document = identify(number, today=TODAY)
    assert document.kind is DocumentKind.RESIDENT_ID
    assert document.number == number
    assert document.birth_date == dt.date.fromisoformat(
        f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    )
    assert document.sex is (Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)
    assert document.region_code == number[:6]
    # Round trip: what the desk shows reads back to the same document.
    assert identify(document.number.lower(), today=TODAY) == document


@given(gb11643_numbers())
def test_every_generated_gb11643_shaped_number_is_accepted(number: str) -> None:
    assert identify(number, kinds=PERSON_KINDS, today=TODAY).number == number


@given(
    gb11643_numbers(),
    st.integers(min_value=0, max_value=17),
    st.sampled_from("0123456789X"),
)
def test_every_single_character_change_of_a_valid_number_is_rejected(
    number: str, position: int, replacement: str
) -> None:
    if number[position] == replacement:
        replacement = "X" if replacement != "X" else "0"
    changed = number[:position] + replacement + number[position + 1 :]
    try:
        document = identify(changed, kinds=PERSON_KINDS, today=TODAY)
    except InvalidDocumentError:
        pass
    else:
        raise AssertionError(f"accepted a changed number as {document.kind}")
    # With every kind allowed, a changed person number is never accepted as a person:
    # at most as an all-digit credit code, and then with a warning when it could be a typo.
    try:
        document = identify(changed, kinds=ALL_KINDS, today=TODAY)
    except InvalidDocumentError:
        return
    assert document.kind is DocumentKind.USCC


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), sequences)
def test_legacy_numbers_upgrade_to_the_18_character_form(birth: dt.date, seq: str) -> None:
    if seq in {"996", "997", "998", "999"}:
        seq = "123"
    legacy = "371602" + birth.strftime("%y%m%d") + seq
    document = identify(legacy, today=TODAY)
    body = "371602" + birth.strftime("%Y%m%d") + seq
    assert document.number == body + mod11_2_check(body)
    assert document.upgraded_from == legacy


@st.composite
def td3_zones(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(st.from_regex(r"[A-Z0-9]{9}", fullmatch=True))
    birth = draw(st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY)).strftime("%y%m%d")
    expiry = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2075, 1, 1)))
    expiry_s = expiry.strftime("%y%m%d")
    sex = draw(st.sampled_from("MF<"))
    personal = draw(st.from_regex(r"[A-Z0-9<]{14}", fullmatch=True))
    pcheck = icao_check(personal)
    line2 = (
        f"{number}{icao_check(number)}CHN{birth}{icao_check(birth)}{sex}"
        f"{expiry_s}{icao_check(expiry_s)}{personal}{pcheck}"
    )
    line2 += icao_check(line2[0:10] + line2[13:20] + line2[21:43])
    surname = draw(st.from_regex(r"[A-Z]{1,15}", fullmatch=True))
    line1 = f"POCHN{surname}<<SAN".ljust(TD3.width, "<")
    return line1, line2


@given(td3_zones())
def test_every_generated_passport_zone_is_accepted(zone: tuple[str, str]) -> None:
    document = identify("\n".join(zone), today=TODAY)
    assert document.number == zone[1][:9]
    assert identify("".join(zone), today=TODAY) == document


@given(st.text(max_size=300))
def test_any_text_is_a_document_or_a_typed_error(text: str) -> None:
    problems: tuple[object, ...] = ("no error",)
    try:
        identify(text, today=TODAY)
    except InvalidDocumentError as error:
        problems = error.problems
    assert problems
