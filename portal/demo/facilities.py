"""Demo facilities: a realistic mix of the five types across the 20 regions, named in kk/ru/en.

Names follow the glossary (``shared/data/glossary.csv``), e.g. ru "Исправительная
колония № 7 (Караганда)", kk "№ 7 түзеу колониясы (Қарағанды)", en "Correctional
colony No. 7 (Karaganda)". Each facility also carries the inflected forms the
complaint narratives need ("в исправительной колонии № 7", "колониясында"…).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from portal.demo.common import apportion
from portal.demo.grammar import kk_case, kk_poss_case
from portal.models import Authority, FacilityType, Region

#: Share of each type among the facilities (300 → 60 colonies, 20 SIZO, 54 IVS, 20, 146).
TYPE_SHARES: dict[FacilityType, float] = {
    FacilityType.COLONY: 0.20,
    FacilityType.SIZO: 0.067,
    FacilityType.IVS: 0.18,
    FacilityType.SPECIAL_DETENTION: 0.067,
    FacilityType.POLICE: 0.486,
}

#: Population in hundreds of thousands (rounded), for police stations and IVS.
POPULATION = {
    "abai": 6,
    "akmola": 8,
    "aktobe": 9,
    "almaty-region": 15,
    "atyrau": 7,
    "west-kazakhstan": 7,
    "jambyl": 12,
    "jetisu": 7,
    "karaganda": 11,
    "kostanay": 8,
    "kyzylorda": 8,
    "mangystau": 8,
    "pavlodar": 7.5,
    "north-kazakhstan": 5.3,
    "turkistan": 21,
    "ulytau": 2.2,
    "east-kazakhstan": 7,
    "astana": 15,
    "almaty": 22,
    "shymkent": 12,
}

#: Where the colonies are: the old camp regions hold most of them.
COLONY_WEIGHT = {
    "karaganda": 10,
    "pavlodar": 6,
    "kostanay": 6,
    "east-kazakhstan": 5,
    "akmola": 6,
    "almaty-region": 6,
    "north-kazakhstan": 4,
    "jambyl": 4,
    "aktobe": 3,
    "west-kazakhstan": 3,
    "kyzylorda": 3,
    "turkistan": 4,
    "abai": 3,
    "atyrau": 2,
    "mangystau": 2,
    "jetisu": 2,
    "ulytau": 2,
    "astana": 2,
    "almaty": 2,
    "shymkent": 2,
}

#: Invented old institutional codes ("УК-161/3"), one prefix per region; demo only.
COLONY_CODES = {
    "abai": "УГ-157",
    "akmola": "ЕЦ-166",
    "aktobe": "ЛК-158",
    "almaty-region": "ЛА-155",
    "atyrau": "ЕИ-160",
    "west-kazakhstan": "ОА-163",
    "jambyl": "ЖД-158",
    "jetisu": "ТА-172",
    "karaganda": "АК-159",
    "kostanay": "УК-161",
    "kyzylorda": "КЗ-167",
    "mangystau": "МА-171",
    "pavlodar": "АП-162",
    "north-kazakhstan": "ЕС-164",
    "turkistan": "ЮК-165",
    "ulytau": "ЖК-153",
    "east-kazakhstan": "ОВ-156",
    "astana": "АН-170",
    "almaty": "ОВ-154",
    "shymkent": "ШК-169",
}

#: Russian prepositional ("в Караганде") and genitive forms of the centres and cities.
RU_CITY = {
    "Семей": ("Семее", "Семея"),
    "Кокшетау": ("Кокшетау", "Кокшетау"),
    "Актобе": ("Актобе", "Актобе"),
    "Конаев": ("Конаеве", "Конаева"),
    "Атырау": ("Атырау", "Атырау"),
    "Уральск": ("Уральске", "Уральска"),
    "Тараз": ("Таразе", "Тараза"),
    "Талдыкорган": ("Талдыкоргане", "Талдыкоргана"),
    "Караганда": ("Караганде", "Караганды"),
    "Костанай": ("Костанае", "Костаная"),
    "Кызылорда": ("Кызылорде", "Кызылорды"),
    "Актау": ("Актау", "Актау"),
    "Павлодар": ("Павлодаре", "Павлодара"),
    "Петропавловск": ("Петропавловске", "Петропавловска"),
    "Туркестан": ("Туркестане", "Туркестана"),
    "Жезказган": ("Жезказгане", "Жезказгана"),
    "Усть-Каменогорск": ("Усть-Каменогорске", "Усть-Каменогорска"),
    "Астана": ("Астане", "Астаны"),
    "Алматы": ("Алматы", "Алматы"),
    "Шымкент": ("Шымкенте", "Шымкента"),
}

#: City districts whose police departments are named after them:
#: (slug, ru genitive adjective, kk name, en name).
DISTRICTS = {
    "almaty": [
        ("almaly", "Алмалинского", "Алмалы", "Almaly"),
        ("auezov", "Ауэзовского", "Әуезов", "Auezov"),
        ("bostandyk", "Бостандыкского", "Бостандық", "Bostandyk"),
        ("zhetysu", "Жетысуского", "Жетісу", "Zhetysu"),
        ("medeu", "Медеуского", "Медеу", "Medeu"),
        ("turksib", "Турксибского", "Түрксіб", "Turksib"),
        ("nauryzbay", "Наурызбайского", "Наурызбай", "Nauryzbay"),
        ("alatau", "Алатауского", "Алатау", "Alatau"),
    ],
    "astana": [
        ("almaty", "Алматинского", "Алматы", "Almaty"),
        ("esil", "Есильского", "Есіл", "Esil"),
        ("saryarka", "Сарыаркинского", "Сарыарқа", "Saryarka"),
        ("baikonur", "Байконурского", "Байқоңыр", "Baikonur"),
        ("nura", "Нуринского", "Нұра", "Nura"),
    ],
    "shymkent": [
        ("abay", "Абайского", "Абай", "Abay"),
        ("al-farabi", "Аль-Фарабийского", "Әл-Фараби", "Al-Farabi"),
        ("enbekshi", "Енбекшинского", "Еңбекші", "Enbekshi"),
        ("karatau", "Каратауского", "Қаратау", "Karatau"),
        ("turan", "Туранского", "Тұран", "Turan"),
    ],
}

#: Per type: ru (nominative, prepositional, accusative, genitive, short "в …"),
#: kk (noun phrase in the 3rd-person possessive, short locative), en, slug part.
_TYPE_WORDS = {
    FacilityType.COLONY: (
        (
            "Исправительная колония",
            "исправительной колонии",
            "исправительную колонию",
            "исправительной колонии",
            "в колонии",
        ),
        ("түзеу колониясы", "колонияда"),
        "Correctional colony",
        "colony",
    ),
    FacilityType.SIZO: (
        (
            "Следственный изолятор",
            "следственном изоляторе",
            "следственный изолятор",
            "следственного изолятора",
            "в СИЗО",
        ),
        ("тергеу изоляторы", "тергеу изоляторында"),
        "Pre-trial detention centre",
        "sizo",
    ),
    FacilityType.IVS: (
        (
            "Изолятор временного содержания",
            "изоляторе временного содержания",
            "изолятор временного содержания",
            "изолятора временного содержания",
            "в ИВС",
        ),
        ("уақытша ұстау изоляторы", "изоляторда"),
        "Temporary detention facility",
        "ivs",
    ),
    FacilityType.SPECIAL_DETENTION: (
        (
            "Специальный приемник",
            "специальном приемнике",
            "специальный приемник",
            "специального приемника",
            "в спецприемнике",
        ),
        ("арнаулы қабылдау орны", "қабылдау орнында"),
        "Special detention centre",
        "special-detention",
    ),
    FacilityType.POLICE: (
        ("Отдел полиции", "отделе полиции", "отдел полиции", "отдела полиции", "в отделе"),
        ("полиция бөлімі", "бөлімде"),
        "Police department",
        "police",
    ),
}


@dataclass
class FacilityPlan:
    """One generated facility: its row, plus what coverage and complaints need."""

    id: int
    region_id: int
    region_slug: str
    type: FacilityType
    slug: str
    name_ru: str
    name_kk: str
    name_en: str
    #: Relative size (1.0 = typical for the type): scales zones and complaints.
    size: float
    #: Narrative forms: ru FAC/FACprep/FACacc/FACgen/FACshort/CITYprep/CITYgen,
    #: kk FAC/FACloc/FACdat/FACabl/FACshort/CITY/CITYloc/CITYattr.
    ru: dict[str, str] = field(default_factory=dict)
    kk: dict[str, str] = field(default_factory=dict)
    aliases: list[tuple[str, str | None, bool]] = field(default_factory=list)

    def row(self) -> dict[str, object]:
        """The ``facilities`` row."""
        authority = (
            Authority.KUIS
            if self.type in (FacilityType.COLONY, FacilityType.SIZO)
            else Authority.POLICE
        )
        return {
            "id": self.id,
            "slug": self.slug,
            "region_id": self.region_id,
            "type": self.type,
            "authority": authority,
            "name_kk": self.name_kk,
            "name_ru": self.name_ru,
            "name_en": self.name_en,
            "is_demo": True,
        }


def _counts_by_region(total: int, kind: FacilityType, regions: list[Region]) -> list[int]:
    """How many facilities of ``kind`` each region gets."""
    if kind == FacilityType.COLONY:
        return apportion(total, [COLONY_WEIGHT.get(r.slug, 2) for r in regions])
    weights = [POPULATION.get(r.slug, 5) for r in regions]
    if kind in (FacilityType.SIZO, FacilityType.SPECIAL_DETENTION) and total >= len(regions):
        extra = apportion(total - len(regions), weights)
        return [1 + n for n in extra]
    return apportion(total, weights)


def _spread(matrix: dict[FacilityType, list[int]], regions: int) -> None:
    """Move police stations (then IVS) so that every region has at least one facility."""
    for index in range(regions):
        if any(matrix[kind][index] for kind in matrix):
            continue
        for kind in (FacilityType.POLICE, FacilityType.IVS, FacilityType.COLONY):
            donor = max(range(regions), key=lambda i, k=kind: (matrix[k][i], -i))
            if matrix[kind][donor] >= 1 and sum(m[donor] for m in matrix.values()) > 1:
                matrix[kind][donor] -= 1
                matrix[kind][index] += 1
                break


def _numbers(rng: random.Random, count: int, kind: FacilityType) -> list[int]:
    """Distinct facility numbers within a region: colonies and police have gaps."""
    if kind in (FacilityType.COLONY, FacilityType.POLICE):
        return sorted(rng.sample(range(1, max(3 * count, 12) + 1), count))
    return list(range(1, count + 1))


def _city(region: Region) -> tuple[str, str, str]:
    """The ru, kk and en name of the region's centre, or of the city itself."""
    if region.centre_ru:
        return region.centre_ru, region.centre_kk or region.centre_ru, region.centre_en or ""
    return region.name_ru, region.name_kk, region.name_en


