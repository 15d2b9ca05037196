"""Write tests/data/anonymize_corpus.jsonl: our own annotated texts for the anonymizer.

Every text is written by us (no real complaint text is copied). Each line:
  {"id": "zh-0001", "lang": "zh-Hans" | "zh-Hant" | "en", "text": "...",
   "remove": [{"kind": "PHONE", "value": "150 7087 9527"}, ...],   # must be gone after scrub
   "keep":   [{"kind": "lender", "value": "招联金融"}, ...]}         # must survive scrub
Personal data are random but well formed (ID checksums, Luhn-valid cards). The seed is fixed, so
re-running the script gives the same file:  python tests/data/make_anonymize_corpus.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import opencc

OUT = Path(__file__).with_name("anonymize_corpus.jsonl")
rng = random.Random(20261129)

FW = str.maketrans("0123456789", "０１２３４５６７８９")

# ------------------------------------------------------------------ personal data generators

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰",
         "霞", "平", "刚", "桂英", "建华", "志强", "晓燕", "海燕", "文博", "子轩", "雨涵", "浩然", "欣怡", "俊杰", "丹"]
EN_FIRST = ["John", "Mary", "James", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan",
            "William", "Karen", "Maria", "Carlos", "Aisha", "Kevin", "Denise", "Tyrone", "Emily", "Brian"]
EN_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
           "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Nguyen", "Okafor"]


def digits(n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def mobile_raw() -> str:
    return rng.choice(["13", "15", "17", "18", "19", "16", "14"]) + str(rng.randint(0, 9)) + digits(8)


def cn_mobile() -> str:
    m = mobile_raw()
    style = rng.randrange(9)
    if style == 0:
        return f"+86 {m}"
    if style == 1:
        return f"0086-{m}"
    if style == 2:
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if style == 3:
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if style == 4:
        return m.translate(FW)
    if style == 5:
        return f"+86-{m[:3]}-{m[3:7]}-{m[7:]}"
    return m


def cn_landline() -> str:
    area = rng.choice(["010", "021", "020", "0755", "0571", "028", "027", "0731"])
    local = str(rng.randint(2, 8)) + digits(7 if len(area) == 3 else rng.choice([6, 7]))
    style = rng.randrange(4)
    if style == 0:
        return f"{area}-{local}"
    if style == 1:
        return f"({area}){local}"
    if style == 2:
        return f"{area} {local[:4]} {local[4:]}"
    return f"{area}-{local}".translate(FW).replace("-", "－")


def hk_phone() -> str:
    n = rng.choice("569") + digits(7)
    return rng.choice([f"+852 {n[:4]} {n[4:]}", f"(852) {n[:4]}-{n[4:]}", f"+852-{n}"])


def tw_phone() -> str:
    if rng.random() < 0.6:
        n = "09" + digits(8)
        return rng.choice([f"{n[:4]}-{n[4:7]}-{n[7:]}", n, f"+886 {n[1:4]} {n[4:7]} {n[7:]}"])
    return rng.choice([f"(02){rng.randint(2, 8)}{digits(3)}-{digits(4)}", f"02-{rng.randint(2, 8)}{digits(3)}-{digits(4)}",
                       f"(04)2{digits(3)}-{digits(4)}"])


def us_phone() -> str:
    area = str(rng.randint(201, 989))
    while area[1:] == "11" or area in ("800", "888", "877", "866", "855", "844", "833"):
        area = str(rng.randint(201, 989))
    ex, line = str(rng.randint(201, 989)), digits(4)
    return rng.choice([f"({area}) {ex}-{line}", f"{area}-{ex}-{line}", f"{area}.{ex}.{line}", f"+1 {area} {ex} {line}",
                       f"1-{area}-{ex}-{line}", f"{area}{ex}{line}"])


def email() -> str:
    user = rng.choice(["xiaoming", "zhang.wei", "lily_88", "john.smith", "mwilliams", "cathy2020", "ab_cd", "hello.world"])
    if rng.random() < 0.4:
        user = digits(rng.randint(6, 10)).lstrip("0") or "12345"
    domain = rng.choice(["qq.com", "163.com", "126.com", "gmail.com", "yahoo.com", "outlook.com", "sina.com", "hotmail.com"])
    return f"{user}@{domain}"


def qq() -> str:
    return str(rng.randint(1, 9)) + digits(rng.randint(5, 9))


def wechat() -> str:
    if rng.random() < 0.3:
        return mobile_raw()
    return rng.choice(["zhang", "wxid_", "lily", "tom", "a", "chen", "momo", "xiao"]) + rng.choice(["_", "", "-"]) + \
        rng.choice(["abc", "wei", "88", "x", "hao"]) + digits(rng.randint(2, 5))


WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def cn_id() -> str:
    region = rng.choice(["110101", "310104", "440305", "330106", "510107", "420111", "430102", "350203"])
    born = f"{rng.randint(1960, 2003)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + born + digits(3)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    full = body + check
    style = rng.randrange(6)
    if style == 0:
        return f"{full[:6]} {full[6:14]} {full[14:]}"
    if style == 1:
        return full.translate(FW)
    return full


def cn_id15() -> str:
    region = rng.choice(["110101", "310104", "440305", "330106"])
    return region + f"{rng.randint(50, 89)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" + digits(3)


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def card() -> str:
    prefix, length = rng.choice([("6222", 19), ("6217", 19), ("6228", 19), ("6225", 16), ("4", 16), ("5", 16), ("622", 16)])
    n = luhn_complete(prefix, length)
    style = rng.randrange(4)
    if style == 0:
        return " ".join(n[i:i + 4] for i in range(0, len(n), 4))
    if style == 1:
        return "-".join(n[i:i + 4] for i in range(0, len(n), 4))
    return n


def ssn() -> str:
    return f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{digits(4)}"


def passport() -> str:
    return rng.choice([f"E{digits(8)}", f"G{digits(8)}", f"EA{digits(7)}", f"5{digits(8)}"])


def license_no() -> str:
    return rng.choice([f"D{digits(7)}", f"S{digits(3)}-{digits(4)}-{digits(4)}", f"B{digits(8)}"])


def account() -> str:
    return rng.choice([f"HT{digits(11)}", digits(10), f"{digits(4)}-{digits(4)}-{digits(2)}", f"LN{digits(8)}"])


def plate() -> str:
    prov = rng.choice("京沪粤浙苏川鄂湘闽鲁豫")
    letter = rng.choice("ABCDEFGHJK")
    tail = "".join(rng.choice("0123456789ABCDEFGHJKLMN") for _ in range(4)) + str(rng.randint(0, 9))
    if rng.random() < 0.2:
        tail = "D" + tail  # new-energy plates have six characters
    return prov + letter + tail


def zh_address() -> str:
    road = rng.choice(["科技园路", "人民路", "中山北路", "建国路", "解放大道", "和平街", "长江路", "文化路", "幸福巷", "南京东路"])
    no = f"{rng.randint(1, 399)}号"
    tail = rng.choice(["", f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室",
                       f"{rng.randint(1, 20)}号楼{rng.randint(101, 2504)}室", f"院{rng.randint(1, 9)}号楼{rng.randint(1, 4)}单元"])
    if rng.random() < 0.25:
        estate = rng.choice(["阳光花园", "碧桂园", "幸福小区", "锦绣家园", "万科城"])
        return f"{estate}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
    return road + no + tail


def en_address() -> str:
    street = rng.choice(["Main Street", "Oak Ave", "Maple Drive", "Sunset Blvd", "Elm St", "Cedar Lane", "Lincoln Road",
                         "5th Avenue", "Park Place", "Washington Street"])
    unit = rng.choice(["", f", Apt {rng.randint(1, 40)}{rng.choice('ABCD')}", f" Unit {rng.randint(1, 300)}", f", Suite {rng.randint(100, 900)}"])
    return f"{rng.randint(12, 9899)} {street}{unit}"


def zh_name() -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def en_name() -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def zh_dob() -> str:
    y, m, d = rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}.{m}.{d}"])


def en_dob() -> str:
    y, m, d = rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28)
    month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"][m - 1]
    return rng.choice([f"{m:02d}/{d:02d}/{y}", f"{month} {d}, {y}"])


PII = {
    "PHONE": cn_mobile, "LANDLINE": cn_landline, "HKPHONE": hk_phone, "TWPHONE": tw_phone, "USPHONE": us_phone,
    "EMAIL": email, "QQ": qq, "WECHAT": wechat, "ID": cn_id, "ID15": cn_id15, "CARD": card, "SSN": ssn,
    "PASSPORT": passport, "LICENSE": license_no, "ACCOUNT": account, "PLATE": plate, "ADDRESS": zh_address,
    "ENADDRESS": en_address, "NAME": zh_name, "ENNAME": en_name, "DOB": zh_dob, "ENDOB": en_dob,
    # names marked by a title: the datum is the surname (plus given name) before the title
    "SELF": lambda: rng.choice(SURNAMES) + rng.choice(["经理", "主管", "律师", "专员"]),
    "MRS": lambda: rng.choice(SURNAMES) + rng.choice(["女士", "小姐", "先生"]),
}
KIND_OF = {"LANDLINE": "PHONE", "HKPHONE": "PHONE", "TWPHONE": "PHONE", "USPHONE": "PHONE", "ID15": "ID",
           "ENADDRESS": "ADDRESS", "ENNAME": "NAME", "ENDOB": "DOB", "SELF": "NAME", "MRS": "NAME"}

# ------------------------------------------------------------------ what must stay

PROTECTED_ZH = {
    "lender": ["和信金融", "招联金融", "捷信", "北银消费金融", "百度有钱花", "度小满", "京东金融", "360借条", "马上消费金融",
               "中银消费金融", "分期乐", "安逸花", "平安普惠", "微粒贷", "美团月付", "宜人贷", "拍拍贷", "众安小贷"],
    "amount": ["5000元", "12,000元", "3.5万元", "8600元", "￥2,380", "1500块", "20000元", "4.8万", "999元", "30万元"],
    "date": ["2023年5月12日", "2024年1月3日", "2022-11-08", "3月15日", "上个月20号", "2021年", "今年6月", "2023年12月31日"],
    "place": ["深圳", "北京", "上海", "广州", "杭州", "成都", "武汉", "湖南省", "广东省", "长沙市", "郑州"],
    "legal": ["起诉", "法院", "律师函", "仲裁", "征信", "银保监会", "个人信息保护法", "民法典", "诈骗罪", "立案"],
    "tactic": ["爆通讯录", "威胁", "恐吓", "辱骂", "骚扰", "上门催收", "冒充公检法", "呼死你", "P图", "群发短信"],
}
PROTECTED_EN = {
    "lender": ["Midland Credit Management", "Portfolio Recovery Associates", "Encore Capital Group", "Capital One",
               "Synchrony Bank", "OneMain Financial", "Credit Acceptance", "Navient", "Transworld Systems",
               "LVNV Funding", "Enhanced Recovery Company", "Convergent Outsourcing", "Jefferson Capital"],
    "amount": ["$1,250.00", "$500", "$3,200", "$87.45", "$12,480.16", "$2,000", "$640.00", "{$1,250.00}"],
    "date": ["May 12, 2023", "05/12/2023", "January 3, 2024", "2022-11-08", "last Tuesday", "March 2021", "XX/XX/XXXX"],
    "place": ["Texas", "California", "Chicago", "Houston", "Florida", "Ohio", "Atlanta, Georgia", "Phoenix"],
    "legal": ["FDCPA", "cease and desist", "small claims court", "validation letter", "credit report", "lawsuit",
              "statute of limitations", "garnishment"],
    # verb phrases: templates use them as "{lender} {tactic}"
    "tactic": ["harassed me", "threatened to arrest me", "called my employer", "called me repeatedly",
               "used abusive language", "called my mother", "threatened to sue me", "sent robocalls",
               "threatened to garnish my wages", "called me after 9pm"],
}

# ------------------------------------------------------------------ templates

ZH = [
    "{lender}的催收员天天打我电话，还说要{tactic}。我的手机号{PHONE}，借款{amount}，{date}到期。",
    "我叫{NAME}，在{lender}借了{amount}，{date}逾期后对方开始{tactic}，联系方式：{PHONE} {EMAIL}",
    "本人{NAME}，身份证号码{ID}，{date}在{lender}申请借款{amount}，现在被{tactic}，要求停止并{legal}。",
    "催收员自称是{lender}的{SELF}，说再不还{amount}就去{place}法院{legal}，还{tactic}。",
    "{date}下午，一个号码{PHONE}打到我单位，说我欠{lender}{amount}，当着同事{tactic}。",
    "{lender}委托的第三方催收加我微信{WECHAT}，发来P过的图片{tactic}，我已向{place}警方{legal}。",
    "他们打到我家人电话{PHONE}，说我欠{amount}不还，还说要{tactic}，{lender}必须给个说法。",
    "对方用QQ{QQ}给我发消息，威胁说{date}前不还{amount}就{legal}，还要{tactic}。{lender}的客服不管。",
    "我在{lender}的借款{amount}已经结清，{date}却还在催收，催收员用{LANDLINE}反复{tactic}。",
    "借款人{NAME}，住址{place}市{ADDRESS}，{lender}的人{date}上门，{tactic}，把我家门口贴满了纸。",
    "银行卡号{CARD}被{lender}多扣了{amount}，{date}申请退款无果，客服还{tactic}，我要{legal}。",
    "{lender}催收说要把我的身份证{ID}发到网上，{date}还{tactic}，欠款只有{amount}。",
    "催收短信里直接写了我的名字和电话{PHONE}，发给通讯录所有人，{lender}这是{tactic}，违反{legal}。",
    "我的邮箱{EMAIL}每天收到{lender}的恐吓邮件，说{date}要来{place}找我，欠款{amount}，严重{tactic}。",
    "{MRS}你好，我是{lender}法务部，你欠款{amount}已逾期，{date}前不处理我们就{legal}。对方就是这样{tactic}的。",
    "家住{place}{ADDRESS}，{date}有两个自称{lender}的人来{tactic}，要我马上还{amount}。",
    "他们连我车牌{PLATE}都查到了，说要拖车抵{amount}，{lender}的催收{tactic}，我已{legal}。",
    "加我扣扣{QQ}的人说是{lender}的，要我还{amount}，否则{tactic}，{date}开始就没停过。",
    "{lender}逾期{amount}，催收员打我父亲电话{PHONE}和我姐姐电话{PHONE}，{tactic}，还说要{legal}。",
    "VX：{WECHAT}，这个人{date}冒充{lender}的工作人员{tactic}，要我转账{amount}。",
    "紧急联系人{NAME}的电话{PHONE}被{lender}打爆了，对方{tactic}，我只借了{amount}。",
    "出生日期{DOB}，身份证{ID}，这些信息都被{lender}泄露给催收公司，{date}开始{tactic}。",
    "我用护照{PASSPORT}在{lender}注册，{date}发现多了一笔{amount}的借款，催收还{tactic}。",
    "合同编号{ACCOUNT}，{lender}，借款{amount}，{date}结清后仍被{tactic}，要求{legal}。",
    "{lender}的催收{date}打到我公司前台{LANDLINE}，说我是老赖，{tactic}。欠款{amount}。",
    "投诉{lender}：{date}起每天几十个电话{tactic}，打给我的手机{PHONE}，借款本金{amount}，要求{legal}。",
    "我的微信号是{WECHAT}，手机{PHONE}，{lender}用这两个天天{tactic}，欠{amount}。",
    "{lender}说要去{place}{ADDRESS}上门，那是我父母家，{date}真的来了，{tactic}。",
    "驾驶证号{LICENSE}也被他们拿到了，{lender}催收员{tactic}，我只欠{amount}，{date}逾期。",
    "借款{amount}，{lender}，催收员{SELF}说{date}要{legal}，还{tactic}，他的电话{PHONE}。",
    "本人{NAME}于{date}在{lender}借款{amount}，对方{tactic}，我已向银保监会投诉。电话{PHONE}",
    "{lender}和催收公司联合{tactic}，对方号码{PHONE}、{PHONE}都是私人号，{date}至今，欠款{amount}。",
    "{lender}客服热线打不通，催收却用{PHONE}每天{tactic}，{date}借的{amount}，我要{legal}。",
    "我叫{NAME}，{place}人，{date}在{lender}借了{amount}，身份证{ID15}，催收员{tactic}。",
    "联系我{EMAIL}或{PHONE}，{lender}{date}的{tactic}证据我都有，涉及金额{amount}。",
]
ZH_HANT = [
    "{lender}的催收員天天打我手機{TWPHONE}，說要{tactic}，欠款{amount}，{date}到期。",
    "我叫{NAME}，住在{place}，{lender}的人用{HKPHONE}打來{tactic}，借款{amount}。",
    "本人{NAME}，電話：{TWPHONE}，{date}被{lender}{tactic}，要求{legal}。",
    "催收員自稱是{lender}的{SELF}，打我公司電話{TWPHONE}，{tactic}，欠{amount}。",
    "{lender}把我的身份證{ID}和地址{ADDRESS}發給親友，{date}開始{tactic}，借款{amount}。",
    "微信號{WECHAT}的人冒充{lender}，{date}{tactic}，要我還{amount}，否則{legal}。",
    "聯絡方式：{HKPHONE} {EMAIL}，{lender}催收{tactic}，{date}，金額{amount}。",
]
EN = [
    "My name is {ENNAME}. {lender} called me at {USPHONE} about a debt of {amount} and {tactic}.",
    "{lender} {tactic} again and again since {date}. They call my cell {USPHONE} and my work line {USPHONE}.",
    "I received a letter at {ENADDRESS}, {place} from {lender} demanding {amount}. I sent a {legal} on {date}.",
    "On {date}, Mr. {ENLAST} from {lender} {tactic}. He said I owed {amount}. This violates the {legal}.",
    "{lender} reported a debt of {amount} on my {legal}. My SSN {SSN} was used without my consent.",
    "The collector, Ms. {ENLAST}, {tactic} on {date} and demanded {amount}. Please contact me at {EMAIL}.",
    "They had my date of birth {ENDOB} and my account number {ACCOUNT}. {lender} {tactic} over {amount}.",
    "I paid {amount} to {lender} on {date}. They still {tactic} and sent notices to {ENADDRESS}.",
    "{lender} keeps calling {USPHONE}; they {tactic}. I told them about the {legal} on {date}. Sincerely, {ENNAME}",
    "I live in {place}. A man named {ENNAME} from {lender} {tactic} about {amount} on {date}.",
    "My card {CARD} was charged {amount} by {lender} on {date}. When I disputed it they {tactic}.",
    "{lender} asked for my driver's license {LICENSE} and my Social Security number {SSN} before they would stop calling. They {tactic}.",
    "I am filing this because {lender} {tactic}. The debt of {amount} is past the {legal}. Call me at {USPHONE}.",
    "On {date} {lender} left a voicemail on my mother's phone {USPHONE} saying I owed {amount}; they {tactic}.",
    "Mrs. {ENLAST} at {lender} told me on {date} that they would garnish my wages for {amount}. Then they {tactic}.",
    "{lender} sent a {legal} to {ENADDRESS}, which is my old apartment. I moved to {place}. Amount {amount}.",
    "I have emailed {lender} at their dispute address from {EMAIL} since {date} asking them to stop. They {tactic}.",
    "My passport number {PASSPORT} was requested by {lender} to verify identity. They {tactic} about {amount}.",
    "XXXX from {lender} called on {date} about {amount} and {tactic}. My number is {USPHONE}.",
    "Please stop. {lender} {tactic} on {date}. I owe nothing; the {amount} was paid. Thank you,\n{ENNAME}",
    "The agent said his name was {ENNAME}. {lender} {tactic} and threatened a {legal} over {amount}.",
    "{lender} called my employer in {place} on {date} and {tactic}. Reach me at {EMAIL} or {USPHONE}.",
    "Loan number {ACCOUNT} with {lender}: {amount} was paid on {date} but they {tactic}. I want a {legal}.",
    "{lender} keeps texting {USPHONE} after I sent a {legal} on {date}. They {tactic}. Regards, {ENNAME}",
    "DOB {ENDOB}. {lender} says I owe {amount} from {date}. They {tactic} and put it on my {legal}.",
]

# Hand-written texts, each with its own phrasing (not from the templates above). Written before the
# anonymizer was run on them; docs/anonymization.md reports how they fared on first contact.
HANDWRITTEN = [
    ("zh-Hans", "我是借款人本人，我叫刘洋，电话是13912345678，不要再打我妈妈的电话了。安逸花催收太过分。",
     [("NAME", "刘洋"), ("PHONE", "13912345678")], [("lender", "安逸花"), ("tactic", "催收")]),
    ("zh-Hans", "美团月付的催收打给我同事，说我欠了3000元不还，同事的手机138-0013-8000也被打了十几次",
     [("PHONE", "138-0013-8000")], [("lender", "美团月付"), ("amount", "3000元")]),
    ("zh-Hans", "联系电话：0755-26881234（公司座机），催收员说要来深圳找我，欠款2.6万",
     [("PHONE", "0755-26881234")], [("place", "深圳"), ("amount", "2.6万")]),
    ("zh-Hans", "身份证号码：44030519880615123X，我从没在360借条借过钱，却收到了律师函",
     [("ID", "44030519880615123X")], [("lender", "360借条"), ("legal", "律师函")]),
    ("zh-Hans", "他们把我的照片P成通缉令发到微信群，我的微信是 wxid_k9s8d7f6，QQ是 1053627891",
     [("WECHAT", "wxid_k9s8d7f6"), ("QQ", "1053627891")], [("tactic", "通缉令")]),
    ("zh-Hans", "2024年3月8日上午，自称是度小满法务的李主管打来电话，号码17712345670，威胁起诉",
     [("NAME", "李主管"), ("PHONE", "17712345670")], [("date", "2024年3月8日"), ("lender", "度小满"), ("legal", "起诉")]),
    ("zh-Hans", "还款账户6217003320012345671是我本人的储蓄卡，被分期乐多扣了899元",
     [("CARD", "6217003320012345671")], [("lender", "分期乐"), ("amount", "899元")]),
    ("zh-Hans", "催收上门到我家：杭州市西湖区文三路259号昌地火炬大厦1号楼，在楼下拉横幅",
     [("ADDRESS", "文三路259号昌地火炬大厦1号楼")], [("place", "杭州"), ("tactic", "拉横幅")]),
    ("zh-Hans", "我老公陈建国的手机+8615888886666被打爆，孩子学校也接到电话，中银消费金融必须道歉",
     [("PHONE", "+8615888886666")], [("lender", "中银消费金融")]),
    ("zh-Hans", "邮箱 hz_wang2019@163.com 每天收到十几封催款邮件，借款本金8000元",
     [("EMAIL", "hz_wang2019@163.com")], [("amount", "8000元")]),
    ("zh-Hans", "对方打的是我爸的座机021-64381122，说不还钱就让我坐牢，这是冒充公检法",
     [("PHONE", "021-64381122")], [("tactic", "冒充公检法")]),
    ("zh-Hans", "车辆浙A·8K2N9已经被平安普惠的人拖走了，我只逾期了两期",
     [("PLATE", "浙A·8K2N9")], [("lender", "平安普惠")]),
    ("zh-Hans", "本人胡晓峰，2019年在拍拍贷借款，现已结清，但征信上仍显示逾期",
     [("NAME", "胡晓峰")], [("lender", "拍拍贷"), ("legal", "征信")]),
    ("zh-Hans", "催收员留的号码是１３６１１１１２２２２，还说知道我住在幸福小区3栋1单元702",
     [("PHONE", "１３６１１１１２２２２"), ("ADDRESS", "幸福小区3栋1单元702")], []),
    ("zh-Hans", "联系人：赵丽，电话15912349876，和信金融催收员骂她是骗子的同伙",
     [("NAME", "赵丽"), ("PHONE", "15912349876")], [("lender", "和信金融")]),
    ("zh-Hant", "我是借款人，叫黃志明，手機0933-123-456，富邦的催收員每天打十幾通電話",
     [("NAME", "黃志明"), ("PHONE", "0933-123-456")], []),
    ("zh-Hant", "身分證字號F128456793，被冒用在網貸平台借了5萬元，要求撤銷並報警",
     [("ID", "F128456793")], [("amount", "5萬元")]),
    ("zh-Hant", "催收打到我公司(02)2712-3456，還在LINE上罵人，欠款只有新台幣8,000元",
     [("PHONE", "(02)2712-3456")], [("amount", "8,000元")]),
    ("zh-Hant", "香港電話：+852 6543 2100，對方自稱是捷信的陳經理，要求我今天還清12000元",
     [("PHONE", "+852 6543 2100"), ("NAME", "陳經理")], [("lender", "捷信"), ("amount", "12000元")]),
    ("zh-Hant", "電郵 amy.lau88@yahoo.com.hk 收到恐嚇信，說會去我家台北市大安區忠孝東路四段100號8樓",
     [("EMAIL", "amy.lau88@yahoo.com.hk"), ("ADDRESS", "忠孝東路四段100號8樓")], [("place", "台北")]),
    ("zh-Hant", "林美玲小姐的電話0922 888 777被招聯金融的人打了三十次，她只是緊急聯絡人",
     [("NAME", "林美玲"), ("PHONE", "0922 888 777")], [("lender", "招聯金融")]),
    ("zh-Hant", "微信號：chen_dawei1985，這個人說是馬上消費金融的，威脅要上門",
     [("WECHAT", "chen_dawei1985")], [("lender", "馬上消費金融"), ("tactic", "威脅")]),
    ("en", "Hi, I'm writing because Portfolio Recovery Associates keeps calling 312-555-0187 even after I sent a cease and desist.",
     [("PHONE", "312-555-0187")], [("lender", "Portfolio Recovery Associates"), ("legal", "cease and desist")]),
    ("en", "They sent the letter to 4417 W. Belmont Ave, Chicago instead of my current address. The balance was $2,314.77.",
     [("ADDRESS", "4417 W. Belmont Ave")], [("place", "Chicago"), ("amount", "$2,314.77")]),
    ("en", "A representative named Kevin Walsh told my sister that I would be arrested. My number is (773) 555-0144.",
     [("NAME", "Kevin Walsh"), ("PHONE", "(773) 555-0144")], [("tactic", "arrested")]),
    ("en", "My SSN is 078-05-1120 and it appears on a collection account from LVNV Funding that is not mine.",
     [("SSN", "078-05-1120")], [("lender", "LVNV Funding")]),
    ("en", "Email me at d.okafor@outlook.com. Jefferson Capital has called me 40 times since March 2, 2023.",
     [("EMAIL", "d.okafor@outlook.com")], [("lender", "Jefferson Capital"), ("date", "March 2, 2023")]),
    ("en", "They charged my Visa 4539 1488 0343 6467 for $150.00 without authorization.",
     [("CARD", "4539 1488 0343 6467")], [("amount", "$150.00")]),
    ("en", "I spoke with Mrs. Patterson at Enhanced Recovery Company on 11/02/2022 and she laughed at me.",
     [("NAME", "Patterson")], [("lender", "Enhanced Recovery Company"), ("date", "11/02/2022")]),
    ("en", "The collector read out my date of birth, 7/14/1982, and my old address, 88 Pine Court, Apt 3, to my neighbor.",
     [("DOB", "7/14/1982"), ("ADDRESS", "88 Pine Court, Apt 3")], []),
    ("en", "Account number 5590-1123-0098 was sold to Midland Credit Management without notice. I owe $0.",
     [("ACCOUNT", "5590-1123-0098")], [("lender", "Midland Credit Management"), ("amount", "$0")]),
    ("en", "Thank you for your help.\nRegards,\nMaria Gonzalez", [("NAME", "Maria Gonzalez")], []),
    ("en", "Call my cell at 415.555.0199 or my husband at +1 (415) 555-0123; Synchrony Bank threatened garnishment.",
     [("PHONE", "415.555.0199"), ("PHONE", "+1 (415) 555-0123")], [("lender", "Synchrony Bank"), ("legal", "garnishment")]),
    ("en", "My driver license number is D1234-56789-01234 and they asked for a copy. Navient said it was routine.",
     [("LICENSE", "D1234-56789-01234")], [("lender", "Navient")]),
    ("en", "My name is Tyrone Jackson. OneMain Financial called my employer in Atlanta, Georgia on 06/01/2021.",
     [("NAME", "Tyrone Jackson")], [("lender", "OneMain Financial"), ("place", "Atlanta, Georgia"), ("date", "06/01/2021")]),
    ("en", "On XX/XX/XXXX I paid {$500.00} to XXXX. The collector at 1-866-555-0100 still says I owe.",
     [], [("date", "XX/XX/XXXX"), ("amount", "{$500.00}")]),
    ("en", "Their agent, Mr. Daniel Brooks, left messages at my mother's house at 2250 Oak Street, Dayton.",
     [("NAME", "Daniel Brooks"), ("ADDRESS", "2250 Oak Street")], [("place", "Dayton")]),
    ("en", "Loan #LN-2023-00481 with Credit Acceptance was paid in full on 2022-11-08.",
     [("ACCOUNT", "LN-2023-00481")], [("lender", "Credit Acceptance"), ("date", "2022-11-08")]),
]


def fill(template: str, protected: dict, lang: str) -> dict:
    remove, keep = [], []

    def slot(m: re.Match) -> str:
        name = m.group(1)
        if name in protected:
            value = rng.choice(protected[name])
            keep.append({"kind": name, "value": value})
            return value
        if name == "ENLAST":
            value = rng.choice(EN_LAST)
            remove.append({"kind": "NAME", "value": value})
            return value
        value = PII[name]()
        remove.append({"kind": KIND_OF.get(name, name), "value": value})
        return value

    text = re.sub(r"\{(\w+)\}", slot, template)
    return {"lang": lang, "text": text, "remove": remove, "keep": keep}


def to_traditional(item: dict, conv) -> dict | None:
    text = conv.convert(item["text"])
    out = {"lang": "zh-Hant", "text": text, "remove": [], "keep": []}
    for key in ("remove", "keep"):
        for entry in item[key]:
            value = conv.convert(entry["value"])
            if value not in text:
                return None
            out[key].append({"kind": entry["kind"], "value": value})
    return out


def main() -> None:
    conv = opencc.OpenCC("s2t")
    items = []
    for i in range(150):
        items.append(fill(ZH[i % len(ZH)], PROTECTED_ZH, "zh-Hans"))
    made = 0
    while made < 60:
        item = to_traditional(fill(ZH[rng.randrange(len(ZH))], PROTECTED_ZH, "zh-Hans"), conv)
        if item:
            items.append(item)
            made += 1
    hant_protected = {k: [conv.convert(v) for v in vs] for k, vs in PROTECTED_ZH.items()}
    for i in range(35):
        items.append(fill(ZH_HANT[i % len(ZH_HANT)], hant_protected, "zh-Hant"))
    for i in range(125):
        items.append(fill(EN[i % len(EN)], PROTECTED_EN, "en"))
    for lang, text, remove, keep in HANDWRITTEN:
        for _, value in remove + keep:
            assert value in text, value
        items.append({"lang": lang, "text": text, "remove": [{"kind": k, "value": v} for k, v in remove],
                      "keep": [{"kind": k, "value": v} for k, v in keep], "source": "handwritten"})
    with OUT.open("w", encoding="utf-8") as fh:
        for n, item in enumerate(items, 1):
            # a text must not contain a datum to remove inside a term to keep, or the check is moot
            fh.write(json.dumps({"id": f"{item['lang']}-{n:04d}", **item}, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} texts to {OUT}")


if __name__ == "__main__":
    main()
