-- Modify "import_jobs" table
ALTER TABLE "import_jobs" ADD COLUMN "columns" jsonb NULL;