def region_forms(region: Region) -> dict[str, dict[str, str]]:
    """The region's centre (or the city itself) by language, in the cases narratives use."""
    city_ru, city_kk, _ = _city(region)
    prep, gen = RU_CITY.get(city_ru, (city_ru, city_ru))
    return {
        "ru": {"CITY": city_ru, "CITYprep": f"в {prep}", "CITYgen": gen},
        "kk": {
            "CITY": city_kk,
            "CITYloc": kk_case(city_kk, "loc"),
            "CITYattr": kk_case(city_kk, "locattr"),
        },
    }


def _forms(
    plan: FacilityPlan, region: Region, ru: tuple[str, ...], kk_base: str, kk_short: str
) -> None:
    """Fill the inflected names used in narratives."""
    city = region_forms(region)
    plan.ru = {
        **city["ru"],
        "FAC": ru[0],
        "FACprep": f"в {ru[1]} {city['ru']['CITYprep']}",
        "FACacc": f"в {ru[2]}",
        "FACgen": f"из {ru[3]}",
        "FACshort": ru[4],
    }
    plan.kk = {
        **city["kk"],
        "FAC": kk_base,
        "FACloc": f"{city['kk']['CITYattr']} {kk_poss_case(kk_base, 'loc')}",
        "FACdat": kk_poss_case(kk_base, "dat"),
        "FACabl": kk_poss_case(kk_base, "abl"),
        "FACshort": kk_short,
    }


