"""Every string a reader sees, in English and Chinese, plus number and date formats.

The language lives in st.session_state["lang"] (bound to the URL as ?lang=zh). Use t("key") for text,
fmt_int / fmt_pct / fmt_date for numbers and dates.
"""

from __future__ import annotations

import csv
import functools
from datetime import date
from pathlib import Path

import streamlit as st

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "中文"}

S: dict[str, tuple[str, str]] = {
    # app
    "app_title": ("Collection Watch", "催收观察"),
    "app_tagline": ("Complaints about abusive debt collection", "暴力催收投诉数据"),
    "language": ("Language · 语言", "语言 · Language"),
    "page_overview": ("Overview", "总览"),
    "page_tactics": ("Tactics", "催收手段"),
    "page_lenders": ("Lenders", "机构"),
    "page_leads": ("Leads", "线索"),
    "page_records": ("Records", "数据"),
    "page_methodology": ("Methodology", "方法"),
    "demo_banner": ("Demo data: synthetic, for trying the dashboard / 演示数据：合成数据，仅供试用. "
                    "To load real data, see the README section \"Load real data\".",
                    "演示数据：合成数据，仅供试用 / Demo data: synthetic, for trying the dashboard。"
                    "加载真实数据请见 README 的 \"Load real data\" 一节。"),
    "no_store": ("No data store yet. Build the demo store with the command below, or load real data "
                 "(README, \"Load real data\"). / 尚无数据库。请用下面的命令生成演示数据，或加载真实数据。",
                 "尚无数据库。请用下面的命令生成演示数据，或加载真实数据（README「Load real data」）。"
                 " / No data store yet: build the demo store with the command below."),
    "building_demo": ("Building the demo store…", "正在生成演示数据库…"),
    "empty_store": ("The store holds no complaints yet.", "数据库中还没有投诉记录。"),
    "old_version": ("This link was made on data version {old}; the data now is version {new}, so numbers "
                    "may differ.", "此链接基于数据版本 {old} 生成；当前数据版本为 {new}，数字可能不同。"),
    "ignored_param": ("Ignored an invalid value in the link for “{key}”.", "已忽略链接中“{key}”的无效值。"),
    "ignored_search": ("The search text in the link was too long (over {n} characters) and was ignored.",
                       "链接中的搜索文字过长（超过 {n} 个字符），已忽略。"),
    # filters
    "filters": ("Filters", "筛选"),
    "choose": ("Choose", "请选择"),
    "period": ("Period", "时间范围"),
    "period_3m": ("Last 3 months", "最近 3 个月"),
    "period_12m": ("Last 12 months", "最近 12 个月"),
    "period_3y": ("Last 3 years", "最近 3 年"),
    "period_all": ("All time", "全部时间"),
    "period_custom": ("Custom dates", "自定义日期"),
    "dates": ("From – to", "起止日期"),
    "period_note": ("{start} – {end} (relative to the latest complaint, {latest})",
                    "{start} 至 {end}（相对于最新一条投诉，{latest}）"),
    "country": ("Country", "国家/地区"),
    "source": ("Source", "来源"),
    "lender": ("Lender", "机构"),
    "exclude_lender": ("Exclude lenders", "排除机构"),
    "tactic": ("Tactic", "催收手段"),
    "tactic_match": ("Match tactics", "手段匹配"),
    "match_any": ("any", "任一"),
    "match_all": ("all", "全部"),
    "region": ("Region", "地区"),
    "product": ("Product", "产品"),
    "status": ("Status", "处理状态"),
    "has_narrative": ("Narrative", "投诉正文"),
    "narr_any": ("With or without", "不限"),
    "narr_yes": ("With narrative", "有正文"),
    "narr_no": ("Without narrative", "无正文"),
    "search": ("Search text (中文 or English)", "全文搜索（中文或英文）"),
    "search_help": ("Finds complaints whose title or narrative contains this exact text, ignoring upper and "
                    "lower case. Chinese needs no spaces. Punctuation, % and _ are matched as typed, and so is "
                    "the script: 爆通讯录 does not find 爆通訊錄 (Traditional).",
                    "查找标题或正文中包含这段文字的投诉，不区分英文大小写。中文无需空格。标点、% 和 _ 按原样匹配，"
                    "繁简体也按输入匹配：搜索“爆通讯录”不会找到繁体的“爆通訊錄”。"),
    "chart_options": ("Chart options", "图表选项"),
    "events": ("Regulatory events on time charts", "在时间图上标注监管事件"),
    "event_jur": ("Events from", "事件所属法域"),
    "unmatched": ("unmatched name", "未匹配名称"),
    "all": ("all", "全部"),
    "filter_none": ("all complaints", "全部投诉"),
    "share_link": ("Share this view", "分享此视图"),
    "share_help": ("This link has absolute dates and the data version, so it opens exactly this view.",
                   "此链接包含绝对日期和数据版本，打开后显示完全相同的视图。"),
    "cite": ("Cite this view", "引用此视图"),
    "cite_plain": ("Plain text", "纯文本"),
    "data_version": ("Data version", "数据版本"),
    "embed_unknown": ("Unknown chart id in the link: nothing to embed.", "链接中的图表编号无效，无法嵌入。"),
    # charts
    "n": ("n = {n}", "n = {n}"),
    "get_data": ("Get the data (CSV)", "下载数据（CSV）"),
    "save_png": ("Save as PNG", "保存为图片（PNG）"),
    "partial": ("partial", "不完整"),
    "partial_col": ("partial period", "不完整周期"),
    "partial_span": ("{first} – {last}, {days} of {length} days", "{first}至{last}，{length}天中的{days}天"),
    "partial_note": ("Shaded: periods only partly inside the selected dates ({spans}). Their counts are not "
                     "comparable with whole periods.",
                     "阴影部分：只有部分日期在所选时间范围内的周期（{spans}），其数量不能与完整周期直接比较。"),
    "partial_note_share": ("Shaded: periods only partly inside the selected dates ({spans}). Their shares rest "
                           "on fewer complaints than those of whole periods.",
                           "阴影部分：只有部分日期在所选时间范围内的周期（{spans}），其占比所依据的投诉少于完整周期。"),
    "show_sql": ("Show SQL", "查看 SQL"),
    "sql_macro": ("`filtered(...)` is the shared filter macro defined in queries/_filtered.sql, "
                  "run on each connection. A text search reads the store's search index when it has one "
                  "(queries/_searched_indexed.sql, complaints/search.py): the same matches, found faster. "
                  "The other macros read tables derived from the complaints at publish, with the same "
                  "results: `scoped_*` and `lender_scoped` (queries/_aggregated.sql), and under a search "
                  "`searched_facts` (queries/_searched_facts.sql). There `$tactic_bits` is the tactic filter "
                  "as one bit mask over the store's tactic_bits table (null: no tactic filter; 0: nothing can "
                  "match), worked out from `$tactics` and `$tactics_all`; `$severe_bits` likewise from `$severe`.",
                  "`filtered(...)` 是共享筛选宏，定义在 queries/_filtered.sql，每个连接都会运行。"
                  "全文搜索在数据库有搜索索引时使用该索引（queries/_searched_indexed.sql、complaints/search.py）："
                  "匹配结果相同，只是更快。其他宏读取发布时由投诉数据派生的表，结果相同："
                  "`scoped_*` 和 `lender_scoped`（queries/_aggregated.sql），搜索时还有 "
                  "`searched_facts`（queries/_searched_facts.sql）。其中 `$tactic_bits` 是把手段筛选写成的"
                  "一个位掩码，对应数据库中的 tactic_bits 表（null：不按手段筛选；0：没有投诉能符合），"
                  "由 `$tactics` 和 `$tactics_all` 算出；`$severe_bits` 同样由 `$severe` 算出。"),
    "parameters": ("Parameters", "参数"),
    "table_alt": ("Table of this chart", "图表数据表"),
    "embed": ("Embed link", "嵌入链接"),
    "caption": ("Source: Collection Watch · {filters} · n = {n} · data {version}",
                "来源：催收观察 · {filters} · n = {n} · 数据版本 {version}"),
    "no_data": ("No complaints match these filters.", "没有符合筛选条件的投诉。"),
    "count": ("Complaints", "投诉数"),
    "share": ("Share", "占比"),
    "date": ("Date", "日期"),
    "interval": ("Interval", "时间粒度"),
    "iv_auto": ("Automatic", "自动"),
    "iv_day": ("Day", "日"),
    "iv_week": ("Week", "周"),
    "iv_month": ("Month", "月"),
    "iv_quarter": ("Quarter", "季度"),
    "iv_year": ("Year", "年"),
    # overview
    "ov_title": ("Overview", "总览"),
    "m_complaints": ("Complaints", "投诉数"),
    "m_any_tactic": ("With a named tactic", "涉及已识别手段"),
    "m_severe": ("With a severe tactic", "涉及严重手段"),
    "m_lenders": ("Lenders named", "涉及机构数"),
    "delta_help": ("Change against the previous {days} days ({start} – {end}).",
                   "与前 {days} 天（{start} 至 {end}）相比的变化。"),
    "pp": ("pp", "个百分点"),
    "ch_volume": ("Complaints per {interval}", "每{interval}投诉数"),
    "ch_by_source": ("Complaints by source and country", "按来源和国家的投诉数"),
    "ch_top_tactics": ("Top tactics", "最常见的催收手段"),
    "ch_top_lenders": ("Most complained-about lenders", "被投诉最多的机构"),
    # tactics
    "ch_tactic_share": ("Share of complaints with each tactic", "涉及各手段的投诉占比"),
    "ch_tactic_trend": ("Tactics over time", "各手段随时间变化"),
    "ch_cooccur": ("Tactics that appear together", "同时出现的手段"),
    "trend_view": ("Show as", "显示方式"),
    "view_lines": ("Lines", "折线"),
    "view_small": ("Small multiples", "分面小图"),
    "trend_measure": ("Measure", "度量"),
    "measure_count": ("Counts", "数量"),
    "measure_share": ("Shares", "占比"),
    "definitions": ("Definitions and legal anchors", "定义与法律依据"),
    "legal_anchor": ("Legal anchor", "法律依据"),
    "examples": ("Example excerpts", "投诉摘录示例"),
    "examples_for": ("Examples for", "示例手段"),
    "examples_note": ("Scrubbed complaint text; the highlighted words are what the classifier matched.",
                      "已脱敏的投诉文字；高亮部分为分类器识别出的证据。"),
    "severe": ("severe", "严重"),
    "cooccur_note": ("Cell: complaints with both tactics (diagonal: with the tactic).",
                     "单元格：同时涉及两种手段的投诉数（对角线：涉及该手段的投诉数）。"),
    # lenders
    "ranking": ("Ranking", "排名"),
    "min_n": ("Minimum complaints to be ranked", "参与排名的最少投诉数"),
    "min_n_help": ("Lenders below this count are listed but not ranked (like the UK Financial Ombudsman's "
                   "publication threshold).", "低于此数的机构仅列出、不排名（参照英国金融申诉专员的公布门槛）。"),
    "rank": ("Rank", "排名"),
    "change": ("Change", "变化"),
    "trend": ("Trend", "趋势"),
    "trend_help": ("Complaints per whole month of the period, months without any as 0; months the dates cut "
                   "are left out, so the line does not end on a short month.",
                   "所选时间范围内每个完整月份的投诉数，没有投诉的月份计为 0；不完整的月份不计入，以免曲线以半个月结尾而显得下降。"),
    "top_tactic": ("Top tactic", "最常见手段"),
    "severe_share": ("Severe share", "严重手段占比"),
    "not_ranked": ("Below the threshold: listed, not ranked", "低于门槛：仅列出，不排名"),
    "profile": ("Lender profile", "机构档案"),
    "pick_lender": ("Choose a lender", "选择机构"),
    "unknown_lender": ("Unknown lender in the link; showing none.", "链接中的机构不存在，未显示档案。"),
    "aliases": ("Also filed as", "别名"),
    "kind": ("Kind", "类型"),
    "ch_lender_trend": ("Complaints about {name}", "{name} 的投诉数"),
    "ch_lender_mix": ("Tactic mix of {name} against the whole market (95% CI)",
                      "{name} 的手段构成与全市场对比（95% 置信区间）"),
    "ch_lender_regions": ("Regions: {name}", "地区分布：{name}"),
    "ch_lender_status": ("Statuses: {name}", "处理状态：{name}"),
    "lender_col": ("This lender", "该机构"),
    "market": ("Whole market", "全市场"),
    "unmatched_note": ("Filed name that matched no registered lender.", "未匹配到登记机构的投诉名称。"),
    # records
    "records_found": ("{n} complaints match", "共 {n} 条投诉符合条件"),
    "page_no": ("Page", "页码"),
    "of_pages": ("of {n}", "共 {n} 页"),
    "opening": ("Opening words", "正文开头"),
    "tactics": ("Tactics", "催收手段"),
    "detail": ("Complaint detail", "投诉详情"),
    "pick_record": ("Open a complaint", "打开投诉"),
    "unknown_record": ("Unknown complaint id in the link.", "链接中的投诉编号不存在。"),
    "download": ("Download the filtered rows", "下载筛选后的数据"),
    "download_cap": ("Downloads hold at most {cap} rows (the first {cap} by date); this selection has {n}.",
                     "下载最多包含 {cap} 行（按日期排序的前 {cap} 行）；当前筛选共 {n} 行。"),
    "prepare_download": ("Prepare download", "准备下载"),
    "csv": ("CSV", "CSV"),
    "parquet": ("Parquet", "Parquet"),
    "no_narrative": ("(no narrative)", "（无正文）"),
    "evidence": ("Evidence", "证据"),
    "title": ("Title", "标题"),
    "complaint_id": ("Complaint id", "投诉编号"),
    # methodology
    "m_sources": ("Sources and provenance", "数据来源与处理记录"),
    "m_sources_text": ("Each row below is one file loaded into the store: its checksum, when it was loaded, "
                       "how many rows were read, loaded, skipped as duplicates or quarantined.",
                       "下表每行是载入数据库的一个文件：校验值、载入时间，以及读取、载入、重复跳过和隔离的行数。"),
    "m_anon": ("What anonymization removes", "匿名化移除了什么"),
    "m_anon_text": ("Before anything is stored, texts are scrubbed of names, phone numbers, ID-card and bank "
                    "numbers, addresses, e-mail addresses and similar; source ids are replaced by keyed hashes, "
                    "ZIP codes are cut to 3 digits and locations stop at province or state.",
                    "入库前，文字中的姓名、电话号码、身份证号、银行卡号、地址、电子邮箱等均被删除；来源编号"
                    "以带密钥的哈希替代，邮编只保留前 3 位，地点只到省或州。"),
    "m_anon_eval": ("Measured recall of the scrubber", "脱敏器的实测召回率"),
    "m_classifier": ("Classifier accuracy", "分类器准确度"),
    "m_not_measured": ("Not measured yet: {file} is absent.", "尚未评估：缺少 {file}。"),
    "m_all_figures": ("All measured figures ({file})", "全部实测数据（{file}）"),
    "m_eval_stamp": ("Measured on {date} with taxonomy {version} (`python -m complaints evaluate`).",
                     "{date} 以分类体系 {version} 测得（`python -m complaints evaluate`）。"),
    "m_anon_stamp": ("Measured on {date} on a test corpus of {texts} annotated texts; data left in any text: "
                     "{leaks} (`python -m complaints scrub --evaluate`).",
                     "{date} 在 {texts} 条人工标注的测试文本上测得；残留个人信息：{leaks} 处"
                     "（`python -m complaints scrub --evaluate`）。"),
    "m_check": ("Check", "检验"),
    "m_size": ("Texts", "文本数"),
    "m_measured": ("Measured", "实测"),
    "m_target": ("Target", "目标"),
    "m_result": ("Result", "结果"),
    "m_met": ("✓\u00a0met", "✓\u00a0达到"),
    "m_not_met": ("✗\u00a0not\u00a0met", "✗\u00a0未达到"),
    "m_not_run": ("– not measured (real data absent)", "– 未测（缺少真实数据）"),
    "m_dev_heldout": ("(dev half {dev} · held-out half {heldout})", "（开发集 {dev} · 保留集 {heldout}）"),
    "m_checks_note": ("The gold set is our own hand-labelled texts; the CFPB and 黑猫 sets are real complaints "
                      "whose labels come from the complainant or the source, so they measure agreement with "
                      "those labels. The independent set was written and labelled by people who never saw the "
                      "patterns, with the gold set's targets. Patterns were revised reading dev parts only: the "
                      "held-out parts (whole batches or halves, never read) are the fair figures for unseen text.",
                      "金标准集为我们自行撰写并人工标注的文本；CFPB 与黑猫集为真实投诉，标签来自投诉人或数据来源，"
                      "因此衡量的是与这些标签的一致程度。独立集由从未见过规则的人撰写并标注，沿用金标准集的目标。"
                      "规则只参考各集开发部分的漏判修订，保留部分的数值才代表对未见文本的表现。"),
    "m_gold_zh": ("Gold F1 (Chinese)", "金标准 F1（中文）"),
    "m_gold_zh_n": ("n (zh)", "样本数（中文）"),
    "m_gold_en": ("Gold F1 (English)", "金标准 F1（英文）"),
    "m_gold_en_n": ("n (en)", "样本数（英文）"),
    "m_cfpb": ("CFPB recall", "CFPB 召回率"),
    "m_cfpb_n": ("n (CFPB)", "样本数（CFPB）"),
    "ev_gold_zh_micro_f1": ("Gold set, Chinese: micro-F1", "金标准集（中文）：micro-F1"),
    "ev_gold_en_micro_f1": ("Gold set, English: micro-F1", "金标准集（英文）：micro-F1"),
    "ev_gold_min_tactic_f1": ("Gold set: the lowest F1 of any tactic", "金标准集：各手段中最低的 F1"),
    "ev_independent_zh_heldout_f1": ("Independent set, Chinese, held-out texts (written by others, never read while "
                                     "revising): micro-F1",
                                     "独立集（中文）保留部分（由他人撰写，修订规则时从未阅读）：micro-F1"),
    "ev_independent_en_heldout_f1": ("Independent set, English, held-out texts (written by others, never read while "
                                     "revising): micro-F1",
                                     "独立集（英文）保留部分（由他人撰写，修订规则时从未阅读）：micro-F1"),
    "ev_cfpb_recall": ("CFPB narratives: the tactic of the consumer's chosen sub-issue found in the text (recall)",
                       "CFPB 投诉叙述：从文本中找出消费者所选子问题对应的手段（召回率）"),
    "ev_heimao_collection": ("黑猫 complaints of the class 催收行为类 (collection conduct): share given a tactic",
                             "黑猫投诉中的催收行为类：被标注手段的比例"),
    "ev_heimao_other": ("黑猫 complaints of other classes (service, marketing, contract, other): share given a "
                        "tactic, a false-positive proxy",
                        "黑猫投诉中的其他类别（客户服务、营销宣传、合同条款、其他）：被标注手段的比例（误报的近似）"),
    "lang_zh": ("Chinese", "中文"),
    "lang_en": ("English", "英文"),
    "m_kind": ("Personal datum", "个人信息类型"),
    "m_items": ("In the corpus", "样本数"),
    "m_recall": ("Removed", "已移除"),
    "m_kept_kind": ("Must survive", "须保留的内容"),
    "m_keep_rate": ("Kept", "已保留"),
    "keep_amount": ("amounts", "金额"),
    "keep_date": ("dates", "日期"),
    "keep_legal": ("legal terms", "法律用语"),
    "keep_lender": ("lender names", "机构名称"),
    "keep_place": ("places (province, city)", "地名（省、市）"),
    "keep_tactic": ("tactic words", "催收手段用语"),
    "pii_PHONE": ("phone numbers", "电话号码"),
    "pii_EMAIL": ("e-mail addresses", "电子邮箱"),
    "pii_QQ": ("QQ numbers", "QQ 号"),
    "pii_WECHAT": ("WeChat ids", "微信号"),
    "pii_ID": ("ID-card numbers", "身份证号"),
    "pii_CARD": ("bank-card numbers", "银行卡号"),
    "pii_SSN": ("Social Security numbers", "美国社会安全号"),
    "pii_ACCOUNT": ("account numbers", "账号"),
    "pii_PASSPORT": ("passport numbers", "护照号"),
    "pii_LICENSE": ("driving-licence numbers", "驾驶证号"),
    "pii_PLATE": ("number plates", "车牌号"),
    "pii_ADDRESS": ("street addresses", "详细地址"),
    "pii_NAME": ("personal names", "人名"),
    "pii_DOB": ("dates of birth", "出生日期"),
    "m_taxonomy": ("Tactic taxonomy", "催收手段分类"),
    "m_limits": ("Known limits", "已知局限"),
    "m_limits_list": (
        "- Complaints are not a sample: they count people who chose to complain, where they could.\n"
        "- Counts are not adjusted for lender size: a large lender draws more complaints.\n"
        "- CFPB sub-issues are chosen by the consumer, so their tactic labels are the consumer's.\n"
        "- The CFPB stopped publishing new narratives in August 2026; later US complaints carry no text.\n"
        "- The tactic classifier matches patterns in text; it misses some and mislabels a few "
        "(see its accuracy above).",
        "- 投诉不是抽样：只反映选择并能够投诉的人。\n"
        "- 数量未按机构规模调整：大机构自然收到更多投诉。\n"
        "- CFPB 的子问题由消费者自己选择，相应的手段标签反映的是消费者的判断。\n"
        "- CFPB 自 2026 年 8 月起不再公布新的投诉正文；此后的美国投诉没有文字。\n"
        "- 手段分类器基于文本模式匹配，会有漏判和少量误判（准确度见上文）。"),
    "m_cite": ("How to cite", "如何引用"),
    "m_cite_text": ("Every page has a \"Cite this view\" box at the bottom with a link that reproduces the view, "
                    "the data version and the date you accessed it, in plain text, APA and BibTeX.",
                    "每页底部都有“引用此视图”，提供可复现该视图的链接、数据版本和访问日期，"
                    "格式包括纯文本、APA 和 BibTeX。"),
    "m_store": ("Data version {v}, published {p}.", "数据版本 {v}，发布于 {p}。"),
    "definition": ("Definition", "定义"),
    "first_date": ("First", "最早"),
    "last_date": ("Latest", "最新"),
    "share_with_narrative": ("With narrative", "有正文占比"),
    "file_name": ("File", "文件"),
    "sha256_prefix": ("SHA-256 (start)", "SHA-256（前缀）"),
    "started_at": ("Started", "开始"),
    "finished_at": ("Finished", "结束"),
    "rows_read": ("Rows read", "读取行数"),
    "rows_loaded": ("Loaded", "载入"),
    "rows_duplicate": ("Duplicates", "重复"),
    "rows_quarantined": ("Quarantined", "隔离"),
    "code_version": ("Code version", "代码版本"),
    "demo": ("Demo", "演示"),
    "metric": ("Measure", "指标"),
    "value": ("Value", "数值"),
    "tactic_id": ("Tactic id", "手段编号"),
}


