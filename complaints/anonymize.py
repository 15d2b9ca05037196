"""Anonymizer: remove what identifies a person from free text, keep what analysis needs.

Public interface (other modules rely on it):
- scrub(text) -> text with personal data replaced by typed placeholders such as [PHONE]
- keyed_hash(value) -> hex HMAC-SHA256 of value under the local secret key
- zip3(zip) -> first 3 digits of a US ZIP, or None
- secret_path() -> where the HMAC key lives (COMPLAINTS_SECRET_FILE overrides)

Placeholders (docs/anonymization.md): [PHONE] [EMAIL] [QQ] [WECHAT] [ID] [CARD] [SSN] [ACCOUNT]
[PASSPORT] [LICENSE] [PLATE] [ADDRESS] [NAME] [DOB]. Cue words ("QQ：", "Mr.", "先生") stay so a
reader still sees what was there.

Design for speed: every detector is a compiled regex whose first character is a narrow set (a
digit, '@', a cue word's first letter, an address suffix), so the regex engine skips most of a
narrative without entering the pattern. Candidates are checked in Python (checksums, Luhn,
grouping, the cue just before them) only when they match. Spans from all detectors are merged
once and the text is rebuilt in one join. `\\d` also matches full-width digits (０-９), so
full-width numbers need no normalisation pass.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

KINDS = ("PHONE", "EMAIL", "QQ", "WECHAT", "ID", "CARD", "SSN", "ACCOUNT", "PASSPORT", "LICENSE",
         "PLATE", "ADDRESS", "NAME", "DOB")

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")

# ---------------------------------------------------------------------------------------------
# Checksums


_SEPARATORS = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX", " \t-－.()（）+＋\u3000\u00a0/")


def _ascii_digits(value: str) -> str:
    """'１５０-7087 9527' -> '15070879527' (full-width digits folded, separators dropped)."""
    return value.translate(_SEPARATORS)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def cn_id_checksum_ok(digits: str) -> bool:
    """18-character PRC resident ID: ISO 7064 MOD 11-2 check character."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17].upper()


