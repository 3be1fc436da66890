-- Modify "persons" table
ALTER TABLE "persons" ADD COLUMN "birth_date_precision" character varying NULL;
