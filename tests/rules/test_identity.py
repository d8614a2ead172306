"""Examples for every identity document and organisation code (DOMAIN.md §3)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import time_machine

from regdesk.rules.identity import DOCUMENT_TYPES, UnknownDocumentType, ValidationResult, validate
from tests.rules.test_identity_reference import (
    mod_11_10_check,
    mrz_line,
    organization_code,
    resident_check,
    resident_number,
    uscc_number,
)

TODAY = dt.date(2025, 6, 30)
SAMPLE_ID = "11010519491231002X"


def check(document_type: str, number: str, today: dt.date = TODAY) -> ValidationResult:
    return validate(document_type, number, today=today)


# --- result shape -----------------------------------------------------------------------------------------------


def test_result_is_frozen_and_serialises_errors_with_both_languages() -> None:
    result = check("resident_id", "110105194912310021")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.valid = True  # type: ignore[misc]
    payload = result.to_json()
    assert payload["valid"] is False
    assert payload["type"] == "resident_id"
    assert payload["normalized"] == "110105194912310021"
    assert payload["errors"] == [
        {
            "code": "checksum",
            "message": {"zh-hans": result.errors[0].message_zh, "en": result.errors[0].message_en},
        }
    ]
    assert "校验码" in result.errors[0].message_zh
    assert "check character" in result.errors[0].message_en
    json.dumps(payload, ensure_ascii=False)


def test_unknown_type_is_refused() -> None:
    with pytest.raises(UnknownDocumentType):
        validate("driving_licence", "123")


def test_every_type_answers_an_empty_number_with_an_error() -> None:
    for document_type in DOCUMENT_TYPES:
        result = check(document_type, "   ")
        assert not result.valid, document_type
        assert result.errors[0].code == "empty", document_type


# --- resident ID ------------------------------------------------------------------------------------------------


def test_public_sample_resident_id_is_valid_with_details() -> None:
    result = check("resident_id", SAMPLE_ID)
    assert result.valid
    assert result.normalized == SAMPLE_ID
    assert result.details["birth_date"] == "1949-12-31"
    assert result.details["sex"] == "female"
    region = result.details["region"]
    assert region["code"] == "110105"
    assert region["name"] == "朝阳区"
    assert region["province"] == {"code": "110000", "name": "北京市"}


def test_male_sequence_gives_male() -> None:
    number = resident_number("440305", dt.date(1990, 5, 17), 123)
    result = check("resident_id", number)
    assert result.valid
    assert result.details["sex"] == "male"
    assert result.details["region"]["city"] == {"code": "440300", "name": "深圳市"}
    assert result.details["region"]["county"] == {"code": "440305", "name": "南山区"}


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "110105-19491231-002X",
        " 110105\u300019491231002ｘ ",
        "11010519491231002×",
    ],
)
def test_typing_variants_are_normalized(typed: str) -> None:
    result = check("resident_id", typed)
    assert result.valid, result.error_codes
    assert result.normalized == SAMPLE_ID


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("11010519491231002", ["length"]),
        ("11010519491231002X1", ["length"]),
        ("1101051949123100AX", ["characters"]),
        ("1101051949123X0021", ["characters"]),
        ("110105194912310021", ["checksum"]),
    ],
)
def test_resident_id_shape_and_checksum_errors(number: str, codes: list[str]) -> None:
    result = check("resident_id", number)
    assert result.error_codes == codes


def test_impossible_birth_date_is_refused() -> None:
    number = resident_number("110105", dt.date(1990, 1, 1), 1)
    body = number[:6] + "19900230" + number[14:17]
    result = check("resident_id", body + resident_check(body))
    assert result.error_codes == ["birth_date_invalid"]
    assert "birth_date" not in result.details


def test_future_birth_date_is_refused_relative_to_today() -> None:
    number = resident_number("110105", dt.date(2025, 7, 1), 1)
    assert check("resident_id", number, today=dt.date(2025, 6, 30)).error_codes == ["birth_date_future"]
    assert check("resident_id", number, today=dt.date(2025, 7, 1)).valid


def test_birth_before_1850_is_refused() -> None:
    number = resident_number("110105", dt.date(1849, 12, 31), 1)
    assert check("resident_id", number).error_codes == ["birth_date_too_early"]
    assert check("resident_id", resident_number("110105", dt.date(1850, 1, 1), 1)).valid


def test_default_today_is_the_date_in_beijing() -> None:
    born_on_1_july = resident_number("110105", dt.date(2025, 7, 1), 1)
    # 17:00 UTC on 30 June is already 01:00 on 1 July in Beijing.
    with time_machine.travel(dt.datetime(2025, 6, 30, 17, 0, tzinfo=dt.UTC), tick=False):
        assert validate("resident_id", born_on_1_july).valid
    with time_machine.travel(dt.datetime(2025, 6, 30, 15, 0, tzinfo=dt.UTC), tick=False):
        assert validate("resident_id", born_on_1_july).error_codes == ["birth_date_future"]


def test_unknown_region_is_refused() -> None:
    assert check("resident_id", resident_number("770101", dt.date(1980, 1, 1), 1)).error_codes == ["region_unknown"]
    assert check("resident_id", resident_number("000000", dt.date(1980, 1, 1), 1)).error_codes == ["region_unknown"]
    assert check("resident_id", resident_number("110199", dt.date(1980, 1, 1), 1)).error_codes == ["region_unknown"]


@pytest.mark.parametrize(
    ("region", "name"),
    [
        # 重庆市渝中区 while Chongqing was still part of Sichuan (5102xx), abolished in 1997.
        ("510202", "渝中区"),
        # 北京市崇文区, merged into 东城区 in 2010.
        ("110103", "崇文区"),
        # 福建省三明市梅列区, merged into 三元区 in 2021.
        ("350402", "梅列区"),
    ],
)
def test_abolished_region_codes_stay_valid(region: str, name: str) -> None:
    result = check("resident_id", resident_number(region, dt.date(2005, 3, 4), 56))
    assert result.valid, result.error_codes
    assert result.details["region"]["name"] == name
    assert result.details["region"]["current"] is False


def test_abolished_sichuan_era_chongqing_code_names_its_province_then() -> None:
    region = check("resident_id", resident_number("510202", dt.date(1970, 1, 1), 1)).details["region"]
    assert region["province"] == {"code": "510000", "name": "四川省"}
    assert region["city"] == {"code": "510200", "name": "重庆市"}


def test_region_created_after_the_birth_year_is_accepted() -> None:
    # 北京市延庆区 (110119) was created in 2015; people born long before register there later.
    result = check("resident_id", resident_number("110119", dt.date(1950, 2, 3), 7))
    assert result.valid, result.error_codes
    assert result.details["region"]["first_seen"] == 2015


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_a_residence_permit_number_is_never_a_resident_id(prefix: str) -> None:
    # 国办发〔2018〕81号: the 810000/820000/830000 codes belong to the residence permits of Hong Kong, Macau and
    # Taiwan residents; a resident identity card never bears them.
    number = resident_number(prefix, dt.date(1990, 1, 1), 1)
    result = check("resident_id", number)
    assert not result.valid
    assert result.error_codes == ["residence_permit_number"]
    assert "居住证" in result.errors[0].message_zh
    assert "residence permit" in result.errors[0].message_en
    assert number not in result.errors[0].message_zh + result.errors[0].message_en
    assert check("residence_permit", number).valid
    auto = check("auto", number)
    assert (auto.type, auto.valid) == ("residence_permit", True)


def test_a_legacy_number_never_bears_a_permit_code() -> None:
    assert "residence_permit_number" in check("legacy_resident_id", "810000900101001").error_codes


def test_permanent_residence_prefixes_in_resident_ids() -> None:
    permanent = check("resident_id", resident_number("911840", dt.date(1990, 1, 1), 1))
    assert permanent.error_codes == ["region_unknown"]
    assert "permanent residence" in permanent.errors[0].message_en


def test_several_failures_are_reported_together() -> None:
    body = "99999919990230001"
    result = check("resident_id", body + ("0" if resident_check(body) != "0" else "1"))
    assert set(result.error_codes) == {"checksum", "birth_date_invalid", "region_unknown"}


# --- legacy 15-digit ID -----------------------------------------------------------------------------------------


def test_legacy_id_is_converted_and_marked_historical() -> None:
    result = check("legacy_resident_id", "110105491231002")
    assert result.valid
    assert result.normalized == SAMPLE_ID
    assert result.details["usable_for_new_registration"] is False
    assert result.details["historical_only"] is True
    assert result.details["notice"]["code"] == "legacy_historical_only"
    assert result.details["birth_date"] == "1949-12-31"
    assert result.details["sex"] == "female"


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("11010549123100", ["length"]),
        ("11010549123100X", ["characters"]),
        ("110105490231002", ["birth_date_invalid"]),
        ("999999491231002", ["region_unknown"]),
    ],
)
def test_legacy_id_errors(number: str, codes: list[str]) -> None:
    assert check("legacy_resident_id", number).error_codes == codes


# --- residence permit -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "resident_of"),
    [("810000", "hong_kong"), ("820000", "macau"), ("830000", "taiwan")],
)
def test_residence_permits(prefix: str, resident_of: str) -> None:
    number = resident_number(prefix, dt.date(1988, 8, 8), 31)
    result = check("residence_permit", number)
    assert result.valid, result.error_codes
    assert result.details["issued_to_residents_of"] == resident_of
    assert result.details["region"]["code"] == prefix
    assert result.details["region"]["province"]["code"] == prefix
    assert result.details["sex"] == "male"
    assert result.details["birth_date"] == "1988-08-08"


def test_residence_permit_errors() -> None:
    assert check("residence_permit", resident_number("110105", dt.date(1988, 8, 8), 31)).error_codes == ["prefix"]
    good = resident_number("830000", dt.date(1988, 8, 8), 31)
    wrong_check = good[:17] + ("1" if good[17] != "1" else "2")
    assert check("residence_permit", wrong_check).error_codes == ["checksum"]
    future = resident_number("830000", dt.date(2030, 1, 1), 31)
    assert check("residence_permit", future).error_codes == ["birth_date_future"]


# --- permanent residence ----------------------------------------------------------------------------------------


def test_permanent_residence_2023_edition() -> None:
    # 9, issued in Beijing (11), a United States national (840), born 1985-04-02, sequence 002.
    number = resident_number("911840", dt.date(1985, 4, 2), 2)
    result = check("permanent_residence", number)
    assert result.valid, result.error_codes
    assert result.details["edition"] == "2023"
    assert result.details["nationality"]["numeric"] == "840"
    assert result.details["nationality"]["alpha_3"] == "USA"
    assert result.details["nationality"]["name_zh"] == "美国"
    assert result.details["province_of_issue"] == {"code": "110000", "name": "北京市"}
    assert result.details["birth_date"] == "1985-04-02"
    assert result.details["sex"] == "female"


@pytest.mark.parametrize(
    ("region_part", "codes"),
    [("900840", ["province_unknown"]), ("911999", ["nationality_unknown"])],
)
def test_permanent_residence_2023_errors(region_part: str, codes: list[str]) -> None:
    assert check("permanent_residence", resident_number(region_part, dt.date(1985, 4, 2), 2)).error_codes == codes


def test_permanent_residence_2023_checksum() -> None:
    number = resident_number("931276", dt.date(1970, 1, 1), 1)
    assert check("permanent_residence", number).valid
    wrong = number[:17] + ("3" if number[17] != "3" else "4")
    assert check("permanent_residence", wrong).error_codes == ["checksum"]


def test_permanent_residence_2017_edition() -> None:
    result = check("permanent_residence", "usa110085040201")
    assert result.valid
    assert result.normalized == "USA110085040201"
    assert result.details == {
        "edition": "2017",
        "nationality": {"numeric": "840", "alpha_3": "USA", "name_en": "United States", "name_zh": "美国"},
    }


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("QQQ110085040201", ["nationality_unknown"]),
        ("US1110085040201", ["format"]),
        ("USA11008504020", ["format"]),
        ("USA11008504020!", ["characters", "format"]),
    ],
)
def test_permanent_residence_errors(number: str, codes: list[str]) -> None:
    assert check("permanent_residence", number).error_codes == codes


# --- Hong Kong / Macau and Taiwan travel permits ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "resident_of", "issue_count"),
    [("H12345678", "hong_kong", None), ("m1234567801", "macau", 1), ("Ｈ１２３４５６７８", "hong_kong", None)],
)
def test_hk_macau_permits(number: str, resident_of: str, issue_count: int | None) -> None:
    result = check("hk_macau_permit", number)
    assert result.valid
    assert result.details["issued_to_residents_of"] == resident_of
    assert result.details.get("issue_count") == issue_count


@pytest.mark.parametrize("number", ["H1234567", "K12345678", "H123456789", "12345678"])
def test_hk_macau_permit_errors(number: str) -> None:
    assert check("hk_macau_permit", number).error_codes[-1] == "format"


@pytest.mark.parametrize(
    ("number", "normalized", "form"),
    [
        ("12345678", "12345678", "card"),
        ("1234567890", "1234567890", "booklet"),
        ("1234567890(B)", "1234567890(B)", "booklet"),
        ("1234567890（b）", "1234567890(B)", "booklet"),
    ],
)
def test_taiwan_permits(number: str, normalized: str, form: str) -> None:
    result = check("taiwan_permit", number)
    assert result.valid
    assert result.normalized == normalized
    assert result.details["form"] == form


@pytest.mark.parametrize("number", ["1234567", "123456789", "12345678(B)", "1234567890(BB)", "1234567890B"])
def test_taiwan_permit_errors(number: str) -> None:
    assert check("taiwan_permit", number).error_codes == ["format"]


# --- passport MRZ -----------------------------------------------------------------------------------------------

ICAO_SPECIMEN = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_icao_specimen_passport() -> None:
    result = check("passport_mrz", ICAO_SPECIMEN)
    assert result.valid, result.error_codes
    assert result.details["document_number"] == "L898902C3"
    assert result.details["nationality"]["code"] == "UTO"
    assert result.details["birth_date"] == "1974-08-12"
    assert result.details["sex"] == "female"
    assert result.details["expiry_date"] == "2012-04-15"
    assert result.details["expired"] is True
    assert result.details["personal_number"] == "ZE184226B"


def test_passport_of_a_real_country_with_empty_optional_data() -> None:
    line = mrz_line("E12345678", "CHN", "900101", "M", "300101")
    result = check("passport_mrz", line)
    assert result.valid, result.error_codes
    assert result.details["nationality"]["alpha_3"] == "CHN"
    assert result.details["nationality"]["name_zh"] == "中国"
    assert result.details["sex"] == "male"
    assert result.details["expiry_date"] == "2030-01-01"
    assert result.details["expired"] is False


def test_whole_two_line_zone_is_accepted() -> None:
    line_one = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    result = check("passport_mrz", f"{line_one}\n{ICAO_SPECIMEN}")
    assert result.valid
    assert result.normalized == ICAO_SPECIMEN


def test_birth_century_is_chosen_so_that_the_birth_is_not_in_the_future() -> None:
    line = mrz_line("E12345678", "CHN", "100101", "F", "300101")
    assert check("passport_mrz", line).details["birth_date"] == "2010-01-01"
    line = mrz_line("E12345678", "CHN", "300101", "F", "300101")
    assert check("passport_mrz", line).details["birth_date"] == "1930-01-01"


@pytest.mark.parametrize(
    ("position", "code"),
    [
        (9, "number_checksum"),
        (19, "birth_date_checksum"),
        (27, "expiry_date_checksum"),
        (42, "optional_data_checksum"),
        (43, "composite_checksum"),
    ],
)
def test_each_mrz_check_digit_has_its_own_error(position: int, code: str) -> None:
    wrong = str((int(ICAO_SPECIMEN[position]) + 1) % 10)
    line = ICAO_SPECIMEN[:position] + wrong + ICAO_SPECIMEN[position + 1 :]
    codes = check("passport_mrz", line).error_codes
    assert code in codes
    # Changing a field check digit also breaks the composite, which covers it.
    assert set(codes) <= {code, "composite_checksum"}


def test_mrz_dates_must_be_real() -> None:
    line = mrz_line("E12345678", "CHN", "900231", "M", "301301")
    assert check("passport_mrz", line).error_codes == ["birth_date_invalid", "expiry_date_invalid"]


def test_mrz_unknown_nationality_and_sex() -> None:
    line = mrz_line("E12345678", "QQQ", "900101", "Q", "300101")
    assert check("passport_mrz", line).error_codes == ["nationality_unknown", "sex_invalid"]


def test_mrz_length_and_characters() -> None:
    assert check("passport_mrz", ICAO_SPECIMEN[:-1]).error_codes == ["length"]
    assert check("passport_mrz", ICAO_SPECIMEN[:-1] + "!").error_codes == ["characters"]


# --- military ID ------------------------------------------------------------------------------------------------


def test_military_id_is_sanitized_text_for_manual_review() -> None:
    result = check("military_id", " 南字第 ００１２３４ 号\u0007")
    assert result.valid
    assert result.normalized == "南字第001234号"
    assert result.details == {"manual_review": True}
    assert check("military_id", "\t ").error_codes == ["empty"]
    assert check("military_id", "9" * 65).error_codes == ["too_long"]


# --- unified social credit code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "91350100M000100Y43",
        "91110000600037341L",
        uscc_number("5", "1", "110000", "MJ001234"),
        uscc_number("Y", "1", "440300", "12345678"),
        uscc_number("1", "2", "100000", "40000001"),
    ],
)
def test_valid_usccs(number: str) -> None:
    result = check("uscc", number)
    assert result.valid, result.error_codes
    assert result.details["organization_code"] == f"{number[8:16]}-{number[16]}"


def test_uscc_details() -> None:
    result = check("uscc", "91350100M000100Y43")
    assert result.details["registration_authority"]["name_zh"] == "工商"
    assert result.details["category"]["name_zh"] == "企业"
    assert result.details["region"]["name"] == "福州市"
    assert result.details["region"]["province"]["name"] == "福建省"
    social = check("uscc", uscc_number("5", "3", "110000", "50000001"))
    assert social.details["registration_authority"]["name_zh"] == "民政"
    assert social.details["category"]["name_zh"] == "基金会"


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("91350100M000100Y4", ["length"]),
        ("91350100M000100Y4I", ["characters"]),
        ("91350100M000100Y44", ["checksum"]),
        (uscc_number("B", "1", "110000", "12345678"), ["authority_unknown"]),
        (uscc_number("9", "9", "110000", "12345678"), ["category_unknown"]),
        (uscc_number("Y", "2", "110000", "12345678"), ["category_unknown"]),
        (uscc_number("9", "1", "11A000", "12345678"), ["region_format"]),
    ],
)
def test_uscc_errors(number: str, codes: list[str]) -> None:
    assert check("uscc", number).error_codes == codes


def test_uscc_with_a_wrong_organisation_code_check_is_refused() -> None:
    good = uscc_number("9", "1", "110000", "60003734")
    body = good[:16] + ("2" if good[16] != "2" else "3")
    from tests.rules.test_identity_reference import uscc_check

    assert check("uscc", body + uscc_check(body)).error_codes == ["organization_code_checksum"]


# --- organisation code ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [("60003734-1", "60003734-1"), ("600037341", "60003734-1"), ("m000100y-4", "M000100Y-4")],
)
def test_organisation_codes(typed: str, normalized: str) -> None:
    result = check("org_code", typed)
    assert result.valid
    assert result.normalized == normalized


def test_organisation_code_check_x_and_zero() -> None:
    ten = next(body for body in (f"{n:08d}" for n in range(1000)) if organization_code(body).endswith("X"))
    eleven = next(body for body in (f"{n:08d}" for n in range(1, 1000)) if organization_code(body).endswith("0"))
    assert check("org_code", organization_code(ten)).valid
    assert check("org_code", organization_code(eleven)).valid


@pytest.mark.parametrize(
    ("number", "codes"),
    [("60003734-2", ["checksum"]), ("6000373-1", ["length"]), ("6000373*-1", ["characters"])],
)
def test_organisation_code_errors(number: str, codes: list[str]) -> None:
    assert check("org_code", number).error_codes == codes


# --- business registration number -------------------------------------------------------------------------------


def test_business_registration_numbers() -> None:
    assert check("business_registration_number", "110108000000016").valid
    body = "44030410320839"
    result = check("business_registration_number", body + mod_11_10_check(body))
    assert result.valid
    assert result.details["region"]["name"] == "福田区"
    assert check("business_registration_number", "110108000000017").error_codes == ["checksum"]
    assert check("business_registration_number", "11010800000001").error_codes == ["length"]


# --- auto -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "document_type"),
    [
        (SAMPLE_ID, "resident_id"),
        ("110105491231002", "legacy_resident_id"),
        ("110108000000016", "business_registration_number"),
        (resident_number("820000", dt.date(1990, 1, 1), 2), "residence_permit"),
        (resident_number("944392", dt.date(1990, 1, 1), 2), "permanent_residence"),
        ("JPN440090010102", "permanent_residence"),
        ("H12345678", "hk_macau_permit"),
        ("M1234567802", "hk_macau_permit"),
        ("12345678", "taiwan_permit"),
        ("1234567890(C)", "taiwan_permit"),
        (ICAO_SPECIMEN, "passport_mrz"),
        (mrz_line("E12345678", "CHN", "900101", "M", "300101", "ABCDEFGHIJKLMN"), "passport_mrz"),
        ("91350100M000100Y43", "uscc"),
        ("60003734-1", "org_code"),
    ],
)
def test_auto_detects_the_type(number: str, document_type: str) -> None:
    result = check("auto", number)
    assert result.type == document_type
    assert result.valid, result.error_codes
    assert document_type in result.details["detected"]["candidates"]


def test_auto_falls_back_to_the_second_candidate_when_the_first_is_invalid() -> None:
    # All digits, starting like a permanent residence card, but valid only as a credit code.
    number = next(
        candidate
        for candidate in (uscc_number("9", "1", "110000", f"{n:08d}") for n in range(1000))
        if candidate[-1].isdigit()
    )
    result = check("auto", number)
    assert result.type == "uscc"
    assert result.valid


def test_auto_reports_the_most_plausible_type_with_its_errors() -> None:
    result = check("auto", "110105194912310021")
    assert result.type == "resident_id"
    assert result.error_codes == ["checksum"]
    shorter = check("auto", "11010519491231002")
    assert shorter.type == "resident_id"
    assert shorter.error_codes == ["length"]


def test_auto_refuses_unrecognisable_text() -> None:
    result = check("auto", "hello")
    assert result.type == "auto"
    assert result.error_codes == ["type_unknown"]
