"""Text for reading aloud: web addresses, phone numbers, codes, dates and numbers in words.

A commune loudspeaker article (bài tuyên truyền) is read by a person, often live. Whatever a
reader would have to decode on the spot is written out the way it is said:

- a web address: "https://lienthong.dichvucong.gov.vn" -> "lienthong chấm dichvucong chấm gov
  chấm vn" (no scheme, no slash; "/" is "gạch chéo", "-" "gạch ngang");
- a phone number: digit by digit in groups of at most four, "1900 0368" -> "một chín không
  không, không ba sáu tám" (the writer's own grouping is kept when it is short enough);
- a date: "01/7/2025" -> "ngày mồng một tháng bảy năm hai nghìn không trăm hai mươi lăm";
- a time: "13:30" -> "mười ba giờ ba mươi";
- a legal reference: "Nghị định 63/2024/NĐ-CP" -> "Nghị định số sáu mươi ba năm hai nghìn không
  trăm hai mươi tư của Chính phủ";
- a count: "60 ngày" -> "sáu mươi ngày", "03 ngày" -> "ba ngày";
- a code of letters and digits: "CT01" -> "CT không một", "G22.99.08" -> "G hai hai chấm chín
  chín chấm không tám";
- an abbreviation listeners may not know: "BHYT" -> "bảo hiểm y tế" (``ABBREVIATIONS``).

``speakable`` applies all of them to a sentence and also drops what a reader cannot say
(brackets become commas, straight quotes become typographic ones, symbols become words), so
its output has no ASCII digit and none of ``FORBIDDEN``. Every function is pure.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from lienthong.printing.date_words import number_in_words

__all__ = [
    "FORBIDDEN",
    "code_in_words",
    "date_spoken",
    "digits_in_words",
    "integer_in_words",
    "phone_groups",
    "phone_in_words",
    "speakable",
    "time_spoken",
    "url_in_words",
]

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Months as said aloud; month 4 is "tư" as in generator.date_words.
MONTHS = ("một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một")
MONTHS += ("mười hai",)
# Characters a reader cannot say; ``speakable`` never leaves one in its output.
FORBIDDEN = frozenset("/\\|*#→<>[]{}_=+~^`@%&$")

# Symbols inside a web address or an e-mail, as said aloud.
_URL_SYMBOLS = {
    ".": "chấm",
    "/": "gạch chéo",
    "-": "gạch ngang",
    "_": "gạch dưới",
    "#": "thăng",
    "?": "hỏi chấm",
    "=": "bằng",
    "&": "và",
    ":": "hai chấm",
    "@": "a còng",
    "~": "ngã",
    "%": "phần trăm",
    "+": "cộng",
}
# Issuers in the "số/năm/KÝ-HIỆU" of Vietnamese legal documents.
_ISSUERS = {
    "NĐ-CP": "của Chính phủ",
    "QĐ-TTG": "của Thủ tướng Chính phủ",
    "QĐ-VPCP": "của Văn phòng Chính phủ",
    "TT-BTP": "của Bộ Tư pháp",
    "TT-BCA": "của Bộ Công an",
    "TT-BTC": "của Bộ Tài chính",
    "TT-BYT": "của Bộ Y tế",
    "TT-BNV": "của Bộ Nội vụ",
    "QĐ-BHXH": "của Bảo hiểm xã hội Việt Nam",
    "QH13": "của Quốc hội khóa mười ba",
    "QH14": "của Quốc hội khóa mười bốn",
    "QH15": "của Quốc hội khóa mười lăm",
}

# Abbreviations a listener would not recognise when spelled out.
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "CCCD": "căn cước công dân",
    "CMND": "chứng minh nhân dân",
    "TTHC": "thủ tục hành chính",
    "DVC": "dịch vụ công",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b")
_SCHEME = re.compile(r"^(?:https?://)", re.IGNORECASE)
# A web address written with or without its scheme: host of at least two labels ending in a
# known top-level domain, then an optional path.
_TLD = r"(?:vn|com|net|org|gov|edu|info|io)"
_URL_END = r"[^\s,;()\"“”]"
_URL = re.compile(
    r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    + _TLD
    + r"\b(?:/(?:"
    + _URL_END
    + r"*[^\s,;()\"“”.!?:])?)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}", re.IGNORECASE)
_LEGAL = re.compile(r"(\d{1,4})/(\d{4})/(QH\d{2}|[A-ZĐ]{1,6}(?:-[A-ZĐa-z]{1,8})?)")
# "176/2025" after the name of a kind of document: its number and year.
_DOC_KINDS = ("nghị định", "thông tư", "quyết định", "công văn", "luật", "nghị quyết", "số")
_NUMBER_YEAR = re.compile(r"\b(\d{1,4})/(\d{4})\b(?!/)")
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_TIME_RANGE = re.compile(r"\b(\d{1,2})[:h](\d{2})\s*[–—-]\s*(\d{1,2})[:h](\d{2})\b")
_TIME = re.compile(r"\b(\d{1,2})[:h](\d{2})\b")
# Thousands written with dots, as Vietnamese does: "3.321", "10.000.000".
_THOUSANDS = re.compile(r"(?<![\w.])[1-9]\d{0,2}(?:\.\d{3})+(?![\w.]*\d)")
# A phone number: seven or more digits, possibly grouped with single spaces, dots or dashes,
# possibly starting with +84.
_PHONE = re.compile(r"(?<![\w.])(?:\+84[ .]?|(?=\d\d))\d(?:[ .-]?\d){6,14}(?!\w)")
# A token of ASCII letters and digits joined by dots or dashes; a code when it mixes letters
# and digits ("CT01", "G22.99.08-240725-0924") or joins digits with dots ("1.001193.02").
_TOKEN = re.compile(r"(?<![\w.-])[A-Za-zĐđ0-9]+(?:[.-][A-Za-zĐđ0-9]+)*(?![\w-])")
_NUMBER = re.compile(r"\b\d+\b")
_SPACES = re.compile(r"[ \t]+")


def digits_in_words(digits: str) -> str:
    """Each digit as a word: "0368" -> "không ba sáu tám" (any script's digits)."""
    return " ".join(
        DIGITS[unicodedata.digit(d)] for d in digits if unicodedata.digit(d, None) is not None
    )


def _group_of_three(n: int, *, leading: bool) -> str:
    """0..999 inside a larger number: after a higher group, "không trăm (linh)" pads it."""
    if leading or n >= 100:
        return number_in_words(n)
    if n >= 10:
        return "không trăm " + number_in_words(n)
    return "không trăm linh " + number_in_words(n)


def integer_in_words(n: int) -> str:
    """A whole number as said aloud, below a million billion ("tỷ", "triệu", "nghìn").

    1000005 -> "một triệu không trăm linh năm"; leading zeros of a written count do not matter
    (``integer_in_words(int("03"))`` is "ba").
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 10**12:
        raise ValueError(f"expected a whole number from 0 to 10^12 - 1, got {n!r}")
    if n < 10000:
        return number_in_words(n)
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    names = ("", "nghìn", "triệu", "tỷ")
    words = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        if groups[index]:
            said = _group_of_three(groups[index], leading=index == top)
            words.append(f"{said} {names[index]}".strip())
    return " ".join(words)


def phone_groups(phone: str) -> list[str]:
    """The digit groups in which a phone number is read, each of at most four digits.

    The writer's grouping is kept when every group has two to four digits ("0912 000 111",
    "1900.0368"); otherwise the number is regrouped by its kind: 1800/1900 numbers 4-4, mobile
    numbers 4-3-3, landlines 3-4-4, anything else in near-equal groups of at most four.
    """
    text = phone.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+84"):
        digits = "0" + digits[2:]
    typed = re.findall(r"\d+", text)
    if text.startswith("+84"):
        typed = ["0" + typed[0][2:], *typed[1:]] if typed and len(typed[0]) > 2 else typed[1:]
        if typed and not typed[0].startswith("0"):
            typed = ["0" + typed[0], *typed[1:]]
    if len(typed) > 1 and all(2 <= len(g) <= 4 for g in typed):
        return typed
    n = len(digits)
    if n == 8 and digits[:4] in ("1800", "1900"):
        sizes = [4, 4]
    elif n == 10 and digits.startswith("0"):
        sizes = [4, 3, 3]
    elif n == 11 and digits.startswith("02"):
        sizes = [3, 4, 4]
    else:
        count = max(1, -(-n // 4))
        base, extra = divmod(n, count)
        sizes = [base + 1] * extra + [base] * (count - extra)
    out, start = [], 0
    for size in sizes:
        out.append(digits[start : start + size])
        start += size
    return [g for g in out if g]


def phone_in_words(phone: str) -> str:
    """A phone number read digit by digit in groups: "0912 000 111" ->
    "không chín một hai, không không không, một một một". Text without digits (a blank left by
    lienthong new) is read as written."""
    if not re.search(r"\d", phone):
        return phone
    return ", ".join(digits_in_words(g) for g in phone_groups(phone))


def _url_token(token: str) -> str:
    """One piece of an address between symbols: letters as written, digits one by one."""
    parts = re.findall(r"\d+|[^\d]+", token)
    return " ".join(digits_in_words(p) if p.isdigit() else p for p in parts)


def url_in_words(url: str) -> str:
    """A web address as said aloud: "https://lienthong.dichvucong.gov.vn/" ->
    "lienthong chấm dichvucong chấm gov chấm vn".

    The scheme and a final slash are not said; "www" is "vê kép vê kép vê kép"; letters stay as
    written (readers say "dichvucong" as it looks), digits are read one by one.
    """
    text = _SCHEME.sub("", url.strip()).rstrip("/")
    words: list[str] = []
    for piece in re.split(r"([./\-_#?=&:@~%+])", text):
        if not piece:
            continue
        if piece in _URL_SYMBOLS:
            words.append(_URL_SYMBOLS[piece])
        elif piece.lower() == "www":
            words.append("vê kép vê kép vê kép")
        else:
            words.append(_url_token(piece.lower()))
    return " ".join(words)


def code_in_words(code: str) -> str:
    """A code of letters, digits and dots: letters as written, digits one by one.

    "CT01" -> "CT không một"; "G22.99.08-240725" -> "G hai hai chấm chín chín chấm không tám
    gạch ngang hai bốn không bảy hai năm".
    """
    words: list[str] = []
    for piece in re.split(r"([.\-/])", code):
        if not piece:
            continue
        if piece in _URL_SYMBOLS:
            words.append(_URL_SYMBOLS[piece])
        else:
            words.append(_url_token(piece))
    return " ".join(words)


def date_spoken(day: int, month: int, year: int) -> str:
    """A date as read aloud: (1, 7, 2025) -> "ngày mồng một tháng bảy năm hai nghìn không trăm
    hai mươi lăm" ("mồng" before days one to ten, as announcers say it)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"not a date: {day}/{month}/{year}")
    prefix = "mồng " if day <= 10 else ""
    return (
        f"ngày {prefix}{number_in_words(day)} tháng {MONTHS[month - 1]} năm {number_in_words(year)}"
    )


