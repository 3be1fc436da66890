-- atlas:txmode none

-- Trigram indexes for name-part searches (LIKE '%…%' of 3 characters or
-- more) on people, institutions and regions. CONCURRENTLY, so that adding
-- them to a large live database does not block writes; it cannot run in a
-- transaction, hence txmode none, and IF NOT EXISTS makes a rerun after an
-- interruption harmless. The operator class is qualified because the
-- extension lives in public whatever the search_path of the connection.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the owner of the
-- database may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX CONCURRENTLY IF NOT EXISTS persons_name_trgm ON persons USING gin (name public.gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS institutions_name_trgm ON institutions USING gin (name public.gin_trgm_ops);
CREATE INDEX CONCURRENTLY IF NOT EXISTS regions_name_trgm ON regions USING gin (name public.gin_trgm_ops);
