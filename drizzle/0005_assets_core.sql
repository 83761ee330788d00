CREATE TABLE "asset_models" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"brand_id" uuid NOT NULL,
	"name" varchar(150) NOT NULL,
	"category" varchar(100),
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"name" varchar(200) NOT NULL,
	"asset_tag" varchar(64) NOT NULL,
	"serial_number" varchar(100),
	"model_id" uuid,
	"category" varchar(100),
	"status" varchar(20) DEFAULT 'in_stock' NOT NULL,
	"location_id" uuid,
	"holder_id" uuid,
	"critical" boolean DEFAULT false NOT NULL,
	"virtual" boolean DEFAULT false NOT NULL,
	"purchase_date" date,
	"cost" numeric(14, 2),
	"currency" varchar(3),
	"warranty_months" integer,
	"expected_end_of_life" date,
	"useful_life_months" integer,
	"salvage_value" numeric(14, 2),
	"comments" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_text" text GENERATED ALWAYS AS (lower(coalesce("assets"."name", '') || ' ' || coalesce("assets"."asset_tag", '') || ' ' || coalesce("assets"."serial_number", '') || ' ' || coalesce("assets"."category", ''))) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "brands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"name" varchar(100) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"name" varchar(150) NOT NULL,
	"address" varchar(300),
	"city" varchar(100),
	"postcode" varchar(20),
	"country" varchar(2),
	"time_zone" varchar(64),
	"phone" varchar(50),
	"reception_email" varchar(254)
);
--> statement-breakpoint
ALTER TABLE "asset_models" ADD CONSTRAINT "asset_models_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_model_id_asset_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."asset_models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "asset_models_brand_name_unique" ON "asset_models" USING btree ("brand_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "assets_tag_unique" ON "assets" USING btree (lower("asset_tag"));--> statement-breakpoint
CREATE UNIQUE INDEX "assets_serial_unique" ON "assets" USING btree (lower("serial_number")) WHERE "assets"."serial_number" is not null;--> statement-breakpoint
CREATE INDEX "assets_name_idx" ON "assets" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "assets_status_idx" ON "assets" USING btree ("status","name");--> statement-breakpoint
CREATE INDEX "assets_location_idx" ON "assets" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "assets_model_idx" ON "assets" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "assets_holder_idx" ON "assets" USING btree ("holder_id");--> statement-breakpoint
CREATE INDEX "assets_search_idx" ON "assets" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "brands_name_unique" ON "brands" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "locations_name_unique" ON "locations" USING btree (lower("name"));