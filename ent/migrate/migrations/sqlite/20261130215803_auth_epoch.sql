-- Create "auth_epochs" table
CREATE TABLE `auth_epochs` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `epoch` integer NOT NULL DEFAULT (0));
-- Set sequence for "auth_epochs" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("auth_epochs", 77309411328);
-- The one row the sign-in changes advance (ent/schema/authepoch.go)
INSERT INTO `auth_epochs` (epoch) VALUES (0);
