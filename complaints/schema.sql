-- Collection Watch store schema. Applied by complaints.store.create_schema().
-- One row per complaint; no personal data: texts are scrubbed, source ids are keyed hashes,
-- ZIPs are cut to 3 digits and locations stop at province or state.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR NOT NULL,   -- store_version, schema_version, demo, built_at, taxonomy_version, ...
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id           VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,   -- cfpb | tousu | the generic source's name
    file_name        VARCHAR NOT NULL,   -- base name only, never a local path
    sha256           VARCHAR NOT NULL,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    rows_read        BIGINT NOT NULL DEFAULT 0,
    rows_loaded      BIGINT NOT NULL DEFAULT 0,
    rows_duplicate   BIGINT NOT NULL DEFAULT 0,
    rows_quarantined BIGINT NOT NULL DEFAULT 0,
    code_version     VARCHAR NOT NULL,
    demo             BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS lenders (
    lender_id VARCHAR NOT NULL,
    name_zh   VARCHAR,
    name_en   VARCHAR,
    country   VARCHAR,
    kind      VARCHAR,          -- bank | online_lender | consumer_finance | collection_agency | debt_buyer | ...
    aliases   VARCHAR[],
    demo      BOOLEAN NOT NULL DEFAULT false   -- invented lender of the demo corpus
);

CREATE TABLE IF NOT EXISTS complaints (
    complaint_id     BIGINT NOT NULL,    -- ours, stable: derived from source + source_key
    source           VARCHAR NOT NULL,
    source_key       VARCHAR NOT NULL,   -- HMAC of the source's own id, never the raw id
    received         DATE NOT NULL,
    country          VARCHAR,            -- ISO 3166-1 alpha-2: CN, US, ...
    region           VARCHAR,            -- state or province, never finer
    zip3             VARCHAR,            -- first 3 digits of a US ZIP
    lender_id        VARCHAR,            -- NULL when the name matched no registry entry
    lender_name      VARCHAR,            -- as filed
    product          VARCHAR,
    sub_product      VARCHAR,
    issue            VARCHAR,
    sub_issue        VARCHAR,
    channel          VARCHAR,            -- submitted via
    status           VARCHAR,            -- company response / 投诉进度
    public_response  VARCHAR,
    timely_response  BOOLEAN,
    consumer_disputed BOOLEAN,
    tags             VARCHAR,
    title            VARCHAR,            -- scrubbed
    demand           VARCHAR,            -- 投诉要求, scrubbed
    amount           DOUBLE,             -- 涉诉金额
    narrative        VARCHAR,            -- scrubbed
    has_narrative    BOOLEAN NOT NULL,
    language         VARCHAR,            -- zh-Hans | zh-Hant | en | NULL when there is no text
    run_id           VARCHAR NOT NULL
);

-- Tactic labels: one row per complaint, tactic and label source.
-- Evidence offsets index the stored (scrubbed) text of `field`.
CREATE TABLE IF NOT EXISTS complaint_tactics (
    complaint_id     BIGINT NOT NULL,
    tactic_id        VARCHAR NOT NULL,
    label_source     VARCHAR NOT NULL,   -- sub_issue | text
    field            VARCHAR,            -- narrative | title | sub_issue
    evidence_start   INTEGER,
    evidence_end     INTEGER,
    evidence         VARCHAR,
    taxonomy_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id     VARCHAR NOT NULL,
    row_number BIGINT,               -- 1-based data row (header excluded), or the JSON record number
    line       BIGINT,               -- physical line in the file, where known
    reason     VARCHAR NOT NULL,
    row_json   VARCHAR               -- the row as JSON, text fields scrubbed, contact columns dropped
);
