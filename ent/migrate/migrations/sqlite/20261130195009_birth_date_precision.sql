-- Add column "birth_date_precision" to table: "persons"
ALTER TABLE `persons` ADD COLUMN `birth_date_precision` text NULL;
