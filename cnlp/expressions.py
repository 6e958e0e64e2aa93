"""Time and number expressions: a grammar over character classes, written as data.

:data:`GRAMMAR` lists the expressions as ``(name, type, pattern)`` rows. A pattern is a regular
expression over the character classes of :data:`CLASSES` (``{D}`` an ASCII or full-width digit,
``{CD}`` a Chinese digit, ``{CN}`` a Chinese numeral character, ...) and named sub-patterns of
:data:`PARTS`; everything is compiled once, on first use. :func:`find` gives the expressions of a
text, leftmost then longest, not overlapping: ``DATE``, ``TIME`` (clock times, parts of the day and
durations), ``MONEY``, ``PERCENT`` and ``NUMBER`` (ordinals, phone-like numbers, plain numbers in
digits or Chinese numerals). :func:`value` normalises one: ISO 8601 for dates (``2017-10-12``,
``2017-10``, ``--10-12``), times (``15:30``) and durations (``PT3H``, ``P2D``), a number with its
unit for amounts (``35000000 CNY``, ``5.2%``, ``3 ordinal``); None for relative expressions
(``明天``, ``下午``).

:data:`WORDS` are the expressions a segmenter keeps whole (:mod:`cnlp.segmentation.base`): digit
groups joined by separators (``2017-10-12``, ``10:30:15``, ``1,234.5``, ``5.2%``, ``010-62751234``),
always one word (``force``), and runs of Chinese numerals (``三千五百万``, ``二〇一七年``,
``百分之五``), one word where the decoder cut at both of their ends (``prefer``). Words of the
PKU standard that split an expression (``1998年 12月 31日``) stay split: the entity spans them.
"""
from __future__ import annotations

import re
import threading
from decimal import Decimal, InvalidOperation

__all__ = ["CLASSES", "PARTS", "GRAMMAR", "WORDS", "TYPES", "find", "value", "word_spans"]

#: the entity types of expressions
TYPES = ("DATE", "TIME", "MONEY", "PERCENT", "NUMBER")

#: character classes (regex character sets)
CLASSES = {
    "D": "[0-9０-９]",                                            # a digit, ASCII or full width
    "CD": "[〇○零一二三四五六七八九]",                              # a Chinese digit
    "CN": "[〇○零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]",   # a Chinese numeral character
    "SEP": "[-/.．／－]",                                          # a date separator
    "COLON": "[:：]",
    "DOT": "[.．]",
    "COMMA": "[,，]",
    "PCT": "[%％]",
    "CUR": "[¥￥$＄€£]",                                          # a currency sign
}

#: named sub-patterns (may use the classes and the parts before them)
PARTS = [
    ("ANUM", r"{D}{1,3}(?:{COMMA}{D}{3})+(?:{DOT}{D}+)?|{D}+(?:{DOT}{D}+)?"),          # 1,234.5 / 3.14 / 42
    ("CNUM", r"{CN}+(?:点{CD}+)?"),                                                 # 三千五百万 / 五点二
    ("MAG", r"(?:千万|百万|十万|万亿|[十百千万亿])"),                                  # 9.5亿, 3千万
    ("AMOUNT", r"(?:{ANUM})(?:多|余)?{MAG}?|{CNUM}(?:多|余)?{MAG}?"),
    ("MONTH", r"(?:{D}{1,2}|十[一二]?|[一二三四五六七八九])"),
    ("DAY", r"(?:{D}{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"),
    ("YEAR", r"(?:{D}{4}|{D}{2}|{CD}{4}|{CD}{2})"),
    ("HOUR", r"(?:{D}{1,2}|[零一二三四五六七八九十]{1,3}|两)"),
    ("MIN", r"(?:零?{D}{1,2}|[一二三四五]?十[一二三四五六七八九]?|零?[一二三四五六七八九])"),
    ("PERIOD", r"(?:凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|夜里|夜间|半夜|深夜|午夜|白天)"),
    ("DUNIT", r"(?:个小时|小时|个钟头|钟头|分钟|秒钟|秒|天|日|周|个星期|星期|个月|年|个世纪|世纪)"),
    ("CURWORD", r"(?:元|块钱|块|美元|欧元|日元|英镑|港元|港币|人民币|美金|卢布|韩元|法郎|马克|澳元|加元|台币|新台币)"),
    ("RELDATE", r"(?:今天|明天|后天|昨天|前天|大后天|大前天|今年|明年|去年|前年|后年|本月|上月|下月|上个月|下个月|"
                r"本周|上周|下周|这周|本星期|上星期|下星期|今晨|今晚|昨晚|明晚|昨夜|今夜|当天|次日|翌日|"
                r"年初|年底|年末|年中|月初|月底|月末|周末|近日|日前|目前|现在|如今|当今|今后|此前|以前|"
                r"以后|过去|将来|未来|当时|同时|最近|近年|近年来|元旦|春节|除夕|国庆|中秋|端午|清明|元宵|"
                r"星期[一二三四五六日天]|礼拜[一二三四五六日天]|周[一二三四五六日])"),
]

