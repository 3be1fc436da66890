-- Create "vocabulary_terms" table
CREATE TABLE `vocabulary_terms` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `vocabulary` text NOT NULL, `code` text NOT NULL, `label` text NOT NULL, `label_en` text NULL, `region_code` text NOT NULL DEFAULT (''));
-- Set sequence for "vocabulary_terms" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("vocabulary_terms", 81604378624);
-- Create index "vocabularyterm_vocabulary_code" to table: "vocabulary_terms"
CREATE UNIQUE INDEX `vocabularyterm_vocabulary_code` ON `vocabulary_terms` (`vocabulary`, `code`);
-- Create index "vocabularyterm_region_code" to table: "vocabulary_terms"
CREATE INDEX `vocabularyterm_region_code` ON `vocabulary_terms` (`region_code`);
-- Create "vocabulary_words" table
CREATE TABLE `vocabulary_words` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `vocabulary` text NOT NULL, `word` text NOT NULL, `term_code` text NOT NULL, `region_code` text NOT NULL DEFAULT (''));
-- Set sequence for "vocabulary_words" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("vocabulary_words", 85899345920);
-- Create index "vocabularyword_vocabulary_word_region_code" to table: "vocabulary_words"
CREATE UNIQUE INDEX `vocabularyword_vocabulary_word_region_code` ON `vocabulary_words` (`vocabulary`, `word`, `region_code`);
-- Create index "vocabularyword_region_code" to table: "vocabulary_words"
CREATE INDEX `vocabularyword_region_code` ON `vocabulary_words` (`region_code`);