def _birth_date_ok(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    return 1900 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31


def _id_shaped(digits: str) -> bool:
    """Region code plus a plausible birth date: 18-digit or legacy 15-digit resident ID."""
    if len(digits) == 18 and digits[:17].isdigit() and digits[0] in "123456789":
        return _birth_date_ok(digits[6:14])
    if len(digits) == 15 and digits.isdigit() and digits[0] in "123456789":
        return _birth_date_ok("19" + digits[6:12])
    return False


_LUHN_DOUBLE = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        total += _LUHN_DOUBLE[d] if i % 2 else d
    return total % 10 == 0


# ---------------------------------------------------------------------------------------------
# Emails (own pass: runs first so later passes never see an address's digits)

_EMAIL_DOMAIN = re.compile(r"[ \t]?[A-Za-z0-9\-]+(?:[.．][A-Za-z0-9\-]+)*[.．][A-Za-z]{2,10}")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789０１２３４５６７８９._%+-")


def _email_spans(text: str, out: list) -> None:
    """Find '@' and grow the address both ways: much cheaper than a regex tried at every letter."""
    for at in ("@", "＠"):
        pos = text.find(at)
        while pos >= 0:
            start = pos
            if text[start - 1:start] in (" ", "\t"):
                start -= 1  # "name @ qq.com"
            begin = start
            while begin > 0 and start - begin < 64 and text[begin - 1] in _EMAIL_LOCAL:
                begin -= 1
            m = _EMAIL_DOMAIN.match(text, pos + 1)
            if m and begin < start:
                out.append((begin, m.end(), "EMAIL", 0))
            pos = text.find(at, pos + 1)

# ---------------------------------------------------------------------------------------------
# Runs of digits: phones, ID numbers, cards, SSNs, account numbers, QQ numbers after a cue

# Candidate runs: at least 5 digits, optionally split by spaces, dashes, dots or parentheses.
# The pattern starts with a plain character set so the regex engine scans fast.
_LONG_RUN = re.compile(
    r"[0-9０-９](?:[ \t\-－.()（）\u3000\u00a0]{0,2}[0-9０-９]){4,}(?:[Xx](?![A-Za-z]))?"
)
_GROUP = re.compile(r"\d+(?:[Xx](?![A-Za-z]))?")
_COUNTRY_CODES = ("86", "852", "853", "886", "1", "0086", "00852", "00853", "00886", "001",
                  "８６", "００８６")

# Cue words just before a value say what it is (longest first so 身份证号 wins over 号).
_CUES = {
    "QQ": "QQ qq Qq ＱＱ 扣扣 企鹅 企鵝",
    "WECHAT": "微信 VX vx Vx vX wx WX Wx V信 v信 威信 薇信 WeChat Wechat wechat WECHAT weixin",
    "ID": "身份证 身份證 证件 證件 ID Identity\u0020card identity\u0020card identification Identification",
    "CARD": "银行卡 銀行卡 卡号 卡號 储蓄卡 儲蓄卡 信用卡 借记卡 借記卡 card Card",
    "ACCOUNT": "账号 帳號 账户 帳戶 户号 戶號 account Account acct Acct 合同 编号 編號 loan Loan reference Reference",
    "SSN": "SSN Social\u0020Security social\u0020security",
    "PASSPORT": "护照 護照 passport Passport",
    "LICENSE": "驾驶证 駕駛證 驾照 駕照 license License licence Licence DL",
    "PHONE": "电话 電話 手机 手機 联系方式 聯繫方式 聯絡方式 联系 聯繫 聯絡 致电 致電 来电 來電 号码 號碼 phone Phone "
             "cell Cell tel Tel TEL number Number fax Fax 傳真 传真 热线 熱線 at",
}
_CUE_KIND = {w.replace("\\u0020", " "): kind for kind, words in _CUES.items() for w in words.split()}
_CUE_WORDS = tuple(sorted(_CUE_KIND, key=len, reverse=True))
_CUE_JUNK = " \t:：#＃是为為-－(（)）,，"
_CUE_FILLERS = ("号码", "號碼", "号", "號", "码", "碼", "number", "Number", "No.", "no.", "No", "no", "#",
                "ID", "id", "is", "was", "ending in", "me at", "是", "为", "為")

# Service lines of companies are not personal: 400/800 numbers, 95xxx, US toll-free.
_SERVICE_PREFIXES = ("400", "800")
_US_TOLL_FREE = ("800", "888", "877", "866", "855", "844", "833")

_AMOUNT_AFTER = re.compile(r"\s?(?:元|块|塊|万|萬|圆|圓|円|千|百|亿|億|%|％|美元|美金|刀|dollars?|USD|RMB)")
_AMOUNT_BEFORE = re.compile(r"(?:[$¥￥€£]|RMB|USD|CNY)\s?$")


KEEP = ""  # falsy: not personal, and not to be split into smaller numbers either


def _classify(digits: str, lens: tuple[int, ...], cc: str, cue: str | None, dashed: bool = False) -> str | None:
    """Kind of a digit run; None when it is no datum, KEEP for a company line (do not split it).
    `lens` is how the run was grouped by separators."""
    n = len(digits)
    single = len(lens) == 1
    if not single and min(lens[1:]) < 2:
        return None  # "1 3 4 5 6 7 8 10 11" is a list of months, not a phone number
    if cc:
        if cc in ("1", "001") and digits[:3] in _US_TOLL_FREE:
            return KEEP  # +1 800 ...: a company's toll-free line
        return "PHONE" if 7 <= n <= 12 else None
    if n == 11 and lens[0] == 1 and digits[1:4] in _US_TOLL_FREE:
        return KEEP  # 1-800-633-2677 (grouped the US way, so not the CN mobile 180...)
    if cue in ("QQ", "WECHAT") and 5 <= n <= 11:
        return cue
    if cue == "SSN" and n in (9, 4):
        return "SSN"
    if cue == "PASSPORT" and 7 <= n <= 10:
        return "PASSPORT"
    if cue == "LICENSE" and 6 <= n <= 18:
        return "LICENSE"
    if n in (15, 18) and (cn_id_checksum_ok(digits) or ((single or cue == "ID") and _id_shaped(digits))):
        return "ID"
    if digits[:1] == "1" and n == 11 and digits[1] in "3456789":
        return "PHONE"
    if 12 <= n <= 19 and digits[0] != "0" and luhn_ok(digits) and (single or all(x == 4 for x in lens[:-1]) or lens == (4, 6, 5)):
        return "CARD"
    if cue in ("ID", "CARD", "ACCOUNT") and n >= 6 and (single or all(x == 4 for x in lens[:-1])):
        return "ID" if cue == "ID" and _id_shaped(digits) else ("CARD" if cue == "CARD" else "ACCOUNT")
    if lens == (3, 2, 4):
        return "SSN"
    if digits[:1] == "0":
        # CN landline (0 + 2-3 digit area code + 7-8 digits), TW mobile 09xx, TW landline
        if 9 <= n <= 12:
            return "PHONE"
        if cue == "PHONE" and n >= 7:
            return "PHONE"
        return None
    if n == 10 and digits[:3] in _SERVICE_PREFIXES and cue != "ACCOUNT":
        return KEEP  # 400-xxx-xxxx company hotline
    if n == 11 and digits[0] == "1" and digits[1:4] in _US_TOLL_FREE:
        return KEEP
    if n == 10 and digits[:3] in _US_TOLL_FREE and not single:
        return KEEP
    if lens == (3, 4) and dashed and digits[0] in "23456789":
        return "PHONE"  # US local number 555-0187
    if n == 10 and digits[0] in "23456789" and (single or lens in ((3, 3, 4), (3, 7), (6, 4))):
        return "PHONE"  # US number
    if n == 11 and digits[0] == "1" and lens in ((1, 3, 3, 4), (1, 10), (4, 3, 4), (1, 3, 7)):
        return "PHONE"  # 1-555-123-4567
    if cue == "PHONE" and 7 <= n <= 13:
        return "PHONE"
    if n == 8 and lens == (4, 4) and digits[0] in "235689" and cue is None:
        return None  # could be a HK number or two amounts: only with a cue or +852
    if n >= 12 and (single or all(x == 4 for x in lens[:-1])):
        return "ACCOUNT"  # long reference/order/account number: identifies a person's file
    return None


_CUE_LENGTHS = sorted({len(w) for w in _CUE_KIND}, reverse=True)
_FILLER_LENGTHS = sorted({len(w) for w in _CUE_FILLERS}, reverse=True)
_FILLER_SET = frozenset(_CUE_FILLERS)


def _cue_at_end(window: str) -> str | None:
    for n in _CUE_LENGTHS:  # longest cue first
        word = window[-n:]
        if word in _CUE_KIND:
            before = window[-n - 1:-n]
            # an ASCII cue must be a whole word ("ID", not "paID")
            if word.isascii() and word[0].isalpha() and before.isascii() and before.isalpha():
                continue
            return _CUE_KIND[word]
    return None


def _cue_before(text: str, start: int) -> str | None:
    """Kind named by the cue word that ends right before `start` ("手机号码：" -> PHONE)."""
    window = text[max(0, start - 24):start].rstrip(_CUE_JUNK)
    windows = [window]
    while len(windows) < 4:
        for n in _FILLER_LENGTHS:
            if window[-n:] in _FILLER_SET:
                window = window[:-n].rstrip(_CUE_JUNK)
                windows.append(window)
                break
        else:
            break
    # most stripped first: 身份证号码 is an ID cue before 号码 is a phone cue
    for window in reversed(windows):
        kind = _cue_at_end(window)
        if kind:
            return kind
    return None


def _amountish(text: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(text, end) or _AMOUNT_BEFORE.search(text, max(0, start - 4), start))


_ZH_NUMERALS = "零〇一二三四五六七八九幺"
_NOT_AFTER_NUMBER = set("*＊年月日时時点點:：")
_TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"


def _tw_id_ok(letter: str, digits: str) -> bool:
    code = _TW_LETTERS.find(letter) + 10
    if code < 10 or len(digits) != 9:
        return False
    weights = (8, 7, 6, 5, 4, 3, 2, 1)
    total = code // 10 + (code % 10) * 9 + sum(int(d) * w for d, w in zip(digits[:8], weights, strict=True))
    return (total + int(digits[8])) % 10 == 0


def _number_spans(text: str, out: list) -> None:
    for m in _LONG_RUN.finditer(text):
        start, end = m.span()
        before = text[start - 1:start]
        if before in (".", "．") and text[start - 2:start - 1].isdigit():
            continue  # decimal part of an amount
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(text, start, end)]
        lens = tuple(e - s for s, e in groups)
        raw = text[start:end]
        # dots separate only US phone numbers (555.123.4567); otherwise decimals or versions
        if ("." in raw or "．" in raw) and lens not in ((3, 3, 4), (1, 3, 3, 4)):
            continue
        if _amountish(text, start, end) or text[end:end + 1] in _NOT_AFTER_NUMBER or before in ("*", "＊"):
            continue  # an amount, a date or time, or a number the platform already masked (176****)
        # a country code in front: +86 150..., 0086-150..., (852) 6123...
        cc = ""
        first = text[groups[0][0]:groups[0][1]]
        if len(groups) > 1 and first in _COUNTRY_CODES and (before in ("+", "＋") or first.startswith(("00", "００"))
                                                            or (before in ("(", "（") and text[groups[0][1]:groups[0][1] + 1] in (")", "）"))):
            cc = first
            groups = groups[1:]
            lens = lens[1:]
        if before in ("+", "＋", "(", "（"):
            start -= 1
        digits = _ascii_digits(text[groups[0][0]:end])
        # letters glued to the number (E12345678, HT2023..., LN-2023-00481) belong to it
        dash = 1 if text[start - 1:start] in ("-", "－") and text[start - 2:start - 1].isascii() else 0
        letters = dash
        while letters < 4 + dash and text[start - letters - 1:start - letters].isascii() \
                and text[start - letters - 1:start - letters].isalpha():
            letters += 1
        if letters == dash:
            letters = 0
        kind = None
        if letters:
            # E12345678, HT2023..., A123456789: look for a cue before the letters as well
            prefix = text[start - letters:start].rstrip("-－")
            cue = _cue_before(text, start)
            if cue is None:
                cue = _cue_before(text, start - letters)
                if cue in ("PASSPORT", "LICENSE", "ACCOUNT", "ID"):
                    kind = "ID" if cue == "ID" else cue
                    start -= letters
                elif letters == 1 and len(digits) == 9 and _tw_id_ok(prefix.upper(), digits):
                    kind = "ID"  # Taiwan identity card
                    start -= 1
                elif letters <= 2 and len(digits) == 7 and text[end - 2:end - 1] in ("(", "（") \
                        and text[end:end + 1] in (")", "）"):
                    kind = "ID"  # Hong Kong identity card A123456(7)
                    start -= letters
                    end += 1
        else:
            cue = _cue_before(text, start)
        if kind is None:
            # 555-0187 is a US local number in English text; 500-1000 in Chinese text is a range
            kind = _classify(digits, lens, cc, cue, dashed="-" in raw and text.isascii())
        if kind:
            out.append((start, end, kind, 2))
            continue
        if kind == KEEP or len(groups) < 2 or len(digits) < 10:
            continue  # only two data run together need splitting, and each has 5+ digits
        # Several numbers run together ("15070879527 3590931873"): take the longest leading
        # groups that form a datum, then move on.
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                s, e = groups[i][0], groups[j - 1][1]
                sub = _ascii_digits(text[s:e])
                if len(sub) < 5:
                    continue
                kind = _classify(sub, lens[i:j], cc if i == 0 else "", _cue_before(text, s) if i == 0 else None)
                if kind:
                    out.append((start if i == 0 else s, e, kind, 2))
                    i = j
                    break
            else:
                i += 1