#: the expressions: (name, type, pattern, needs), tried all; the leftmost, then longest, match wins.
#: ``needs``: characters one of which every match contains (a rule runs only near a number, see
#: :func:`find`, and only where one of them is there); "" for the rules that need no number
GRAMMAR = [
    # dates
    ("date_sep", "DATE", r"{D}{4}{SEP}{D}{1,2}{SEP}{D}{1,2}(?:[日号])?", "-/.．／－"),
    ("date_ym_sep", "DATE", r"{D}{4}{SEP}{D}{1,2}(?=[^0-9０-９.．]|$)", "-/.．／－"),
    ("date_ymd", "DATE", r"{YEAR}年(?:{MONTH}月(?:{DAY}[日号])?)?(?:[初底末中])?", "年"),
    ("date_md", "DATE", r"{MONTH}月(?:{DAY}[日号])?(?:[初底末中]|上旬|中旬|下旬)?", "月"),
    ("date_d", "DATE", r"{DAY}[日号]", "日号"),
    ("date_decade", "DATE", r"(?:上世纪|本世纪)?{D}{2}年代(?:初|末|中期)?", "代"),
    ("date_century", "DATE", r"{CN}+世纪(?:{D}{2}年代)?", "纪"),
    ("date_rel", "DATE", r"{RELDATE}", ""),
    # times
    ("time_clock", "TIME", r"(?:{PERIOD})?{D}{1,2}{COLON}{D}{2}(?:{COLON}{D}{2})?", ":："),
    ("time_cn", "TIME", r"(?:{PERIOD})?{HOUR}[点时](?:半|一刻|三刻|{MIN}分|{D}{2}(?![0-9０-９]))?(?:{MIN}秒)?(?:左右|许)?",
     "点时"),
    ("time_period", "TIME", r"{PERIOD}", ""),
    ("duration", "TIME", r"(?:{AMOUNT}|半|几|数)(?:多|余|个半)?{DUNIT}(?:多|左右)?", "时钟分秒天日周期月年纪"),
    # money
    ("money_sign", "MONEY", r"{CUR}\s?{AMOUNT}(?:{CURWORD})?", "¥￥$＄€£"),
    ("money_word", "MONEY", r"(?:人民币|美金)?{AMOUNT}(?:多|余)?{CURWORD}", "元块币金布郎克"),
    # percentages
    ("percent_sign", "PERCENT", r"(?:{ANUM}|{CNUM}){PCT}", "%％"),
    ("percent_cn", "PERCENT", r"百分之(?:{ANUM}|{CNUM})", "之"),
    ("percent_point", "PERCENT", r"(?:{ANUM}|{CNUM})个百分点", "点"),
    # numbers
    ("ordinal", "NUMBER", r"第(?:{ANUM}|{CNUM})", "第"),
    ("phone", "NUMBER", r"(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])|0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|"
                        r"[0-9]{3,4}-[0-9]{3,4}-[0-9]{4}(?![0-9])", "0123456789"),
    ("number", "NUMBER", r"{AMOUNT}", ""),
]
#: how far around a run of digits and numerals (:func:`find`) an expression may reach (prefixes such
#: as 人民币, 上世纪, suffixes such as 个百分点, 年代中期)
REACH = 6

#: what segmenters keep whole: (name, strength, pattern); "force": always one word (cuts inside
#: removed, cuts at both ends added), "prefer": one word where the decoder cut at both of its ends
WORDS = [
    ("date_sep", "force", r"{D}{4}{SEP}{D}{1,2}{SEP}{D}{1,2}(?![0-9０-９])"),
    ("phone", "force", r"(?:\+?86-?)?0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|[0-9]{3,4}-[0-9]{3,4}-[0-9]{4}(?![0-9])"),
    ("clock", "force", r"{D}{1,2}{COLON}{D}{2}(?:{COLON}{D}{2})?(?![0-9０-９])"),
    ("grouped", "force", r"{D}{1,3}(?:{COMMA}{D}{3})+(?:{DOT}{D}+)?(?:{PCT}|[十百千万亿]+)?(?![0-9０-９])"),
    ("decimal", "force", r"{D}+{DOT}{D}+(?:{PCT}|[十百千万亿]+)?(?![0-9０-９.．])"),
    ("percent", "force", r"{D}+{PCT}"),
    ("cn_year", "prefer", r"{CD}{4}年"),
    ("cn_percent", "prefer", r"百分之{CN}+(?:点{CD}+)?"),
    ("cn_number", "prefer", r"{CN}{2,}(?:点{CD}+)?"),
]

