-- Modify "regions" table
ALTER TABLE "regions" ADD COLUMN "communities_exempt" boolean NOT NULL DEFAULT false;
