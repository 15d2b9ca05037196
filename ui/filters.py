"""The shared sidebar filters, bound to the URL with Streamlit's native widget binding.

Every filter widget has `key=<query-param name>` and `bind="query-params"`: Streamlit writes non-default
values into the URL, seeds widgets from a URL, and drops values that are not valid options. We only add
what binding does not: a visible note when a link carried values we ignored, length caps on free text,
and keeping localized selections when the language changes.

Query-param names: lang, period, dates, country, source, lender, xlender, tactic, match, region, product,
status, narr, q, events, ev.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import streamlit as st

from ui import data
from ui.i18n import LANGS, country_name, fmt_date, lang, source_name, t
from ui.taxonomy import SEVERE, tactic_name, taxonomy

SEARCH_MAX = 200
PERIODS = ("3m", "12m", "3y", "all", "custom")
DEFAULT_PERIOD = "12m"
NARRATIVE = ("any", "yes", "no")
MATCH = ("any", "all")
JURISDICTIONS = ("CN", "US")
# Widgets whose URL value is a localized label: re-assigned on a language switch so they keep their value.
LOCALIZED_KEYS = ("period", "country", "source", "lender", "xlender", "tactic", "match", "narr", "ev",
                  "interval", "tview", "tmeasure", "ex_tactic")


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    countries: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lenders: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    tactics: tuple[str, ...] = ()
    tactics_all: bool = False
    regions: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    has_narrative: bool | None = None
    search: str = ""
    labels: dict = field(default_factory=dict, compare=False, hash=False)

    def params(self) -> dict:
        prev_start, prev_end = self.previous()
        return {
            "start_date": self.start, "end_date": self.end, "prev_start": prev_start, "prev_end": prev_end,
            "countries": list(self.countries), "sources": list(self.sources), "lenders": list(self.lenders),
            "excluded_lenders": list(self.excluded), "tactics": list(self.tactics),
            "tactics_all": self.tactics_all, "regions": list(self.regions), "products": list(self.products),
            "statuses": list(self.statuses), "has_narrative": self.has_narrative, "search": self.search or None,
            "severe": list(SEVERE),
        }

    def previous(self) -> tuple[date, date]:
        length = (self.end - self.start).days + 1
        prev_end = self.start - timedelta(days=1)
        return prev_end - timedelta(days=length - 1), prev_end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def describe(self, limit: int = 140) -> str:
        """A short filter context for chart titles and captions."""
        parts = [f"{fmt_date(self.start)} – {fmt_date(self.end)}"]
        labels = self.labels
        for key, values in (("country", self.countries), ("source", self.sources), ("lender", self.lenders),
                            ("exclude_lender", self.excluded), ("tactic", self.tactics),
                            ("region", self.regions), ("product", self.products), ("status", self.statuses)):
            if values:
                shown = [labels.get(key, {}).get(v, v) for v in values]
                text = ", ".join(shown[:2]) + (f" +{len(shown) - 2}" if len(shown) > 2 else "")
                prefix = "−" if key == "exclude_lender" else ""
                parts.append(f"{t(key)}: {prefix}{text}")
        if self.has_narrative is not None:
            parts.append(t("narr_yes") if self.has_narrative else t("narr_no"))
        if self.search:
            parts.append(f"“{self.search[:20]}”")
        text = " · ".join(parts)
        return text if len(text) <= limit else text[: limit - 1] + "…"


def raw_query_params() -> dict[str, list[str]]:
    """The URL's parameters as sent, before widgets validate them (read at the start of a run)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def safe_echo(value: str) -> str:
    """A URL value safe to show in a note: letters, digits, CJK and a few marks, at most 30 characters."""
    cleaned = re.sub(r"[^\w\u4e00-\u9fff .:-]", "", value)[:30]
    return cleaned


def _warn_ignored(key: str, label: str) -> None:
    st.warning(t("ignored_param", key=label), icon="⚠️")


def _keep_localized_values() -> None:
    """on_change of the language: re-assign localized selections so they survive the new labels."""
    for key in LOCALIZED_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