def time_spoken(hour: int, minute: int) -> str:
    """A clock time: (8, 0) -> "tám giờ"; (13, 30) -> "mười ba giờ ba mươi"."""
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        raise ValueError(f"not a time: {hour}:{minute:02d}")
    said = f"{number_in_words(hour)} giờ"
    if minute:
        said += f" {number_in_words(minute)}"
    return said


def _legal(m: re.Match[str]) -> str:
    number, year, symbol = m.group(1), m.group(2), m.group(3)
    issuer = _ISSUERS.get(symbol.upper())
    said = f"{integer_in_words(int(number))} năm {number_in_words(int(year))}"
    if not m.string[: m.start()].rstrip().lower().endswith("số"):
        said = "số " + said
    if issuer:
        return f"{said} {issuer}"
    return f"{said} ký hiệu {' '.join(re.split(r'-', symbol))}"


def _date(m: re.Match[str]) -> str:
    return _date_parts(m, int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _date_parts(m: re.Match[str], day: int, month: int, year: int) -> str:
    try:
        said = date_spoken(day, month, year)
    except ValueError:
        return m.group(0)
    # "Từ ngày 01/7/2025": the word "ngày" is already there.
    if m.string[: m.start()].rstrip().lower().endswith("ngày"):
        said = said.removeprefix("ngày ")
    return said


def _number_year(m: re.Match[str]) -> str:
    number, year = int(m.group(1)), int(m.group(2))
    before = m.string[: m.start()].rstrip().lower()
    if not before.endswith(_DOC_KINDS) and 1 <= number <= 12:
        return f"tháng {MONTHS[number - 1]} năm {number_in_words(year)}"
    said = f"{integer_in_words(number)} năm {number_in_words(year)}"
    return said if before.endswith("số") else "số " + said


def _time_range(m: re.Match[str]) -> str:
    first = time_spoken(int(m.group(1)), int(m.group(2)))
    second = time_spoken(int(m.group(3)), int(m.group(4)))
    return f"{first} đến {second}"


def _lettered_code(m: re.Match[str]) -> str:
    token = m.group(0)
    if any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token):
        return code_in_words(token)
    return token