_lock = threading.Lock()
_compiled = None


def _expand(pattern: str, parts: dict) -> str:
    return re.sub(r"\{([A-Z]+)\}", lambda m: parts[m.group(1)] if m.group(1) in parts else m.group(0), pattern)


def _compile():
    global _compiled
    with _lock:
        if _compiled is None:
            parts = dict(CLASSES)
            for name, pat in PARTS:
                parts[name] = "(?:" + _expand(pat, parts) + ")"
            grammar = [(name, typ, re.compile(_expand(pat, parts)), frozenset(needs))
                       for name, typ, pat, needs in GRAMMAR]
            gate = re.compile("[0-9０-９" + CLASSES["CN"][1:-1] + "半几数]+")        # runs of digits and numerals
            # the word rows run only inside runs of digits and their separators, and the Chinese
            # numeral rows only on runs of numerals (two scans of a character class: fast)
            digit_words = [(n, p) for n, st, p in WORDS if st == "force"]
            cn_words = [(n, p) for n, st, p in WORDS if st != "force"]
            words = (re.compile("|".join(f"(?P<{n}>{_expand(p, parts)})" for n, p in digit_words)),
                     re.compile("|".join(f"(?P<{n}>{_expand(p, parts)})" for n, p in cn_words)))
            wgate = (re.compile(r"[0-9０-９][\-/.．／－:：,，%％][0-9０-９\-/.．／－:：,，%％十百千万亿]*"),
                     re.compile(CLASSES["CN"] + "[" + CLASSES["CN"][1:-1] + "分之点年]+"))
            _compiled = (grammar, words, gate, wgate)
    return _compiled


def _longest(cands: list) -> list:
    """Leftmost, then longest, non-overlapping ``(start, end, ...)`` candidates, in text order."""
    cands.sort(key=lambda c: (c[0], -c[1]))
    out, end = [], 0
    for c in cands:
        if c[0] >= end:
            out.append(c)
            end = c[1]
    return out


def find(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, type, rule name)`` of the expressions of ``text`` (see the module docstring).

    The rules without ``needs`` (relative dates, parts of the day) scan the text; the others run
    only in windows of :data:`REACH` characters around the runs of digits and numerals, and only
    where the window holds one of the characters the rule needs."""
    grammar, _, runs, _ = _compiled or _compile()
    if not text:
        return []
    cands = []
    windows = []
    for r in runs.finditer(text):
        a, z = max(r.start() - REACH, 0), min(r.end() + REACH, len(text))
        if windows and a <= windows[-1][1]:
            windows[-1][1] = z
        else:
            windows.append([a, z])
    for name, typ, rx, needs in grammar:
        if not needs and name != "number":
            cands.extend((m.start(), m.end(), typ, name) for m in rx.finditer(text) if m.end() > m.start())
    for a, z in windows:
        chars = frozenset(text[a:z])
        for name, typ, rx, needs in grammar:
            if (needs and not needs.isdisjoint(chars)) or name == "number":
                cands.extend((m.start(), m.end(), typ, name) for m in rx.finditer(text, a, z) if m.end() > m.start())
    return _longest(cands)


_DIGITS = frozenset("0123456789０１２３４５６７８９")


def word_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, force)`` of the :data:`WORDS` in ``text``, not overlapping: the ``force`` rows
    inside runs of digits (at each position the first row that matches), then the others where they
    overlap none of those."""
    _, (digit_words, cn_words), _, (digit_runs, cn_runs) = _compiled or _compile()
    if cn_runs.search(text) is None and digit_runs.search(text) is None:
        return []
    out = []
    done = 0
    for r in digit_runs.finditer(text):          # a digit, a separator, ...: back to the run's first digit
        a = r.start()
        while a > done and text[a - 1] in _DIGITS:
            a -= 1
        out.extend((m.start(), m.end(), True) for m in digit_words.finditer(text, a, r.end()))
        done = r.end()
    cn = [(m.start(), m.end(), False) for r in cn_runs.finditer(text)
          for m in cn_words.finditer(text, r.start(), r.end())]
    if out and cn:                   # both sorted, each without overlaps: one merge pass
        keep, k = [], 0
        for x in cn:
            while k < len(out) and out[k][1] <= x[0]:
                k += 1
            if k == len(out) or out[k][0] >= x[1]:
                keep.append(x)
        out = sorted(out + keep)
    return out or cn