LANG_LABELS = {"en": "EN", "zh": "中文"}


def language_selector(raw: dict[str, list[str]]) -> str:
    """The language radio, bound to ?lang= (its URL value is the label: EN or 中文). The codes en/zh
    are accepted too, for hand-typed links."""
    code = (raw.get("lang") or [""])[-1].lower()
    if code in LANGS and "lang" not in st.session_state:
        st.session_state["lang"] = code
    st.sidebar.radio(t("language"), LANGS, format_func=LANG_LABELS.get, key="lang", bind="query-params",
                     horizontal=True, on_change=_keep_localized_values)
    return lang()


@st.cache_data(show_spinner=False)
def _options(version: str) -> dict:
    dims = data.run("filter_options")
    lenders = data.run("lender_options")
    span = data.run("date_range").iloc[0]
    by_dim = {d: list(g["value"]) for d, g in dims.groupby("dimension")}
    return {"dims": by_dim, "lenders": lenders, "first": span["first_date"], "last": span["last_date"],
            "n": int(span["n"])}


def options() -> dict:
    return _options(data.store_version())


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def lender_labels(lenders, language: str) -> dict[str, str]:
    """lender_key -> display label in the language; unmatched filed names are flagged."""
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for row in lenders.itertuples():
        name = row.name_zh if language == "zh" else row.name_en
        label = f"{name} ⚑" if row.unmatched else str(name)
        if label in seen:  # two lenders with one display name: the id tells them apart
            label = f"{label} ({row.lender_key})"
        seen.add(label)
        labels[row.lender_key] = label
    return labels


def preset_range(period: str, first: date, last: date) -> tuple[date, date]:
    if period == "all":
        return first, last
    months = {"3m": 3, "12m": 12, "3y": 36}[period]
    year, month = divmod(last.year * 12 + last.month - 1 - months, 12)
    day = min(last.day, 28)
    start = date(year, month + 1, day) + timedelta(days=1)
    return max(first, start), last


def _check_multi(raw: dict, key: str, valid_labels: set[str]) -> None:
    values = [v for v in raw.get(key, []) if v != ""]
    if any(v not in valid_labels for v in values):
        _warn_ignored(key, t(_LABEL_KEYS.get(key, key)))


_LABEL_KEYS = {"xlender": "exclude_lender", "narr": "has_narrative", "match": "tactic_match", "q": "search",
               "ev": "event_jur"}


