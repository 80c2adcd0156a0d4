-- Two ordinary roles, neither a superuser nor bypassing row-level security:
--   samudbud      owns the database and its tables; Samudbud migrates as it
--                 and uses it for the few cross-municipality operations
--                 (login by e-mail, client tokens, operator work).
--   samudbud_app  serves every request, with only the table privileges that
--                 Samudbud grants it after migrating (SELECT, INSERT, UPDATE,
--                 DELETE, sequences): it cannot alter tables, lift row-level
--                 security or open the cross-municipality scope.
CREATE ROLE samudbud LOGIN PASSWORD 'samudbud-change-me' NOSUPERUSER NOBYPASSRLS;
CREATE ROLE samudbud_app LOGIN PASSWORD 'samudbud-app-change-me'
  NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE DATABASE samudbud OWNER samudbud;
-- Only the owner creates objects (PostgreSQL 15 and later: the default).
\connect samudbud
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Nor may the application's role create temporary tables: they come first
-- on the search path. The functions behind the policies name their tables
-- with the schema, so this is a second lock on the same door.
REVOKE TEMPORARY ON DATABASE samudbud FROM PUBLIC;
