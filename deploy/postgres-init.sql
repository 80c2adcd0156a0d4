-- The application's role owns its database but is no superuser and does not
-- bypass row-level security.
CREATE ROLE samudbud LOGIN PASSWORD 'samudbud-change-me' NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE samudbud OWNER samudbud;