def sidebar(raw: dict[str, list[str]]) -> Filters:
    """Render the shared filters in the sidebar and return what they select."""
    opts = options()
    first, last = _as_date(opts["first"]), _as_date(opts["last"])
    language = lang()
    sb = st.sidebar
    sb.header(t("filters"))

    period_label = {p: t(f"period_{p}") for p in PERIODS}
    _check_multi(raw, "period", set(period_label.values()))
    period = sb.selectbox(t("period"), PERIODS, index=PERIODS.index(DEFAULT_PERIOD),
                          format_func=period_label.get, key="period", bind="query-params", placeholder=t("choose"))
    if period == "custom":
        for value in raw.get("dates", []):
            try:
                if not first <= date.fromisoformat(value) <= last:
                    raise ValueError
            except ValueError:
                _warn_ignored("dates", t("dates"))
                break
        picked = sb.date_input(t("dates"), value=(first, last), min_value=first, max_value=last,
                               key="dates", bind="query-params", format="YYYY-MM-DD")
        start, end = (tuple(picked) + (last,))[:2] if isinstance(picked, tuple | list) else (picked, picked)
        start, end = start or first, end or last
        if start > end:
            start, end = end, start
    else:
        start, end = preset_range(period, first, last)
        sb.caption(t("period_note", start=fmt_date(start), end=fmt_date(end), latest=fmt_date(last)))

    dims = opts["dims"]
    countries = dims.get("country", [])
    _check_multi(raw, "country", {country_name(c) for c in countries})
    sel_countries = sb.multiselect(t("country"), countries, format_func=country_name, key="country",
                                   bind="query-params", placeholder=t("choose"))
    sources = dims.get("source", [])
    _check_multi(raw, "source", {source_name(s) for s in sources})
    sel_sources = sb.multiselect(t("source"), sources, format_func=source_name, key="source",
                                 bind="query-params", placeholder=t("choose"))

    labels = lender_labels(opts["lenders"], language)
    keys = list(labels)
    _check_multi(raw, "lender", set(labels.values()))
    sel_lenders = sb.multiselect(t("lender"), keys, format_func=labels.get, key="lender", bind="query-params", placeholder=t("choose"))
    _check_multi(raw, "xlender", set(labels.values()))
    sel_excluded = sb.multiselect(t("exclude_lender"), keys, format_func=labels.get, key="xlender",
                                  bind="query-params", placeholder=t("choose"))

    tactic_ids = list(taxonomy())
    names = {tid: tactic_name(tid, language) for tid in tactic_ids}
    _check_multi(raw, "tactic", set(names.values()))
    sel_tactics = sb.multiselect(t("tactic"), tactic_ids, format_func=names.get, key="tactic",
                                 bind="query-params", placeholder=t("choose"))
    match_label = {m: t(f"match_{m}") for m in MATCH}
    _check_multi(raw, "match", set(match_label.values()))
    match = sb.radio(t("tactic_match"), MATCH, format_func=match_label.get, key="match", bind="query-params",
                     horizontal=True)

    more = sb.expander(t("region") + " · " + t("product") + " · " + t("status"),
                       expanded=any(raw.get(k) for k in ("region", "product", "status", "narr")))
    picked = {}
    for key in ("region", "product", "status"):
        values = dims.get(key, [])
        _check_multi(raw, key, {str(v) for v in values})
        picked[key] = more.multiselect(t(key), values, key=key, bind="query-params", placeholder=t("choose"))
    narr_label = {n: t(f"narr_{n}") for n in NARRATIVE}
    _check_multi(raw, "narr", set(narr_label.values()))
    narr = more.selectbox(t("has_narrative"), NARRATIVE, format_func=narr_label.get, key="narr",
                          bind="query-params", placeholder=t("choose"))

    raw_q = raw.get("q", [""])[-1] if raw.get("q") else ""
    if len(raw_q) > SEARCH_MAX:
        st.warning(t("ignored_search", n=SEARCH_MAX), icon="⚠️")
        st.session_state["q"] = ""
    search = sb.text_input(t("search"), key="q", bind="query-params", max_chars=SEARCH_MAX,
                           help=t("search_help")) or ""
    search = search.strip()[:SEARCH_MAX]

    return Filters(
        start=start, end=end, countries=tuple(sel_countries), sources=tuple(sel_sources),
        lenders=tuple(sel_lenders), excluded=tuple(sel_excluded), tactics=tuple(sel_tactics),
        tactics_all=match == "all", regions=tuple(picked["region"]), products=tuple(picked["product"]),
        statuses=tuple(picked["status"]), has_narrative={"any": None, "yes": True, "no": False}[narr],
        search=search,
        labels={"country": {c: country_name(c) for c in countries}, "source": {s: source_name(s) for s in sources},
                "lender": labels, "exclude_lender": labels, "tactic": names},
    )


def chart_options(raw: dict[str, list[str]]) -> tuple[bool, list[str]]:
    """Regulatory event markers on time charts: on/off and which jurisdictions."""
    box = st.sidebar.expander(t("chart_options"))
    show = box.toggle(t("events"), value=True, key="events", bind="query-params")
    names = {j: t_jur(j) for j in JURISDICTIONS}
    _check_multi(raw, "ev", set(names.values()))
    picked = box.multiselect(t("event_jur"), JURISDICTIONS, default=list(JURISDICTIONS), format_func=names.get,
                             key="ev", bind="query-params", placeholder=t("choose"))
    return show, picked


def t_jur(code: str) -> str:
    from ui.i18n import JURISDICTION_NAMES
    en, zh = JURISDICTION_NAMES.get(code, (code, code))
    return zh if lang() == "zh" else en


def current() -> Filters:
    """The filters the dashboard entry computed for this run."""
    return st.session_state["_filters"]
