-- Configuration that processes keep in memory (lib/kept-config) is named on the channel
-- relaydesk_config by every statement that changes it; PostgreSQL delivers the
-- notification when the change commits (and not at all if it rolls back).
CREATE FUNCTION kept_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('relaydesk_config', TG_ARGV[0]);
  RETURN NULL;
END $$;

CREATE TRIGGER kept_config_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AutomationRule" FOR EACH STATEMENT EXECUTE FUNCTION kept_config_changed('rules');
CREATE TRIGGER kept_config_webhooks AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Webhook" FOR EACH STATEMENT EXECUTE FUNCTION kept_config_changed('webhooks');
CREATE TRIGGER kept_config_sla_policies AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SlaPolicy" FOR EACH STATEMENT EXECUTE FUNCTION kept_config_changed('slaPolicies');
CREATE TRIGGER kept_config_business_hours AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "BusinessHours" FOR EACH STATEMENT EXECUTE FUNCTION kept_config_changed('slaPolicies,brandHours');
CREATE TRIGGER kept_config_brand_hours AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "businessHoursId" ON "Brand" FOR EACH STATEMENT EXECUTE FUNCTION kept_config_changed('brandHours');