# ---------------------------------------------------------------------------------------------
# Values after cue words: QQ, WeChat ids, passports, licences, accounts, SSNs, dates of birth,
# Taiwan/HK identity cards, licence plates

_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_SEP = r"(?:\s?(?:号码|號碼|号|號|帐号|账号|帳號|ID|id|[Nn]umber|[Nn]o\.?|#))?[ \t:：是为為#]*(?:is\s|was\s)?"
_PROVINCES = "京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊"

# WeChat ids may have no digit (微信号zhangsan88 does, 微信：lily_chen may not): own pattern.
# Both start with a plain character set (V, W, 微 / 出, 生, D, B): the regex engine skips every
# other character quickly.
_WECHAT_VALUE = re.compile(
    r"[VvWw微威薇](?:[Xx]|信|e[Cc]hat|ECHAT|eixin)(?P<sep>" + _SEP
    + r")(?P<value>[A-Za-z][A-Za-z0-9_\-]{5,19})(?![A-Za-z0-9_\-])"
)
_DOB_VALUE = re.compile(
    r"[出生DBb](?:(?<=出)生(?:日期|年月日?|于|於)|(?<=生)日|(?<=D)OB|(?<=D)\.O\.B\.?"
    r"|(?<=[Bb])irth(?:\s?date|day)?|(?<=[Bb])orn\son)"
    r"[ \t:：是为為,]*(?:is\s|was\s|on\s)?(?P<value>\d{4}\s?[年/.\-]\s?\d{1,2}\s?[月/.\-]\s?\d{1,2}\s?[日号號]?"
    r"|\d{4}年\d{1,2}月|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|" + _MONTHS + r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}"
    r"|\d{1,2}\s" + _MONTHS + r"\s\d{4})"
)
# Mobile numbers written in Chinese numerals (一三八一二三四五六七八), a way round platform filters.
_ZH_NUMERAL_MOBILE = re.compile(r"一[三四五六七八九][零〇一二三四五六七八九幺]{9}(?![零〇一二三四五六七八九幺])")
_PLATE = re.compile(
    r"[" + _PROVINCES + r"][A-HJ-NP-Z][·・ ]?(?=[A-HJ-NP-Z0-9]{0,4}\d)[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂掛学學警]?(?![A-Za-z0-9])"
)
_EXPLICIT_SEP = re.compile(r"号|號|ID|id|[:：是为為#]")


