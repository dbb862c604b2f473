-- Demo seed: one client, so the API has something to list after `make demo`.
insert into clients (name, email)
values ('Estee Agency', 'contact@estee-agency.com')
on conflict (email) do nothing;
