"""pandas comparison: the common Streamlit pattern of loading the tables into DataFrames once (not
timed) and filtering/aggregating in memory on every rerun.

Loading: complaints, complaint_tactics, lenders and ingest_runs (every column) are read once with
DuckDB's .df(). The derived lender key (registry id, else '~' + the filed
name) is computed once at load, as an app would cache it. `filtered` mirrors queries/_filtered.sql;
each query of queries/ has a function of the same name in IMPLEMENTATIONS returning the same rows.
NOTES says where an implementation is only the closest pandas equivalent.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd


class Frames:
    def __init__(self, con):
        self.complaints = con.execute("SELECT * FROM complaints").df()
        self.complaints["received"] = pd.to_datetime(self.complaints["received"])
        self.complaints["lender_key"] = self.complaints["lender_id"].fillna("~" + self.complaints["lender_name"])
        self.tactics = con.execute("SELECT * FROM complaint_tactics").df()
        self.lenders = con.execute("SELECT * FROM lenders").df()
        self.runs = con.execute("SELECT * FROM ingest_runs").df()


def _ts(value) -> pd.Timestamp:
    return pd.Timestamp(value)


def filtered(f: Frames, p: dict) -> pd.DataFrame:
    """queries/_filtered.sql in pandas."""
    c = f.complaints
    mask = c["received"].between(_ts(p["start_date"]), _ts(p["end_date"]))
    for param, column in (("countries", "country"), ("sources", "source"), ("lenders", "lender_key"),
                          ("regions", "region"), ("products", "product"), ("statuses", "status")):
        if p.get(param):
            mask &= c[column].isin(p[param])
    if p.get("excluded_lenders"):
        mask &= ~c["lender_key"].isin(p["excluded_lenders"])
    if p.get("has_narrative") is not None:
        mask &= c["has_narrative"] == p["has_narrative"]
    if p.get("search"):
        needle = p["search"].lower()
        mask &= (c["narrative"].str.lower().str.contains(needle, regex=False, na=False)
                 | c["title"].str.lower().str.contains(needle, regex=False, na=False))
    if p.get("tactics"):
        t = f.tactics[f.tactics["tactic_id"].isin(p["tactics"])]
        if p.get("tactics_all"):
            per = t.groupby("complaint_id")["tactic_id"].nunique()
            ids = per.index[per == len(set(p["tactics"]))]
        else:
            ids = t["complaint_id"].unique()
        mask &= c["complaint_id"].isin(ids)
    return c[mask]


def _scope(f: Frames, p: dict) -> pd.DataFrame:
    """The lead queries' scope filter: countries, sources, registry lenders (empty = all)."""
    c = f.complaints
    mask = pd.Series(True, index=c.index)
    for param, column in (("countries", "country"), ("sources", "source"), ("lenders", "lender_id")):
        if p.get(param):
            mask &= c[column].isin(p[param])
    return c[mask]


def lead_data_end(f: Frames, p: dict) -> pd.DataFrame:
    return pd.DataFrame({"last_day": [_scope(f, p)["received"].max()]})


def lead_monthly_counts(f: Frames, p: dict) -> pd.DataFrame:
    s = _scope(f, p)[["complaint_id", "lender_id", "received"]]
    s = s.assign(month=s["received"].dt.to_period("M").dt.to_timestamp())
    tagged = s.merge(f.tactics[["complaint_id", "tactic_id"]], on="complaint_id").drop_duplicates(
        ["complaint_id", "lender_id", "month", "tactic_id"])
    overall = s.groupby("month").size().reset_index(name="n")
    overall["lender_id"], overall["tactic_id"] = None, None
    by_lender = s.dropna(subset=["lender_id"]).groupby(["lender_id", "month"]).size().reset_index(name="n")
    by_lender["tactic_id"] = None
    by_tactic = tagged.groupby(["tactic_id", "month"]).size().reset_index(name="n")
    by_tactic["lender_id"] = None
    both = tagged.dropna(subset=["lender_id"]).groupby(["lender_id", "tactic_id", "month"]).size().reset_index(name="n")
    out = pd.concat([overall, by_lender, by_tactic, both], ignore_index=True)[["lender_id", "tactic_id", "month", "n"]]
    return out.sort_values(["lender_id", "tactic_id", "month"], na_position="first", ignore_index=True)


def lead_names(f: Frames, p: dict) -> pd.DataFrame:
    return f.lenders[["lender_id", "name_zh", "name_en"]]