# Gates: strings every match of the regex contains. Both regexes start with a letter common in
# English (v, w, b) and US narratives are full of XXXX masks, so cheaper single-letter gates let
# almost every English text through to a slow scan; these skip it with the same result.
_BORN_ON = re.compile(r"[Bb]orn\son")


def _may_have_wechat(text: str) -> bool:
    if "信" in text or "微" in text or "威" in text or "薇" in text:
        return True
    low = text.lower()
    return "vx" in low or "wx" in low or "echat" in low or "eixin" in low


def _may_have_dob(text: str) -> bool:
    return ("生" in text or "DOB" in text or "D.O.B" in text or "irth" in text
            or ("orn" in text and bool(_BORN_ON.search(text))))


def _cue_value_spans(text: str, out: list, ascii_only: bool) -> None:
    # Cheap single-character gates first: most texts skip every regex here.
    if _may_have_wechat(text):
        for m in _WECHAT_VALUE.finditer(text):
            before = text[m.start() - 1:m.start()]
            if before.isascii() and before.isalpha():
                continue  # "wx" inside an English word
            value = m.group("value")
            if not any(c.isdigit() or c in "_-" for c in value) and not _EXPLICIT_SEP.search(m.group("sep")):
                continue  # "WeChat account": an English word, not an id
            out.append((m.start("value"), m.end("value"), "WECHAT", 1))
    if _may_have_dob(text):
        for m in _DOB_VALUE.finditer(text):
            out.append((m.start("value"), m.end("value"), "DOB", 1))
    if not ascii_only:
        for m in _PLATE.finditer(text):
            out.append((m.start(), m.end(), "PLATE", 1))
        if "一" in text:
            for m in _ZH_NUMERAL_MOBILE.finditer(text):
                if m.start() == 0 or text[m.start() - 1] not in _ZH_NUMERALS:
                    out.append((m.start(), m.end(), "PHONE", 1))


# ---------------------------------------------------------------------------------------------
# Names

def _words(text: str) -> list[str]:
    return text.split()


