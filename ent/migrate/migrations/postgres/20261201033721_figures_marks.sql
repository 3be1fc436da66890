-- Create "region_figures_marks" table
CREATE TABLE "region_figures_marks" ("id" character varying NOT NULL, "code" character varying NOT NULL, PRIMARY KEY ("id"));
-- Create index "regionfiguresmark_code" to table: "region_figures_marks"
CREATE INDEX "regionfiguresmark_code" ON "region_figures_marks" ("code");
