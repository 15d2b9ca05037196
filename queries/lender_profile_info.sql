-- A registry lender's names, kind, country and aliases.
SELECT lender_id, name_zh, name_en, country, kind, aliases FROM lenders WHERE lender_id = $lender_id;