# Common surnames (simplified and traditional forms), compound ones first.
_COMPOUND_SURNAMES = _words("欧阳 歐陽 司马 司馬 上官 诸葛 諸葛 东方 東方 皇甫 尉迟 尉遲 公孙 公孫 慕容 令狐 司徒 "
                      "夏侯 长孙 長孫 宇文 轩辕 軒轅 端木 西门 西門 南宫 南宮")
_SURNAMES = set(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何林高罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾"
    "肖蕭萧田董潘袁蔡蒋蔣余于杜叶葉程魏苏蘇吕呂丁任卢盧姚沈钟鍾姜崔谭譚陆陸范汪廖石金韦韋贾賈夏付傅方"
    "邹鄒熊白孟秦邱侯江尹薛闫閻段雷龙龍黎史陶贺賀毛郝顾顧龚龔邵万萬覃武钱錢戴严嚴欧歐莫孔向常汤湯康易"
    "乔喬赖賴文施洪辛柯庄莊牛祝左储儲樊殷霍岳齐齊童柳温溫凌管甘卓邢蒙鲍鮑翟安倪葛阮聂聶"
    "单單艾闵閔耿季华華黄宁寧关關纪紀焦巴鲁魯路谷卜詹苗谈談涂宫宮练練牟尚鞠查符于车車连連柏晏戚章"
)
# Characters that end a name: function words and the words that usually follow a name.
_NOT_IN_NAME = set(
    "的了在是于於从從向被对對把给給和与與及等说說称稱也都就还還又已曾将將要会會能可该該应應才"
    "请請让讓叫过過着著们們个個位年月日时時分号號住家身手电電联聯欠借因今男女性岁歲贷貸款逾催收级級户戶务務服品门門区區域堂理融目"
    "公司台银銀行为為自通接到打去来來找先经經士我你他她它您本人父母哥姐弟妹爸妈媽爷爺奶婆亲親戚朋友同事无無调調额額其这這那此有没沒不很太最再并並或但"
    "而即所以如若则則每各某该及并上下里裡外内內前后後"
)
_CJK = r"\u4e00-\u9fff"


# Two-character words that start with a surname character but are not names (本人查询, 任何, 向平台).
_NOT_NAMES = frozenset(_words(
    "查询 查詢 查寻 查尋 查看 查到 任何 任意 向平 向招 向京 向南 向银 向銀 向保 向浦 向法 向公 于工 于昨 于今 于大 于之 于前 "
    "陆续 陸續 连续 連續 郑重 鄭重 严重 嚴重 严正 嚴正 严格 嚴格 高额 高額 高度 高息 方式 方面 相关 相關 车辆 車輛 储蓄 儲蓄 "
    "万用 萬用 余额 餘額 周末 周围 周圍 常常 常年 毛病 凌晨 江湖 关于 關於 石油 程序 文件 文明 安全 安排 黄金 黃金 "
    "金额 金額 金融 钱款 錢款 许多 許多 宋体 温馨 溫馨 华为 華為 马上 馬上 余下 何时 何時 何况 何況 曾经 曾經 "
    "用金 调查 調查 孙子 孫子 龙头 龍頭 武力 苗头 谷歌 包括 白天 夏天 秦朝 田地 林业 雷同 邵阳 韩国 韓國 施工 洪水 申请 申請"))
# A name after a weak cue (本人, 持卡人...) must be followed by punctuation or one of these words.
_AFTER_NAME = re.compile(
    r"[\s,，.。;；:：、(（)）!！?？\-—]|$|身份|手机|手機|电话|電話|联系|聯繫|聯絡|于|於|在|向|因|从|從|通过|通過|今年|曾|是|与|與|和|的|"
    r"借|申请|申請|办理|辦理|银行|銀行|卡|非常|，|女士|先生|小姐|本人|名下|欠|家住|住|现|現|目前|已|的身份"
)


def _is_name(name: str) -> bool:
    return name[:2] not in _NOT_NAMES and not any(c in _NOT_IN_NAME for c in name[1:])


def _name_at(text: str, start: int, need_boundary: bool) -> int:
    """End of a Chinese name starting at `start` (surname + 1-2 given chars), or -1."""
    if text[start:start + 2] in _COMPOUND_SURNAMES:
        pos = start + 2
    elif start < len(text) and text[start] in _SURNAMES:
        pos = start + 1
    else:
        return -1
    for end in (pos + 2, pos + 1):
        name = text[start:end]
        if end > len(text) or not all("\u4e00" <= c <= "\u9fff" for c in name[pos - start:]):
            continue
        if not _is_name(name):
            continue
        if need_boundary and not _AFTER_NAME.match(text, end):
            continue
        return end
    return -1


def _name_before(text: str, end: int) -> int:
    """Start of a Chinese name (surname plus 0-2 given chars) ending at `end`, or -1."""
    for length in (3, 2, 1):
        start = end - length
        if start < 0:
            continue
        chunk = text[start:end]
        if not all("\u4e00" <= c <= "\u9fff" for c in chunk):
            continue
        if chunk[0] in _SURNAMES or (length >= 2 and chunk[:2] in _COMPOUND_SURNAMES):
            given = chunk[2:] if chunk[:2] in _COMPOUND_SURNAMES else chunk[1:]
            if any(c in _NOT_IN_NAME for c in given) or chunk[:2] in _NOT_NAMES:
                continue
            if text[start - 1:start + 1] in _NOT_NAMES:  # 相关律师: 关 belongs to the word before
                continue
            if length == 3 and text[start - 1:start] in _SURNAMES and chunk[0] in _NOT_IN_NAME:
                continue
            return start
    return -1


