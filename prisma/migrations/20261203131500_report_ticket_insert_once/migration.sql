-- A ticket written in one statement together with its tags and first messages (CTEs) fires its
-- AFTER INSERT trigger once the whole statement has run, when those rows are already there, and
-- their own triggers count them as well: counting them on the ticket's insert too doubled tags,
-- replies and handled tickets. A new ticket can have no tags or messages from an earlier
-- statement, so its insert counts only its own facts; the tags' and messages' triggers add theirs.
CREATE OR REPLACE FUNCTION report_ticket_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE facts jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(f) INTO facts FROM report_ticket_facts(NEW, 1, false) f;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (OLD."brandId", OLD."groupId", OLD.state, OLD."mergedIntoId") IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW.state, NEW."mergedIntoId") THEN
      SELECT jsonb_agg(f) INTO facts FROM (
        SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_facts(NEW, 1, true)
        UNION ALL SELECT * FROM report_ticket_reply_facts(OLD, -1, NULL, NULL) UNION ALL SELECT * FROM report_ticket_reply_facts(NEW, 1, NULL, NULL)) f;
    ELSE
      SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_facts(NEW, 1, true)) f;
    END IF;
  ELSE -- BEFORE DELETE: its tags and messages are still there
    SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(OLD, -1, true) UNION ALL SELECT * FROM report_ticket_reply_facts(OLD, -1, NULL, NULL)) f;
  END IF;
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "ReportSpan" WHERE "ticketId" = OLD.id;
    DELETE FROM "ReportSpanPending" WHERE "ticketId" = OLD.id;
    DELETE FROM "ReportSlaLive" WHERE "ticketId" = OLD.id;
    RETURN OLD;
  END IF;
  -- Durations: only when something they depend on changed.
  IF TG_OP = 'INSERT' OR (OLD."brandId", OLD."groupId", OLD."assigneeId", OLD.state, OLD."mergedIntoId", OLD.channel, OLD.status, OLD."createdAt", OLD."firstResponseAt", OLD."resolvedAt")
      IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW."assigneeId", NEW.state, NEW."mergedIntoId", NEW.channel, NEW.status, NEW."createdAt", NEW."firstResponseAt", NEW."resolvedAt") THEN
    PERFORM report_spans_sync(NEW);
  END IF;
  -- Live SLA: the same for what it depends on.
  IF TG_OP = 'INSERT' OR (OLD."brandId", OLD."groupId", OLD."assigneeId", OLD.state, OLD."mergedIntoId", OLD.status, OLD."createdAt", OLD."firstResponseAt", OLD."resolvedAt",
        OLD."slaPolicyId", OLD.priority, OLD."firstResponseDueAt", OLD."resolutionDueAt")
      IS DISTINCT FROM (NEW."brandId", NEW."groupId", NEW."assigneeId", NEW.state, NEW."mergedIntoId", NEW.status, NEW."createdAt", NEW."firstResponseAt", NEW."resolvedAt",
        NEW."slaPolicyId", NEW.priority, NEW."firstResponseDueAt", NEW."resolutionDueAt") THEN
    PERFORM report_sla_live_sync(NEW);
  END IF;
  RETURN NEW;
END $$;
