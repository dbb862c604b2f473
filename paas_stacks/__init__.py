"""paas-stacks: a whole environment (services, Postgres, Redis, CDN, secrets) as typed Pulumi
components, over thin dynamic providers for Render, Fly.io, Supabase and Upstash."""