# One scan finds every Chinese name cue; what to do depends on the word found.
_ZH_STRONG = _words("我叫 我名叫 名叫 本人姓名 姓名 我的名字是 我的名字叫 借款人姓名 签名 簽名 署名 落款 敬礼 敬禮")
_ZH_WEAK = _words("，叫 ,叫 他叫 她叫 借款人 本人 联系人 聯繫人 聯絡人 户主 戶主 持卡人 收件人 投诉人 投訴人")
_ZH_TITLES = _words("先生 女士 小姐 经理 經理 主管 律师 律師 专员 專員 警官 法官 组长 組長")
_ZH_NAME_ANCHOR = re.compile(
    "|".join(sorted(_ZH_STRONG + _ZH_WEAK + _ZH_TITLES, key=len, reverse=True)) + r"|自[称稱]"
)
_ZH_STRONG_SET, _ZH_WEAK_SET = frozenset(_ZH_STRONG), frozenset(_ZH_WEAK)
_CUE_TAIL = re.compile(r"[ \t:：是为為叫]*")
_SELF_CLAIMED = re.compile(
    r"自[称稱](?:是|為|为)?(?:[^，。,.!！?？；;\n]{0,15}?的)?([" + _CJK + r"]{1,3}?)"
    r"(?:经理|經理|主管|律师|律師|专员|專員|法务|法務|组长|組長|老师|老師|警官|总|總|科长|科長|处长|處長)"
)
_EN_NAME = r"[A-Z][a-z'\-]+(?:\s[A-Z]\.)?(?:\s(?!(?:Credit|Bank|Capital|Financial|Services|Management|Collection|Collections|LLC|Inc|Corp|Group)\b)[A-Z][a-z'\-]+){0,2}"
_EN_CUED_NAME = re.compile(
    r"(?:(?:[Mm]y|[Hh]is|[Hh]er|[Tt]heir)\s(?:(?:full\s)?name\s(?:is|was)|name's)|I\sam\scalled|[Nn]ame:"
    r"|\b(?:man|woman|lady|guy|person|agent|collector|representative|rep|gentleman|caller|supervisor|manager)\snamed)"
    r"\s+(?P<value>" + _EN_NAME + r")"
)
_EN_TITLED_NAME = re.compile(r"(?:M(?:rs?|s|x|iss)\.?|Officer|Detective)\s(?!Cooper\b)(?P<value>" + _EN_NAME + r")")
_EN_SIGNATURE = re.compile(
    r"(?:Sincerely|Regards|Respectfully|Thank\syou|Thanks|Yours\struly|Cordially)[,.!]?[ \t]*\n?[ \t]*(?:-\s?)?"
    r"(?!(?:The|Team|Customer|Fair|Legal|Support|Department|Collections?|Recovery|Portfolio|Midland|Credit)\b)"
    r"(?P<value>" + _EN_NAME + r")(?=[ \t]*[.!]?[ \t]*(?:\n|$))"
)


# Every _EN_CUED_NAME match contains one of these. That regex cannot skip ahead to a likely start
# (its \b alternative defeats the engine's first-character scan), so it is only run on texts that
# pass this much cheaper test: same result, ~4x less time on English narratives.
_CUED_NAME_GATE = re.compile(r"name(?:\s(?:is|was)|'s|:|d)")
_CALLED_GATE = re.compile(r"I\sam\scalled")


def _may_have_cued_name(text: str) -> bool:
    if "name" not in text and "Name" not in text:  # the original gate, kept as it was
        return False
    return bool(_CUED_NAME_GATE.search(text)) or "Name:" in text or bool(_CALLED_GATE.search(text))


def _name_spans(text: str, out: list, ascii_only: bool) -> None:
    if not ascii_only:
        for m in _ZH_NAME_ANCHOR.finditer(text):
            word = m.group()
            if word in _ZH_STRONG_SET or word in _ZH_WEAK_SET:
                start = _CUE_TAIL.match(text, m.end()).end()
                end = _name_at(text, start, need_boundary=word in _ZH_WEAK_SET)
                if end > 0:
                    out.append((start, end, "NAME", 3))
            elif word[0] == "自":
                sm = _SELF_CLAIMED.match(text, m.start())
                if sm:
                    start = _name_before(text, sm.end(1))
                    if start >= sm.start(1):
                        out.append((start, sm.end(1), "NAME", 3))
            elif not text.startswith(("事务所", "事務所"), m.end()):
                start = _name_before(text, m.start())  # 王女士, 李律师: surname right before a title
                if start >= 0:
                    out.append((start, m.start(), "NAME", 3))
    if "M" in text or "Officer" in text or "Detective" in text:
        for m in _EN_TITLED_NAME.finditer(text):
            if not text[m.start() - 1:m.start()].isalpha():
                out.append((m.start("value"), m.end("value"), "NAME", 3))
    if _may_have_cued_name(text):
        for m in _EN_CUED_NAME.finditer(text):
            out.append((m.start("value"), m.end("value"), "NAME", 3))
    # signatures close a letter: look only at its last lines
    for m in _EN_SIGNATURE.finditer(text, max(0, len(text) - 160)):
        out.append((m.start("value"), m.end("value"), "NAME", 3))


