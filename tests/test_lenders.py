"""Lender registry and name normalization."""

import csv

import pytest

from complaints.lenders import KINDS, REGISTRY_FILE, Registry, normalize_name


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.mark.parametrize("name", ["和信金融", "和信贷", "和信金融信息服务(上海)有限公司", "和信貸",
                                  "和信金融信息服务（上海）有限公司", " 和信贷App "])
def test_hexin_spellings_match_one_lender(registry, name):
    assert registry.match(name) == "hexin-finance"


@pytest.mark.parametrize("name, lender_id", [
    ("MIDLAND CREDIT MANAGEMENT, INC.", "encore-capital"),
    ("Encore Capital Group", "encore-capital"),
    ("ＭＩＤＬＡＮＤ　ＦＵＮＤＩＮＧ，ＬＬＣ", "encore-capital"),
    ("Portfolio Recovery Associates, Inc.", "portfolio-recovery"),
    ("Resurgent Capital Services L.P.", "resurgent-lvnv"),
    ("LVNV Funding, LLC", "resurgent-lvnv"),
    ("WELLS FARGO & COMPANY", "wells-fargo"),
    ("CITIBANK, N.A.", "citibank"),
    ("BANK OF AMERICA, NATIONAL ASSOCIATION", "bank-of-america"),
    ("JPMORGAN CHASE & CO.", "jpmorgan-chase"),
    ("Navient Solutions, LLC.", "navient"),
    ("招聯金融", "zhaolian-finance"),
    ("百度有钱花", "du-xiaoman"),
    ("度小滿", "du-xiaoman"),
    ("蚂蚁借呗", "ant-group"),
    ("京東白條", "jd-finance"),
    ("微粒贷", "webank"),
    ("360借條", "qifu-360"),
    ("安逸花", "mashang-consumer-finance"),
    ("拍拍贷", "finvolution"),
    ("還唄", "huanbei"),
])
def test_known_names(registry, name, lender_id):
    assert registry.match(name) == lender_id


def test_unknown_names_stay_unmatched(registry):
    assert registry.match("信*飞App") is None
    assert registry.match("Some Unknown Collector LLC") is None
    assert registry.match("") is None and registry.match(None) is None


def test_normalize_name():
    assert normalize_name("和信貸") == "和信贷"
    assert normalize_name("MIDLAND CREDIT MANAGEMENT, INC.") == "midlandcreditmanagement"
    assert normalize_name("Enhanced Recovery Company, L.L.C.") == "enhancedrecovery"
    assert normalize_name("捷信消费金融有限公司") == "捷信消费金融"
    assert normalize_name("Group") == "group"  # never strips a name to nothing
    assert normalize_name(None) == ""


def test_closest(registry):
    assert registry.closest("Midland Credit Mgmt")[0][0] == "encore-capital"
    assert registry.closest("招联消金")[0][0] == "zhaolian-finance"
    assert len(registry.closest("招联消金", n=1)) == 1


def test_registry_file_is_well_formed(registry):
    with open(REGISTRY_FILE, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = [r["lender_id"] for r in rows]
    assert len(ids) == len(set(ids)) >= 70
    assert {r["kind"] for r in rows} <= set(KINDS)
    assert {r["country"] for r in rows} == {"US", "CN"}
    assert len(registry) == len(rows)
    out = registry.rows()
    assert out[0].keys() == {"lender_id", "name_zh", "name_en", "country", "kind", "aliases", "demo"}
    assert not any(r["demo"] for r in out) and isinstance(out[0]["aliases"], list)


def test_demo_lenders_are_flagged(tmp_path, monkeypatch):
    import complaints.lenders as lenders

    demo = tmp_path / "demo_lenders.csv"
    demo.write_text("lender_id,name_zh,name_en,country,kind,aliases\n"
                    "demo-cn-1,青禾小贷,Qinghe Microcredit,CN,online_lender,青禾借款\n", encoding="utf-8")
    monkeypatch.setattr(lenders, "DEMO_FILE", demo)
    reg = Registry.load(include_demo=True)
    assert reg.match("青禾借款") == "demo-cn-1" and reg.get("demo-cn-1").demo
    assert Registry.load().match("青禾借款") is None


def test_conflicting_alias_is_an_error(tmp_path):
    bad = tmp_path / "lenders.csv"
    bad.write_text("lender_id,name_zh,name_en,country,kind,aliases\n"
                   "a,,Alpha,US,bank,Shared Name Inc.\nb,,Beta,US,bank,SHARED NAME\n", encoding="utf-8")
    with pytest.raises(ValueError, match="belongs to both a and b"):
        Registry.load(path=bad)


def test_cfpb_top_debt_collection_companies_are_registered(registry):
    for name in ("Encore Capital Group", "PORTFOLIO RECOVERY ASSOCIATES INC", "Resurgent Capital Services L.P.",
                 "Convergent Resources, Inc.", "Expert Global Solutions, Inc.", "ERC", "I.C. System, Inc.",
                 "TRANSWORLD SYSTEMS INC", "SYNCHRONY FINANCIAL", "CAPITAL ONE FINANCIAL CORPORATION",
                 "OneMain Finance Corporation", "TMX Finance LLC", "Affirm Holdings, Inc",
                 "ENOVA INTERNATIONAL, INC.", "CREDIT ACCEPTANCE CORPORATION", "Santander Consumer USA"):
        assert registry.match(name), name
