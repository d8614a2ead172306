"""Synthetic people with valid resident identity numbers, for the identity check simulator's data set."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from regdesk.rules import divisions
from regdesk.rules.identity import validate
from regdesk.rules.identity.checksums import mod_11_2_check

# The day the data sets describe: birth dates, establishment and cancellation dates all lie before it.
AS_OF = dt.date(2025, 6, 1)
PEOPLE = 200

# Common surnames, roughly by frequency (the first ones repeat so that they are drawn more often).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
FREQUENT_SURNAMES = "王李张刘陈杨黄赵吴周"
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方")
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文博晨轩昊然睿"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英燕红萍雪琳晶倩婷颖露瑶怡欣佳雨梦嘉悦涵馨彤璐琪"
# Names of Uyghur citizens as the ID card writes them: given name, middle dot (U+00B7), father's name.
MINORITY_NAMES = ("买买提·艾力", "阿依古丽·吐尔逊", "艾尔肯·买买提", "古丽娜尔·阿不都")
# A character and one a clerk or an applicant might write instead (a homophone or a look-alike).
HOMOPHONES = {"伟": "玮", "丽": "莉", "明": "铭", "静": "婧", "敏": "珉", "杰": "洁", "涛": "韬", "琳": "霖"}
# Simplified surname -> its traditional form: an applicant from Hong Kong or Taiwan habits may write it so.
TRADITIONAL = {"陈": "陳", "刘": "劉", "张": "張", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳"}


def _mask(number: str) -> str:
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


class PeopleGenerator:
    """Synthetic people with valid resident identity numbers."""

    def __init__(self, rng: random.Random, table: divisions.DivisionTable) -> None:
        self.rng = rng
        self.table = table
        codes = sorted(table.divisions)
        county_level = [code for code in codes if code[4:] != "00" and code[:2] not in ("71", "81", "82", "83")]
        self.current = [
            code
            for code in county_level
            if table.is_current(table.divisions[code]) and table.divisions[code].name not in divisions.GROUPING_NAMES
        ]
        # Codes abolished since: people born there before keep them for life (DOMAIN.md §3).
        self.abolished = [
            code
            for code in county_level
            if not table.is_current(table.divisions[code])
            and table.divisions[code].name not in divisions.GROUPING_NAMES
            and table.divisions[code].last_seen >= 1985
        ]
        self.numbers: set[str] = set()
        self.names: set[str] = set()

    def name(self, sex: str) -> str:
        for _attempt in range(1000):
            roll = self.rng.random()
            if roll < 0.03:
                surname = self.rng.choice(COMPOUND_SURNAMES)
            elif roll < 0.45:
                surname = self.rng.choice(FREQUENT_SURNAMES)
            else:
                surname = self.rng.choice(SURNAMES)
            pool = GIVEN_MALE if sex == "male" else GIVEN_FEMALE
            given = "".join(self.rng.choice(pool) for _ in range(1 if self.rng.random() < 0.35 else 2))
            candidate = surname + given
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate
        raise RuntimeError("no unused name left")

    def number(self, *, sex: str, birth: dt.date, region: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 1000)
            # GB 11643-1999 §5.3: the sequence code is odd for men and even for women.
            if (sequence % 2 == 1) != (sex == "male"):
                continue
            body = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = body + mod_11_2_check(body)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def birth_date(self, earliest: int = 1950, latest: int = 2006) -> dt.date:
        start = dt.date(earliest, 1, 1)
        days = (dt.date(latest, 12, 31) - start).days
        return start + dt.timedelta(days=self.rng.randrange(days + 1))

    def person(
        self, *, name: str | None = None, region: str | None = None, birth: dt.date | None = None
    ) -> dict[str, Any]:
        sex = self.rng.choice(("male", "female"))
        birth = birth or self.birth_date()
        region = region or self.rng.choice(self.current)
        name = name or self.name(sex)
        number = self.number(sex=sex, birth=birth, region=region)
        return {
            "id_number": number,
            "name": name,
            "sex": sex,
            "birth_date": birth.isoformat(),
            "status": "valid",
            "cancelled_on": None,
            "face_id": "",
            "photo_never_matches": False,
        }

    def unregistered_number(self) -> str:
        sex = self.rng.choice(("male", "female"))
        return self.number(sex=sex, birth=self.birth_date(), region=self.rng.choice(self.current))


def generate_people(rng: random.Random, table: divisions.DivisionTable) -> dict[str, Any]:
    """About 200 people: ordinary ones, cancelled numbers, photos that never match, names that are easy to get wrong."""
    generator = PeopleGenerator(rng, table)
    people: list[dict[str, Any]] = []
    # Four people with Uyghur names (a middle dot in the name), born in Xinjiang.
    xinjiang = [code for code in generator.current if code.startswith("65")]
    for name in MINORITY_NAMES:
        people.append(generator.person(name=name, region=rng.choice(xinjiang)))
        generator.names.add(name)
    # Five people whose address code was abolished after they were born (old Beijing districts and others).
    for _index in range(5):
        region = rng.choice(generator.abolished)
        last_seen = table.divisions[region].last_seen
        birth = generator.birth_date(1950, min(last_seen, 2000))
        people.append(generator.person(region=region, birth=birth))
    while len(people) < PEOPLE:
        people.append(generator.person())
    rng.shuffle(people)
    for index, person in enumerate(people):
        person["face_id"] = f"face-{index + 1:04d}"

    ordinary = [person for person in people if "·" not in person["name"]]
    cancelled = ordinary[-8:]
    for person in cancelled:
        # 注销: the number was cancelled (the holder died, or a duplicate number was withdrawn).
        born = dt.date.fromisoformat(person["birth_date"])
        start = max(born + dt.timedelta(days=365 * 18), dt.date(2005, 1, 1))
        person["status"] = "cancelled"
        person["cancelled_on"] = (start + dt.timedelta(days=rng.randrange((AS_OF - start).days))).isoformat()
    photo_mismatch = ordinary[-14:-8]
    for person in photo_mismatch:
        person["photo_never_matches"] = True
    plain = [person for person in ordinary if person["status"] == "valid" and not person["photo_never_matches"]]

    homophone = next(person for person in plain if person["name"][-1] in HOMOPHONES)
    traditional = next(person for person in plain if person["name"][0] in TRADITIONAL and person is not homophone)
    swapped_pool = [person for person in plain if person not in (homophone, traditional)]
    someone, someone_else = swapped_pool[10], swapped_pool[11]
    with_x = next(person for person in plain if person["id_number"].endswith("X"))
    minority = next(person for person in people if "·" in person["name"] and person["status"] == "valid")
    abolished_region = next(
        person
        for person in plain
        if person["id_number"][:6] in table.divisions and not table.is_current(table.divisions[person["id_number"][:6]])
    )

    def entry(person: dict[str, Any], note: str, name: str | None = None) -> dict[str, Any]:
        item = {"id_number": person["id_number"], "name": name or person["name"], "note": note}
        if name is not None:
            item["registered_name"] = person["name"]
        return item

    examples = {
        "match": [
            entry(plain[0], "an ordinary person; any photo matches unless registered to someone else"),
            entry(with_x, "the number's check character is X"),
            entry(minority, "a Uyghur name with a middle dot (U+00B7)"),
            entry(abolished_region, "the address code was abolished after the birth; the number stays valid"),
        ],
        "name_mismatch": [
            entry(
                homophone,
                "the last character written as a homophone",
                homophone["name"][:-1] + HOMOPHONES[homophone["name"][-1]],
            ),
            entry(
                traditional,
                "the surname written in traditional characters",
                TRADITIONAL[traditional["name"][0]] + traditional["name"][1:],
            ),
            entry(someone, "someone else's name with this number", someone_else["name"]),
        ],
        "number_not_found": [
            {
                "id_number": generator.unregistered_number(),
                "name": generator.name("male"),
                "note": "valid number, nobody holds it",
            }
            for _ in range(3)
        ],
        "number_cancelled": [entry(person, f"cancelled on {person['cancelled_on']}") for person in cancelled[:3]],
        "photo_mismatch": [
            entry(person, "the photo on file never matches a live photo") for person in photo_mismatch[:3]
        ],
    }
    for person in people:
        if not validate("resident_id", person["id_number"], today=AS_OF).valid:
            raise RuntimeError(f"generated an invalid number {_mask(person['id_number'])}")
    return {
        "description": "Synthetic people of the identity check simulator (公安身份核验模拟器). Invented, not real.",
        "generated_by": "python -m regdesk.simulators.data.generate",
        "as_of": AS_OF.isoformat(),
        "examples": examples,
        "people": people,
    }