_HAS_CJK = re.compile(r"[" + _CJK + r"]")

# ---------------------------------------------------------------------------------------------
# Addresses below the city

_NUMERAL = r"[\d一二三四五六七八九十百零〇两兩甲乙丙丁]"
_UNIT = (r"(?:院|大院)?(?:" + _NUMERAL + r"|[A-Za-z\-])+(?:号楼|號樓|号院|號院|栋|棟|幢|座|楼|樓|单元|單元|层|層|室|户|戶|组|組|队|隊|号|號|F)")
_ADDR_TAIL = re.compile(
    r"(?:路|街|大道|大街|巷|胡同|弄|里)(?:" + _NUMERAL + r"{1,3}段)?(?:\d{1,4}(?:巷|弄))*"
    + _NUMERAL + r"{1,6}(?:号|號)(?:" + _UNIT + r")*(?:\d{3,4}(?![\d]))?"
    r"|(?:小区|小區|花园|花園|公寓|大厦|大廈|家园|家園|新村|社区|社區|广场|廣場|苑|村|庄|莊|城|府|湾|灣)"
    r"(?:" + _UNIT + r")+(?:\d{3,4}(?![\d]))?"
)
_ADDR_UNITS_ONLY = re.compile(
    r"\d{1,3}(?:号楼|號樓|栋|棟|幢|座)\d{1,2}(?:单元|單元)\d{3,4}(?:室|号|號)?"
)
_ADDR_STOP = set("市省区區县縣镇鎮乡鄉在住址于於是的到和与與及从從往去来來我他她你们們家位处處了过過着著被把"
                 "向对對给給让讓叫说說找为為即是都也就号號路街道巷弄段，。")
# Cities and provinces stay even when written right before a street name ("北京建国路88号").
_PLACES = tuple(sorted(
    _words("北京 上海 天津 重庆 重慶 广州 廣州 深圳 杭州 南京 武汉 武漢 成都 西安 长沙 長沙 郑州 鄭州 济南 濟南 青岛 青島 "
     "沈阳 瀋陽 大连 大連 厦门 廈門 福州 合肥 昆明 南宁 南寧 南昌 贵阳 貴陽 石家庄 石家莊 太原 哈尔滨 哈爾濱 长春 長春 "
     "兰州 蘭州 苏州 蘇州 无锡 無錫 宁波 寧波 东莞 東莞 佛山 珠海 温州 溫州 台北 臺北 台中 臺中 高雄 香港 澳门 澳門 "
     "广东 廣東 江苏 江蘇 浙江 山东 山東 河南 河北 湖南 湖北 四川 福建 安徽 江西 广西 廣西 云南 雲南 贵州 貴州 "
     "陕西 陝西 山西 辽宁 遼寧 吉林 黑龙江 黑龍江 甘肃 甘肅 海南 内蒙古 新疆 西藏 宁夏 寧夏 青海"),
    key=len, reverse=True))
# Starts with a plain digit (not an atomic group) so the regex engine scans for digits instead of
# trying every position: [0-9](?>[0-9]{0,5}) matches exactly what (?>[0-9]{1,6}) does.
_EN_ADDRESS = re.compile(
    r"[0-9](?>[0-9]{0,5})(?![0-9])(?:-[0-9]{1,4})?\s(?:[NSEW]\.?\s)?(?:(?:[0-9]{1,3}(?:st|nd|rd|th)|[A-Z][a-z]+)\s){1,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Loop|Square|Sq)\b\.?"
    r"(?:,?\s(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s?#?[A-Za-z0-9\-]+)?"
)
_PO_BOX = re.compile(r"P\.?\s?O\.?\s?Box\s[0-9]+")
# A number followed by 号/栋/室...: where a Chinese street address can be. Cheap to find.
_ZH_ADDR_ANCHOR = re.compile(
    r"[0-9０-９一二三四五六七八九十百零〇两兩甲乙丙丁]{1,6}(?:号|號|栋|棟|幢|座|单元|單元|室|楼|樓|弄|巷|组|組)"
)
_ZH_ADDR_GATE = "号號栋棟幢室单單楼樓弄巷组組"