def plan_facilities(
    rng: random.Random, regions: list[Region], total: int, first_id: int, taken: set[str]
) -> list[FacilityPlan]:
    """Plan ``total`` facilities over ``regions`` with ids from ``first_id``.

    ``taken`` holds slugs already in the database; a clashing slug gets "-demo".
    """
    kinds = list(TYPE_SHARES)
    type_counts = apportion(total, [TYPE_SHARES[k] for k in kinds])
    if total >= len(kinds):  # every type at least once
        for i, count in enumerate(type_counts):
            if count == 0:
                donor = type_counts.index(max(type_counts))
                type_counts[donor] -= 1
                type_counts[i] = 1
    matrix = {k: _counts_by_region(n, k, regions) for k, n in zip(kinds, type_counts, strict=True)}
    _spread(matrix, len(regions))

    plans: list[FacilityPlan] = []
    next_id = first_id
    for index, region in enumerate(regions):
        city_ru, city_kk, city_en = _city(region)
        districts = list(DISTRICTS.get(region.slug, []))
        for kind in kinds:
            count = matrix[kind][index]
            ru_words, (kk_word, kk_short), en_word, slug_part = _TYPE_WORDS[kind]
            for number in _numbers(rng, count, kind):
                size = round(rng.lognormvariate(0, 0.35), 3)
                if kind == FacilityType.POLICE and districts and rng.random() < 0.8:
                    d_slug, d_ru, d_kk, d_en = districts.pop(0)
                    slug = f"{region.slug}-{d_slug}-district-police"
                    ru = (
                        "Управление полиции " + d_ru + " района",
                        f"управлении полиции {d_ru} района",
                        f"управление полиции {d_ru} района",
                        f"управления полиции {d_ru} района",
                        "в управлении",
                    )
                    kk_base = f"{d_kk} ауданының полиция басқармасы"
                    kk_short_here = "басқармада"
                    en = f"{d_en} District Police Department ({city_en})"
                    size *= 1.6
                else:
                    slug = f"{region.slug}-{slug_part}-{number}"
                    ru = (
                        f"{ru_words[0]} № {number}",
                        f"{ru_words[1]} № {number}",
                        f"{ru_words[2]} № {number}",
                        f"{ru_words[3]} № {number}",
                        ru_words[4],
                    )
                    kk_base = f"№ {number} {kk_word}"
                    kk_short_here = kk_short
                    en = f"{en_word} No. {number} ({city_en})"
                if slug in taken:
                    slug += "-demo"
                taken.add(slug)
                plan = FacilityPlan(
                    id=next_id,
                    region_id=region.id,
                    region_slug=region.slug,
                    type=kind,
                    slug=slug,
                    name_ru=f"{ru[0]} ({city_ru})",
                    name_kk=f"{kk_base} ({city_kk})",
                    name_en=en,
                    size=size,
                )
                _forms(plan, region, ru, kk_base, kk_short_here)
                _add_aliases(rng, plan, region, number)
                plans.append(plan)
                next_id += 1
    return plans


