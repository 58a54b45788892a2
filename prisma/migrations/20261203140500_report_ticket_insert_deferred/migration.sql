-- Every new ticket adds to the same few ReportDayCount rows (created, channel, status … of its
-- brand's day). Added by an ordinary trigger, those rows stay locked from the ticket's insert to
-- its commit, so concurrent ticket creations (contact form, mail, chat conversions) wait for each
-- other's rules, emails and SLA work. Added at commit instead (a deferred constraint trigger),
-- the lock is held only for the commit itself.
--
-- It counts only the ticket's own facts: a ticket written in one statement with its tags and first
-- messages (CTEs) already has them when its trigger runs, and their own triggers count them.
--
-- The counts are sums of deltas, so their order does not matter: an update earlier in the same
-- transaction took the inserted row's facts off and put its new ones on; the insert's facts added
-- at commit make the sum right. Durations and the live SLA rows are per ticket and follow the
-- ticket as it is at commit (gone if it was deleted meanwhile).
CREATE FUNCTION report_ticket_insert_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE facts jsonb; cur "Ticket";
BEGIN
  SELECT jsonb_agg(f) INTO facts FROM report_ticket_facts(NEW, 1, false) f;
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
  SELECT * INTO cur FROM "Ticket" WHERE id = NEW.id;
  IF FOUND THEN
    PERFORM report_spans_sync(cur);
    PERFORM report_sla_live_sync(cur);
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER report_rollup_insert ON "Ticket";
CREATE CONSTRAINT TRIGGER report_rollup_insert AFTER INSERT ON "Ticket" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION report_ticket_insert_trigger();