def _address_spans(text: str, out: list, ascii_only: bool) -> None:
    if not ascii_only and any(ch in text for ch in _ZH_ADDR_GATE):
        done = 0
        for a in _ZH_ADDR_ANCHOR.finditer(text):
            if a.end() <= done:
                continue
            lo, hi = max(done, a.start() - 14), min(len(text), a.end() + 40)
            for m in _ADDR_TAIL.finditer(text, lo, hi):
                start = m.start()
                while start > 0 and m.start() - start < 10 and "\u4e00" <= text[start - 1] <= "\u9fff" \
                        and text[start - 1] not in _ADDR_STOP:
                    start -= 1
                if start == m.start():
                    continue
                for place in _PLACES:  # keep a city or province written just before the street
                    if text.startswith(place, start) and start + len(place) < m.start():
                        start += len(place)
                        break
                out.append((start, m.end(), "ADDRESS", 0))
                done = max(done, m.end())
            for m in _ADDR_UNITS_ONLY.finditer(text, lo, hi):
                if not text[m.start() - 1:m.start()].isdigit():
                    out.append((m.start(), m.end(), "ADDRESS", 0))
                    done = max(done, m.end())
    for m in _EN_ADDRESS.finditer(text):
        if not (text[m.start() - 1:m.start()].isalnum() or text[m.start() - 1:m.start()] in ("$", "_")):
            out.append((m.start(), m.end(), "ADDRESS", 0))
    if "Box" in text:
        for m in _PO_BOX.finditer(text):
            out.append((m.start(), m.end(), "ADDRESS", 0))


# ---------------------------------------------------------------------------------------------
# Putting it together

def scrub(text: str | None) -> str | None:
    """Replace personal data in `text` by typed placeholders ([PHONE], [NAME], ...)."""
    if not text:
        return text
    if not isinstance(text, str):
        text = str(text)  # a number read from a spreadsheet cell is still text to check
    ascii_only = text.isascii()
    spans: list = []
    if "@" in text or "＠" in text:
        _email_spans(text, spans)
    _cue_value_spans(text, spans, ascii_only)
    _number_spans(text, spans)
    _name_spans(text, spans, ascii_only)
    _address_spans(text, spans, ascii_only)
    if not spans:
        return text
    # Earliest first; at the same start the longer span, then the more specific detector wins.
    spans.sort(key=lambda s: (s[0], -s[1], s[3]))
    parts = []
    pos = 0
    last = ""
    for start, end, kind, _prio in spans:
        if start < pos:
            continue
        if start == pos and kind == last:
            pos = end  # 体育西路103号 + 维多利广场A座2801: one [ADDRESS], not two
            continue
        last = kind
        parts.append(text[pos:start])
        parts.append(f"[{kind}]")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Keyed hash of source ids, ZIP truncation


def secret_path() -> Path:
    env = os.environ.get("COMPLAINTS_SECRET_FILE")
    return Path(env) if env else Path.home() / ".config" / "collection-watch" / "secret.key"


_KEYS: dict[Path, bytes] = {}


def _secret_at(path: Path) -> bytes:
    if path in _KEYS and path.exists():
        return _KEYS[path]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two processes starting at once must not write two different keys
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32).hex().encode())
    key = path.read_bytes().strip()
    if not key:
        raise ValueError(f"secret key file {path} is empty")
    _KEYS[path] = key
    return key


_PATH_FOR_ENV: dict[str | None, tuple[str, Path]] = {}


def _secret() -> bytes:
    # Called once per ingested row: avoid building a Path each time, but still notice a
    # changed COMPLAINTS_SECRET_FILE or a deleted key file.
    env = os.environ.get("COMPLAINTS_SECRET_FILE")
    cached = _PATH_FOR_ENV.get(env)
    if cached is None:
        path = secret_path()
        cached = _PATH_FOR_ENV[env] = (str(path), path)
    key = _KEYS.get(cached[1])
    if key is not None and os.path.exists(cached[0]):
        return key
    return _secret_at(cached[1])


_PADS: dict[bytes, tuple] = {}


def _hmac_pads(key: bytes) -> tuple:
    """sha256 states after the HMAC inner and outer pads (RFC 2104), computed once per key. Copying
    them per value is ~2x cheaper than copying an hmac.HMAC object, and gives the same digest."""
    pads = _PADS.get(key)
    if pads is None:
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        pads = _PADS[key] = (hashlib.sha256(bytes(b ^ 0x36 for b in block)),
                             hashlib.sha256(bytes(b ^ 0x5C for b in block)))
    return pads


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of the source's own id: stable across runs, not reversible without the key."""
    return keyed_hashes([value])[0]


def keyed_hashes(values: list[str]) -> list[str]:
    """keyed_hash of each value, the key looked up once for the whole list (ingest batches)."""
    inner, outer = _hmac_pads(_secret())
    inner_copy, outer_copy = inner.copy, outer.copy
    out = []
    append = out.append
    for value in values:
        h = inner_copy()
        h.update((value if type(value) is str else str(value)).encode("utf-8"))
        o = outer_copy()
        o.update(h.digest())
        append(o.hexdigest())
    return out


def zip3(zip_code: str | None) -> str | None:
    """First 3 digits of a US ZIP. Handles ZIP+4, masked 'NNNXX' and spreadsheet-stripped zeros."""
    text = str(zip_code or "").strip()
    if not text or not text[0].isdigit():
        return None
    head = text.split("-")[0].strip()
    digits = re.match(r"\d*", head).group()
    if len(digits) >= 5 or (len(digits) == 3 and head[3:] in ("XX", "xx")):
        return digits[:3]
    if 3 <= len(digits) <= 4 and len(head) == len(digits):
        return digits.zfill(5)[:3]  # "2127" lost its leading zero in a spreadsheet
    return None
