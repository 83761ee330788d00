CREATE TABLE "organization_settings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"display_name" varchar(120) NOT NULL,
	"legal_name" varchar(255),
	"tax_id" varchar(50),
	"primary_domain" varchar(253),
	"email_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_currency" varchar(3) NOT NULL,
	"time_zone" varchar(64) NOT NULL,
	"risk_impact_levels" integer NOT NULL,
	"risk_likelihood_levels" integer NOT NULL,
	"risk_appetite_medium_from" integer NOT NULL,
	"risk_appetite_high_from" integer NOT NULL,
	"risk_appetite_critical_from" integer NOT NULL,
	CONSTRAINT "organization_settings_matrix" CHECK ("organization_settings"."risk_impact_levels" between 3 and 8 and "organization_settings"."risk_likelihood_levels" between 3 and 8),
	CONSTRAINT "organization_settings_appetite" CHECK (0 < "organization_settings"."risk_appetite_medium_from" and "organization_settings"."risk_appetite_medium_from" < "organization_settings"."risk_appetite_high_from" and "organization_settings"."risk_appetite_high_from" < "organization_settings"."risk_appetite_critical_from" and "organization_settings"."risk_appetite_critical_from" <= 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "organization_settings_singleton" ON "organization_settings" USING btree ((true));