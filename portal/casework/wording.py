"""The words of outgoing letters, in Kazakh and Russian, whatever the reviewer's language.

Letters go to prosecutors, facility heads and other bodies in both state
languages, so their wording is kept here and in ``templates/letters/``, not in
the interface's catalogs: a reviewer reading the workspace in English still
issues a letter in Kazakh and Russian. Zone and body names follow
``docs/glossary.csv``. Kazakh dates stand where no suffix has to attach to them.
"""

from __future__ import annotations

from datetime import date

from portal.models import DatePrecision, Recipient, ZoneType

LETTER_LANGUAGES = ("kk", "ru")

KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip

#: Zone names as a letter lists them (lower case, after a dash).
ZONES: dict[ZoneType, dict[str, str]] = {
    ZoneType.CELLS: {"kk": "камералар мен тұрғын үй-жайлар", "ru": "камеры и жилые помещения"},
    ZoneType.CORRIDORS: {"kk": "дәліздер мен баспалдақтар", "ru": "коридоры и лестничные клетки"},
    ZoneType.INTERROGATION: {
        "kk": "тергеу кабинеттері мен жауап алу бөлмелері",
        "ru": "следственные кабинеты и комнаты для допросов",
    },
    ZoneType.DUTY_INTAKE: {"kk": "кезекші бөлім және қабылдау", "ru": "дежурная часть и приём"},
    ZoneType.EXERCISE_YARDS: {"kk": "серуендеу аулалары", "ru": "прогулочные дворы"},
    ZoneType.MEDICAL: {"kk": "медициналық бөлім", "ru": "медицинская часть"},
    ZoneType.VISITING: {"kk": "кездесу бөлмелері", "ru": "комнаты свиданий"},
    ZoneType.DISCIPLINARY: {
        "kk": "тәртіптік изолятор және жалғыз адамдық камералар (ШИЗО/ПКТ)",
        "ru": "дисциплинарный изолятор и одиночные камеры (ШИЗО/ПКТ)",
    },
    ZoneType.TRANSPORT: {"kk": "айдауыл көлігі", "ru": "конвойный транспорт"},
    ZoneType.PERIMETER: {"kk": "периметр", "ru": "периметр"},
    ZoneType.BODYCAMS: {
        "kk": "қызметкерлердің бейнетіркегіштері",
        "ru": "нагрудные видеорегистраторы сотрудников",
    },
}

#: Whom a referral letter is addressed to (the dative, as the heading of a letter has it).
RECIPIENTS: dict[Recipient, dict[str, str]] = {
    Recipient.PROSECUTOR: {"kk": "Прокуратураға", "ru": "В прокуратуру"},
    Recipient.OMBUDSMAN: {
        "kk": "Қазақстан Республикасындағы Адам құқықтары жөніндегі уәкілге "
        "(Ұлттық алдын алу тетігі)",
        "ru": "Уполномоченному по правам человека в Республике Казахстан "
        "(Национальный превентивный механизм)",
    },
    Recipient.OTHER: {"kk": "", "ru": ""},
}


def date_kk(day: date) -> str:
    """A date as Kazakh official letters write it: ``2026 жылғы 1 қараша``."""
    return f"{day.year} жылғы {day.day} {KK_MONTHS[day.month - 1]}"


def date_ru(day: date) -> str:
    """A date as Russian official letters write it: ``1 ноября 2026 года``."""
    return f"{day.day} {RU_MONTHS[day.month - 1]} {day.year} года"


def written_date(day: date, lang: str) -> str:
    """A date in the words of ``lang`` (kk or ru)."""
    return date_kk(day) if lang == "kk" else date_ru(day)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def incident_when(day: date, precision: DatePrecision, lang: str) -> str:
    """When the incident happened: its day, or its whole month when the day is not known.

    Russian takes it after "события произошли", Kazakh after "оқиға болған уақыт:".
    """
    if precision != DatePrecision.MONTH:
        return written_date(day, lang)
    last = _month_end(day).day
    if lang == "kk":
        return f"{day.year} жылғы 1–{last} {KK_MONTHS[day.month - 1]} аралығы"
    return f"в период с 1 по {last} {RU_MONTHS[day.month - 1]} {day.year} года"


def incident_span_ru(day: date, precision: DatePrecision) -> str:
    """The same in Russian after "видеозаписи за": ``1 ноября …`` or ``период с 1 по 30 …``."""
    return incident_when(day, precision, "ru").removeprefix("в ")


def days_ru(count: int) -> str:
    """``count`` days in Russian, with the right form of the noun (1 день, 2 дня, 5 дней)."""
    if count % 10 == 1 and count % 100 != 11:
        word = "день"
    elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        word = "дня"
    else:
        word = "дней"
    return f"{count} {word}"


def zone_names(zones: list[ZoneType], lang: str) -> list[str]:
    """The names of ``zones`` in ``lang``, in the portal's order of zone types."""
    return [ZONES[zone][lang] for zone in ZoneType if zone in zones]
