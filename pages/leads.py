"""Leads · 线索: surges and falls in complaints, one sentence each, newest first, each with a sparkline
of its series against the baseline and a link to the view that shows it.

Detection lives in complaints.leads (pure); this page only scopes it with the shared filters (period,
country, source, lenders; tactics narrow the list), names things in the reader's language and links.
"""

from __future__ import annotations

import base64
import html
from urllib.parse import urlencode

import streamlit as st

from complaints import leads as L
from ui import data
from ui.boot import ensure_navigation
from ui.filters import current, options
from ui.i18n import fmt_date, lang, t
from ui.taxonomy import tactic_name, taxonomy

MAX_SHOWN = 40
# The lenders page's profile selector (query param = widget key).
LENDER_PROFILE_KEY = "lender_profile"
# Scope params a lead's link keeps from the current URL.
CARRIED = ("lang", "country", "source")

TEXT = {
    "title": ("Leads", "线索"),
    "intro": ("Months in which complaints about a lender, a tactic, or a lender's use of a tactic rose or "
              "fell well beyond their previous six months. Newest first; each links to the view that "
              "shows it.",
              "某机构、某催收手段或某机构的某种手段的投诉量，与此前六个月相比明显上升或下降的月份。"
              "按时间由新到旧排列，每条线索都链接到显示它的视图。"),
    "scope": ("Latest complete month: {month}. Months tested: {first} to {last}.",
              "最近的完整月份：{month}。检测月份：{first} 至 {last}。"),
    "none": ("No leads in this scope and period: nothing rose or fell beyond what chance explains.",
             "此范围和时期内没有线索：没有超出随机波动的上升或下降。"),
    "no_month": ("The selected period has no complete month with six months of history before it.",
                 "所选时期内没有一个之前有六个月数据的完整月份。"),
    "more": ("Showing {shown} of {total} leads. Narrow the filters to see the rest.",
             "显示 {total} 条线索中的 {shown} 条。缩小筛选范围可查看其余线索。"),
    "open": ("Open the view", "打开视图"),
    "up": ("Rise", "上升"),
    "down": ("Fall", "下降"),
    "evidence": ("×{ratio:.1f} vs. baseline · q = {q:.1e}", "相对基线 ×{ratio:.1f} · q = {q:.1e}"),
    "spark_label": ("Monthly complaints up to {month}, with the 6-month baseline dashed",
                    "截至{month}的月度投诉量，虚线为六个月基线"),
    "how": ("How leads are found", "线索是如何发现的"),
    "how_text": (
        "For every lender, every tactic and every lender × tactic pair, each month's count is compared "
        "with the average of the previous six months (an earlier outlier month is left out of that "
        "average). The test is a negative binomial test that allows for more month-to-month variation "
        "than pure chance (estimated from the baselines) and for the uncertainty of the baseline itself. "
        "The Benjamini–Hochberg procedure keeps the expected share of false leads under 5% among the "
        "series of each month. A lead also needs at least 10 complaints (a rise) or a baseline of 10 "
        "(a fall) and a change of at least ×1.75. One cause gives one lead: a lender-wide surge is not "
        "repeated for each tactic, a lender × tactic surge is not repeated as a surge of the lender "
        "or of the tactic, and a swing of all complaints (a season, a holiday) is not a lead. Leads are ranked by size of change times strength of evidence. A lead is a "
        "starting point for reporting, not a finding: check the complaints behind it.",
        "对每个机构、每种催收手段以及每个“机构 × 手段”组合，将每个月的投诉量与此前六个月的平均值比较"
        "（此前若有异常月份，则不计入平均值）。检验采用负二项分布，既考虑比纯随机更大的月度波动（由基线估计），"
        "也考虑基线本身的不确定性。"
        "Benjamini–Hochberg 方法把每个月各类检验中错误线索的预期比例控制在 5% 以下。线索还要求至少 10 件投诉"
        "（上升）或基线至少 10 件（下降），且变化至少 1.75 倍。同一原因只产生一条线索：机构整体的上升不会"
        "按手段重复出现，某机构某手段的上升也不会再作为该机构或该手段的上升出现，全部投诉的整体波动（季节、节假日）"
        "也不算线索。线索按变化幅度乘以证据强度排序。"
        "线索是报道的起点而非结论：请查看其背后的投诉。"),
}


def tx(key: str, **kwargs) -> str:
    en, zh = TEXT[key]
    text = zh if lang() == "zh" else en
    return text.format(**kwargs) if kwargs else text


@st.cache_data(max_entries=32, show_spinner=False)
def _leads(version: str, countries: tuple, sources: tuple, lenders: tuple,
           first_month: str | None) -> tuple[list[L.Lead], str | None]:
    """Leads of the scope from first_month to the latest complete month (cached per data version)."""
    params = {"countries": list(countries), "sources": list(sources), "lenders": list(lenders)}
    counts = data.run("lead_monthly_counts", params)
    last_day = data.run("lead_data_end", params)["last_day"].iloc[0]
    until = L.latest_complete_month(last_day)
    if until is None or counts.empty:
        return [], until
    months = None
    if first_month:
        months = max(1, _months_between(first_month, until) + 1)
    return L.detect(counts, until=until, months=months), until


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) * 12 + int(b[5:7])) - (int(a[:4]) * 12 + int(a[5:7]))


