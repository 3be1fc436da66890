-- Modify "import_jobs" table
ALTER TABLE "import_jobs" ADD COLUMN "annotated" bytea NULL, ADD COLUMN "annotated_size" bigint NOT NULL DEFAULT 0;