def _dotted_code(m: re.Match[str]) -> str:
    token = m.group(0)
    if "." in token and token.replace(".", "").isdigit():
        return code_in_words(token)
    return token


def _number(m: re.Match[str]) -> str:
    text = m.group(0)
    if len(text) > 12:
        return digits_in_words(text)
    if text == "0":
        return "số không"
    return integer_in_words(int(text))


def _brackets(text: str) -> str:
    """(aside) -> , aside, : a reader marks brackets with a pause."""
    text = re.sub(r"\s*\(\s*", ", ", text)
    text = re.sub(r"\s*\)\s*(?=[,.;:!?]|$)", "", text)
    text = re.sub(r"\s*\)\s*", ", ", text)
    return text


def _quotes(text: str) -> str:
    """Straight double quotes become typographic ones, paired from the left."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def speakable(text: str) -> str:
    """A sentence rewritten for reading aloud (see the module docstring); NFC, no ASCII digit.

    Order matters: e-mails and web addresses first (they contain dots and digits), then legal
    references and dates (they contain slashes), clock times, codes with letters, thousands
    ("3.321"), phone numbers, codes of dotted digits, and last plain counts.
    """
    text = unicodedata.normalize("NFC", str(text))
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = _EMAIL.sub(lambda m: url_in_words(m.group(0)), text)
    text = _URL.sub(lambda m: url_in_words(m.group(0)), text)
    # A scheme or "www." left without a full address is not said at all.
    text = re.sub(r"(?i)https?://|www\.", " ", text)
    text = _LEGAL.sub(_legal, text)
    text = _DATE.sub(_date, text)
    text = _ISO_DATE.sub(
        lambda m: _date_parts(m, int(m.group(3)), int(m.group(2)), int(m.group(1))), text
    )
    text = _NUMBER_YEAR.sub(_number_year, text)
    text = _TIME_RANGE.sub(_time_range, text)
    text = _TIME.sub(lambda m: time_spoken(int(m.group(1)), int(m.group(2))), text)
    text = _TOKEN.sub(_lettered_code, text)
    text = _THOUSANDS.sub(lambda m: integer_in_words(int(m.group(0).replace(".", ""))), text)
    text = _PHONE.sub(lambda m: phone_in_words(m.group(0)), text)
    text = _TOKEN.sub(_dotted_code, text)
    text = _NUMBER.sub(_number, text)
    # Digits glued to other letters ("x5", "ă7"): read one by one, set apart.
    text = re.sub(r"\d+", lambda m: f" {digits_in_words(m.group(0))} ", text)
    text = _brackets(text)
    text = _quotes(text)
    # Dashes between words are pauses; other symbols are said or dropped.
    text = re.sub(r"\s+[–—-]\s+", ", ", text)
    text = re.sub(r"[–—]", " đến ", text)
    text = text.replace("→", " rồi ").replace("&", " và ").replace("%", " phần trăm")
    text = text.replace("/", " hoặc ").replace("+", " cộng ").replace("@", " a còng ")
    text = "".join(" " if ch in FORBIDDEN else ch for ch in text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = _SPACES.sub(" ", text).strip().lstrip(",;: ")
    return unicodedata.normalize("NFC", text)
