DROP INDEX "framework_controls_position_idx";--> statement-breakpoint
CREATE INDEX "framework_controls_position_idx" ON "framework_controls" USING btree ("framework_id","position","id");