-- PLACEHOLDER for MasStock's database/migrations/002_row_level_security.sql (seed 000, step 1.3).
-- The guide names this file but does not give its contents: replace this file with it.
select 1;
