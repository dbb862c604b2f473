-- PLACEHOLDER for WeCelebrate's supabase/functions/server/database/site_catalog_config_schema.sql (seed 003, step 2).
-- The guide names this file but does not give its contents: replace this file with it.
select 1;
