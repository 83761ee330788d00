DROP INDEX "assets_name_idx";--> statement-breakpoint
DROP INDEX "assets_status_idx";--> statement-breakpoint
DROP INDEX "assets_location_idx";--> statement-breakpoint
CREATE INDEX "assets_name_idx" ON "assets" USING btree ("name","id") WHERE "assets"."is_archived" = false;--> statement-breakpoint
CREATE INDEX "assets_status_idx" ON "assets" USING btree ("status","name","id") WHERE "assets"."is_archived" = false;--> statement-breakpoint
CREATE INDEX "assets_location_idx" ON "assets" USING btree ("location_id","name","id") WHERE "assets"."is_archived" = false;