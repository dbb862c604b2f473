-- PLACEHOLDER for WeCelebrate's supabase/functions/server/database/schema.sql (seed 003, step 2).
-- The guide names this file but does not give its contents: replace this file with it.
select 1;