def _add_aliases(rng: random.Random, plan: FacilityPlan, region: Region, number: int) -> None:
    """Former names (Нур-Султан, Южно-Казахстанская область) and old colony codes."""
    if region.slug == "astana":
        plan.aliases += [
            (plan.name_ru.replace("Астана", "Нур-Султан"), "ru", True),
            (plan.name_kk.replace("Астана", "Нұр-Сұлтан"), "kk", True),
            (plan.name_en.replace("Astana", "Nur-Sultan"), "en", True),
        ]
    elif region.slug == "turkistan" and rng.random() < 0.5:
        plan.aliases += [
            (plan.name_ru.replace("(Туркестан)", "(Южно-Казахстанская область)"), "ru", True),
            (plan.name_kk.replace("(Түркістан)", "(Оңтүстік Қазақстан облысы)"), "kk", True),
            (plan.name_en.replace("(Turkistan)", "(South Kazakhstan Region)"), "en", True),
        ]
    if plan.type == FacilityType.COLONY and rng.random() < 0.6:
        plan.aliases.append((f"{COLONY_CODES.get(region.slug, 'УК-150')}/{number}", None, False))


def alias_rows(plans: list[FacilityPlan], first_id: int) -> list[dict[str, object]]:
    """The ``facility_aliases`` rows of ``plans``, with ids from ``first_id``."""
    rows = []
    for plan in plans:
        for name, lang, former in plan.aliases:
            rows.append(
                {
                    "id": first_id + len(rows),
                    "facility_id": plan.id,
                    "name": name,
                    "lang": lang,
                    "is_former": former,
                }
            )
    return rows
