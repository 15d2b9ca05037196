"""Records · 数据: the filtered complaints as a paged table, a detail view (?record=<complaint_id>) with the
full scrubbed narrative and highlighted evidence, and capped CSV / Parquet downloads."""

from __future__ import annotations

import html
import io
import re

import pandas as pd
import streamlit as st

from ui import charts, data
from ui.boot import ensure_navigation
from ui.charts import csv_bytes, safe_frame
from ui.filters import current
from ui.i18n import country_name, fmt_int, lang, source_name, t, value_label
from ui.taxonomy import tactic_name, taxonomy
from ui.text import highlight_spans

PAGE_SIZE = 25
EXPORT_CAP = 50_000
RECORD_PARAM = "record"


def _count(params: dict) -> int:
    return int(data.run("records_count", params)["n"].iloc[0])


def table() -> None:
    params = current().params()
    n = _count(params)
    st.markdown(f"**{t('records_found', n=fmt_int(n))}**")
    if n == 0:
        return
    pages = max(1, (n + PAGE_SIZE - 1) // PAGE_SIZE)
    page = st.number_input(t("page_no") + " " + t("of_pages", n=fmt_int(pages)), min_value=1, max_value=pages,
                           value=1, step=1, key="page", bind="query-params")
    page = min(max(int(page or 1), 1), pages)
    df = data.run("records_page", {**params, "page_size": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    language = lang()
    shown = pd.DataFrame({
        "id": df["complaint_id"].astype(str),
        t("date"): df["received"],
        t("lender"): [(zh if language == "zh" else en) + (" ⚑" if u else "")
                      for zh, en, u in zip(df["name_zh"], df["name_en"], df["unmatched"], strict=True)],
        t("region"): [value_label("region", v) for v in df["region"]],
        t("tactics"): [", ".join(tactic_name(x, language) for x in (ts if hasattr(ts, "__iter__") else []))
                       for ts in df["tactics"]],
        t("status"): [value_label("status", v) for v in df["status"]],
        t("opening"): df["opening"],
    })
    event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", key="records_table",
                         column_config={"id": st.column_config.TextColumn(t("complaint_id"), width="small"),
                                        t("date"): st.column_config.DateColumn(format="YYYY-MM-DD")})
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        chosen = str(df["complaint_id"].iloc[rows[0]])
        if st.query_params.get(RECORD_PARAM) != chosen:
            st.query_params[RECORD_PARAM] = chosen


def record_id() -> int | None:
    """The complaint of ?record=<complaint_id>, checked: a 64-bit integer, and it must exist."""
    raw = st.query_params.get(RECORD_PARAM)
    if not raw:
        return None
    if re.fullmatch(r"-?\d{1,19}", raw) and -(2**63) <= int(raw) < 2**63:   # a BIGINT, nothing else
        found = data.run("record_detail", {"complaint_id": int(raw)})
        if not found.empty:
            return int(raw)
    st.warning(t("unknown_record"), icon="⚠️")
    return None


def detail() -> None:
    complaint = record_id()
    if complaint is None:
        return
    row = data.run("record_detail", {"complaint_id": complaint}).iloc[0]
    evidence = data.run("record_evidence", {"complaint_id": complaint})
    language = lang()
    info = taxonomy()
    st.subheader(f"{t('detail')} #{complaint}")
    lender = row["name_zh"] if language == "zh" else row["name_en"]
    facts = [(t("date"), str(row["received"])[:10]), (t("lender"), lender),
             (t("country"), country_name(row["country"]) if isinstance(row["country"], str) else None),
             (t("region"), value_label("region", row["region"])), (t("product"), value_label("product", row["product"])),
             (t("status"), value_label("status", row["status"])),
             (t("source"), source_name(row["source"]) if isinstance(row["source"], str) else None)]
    st.text("\n".join(f"{k}: {v if v is not None and v == v else '–'}" for k, v in facts))
    tactics = sorted(set(evidence["tactic_id"]))
    if tactics:
        st.html(" ".join(f'<span style="display:inline-block;margin:2px;padding:2px 8px;border-radius:10px;'
                         f'background:{info[x].colour if x in info else "#888"};color:#fff;font-size:0.85rem">'
                         f"{html.escape(tactic_name(x, language))}</span>" for x in tactics))
    for field in ("title", "narrative"):
        text = row[field]
        if not isinstance(text, str) or not text:
            continue
        spans = [(int(e.evidence_start), int(e.evidence_end), info[e.tactic_id].colour if e.tactic_id in info else "#888")
                 for e in evidence.itertuples()
                 if e.field == field and pd.notna(e.evidence_start) and pd.notna(e.evidence_end)]
        label = t("title") if field == "title" else t("has_narrative")
        st.caption(label)
        st.html('<div style="white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.6;font-size:1rem">'
                f"{highlight_spans(text, spans)}</div>")
    if not isinstance(row["narrative"], str) or not row["narrative"]:
        st.caption(t("no_narrative"))


def downloads() -> None:
    st.subheader(t("download"))
    params = current().params()
    n = _count(params)
    st.caption(t("download_cap", cap=fmt_int(EXPORT_CAP), n=fmt_int(n)))
    export_params = {**params, "cap": EXPORT_CAP}

    def rows() -> pd.DataFrame:
        return data.fetch("records_export", export_params)

    def as_csv() -> bytes:
        return csv_bytes(rows())

    def as_parquet() -> bytes:
        buffer = io.BytesIO()
        safe_frame(rows()).to_parquet(buffer, index=False)
        return buffer.getvalue()

    left, right = st.columns(2)
    left.download_button(t("csv"), as_csv, file_name="collection-watch-complaints.csv", mime="text/csv",
                         key="dl-csv", on_click="ignore", icon=":material/download:", width="stretch")
    right.download_button(t("parquet"), as_parquet, file_name="collection-watch-complaints.parquet",
                          mime="application/octet-stream", key="dl-parquet", on_click="ignore",
                          icon=":material/download:", width="stretch")
    with st.expander(t("show_sql")):
        charts.sql_block("records_export", export_params)


CHARTS: dict = {}


def render() -> None:
    st.title(t("page_records"))
    charts.plain_caption(current().describe())
    table()
    detail()
    downloads()


if __name__ == "__main__":
    ensure_navigation("records")
    render()
