-- Trigram matching for free-text search: `ILIKE '%term%'` on an indexed search column instead
-- of scanning every row. pg_trgm ships with PostgreSQL (contrib) and with PGlite.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
