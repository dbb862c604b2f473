-- Demo schema: the workflow tables a MasStock-like API and worker share.
create table if not exists clients (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    email text not null unique,
    created_at timestamptz not null default now()
);

create table if not exists executions (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references clients (id) on delete cascade,
    status text not null default 'pending' check (status in ('pending', 'running', 'done', 'failed')),
    input_data jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);