def _trunc(received: pd.Series, interval: str) -> pd.Series:
    if interval == "day":
        return received.dt.normalize()
    if interval == "week":  # Monday, as DuckDB's date_trunc
        return received.dt.normalize() - pd.to_timedelta(received.dt.dayofweek, unit="D")
    code = {"month": "M", "quarter": "Q", "year": "Y"}[interval]
    return received.dt.to_period(code).dt.start_time


def _names(f: Frames, df: pd.DataFrame, lender_col: str = "lender_id", name_col: str = "lender_name") -> pd.DataFrame:
    names = f.lenders[["lender_id", "name_zh", "name_en"]].rename(columns={"lender_id": lender_col})
    out = df.merge(names, on=lender_col, how="left")
    out["name_en"] = out["name_en"].fillna(out["name_zh"]).fillna(out[name_col])
    out["name_zh"] = out["name_zh"].fillna(out[name_col])
    return out


def _distinct_tactics(f: Frames, ids) -> pd.DataFrame:
    t = f.tactics[["complaint_id", "tactic_id"]]
    return t[t["complaint_id"].isin(ids)].drop_duplicates()


def date_range(f: Frames, p: dict) -> pd.DataFrame:
    r = f.complaints["received"]
    return pd.DataFrame({"first_date": [r.min()], "last_date": [r.max()], "n": [len(r)]})


def filter_options(f: Frames, p: dict) -> pd.DataFrame:
    parts = []
    for dim in ("country", "source", "region", "product", "status"):
        vc = f.complaints[dim].value_counts()  # drops NULLs like the SQL's IS NOT NULL
        parts.append(pd.DataFrame({"dimension": dim, "value": vc.index, "n": vc.values}))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["dimension", "n", "value"], ascending=[True, False, True], ignore_index=True)


def lender_options(f: Frames, p: dict) -> pd.DataFrame:
    c = f.complaints
    c = c[c["lender_id"].notna() | c["lender_name"].notna()]
    g = c.groupby("lender_key").agg(lender_id=("lender_id", "first"), lender_name=("lender_name", "first"),
                                    n=("complaint_id", "size")).reset_index()
    g["unmatched"] = g["lender_id"].isna()
    g = _names(f, g)
    g = g.sort_values(["n", "lender_key"], ascending=[False, True], ignore_index=True)
    return g[["lender_key", "unmatched", "name_zh", "name_en", "n"]]


def lender_profile_info(f: Frames, p: dict) -> pd.DataFrame:
    lenders = f.lenders
    return lenders.loc[lenders["lender_id"] == p["lender_id"], ["lender_id", "name_zh", "name_en", "country", "kind", "aliases"]]


