-- PLACEHOLDER for MasStock's database/migrations/003_seed_data.sql (seed 000, step 1.3).
-- The guide names this file but does not give its contents: replace this file with it.
select 1;