# ---------------------------------------------------------------------------------- values
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGIT.update({"〇": 0, "○": 0, "两": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8,
                  "玖": 9})
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_FW = str.maketrans("０１２３４５６７８９．，％：－／", "0123456789.,%:-/")
_CURRENCY = {"元": "CNY", "块": "CNY", "块钱": "CNY", "人民币": "CNY", "¥": "CNY", "￥": "CNY", "美元": "USD",
             "美金": "USD", "$": "USD", "＄": "USD", "欧元": "EUR", "€": "EUR", "日元": "JPY", "英镑": "GBP",
             "£": "GBP", "港元": "HKD", "港币": "HKD", "卢布": "RUB", "韩元": "KRW", "法郎": "FRF", "马克": "DEM",
             "澳元": "AUD", "加元": "CAD", "台币": "TWD", "新台币": "TWD"}


def _cn_int(s: str) -> int | None:
    """A Chinese numeral (``三千五百万``, ``二〇一七``, ``十二``) as an int, or None."""
    if not s:
        return None
    if all(c in _CN_DIGIT for c in s) and len(s) > 1:            # digit by digit: 二〇一七
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            total = (total + section) * _CN_BIG[c] if c == "亿" else total + section * _CN_BIG[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def number(s: str) -> Decimal | None:
    """``s`` (digits, ``1,234.5``, ``9.5亿``, ``三千五百万``, ``五点二``, mixed ``3千万``) as a Decimal, or None."""
    s = s.translate(_FW).replace(",", "")
    s = s.rstrip("多余")
    if not s:
        return None
    mult = Decimal(1)
    m = re.match(r"^([0-9]+(?:\.[0-9]+)?)([万亿十百千]*)$", s)
    if m:
        v = Decimal(m.group(1))
        for c in m.group(2):
            v *= {"万": 10 ** 4, "亿": 10 ** 8, "十": 10, "百": 100, "千": 1000}[c]
        return v * mult
    if "点" in s:
        a, _, b = s.partition("点")
        ia = _cn_int(a) if a else 0
        if ia is None or not b or any(c not in _CN_DIGIT for c in b):
            return None
        return (Decimal(ia) + Decimal("0." + "".join(str(_CN_DIGIT[c]) for c in b))) * mult
    i = _cn_int(s)
    return None if i is None else Decimal(i) * mult


def _fmt(d: Decimal) -> str:
    s = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f").rstrip("0").rstrip(".")
    return s


def _num_prefix(s: str) -> tuple[Decimal | None, str]:
    """The longest leading number of ``s`` and the rest."""
    for k in range(len(s), 0, -1):
        v = number(s[:k])
        if v is not None:
            return v, s[k:]
    return None, s


def _date(text: str) -> str | None:
    t = text.translate(_FW)
    m = re.match(r"^(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?[日号]?$", t)
    if m:
        y, mo, d = m.group(1), int(m.group(2)), m.group(3)
        if not 1 <= mo <= 12 or (d is not None and not 1 <= int(d) <= 31):
            return None
        return f"{y}-{mo:02d}" + (f"-{int(d):02d}" if d else "")
    m = re.match(r"^(?:([^年]+)年)?(?:([^月]+)月)?(?:([^日号]+)[日号])?", t)
    if not m or not any(m.groups()):
        return None
    y, mo, d = (None if g is None else number(g) for g in m.groups())
    if any(g is not None and v is None for g, v in zip(m.groups(), (y, mo, d))):
        return None
    if y is not None:
        y = int(y)
        ys = m.group(1)
        if len(ys) == 2:                     # 98年: the 20th century before 30
            y += 1900 if y >= 30 else 2000
    if mo is not None and not 1 <= mo <= 12 or d is not None and not 1 <= d <= 31:
        return None
    if y is not None:
        return f"{y:04d}" + (f"-{int(mo):02d}" if mo is not None else "") + \
            (f"-{int(d):02d}" if mo is not None and d is not None else "")
    if mo is not None:
        return f"--{int(mo):02d}" + (f"-{int(d):02d}" if d is not None else "")
    return f"---{int(d):02d}"


_PM = ("下午", "傍晚", "晚上", "夜里", "夜间", "深夜", "午后")


def _time(text: str, rule: str) -> str | None:
    t = text.translate(_FW)
    if rule == "duration":
        return _duration(t)
    period = next((p for p in ("凌晨", "清晨", "早上", "早晨", "上午", "中午", "午后", "下午", "傍晚", "晚上", "夜里",
                               "夜间", "半夜", "深夜", "午夜", "白天") if t.startswith(p)), "")
    t = t[len(period):]
    m = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$", t)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), m.group(3)
    else:
        m = re.match(r"^([^点时]+)[点时](半|一刻|三刻|[^分秒]*?)分?(?:([^秒]+)秒)?(?:左右|许)?$", t)
        if not m:
            return None
        h = number(m.group(1))
        mm = m.group(2)
        mi = {"半": 30, "一刻": 15, "三刻": 45, "": 0}.get(mm)
        if mi is None:
            mi = number(mm)
        s = None if m.group(3) is None else number(m.group(3))
        if h is None or mi is None or (m.group(3) is not None and s is None):
            return None
        h, mi = int(h), int(mi)
    if period in _PM and h < 12:
        h += 12
    elif period == "中午" and h < 6:
        h += 12
    if not (0 <= h <= 24 and 0 <= mi < 60):
        return None
    return f"{h:02d}:{mi:02d}" + (f":{int(s):02d}" if s is not None else "")


_DUNIT = {"小时": ("T", "H"), "钟头": ("T", "H"), "分钟": ("T", "M"), "秒": ("T", "S"), "秒钟": ("T", "S"),
          "天": ("", "D"), "日": ("", "D"), "周": ("", "W"), "星期": ("", "W"), "月": ("", "M"), "年": ("", "Y"),
          "世纪": ("", "Y")}


def _duration(t: str) -> str | None:
    t = re.sub(r"(多|左右)$", "", t)
    for unit in sorted(_DUNIT, key=len, reverse=True):
        if t.endswith(unit):
            head = t[:-len(unit)]
            break
    else:
        return None
    half = head.endswith("个半")
    head = head[:-2] if half else head.rstrip("个").rstrip("多余")
    v = Decimal("0.5") if head == "半" else number(head)
    if v is None:
        return None
    if half:
        v += Decimal("0.5")
    if unit == "世纪":
        v *= 100
    t_part, code = _DUNIT[unit]
    return f"P{t_part}{_fmt(v)}{code}"


def value(text: str, type: str, rule: str | None = None) -> str | None:
    """The normalised value of an expression ``text`` of ``type`` (see the module docstring), or
    None (a relative expression, or one the grammar cannot read)."""
    if type not in TYPES:
        return None
    if rule is None:
        hits = find(text)
        if len(hits) != 1 or hits[0][0] != 0 or hits[0][1] != len(text) or hits[0][2] != type:
            return None
        rule = hits[0][3]
    t = text.translate(_FW)
    try:
        if type == "DATE":
            return None if rule in ("date_rel", "date_decade", "date_century") else _date(t.rstrip("初底末中旬上下"))
        if type == "TIME":
            return None if rule == "time_period" else _time(t, rule)
        if type == "MONEY":
            sign = next((c for c in "¥￥$＄€£" if t.startswith(c)), "")
            body = t[len(sign):].strip()
            body = body[3:] if body.startswith(("人民币", "美金")) and len(body) > 3 else body
            amount, rest = _num_prefix(body)
            cur = _CURRENCY.get(rest.lstrip("多余")) or _CURRENCY.get(sign) or (_CURRENCY.get(t[:3]) if t[:3] in ("人民币",) else None)
            if t.startswith("美金"):
                cur = "USD"
            return None if amount is None or cur is None else f"{_fmt(amount)} {cur}"
        if type == "PERCENT":
            if rule == "percent_point":
                v = number(t[:-4])
                return None if v is None else f"{_fmt(v)} pp"
            v = number(t[3:] if t.startswith("百分之") else t.rstrip("%"))
            return None if v is None else f"{_fmt(v)}%"
        if rule == "ordinal":
            v = number(t[1:])
            return None if v is None else f"{_fmt(v)} ordinal"
        if rule == "phone":
            return "tel:" + re.sub(r"[^0-9+]", "", t)
        v = number(t)
        return None if v is None else _fmt(v)
    except (InvalidOperation, ValueError, OverflowError):
        return None
