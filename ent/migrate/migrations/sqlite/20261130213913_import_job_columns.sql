-- Add column "columns" to table: "import_jobs"
ALTER TABLE `import_jobs` ADD COLUMN `columns` json NULL;