def _of_lender(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    return d[d["lender_key"] == p["lender_key"]]


def _counts(values: pd.Series, name: str, label: str) -> pd.DataFrame:
    vc = values.fillna("?").value_counts()
    out = pd.DataFrame({label: vc.index, name: vc.values})
    return out.sort_values([name, label], ascending=[False, True], ignore_index=True)


def lender_profile_regions(f: Frames, p: dict) -> pd.DataFrame:
    return _counts(_of_lender(f, p)["region"], "complaints", "region").head(30)


def lender_profile_statuses(f: Frames, p: dict) -> pd.DataFrame:
    return _counts(_of_lender(f, p)["status"], "complaints", "status")


def lender_profile_tactics(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)[["complaint_id", "lender_key"]]
    mine = d["lender_key"] == p["lender_key"]
    j = d.merge(_distinct_tactics(f, d["complaint_id"]), on="complaint_id")
    j["mine"] = j["lender_key"] == p["lender_key"]
    out = j.groupby("tactic_id").agg(lender_n=("mine", "sum"), market_n=("mine", "size")).reset_index()
    out["lender_total"], out["market_total"] = int(mine.sum()), len(d)
    out = out.sort_values(["lender_n", "tactic_id"], ascending=[False, True], ignore_index=True)
    return out[["tactic_id", "lender_n", "lender_total", "market_n", "market_total"]]


def _over_time(d: pd.DataFrame, interval: str) -> pd.DataFrame:
    vc = _trunc(d["received"], interval).value_counts().sort_index()
    return pd.DataFrame({"period": vc.index, "complaints": vc.values})


def lender_profile_trend(f: Frames, p: dict) -> pd.DataFrame:
    return _over_time(_of_lender(f, p), p["interval"])


def volume_over_time(f: Frames, p: dict) -> pd.DataFrame:
    return _over_time(filtered(f, p), p["interval"])


def volume_by_source(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    g = d.assign(country=d["country"].fillna("?")).groupby(["source", "country"]).size()
    return g.reset_index(name="complaints").sort_values("complaints", ascending=False, ignore_index=True)


def lender_ranking(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    d = d[d["lender_key"].notna()]
    cur = d.groupby("lender_key").agg(lender_id=("lender_id", "first"), lender_name=("lender_name", "first"),
                                      complaints=("complaint_id", "size")).reset_index()
    prev = filtered(f, {**p, "start_date": p["prev_start"], "end_date": p["prev_end"]})
    prev = prev.groupby("lender_key").size().rename("previous").reset_index()
    months = d.assign(month=_trunc(d["received"], "month")).groupby(["lender_key", "month"]).size()
    spark = (months.rename("n").reset_index().groupby("lender_key")
             .agg(monthly=("n", list), months=("month", list)).reset_index())
    lt = d[["complaint_id", "lender_key"]].merge(f.tactics[["complaint_id", "tactic_id"]], on="complaint_id")
    per = lt.groupby(["lender_key", "tactic_id"])["complaint_id"].nunique().rename("n").reset_index()
    top = per.sort_values(["n", "tactic_id"], ascending=[False, True]).drop_duplicates("lender_key")
    top = top[["lender_key", "tactic_id"]]
    top = top.rename(columns={"tactic_id": "top_tactic"})
    sev = lt[lt["tactic_id"].isin(p["severe"])].groupby("lender_key")["complaint_id"].nunique().rename("severe_n")
    out = (_names(f, cur).merge(prev, on="lender_key", how="left").merge(spark, on="lender_key", how="left")
           .merge(top, on="lender_key", how="left").merge(sev.reset_index(), on="lender_key", how="left"))
    out["previous"] = out["previous"].fillna(0).astype("int64")
    out["severe_share"] = out["severe_n"].fillna(0) / out["complaints"]
    out["unmatched"] = out["lender_id"].isna()
    out = out.sort_values(["complaints", "lender_key"], ascending=[False, True], ignore_index=True)
    return out[["lender_key", "unmatched", "name_zh", "name_en", "complaints", "previous", "monthly", "months",
                "top_tactic", "severe_share"]]


def methodology_ingest_runs(f: Frames, p: dict) -> pd.DataFrame:
    r = f.runs.assign(sha256_prefix=f.runs["sha256"].str[:12])
    cols = ["source", "file_name", "sha256_prefix", "started_at", "finished_at", "rows_read", "rows_loaded",
            "rows_duplicate", "rows_quarantined", "code_version", "demo"]
    return r.sort_values("started_at", ascending=False, ignore_index=True)[cols]


def methodology_sources(f: Frames, p: dict) -> pd.DataFrame:
    g = f.complaints.groupby(["source", "country"], dropna=False).agg(
        complaints=("complaint_id", "size"), first_date=("received", "min"), last_date=("received", "max"),
        share_with_narrative=("has_narrative", "mean")).reset_index()
    return g.sort_values("complaints", ascending=False, ignore_index=True)


def overview_headline(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    t = f.tactics[f.tactics["complaint_id"].isin(d["complaint_id"])]
    tagged = t["complaint_id"].nunique()
    severe = t.loc[t["tactic_id"].isin(p["severe"]), "complaint_id"].nunique()
    return pd.DataFrame({"complaints": [len(d)], "with_tactic": [tagged], "with_severe": [severe],
                         "lenders": [d["lender_key"].nunique()]})


def record_detail(f: Frames, p: dict) -> pd.DataFrame:
    c = f.complaints
    row = c[c["complaint_id"] == p["complaint_id"]].drop(columns=["lender_key"])
    return _names(f, row)


def record_evidence(f: Frames, p: dict) -> pd.DataFrame:
    t = f.tactics[f.tactics["complaint_id"] == p["complaint_id"]]
    t = t.sort_values(["field", "evidence_start", "tactic_id"], na_position="last")
    return t[["tactic_id", "label_source", "field", "evidence_start", "evidence_end", "evidence"]]


def records_count(f: Frames, p: dict) -> pd.DataFrame:
    return pd.DataFrame({"n": [len(filtered(f, p))]})


def _newest(d: pd.DataFrame, n: int, offset: int = 0) -> pd.DataFrame:
    return d.sort_values(["received", "complaint_id"], ascending=False).iloc[offset:offset + n]


def records_export(f: Frames, p: dict) -> pd.DataFrame:
    d = _newest(filtered(f, p), p["cap"])
    t = _distinct_tactics(f, d["complaint_id"]).sort_values("tactic_id")
    tags = t.groupby("complaint_id")["tactic_id"].agg(";".join).rename("tactics")
    d = d.merge(tags, left_on="complaint_id", right_index=True, how="left")
    return d[["complaint_id", "received", "source", "country", "region", "lender_id", "lender_name", "product",
              "sub_product", "issue", "sub_issue", "status", "timely_response", "consumer_disputed", "tactics",
              "title", "narrative", "has_narrative", "language"]]


def records_page(f: Frames, p: dict) -> pd.DataFrame:
    d = _newest(filtered(f, p), p["page_size"], p["offset"])
    t = _distinct_tactics(f, d["complaint_id"]).sort_values("tactic_id")
    tags = t.groupby("complaint_id")["tactic_id"].agg(list).rename("tactics")
    d = _names(f, d).merge(tags, left_on="complaint_id", right_index=True, how="left")
    d["unmatched"] = d["lender_id"].isna()
    d["opening"] = d["narrative"].fillna(d["title"]).fillna("").str[:80]
    return d[["complaint_id", "received", "lender_key", "unmatched", "name_zh", "name_en", "country", "region",
              "status", "tactics", "opening"]]


def tactic_cooccurrence(f: Frames, p: dict) -> pd.DataFrame:
    ct = _distinct_tactics(f, filtered(f, p)["complaint_id"])
    pairs = ct.merge(ct, on="complaint_id", suffixes=("_a", "_b"))
    g = pairs.groupby(["tactic_id_a", "tactic_id_b"]).size().reset_index(name="complaints")
    return g.rename(columns={"tactic_id_a": "tactic_a", "tactic_id_b": "tactic_b"})


def tactic_examples(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)[["complaint_id", "received", "country", "title", "narrative"]]
    t = f.tactics
    t = t[(t["tactic_id"] == p["tactic"]) & t["evidence_start"].notna() & t["field"].isin(["narrative", "title"])]
    j = d.merge(t, on="complaint_id").sort_values("evidence_start").drop_duplicates("complaint_id")
    j["text"] = j["title"].where(j["field"] == "title", j["narrative"])
    j = j.sort_values(["received", "complaint_id"], ascending=[False, True]).head(p["limit"])
    return j[["complaint_id", "received", "country", "field", "evidence_start", "evidence_end", "evidence", "text"]]


def tactic_shares(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    t = f.tactics[f.tactics["complaint_id"].isin(d["complaint_id"])]
    g = t.groupby("tactic_id")["complaint_id"].nunique().rename("complaints").reset_index()
    g["share"] = g["complaints"] / len(d)
    return g.sort_values(["complaints", "tactic_id"], ascending=[False, True], ignore_index=True)


def tactic_trend(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    d = pd.DataFrame({"complaint_id": d["complaint_id"], "period": _trunc(d["received"], p["interval"])})
    totals = d.groupby("period").size().rename("total").reset_index()
    j = d.merge(f.tactics[["complaint_id", "tactic_id"]], on="complaint_id")
    g = j.groupby(["period", "tactic_id"])["complaint_id"].nunique().rename("complaints").reset_index()
    g = g.merge(totals, on="period")
    g["share"] = g["complaints"] / g["total"]
    return g.sort_values(["period", "tactic_id"], ignore_index=True)


def top_lenders(f: Frames, p: dict) -> pd.DataFrame:
    d = filtered(f, p)
    d = d[d["lender_key"].notna()]
    g = d.groupby("lender_key").agg(lender_id=("lender_id", "first"), lender_name=("lender_name", "first"),
                                    complaints=("complaint_id", "size")).reset_index()
    g = _names(f, g)
    g["unmatched"] = g["lender_id"].isna()
    g = g.sort_values(["complaints", "lender_key"], ascending=[False, True], ignore_index=True).head(p["limit"])
    return g[["lender_key", "unmatched", "name_zh", "name_en", "complaints"]]


IMPLEMENTATIONS: dict[str, Callable[[Frames, dict], pd.DataFrame]] = {
    name: fn for name, fn in globals().items()
    if callable(fn) and not name.startswith("_") and name not in ("filtered", "Frames", "Callable")
    and getattr(fn, "__module__", None) == __name__
}

# Where the pandas code is only the closest equivalent, say how it differs.
NOTES: dict[str, str] = {
    "lender_options": "group by lender key only (lender_id is a function of the key)",
    "top_lenders": "group by lender key only (lender_id is a function of the key)",
}
