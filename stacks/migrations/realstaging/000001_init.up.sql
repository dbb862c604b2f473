-- PLACEHOLDER for Real Staging AI's infra/migrations (seed 004, "Run Migrations").
-- The guide applies golang-migrate files from infra/migrations but does not give them: copy the
-- *.up.sql files here (the migrations are applied in name order before the services deploy).
select 1;
