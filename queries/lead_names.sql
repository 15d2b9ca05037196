-- Display names of lenders, for the sentences of leads (issue 7).
SELECT lender_id, name_zh, name_en FROM lenders;