def names() -> L.Names:
    language_rows = options()["lenders"]
    lenders = {row.lender_key: (row.name_zh, row.name_en) for row in language_rows.itertuples()}
    tactics = {tid: (info.name_zh, info.name_en) for tid, info in taxonomy().items()}
    return L.Names(lenders, tactics)


def lead_url(lead: L.Lead) -> str:
    """Relative link to the view that shows the lead, in the dashboard's own query params: the lender's
    profile (with the tactic filter for a lender x tactic lead) or the tactics page filtered to the
    tactic, with custom absolute dates covering the baseline and the month."""
    page, view = L.view_of(lead)
    params: dict[str, list[str]] = {k: st.query_params.get_all(k) for k in CARRIED if k in st.query_params}
    if lang() != "en":
        params["lang"] = [lang()]   # the language selector accepts the code in a link
    params["period"] = [t("period_custom")]
    params["dates"] = [view[L.PARAM_START], view[L.PARAM_END]]
    if lead.lender_id:
        params[LENDER_PROFILE_KEY] = [lead.lender_id]   # the lenders page takes the lender key
    if lead.tactic_id:
        params["tactic"] = [tactic_name(lead.tactic_id, lang())]
    return f"{page}?{urlencode(params, doseq=True)}"


def sparkline_img(lead: L.Lead) -> str:
    """The sparkline as an <img> with a data URI (st.html keeps images, not inline SVG) and alt text."""
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(sparkline_svg(lead).encode()).decode()
    label = html.escape(tx("spark_label", month=lead.month) + ": " + ", ".join(f"{m} {n}" for m, n in lead.series))
    return f'<img src="{data_uri}" alt="{label}" title="{label}" style="width:100%;height:64px">'


def sparkline_svg(lead: L.Lead, width: int = 240, height: int = 64) -> str:
    """The lead's last months as a small SVG: the counts (grey), the baseline mean (dashed) and the
    month of the lead (red up, blue down). Drawn on the server: a page of 40 leads would otherwise load
    and draw 40 charts."""
    counts = [n for _, n in lead.series]
    top = max([*counts, lead.baseline_mean, 1])
    pad = 5

    def xy(i: int, value: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i / max(len(counts) - 1, 1))
        return round(x, 1), round(height - pad - (height - 2 * pad) * value / top, 1)

    points = [xy(i, n) for i, n in enumerate(counts)]
    colour = "#d62728" if lead.direction == "up" else "#1f77b4"
    base = [xy(i, lead.baseline_mean) for i in range(max(0, len(counts) - 1 - lead.baseline_months), len(counts) - 1)]
    # Shown as an <img> (sparkline_img), which carries the text alternative.
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'height="{height}">']
    if len(base) > 1:
        parts.append(f'<polyline points="{" ".join(f"{x},{y}" for x, y in base)}" fill="none" stroke="#555" '
                     'stroke-width="1" stroke-dasharray="4 3"/>')
    parts.append(f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}" fill="none" stroke="#888" '
                 'stroke-width="1.5"/>')
    for i, (x, y) in enumerate(points):
        last = i == len(points) - 1
        parts.append(f'<circle cx="{x}" cy="{y}" r="{4.5 if last else 2}" fill="{colour if last else "#888"}"/>')
    parts.append("</svg>")
    return "".join(parts)


def render() -> None:
    st.title(t("app_title") + " · " + tx("title"))
    filters = current()
    st.caption(tx("intro"))
    lenders = tuple(k for k in filters.lenders if not k.startswith("~"))
    if filters.lenders and not lenders:
        st.info(tx("none"))
        return
    first_month = f"{filters.start.year:04d}-{filters.start.month:02d}"
    last_month = f"{filters.end.year:04d}-{filters.end.month:02d}"
    found, until = _leads(data.store_version(), filters.countries, filters.sources, lenders, first_month)
    if until is None:
        st.info(tx("no_month"))
        return
    st.caption(tx("scope", month=until, first=first_month, last=min(until, last_month)))
    shown = [lead for lead in found if first_month <= lead.month <= last_month
             and (not filters.tactics or lead.tactic_id in filters.tactics)]
    shown.sort(key=lambda lead: (lead.month, lead.score), reverse=True)
    if not shown:
        st.info(tx("none"))
    all_names = names()
    sentence = L.sentence_zh if lang() == "zh" else L.sentence_en
    for i, lead in enumerate(shown[:MAX_SHOWN]):
        with st.container(border=True, key=f"lead-{i}"):
            left, right = st.columns([3, 2], vertical_alignment="center")
            arrow = ":red[▲]" if lead.direction == "up" else ":blue[▼]"
            left.markdown(f"{arrow} **{tx(lead.direction)}** · {lead.month}")
            # names come from the data: shown as escaped text, never read as Markdown
            left.html(f'<p style="margin:0 0 0.25rem 0">{html.escape(sentence(lead, all_names))}</p>')
            left.caption(tx("evidence", ratio=lead.ratio, q=lead.q_value))
            left.markdown(f"[{tx('open')} →]({lead_url(lead)})")
            right.html(sparkline_img(lead))
    if len(shown) > MAX_SHOWN:
        st.caption(tx("more", shown=MAX_SHOWN, total=len(shown)))
    with st.expander(tx("how")):
        st.markdown(tx("how_text"))
        st.caption(f"{fmt_date(filters.start)} – {fmt_date(filters.end)}")


CHARTS: dict = {}

if __name__ == "__main__":
    ensure_navigation("leads")
    render()