def lang() -> str:
    value = st.session_state.get("lang", "en")
    return value if value in LANGS else "en"


def t(_key: str, **kwargs: object) -> str:
    en, zh = S[_key]
    text = zh if lang() == "zh" else en
    return text.format(**kwargs) if kwargs else text


def fmt_int(n: float | int | None) -> str:
    if n is None:
        return "–"
    return f"{int(n):,}"


def fmt_pct(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.{digits}f}%"


def fmt_date(d: date | None) -> str:
    if d is None:
        return "–"
    return f"{d.year}年{d.month}月{d.day}日" if lang() == "zh" else d.strftime("%d %b %Y").lstrip("0")


COUNTRY_NAMES = {"CN": ("China", "中国"), "US": ("United States", "美国")}
SOURCE_NAMES = {"cfpb": ("CFPB (US)", "CFPB（美国）"), "tousu": ("Complaint platforms (CN)", "投诉平台（中国）"),
                "demo": ("Demo", "演示")}
JURISDICTION_NAMES = {"CN": ("China", "中国"), "US": ("US", "美国")}


def country_name(code: str) -> str:
    en, zh = COUNTRY_NAMES.get(code, (code, code))
    return zh if lang() == "zh" else en


def source_name(code: str) -> str:
    en, zh = SOURCE_NAMES.get(code, (code, code))
    return zh if lang() == "zh" else en


@functools.cache
def _value_labels() -> dict[tuple[str, str], tuple[str, str]]:
    """Display names of stored values (provinces, states, statuses, products) in both languages."""
    path = Path(__file__).resolve().parent.parent / "data" / "value_labels.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {(row["kind"], row["value"]): (row["en"], row["zh"]) for row in csv.DictReader(fh)}


def value_label(kind: str, value: object) -> object:
    """The stored value in the reader's language; unknown values (and missing ones) are shown as stored."""
    if not isinstance(value, str):
        return value
    en, zh = _value_labels().get((kind, value), (value, value))
    return zh if lang() == "zh" else en
