-- Replies and tickets handled in the day rollup (see report_rollups). Per ticket in the report scope,
-- from its public replies written by agents (kind REPLY with an author), on the brand's days:
--   replies:<author>                    replies the author wrote that day
--   handledBy:<author>|<previous day>   1 for each day the author replied on the ticket, with the
--                                       author's previous reply day on it ("" for the first)
--   handled:<previous day>              the same for anyone's replies (groups and totals)
-- "Handled in a range" counts each ticket once: the days in the range whose previous day is before it.

CREATE FUNCTION report_reply_facts(t "Ticket", sign integer, authors text[], ats timestamp(3)[])
RETURNS TABLE ("brandId" text, metric text, day date, "groupId" text, key text, n integer)
LANGUAGE sql STABLE AS $$
  WITH b AS (SELECT timezone FROM "Brand" WHERE id = t."brandId" AND t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL),
  m AS (SELECT u.a AS author, ((u.at AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date AS day FROM b, unnest(authors, ats) AS u(a, at)),
  per AS (SELECT m.author, m.day, count(*)::int AS c, lag(m.day) OVER (PARTITION BY m.author ORDER BY m.day) AS prev FROM m GROUP BY m.author, m.day),
  tk AS (SELECT m.day, lag(m.day) OVER (ORDER BY m.day) AS prev FROM m GROUP BY m.day)
  SELECT t."brandId", 'replies', per.day, COALESCE(t."groupId", ''), per.author, per.c * sign FROM per
  UNION ALL SELECT t."brandId", 'handledBy', per.day, COALESCE(t."groupId", ''), per.author || '|' || COALESCE(to_char(per.prev, 'YYYY-MM-DD'), ''), sign FROM per
  UNION ALL SELECT t."brandId", 'handled', tk.day, COALESCE(t."groupId", ''), COALESCE(to_char(tk.prev, 'YYYY-MM-DD'), ''), sign FROM tk
$$;

-- A ticket's reply facts from its messages now (optionally leaving some out, adding others).
CREATE FUNCTION report_ticket_reply_facts(t "Ticket", sign integer, without_ids integer[], extra jsonb)
RETURNS TABLE ("brandId" text, metric text, day date, "groupId" text, key text, n integer)
LANGUAGE sql STABLE AS $$
  SELECT f.* FROM (
    SELECT array_agg(x.author) AS authors, array_agg(x.at) AS ats FROM (
      SELECT m."authorId" AS author, m."createdAt" AS at FROM "Message" m
      WHERE m."ticketId" = t.id AND m.kind = 'REPLY' AND m."authorId" IS NOT NULL AND NOT (m.id = ANY (COALESCE(without_ids, '{}')))
      UNION ALL
      SELECT e."authorId", e."createdAt" FROM jsonb_to_recordset(COALESCE(extra, '[]')) AS e("ticketId" integer, kind text, "authorId" text, "createdAt" timestamp(3))
      WHERE e."ticketId" = t.id AND e.kind = 'REPLY' AND e."authorId" IS NOT NULL
    ) x
  ) a CROSS JOIN LATERAL report_reply_facts(t, sign, a.authors, a.ats) f
  WHERE a.authors IS NOT NULL
$$;

-- Messages changed (statement level: merges move many at once): each affected ticket's reply facts
-- before the statement (now, minus the new rows, plus the old ones) come off, the current ones go on.
CREATE FUNCTION report_messages_changed(o jsonb, n jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE facts jsonb;
BEGIN
  WITH changed AS (
    SELECT (x->>'ticketId')::int AS tid FROM jsonb_array_elements(COALESCE(o, '[]') || COALESCE(n, '[]')) x
    WHERE x->>'kind' = 'REPLY' AND x->>'authorId' IS NOT NULL
  ), newids AS (SELECT array_agg((x->>'id')::int) AS ids FROM jsonb_array_elements(COALESCE(n, '[]')) x)
  SELECT jsonb_agg(f) INTO facts FROM "Ticket" t CROSS JOIN newids, LATERAL (
    SELECT * FROM report_ticket_reply_facts(t, -1, newids.ids, o)
    UNION ALL SELECT * FROM report_ticket_reply_facts(t, 1, NULL, NULL)
  ) f
  WHERE t.id IN (SELECT DISTINCT tid FROM changed);
  IF facts IS NOT NULL THEN PERFORM report_apply(facts); END IF;
END $$;

CREATE FUNCTION report_message_insert_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rows jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('id', id, 'ticketId', "ticketId", 'kind', kind, 'authorId', "authorId", 'createdAt', "createdAt"))
    INTO rows FROM new_rows WHERE kind = 'REPLY' AND "authorId" IS NOT NULL;
  IF rows IS NOT NULL THEN PERFORM report_messages_changed(NULL, rows); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION report_message_update_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o jsonb; n jsonb;
BEGIN
  -- Delivery status and other updates leave replies as they were: nothing to do.
  IF NOT EXISTS (SELECT 1 FROM old_rows a JOIN new_rows b ON a.id = b.id
                 WHERE (a."ticketId", a.kind, a."authorId", a."createdAt") IS DISTINCT FROM (b."ticketId", b.kind, b."authorId", b."createdAt")) THEN
    RETURN NULL;
  END IF;
  SELECT jsonb_agg(jsonb_build_object('id', id, 'ticketId', "ticketId", 'kind', kind, 'authorId', "authorId", 'createdAt', "createdAt")) INTO o FROM old_rows;
  SELECT jsonb_agg(jsonb_build_object('id', id, 'ticketId', "ticketId", 'kind', kind, 'authorId', "authorId", 'createdAt', "createdAt")) INTO n FROM new_rows;
  PERFORM report_messages_changed(o, n);
  RETURN NULL;
END $$;

CREATE FUNCTION report_message_delete_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rows jsonb;
BEGIN
  SELECT jsonb_agg(jsonb_build_object('id', id, 'ticketId', "ticketId", 'kind', kind, 'authorId', "authorId", 'createdAt', "createdAt"))
    INTO rows FROM old_rows WHERE kind = 'REPLY' AND "authorId" IS NOT NULL;
  IF rows IS NOT NULL THEN PERFORM report_messages_changed(rows, NULL); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER report_rollup_message_insert AFTER INSERT ON "Message" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_message_insert_trigger();
CREATE TRIGGER report_rollup_message_update AFTER UPDATE ON "Message" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_message_update_trigger();
CREATE TRIGGER report_rollup_message_delete AFTER DELETE ON "Message" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_message_delete_trigger();

-- Tickets: a change of brand, group, state or merge moves the ticket's replies too.
CREATE OR REPLACE FUNCTION report_ticket_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE facts jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(f) INTO facts FROM (SELECT * FROM report_ticket_facts(NEW, 1, true) UNION ALL SELECT * FROM report_ticket_reply_facts(NEW, 1, NULL, NULL)) f;
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
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE OR REPLACE FUNCTION report_rollup_rebuild(brand text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "ReportDayCount" WHERE brand IS NULL OR "brandId" = brand;
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  SELECT f."brandId", f.metric, f.day, f."groupId", f.key, sum(f.n)::int
  FROM "Ticket" t CROSS JOIN LATERAL report_ticket_facts(t, 1, true) f
  WHERE brand IS NULL OR t."brandId" = brand
  GROUP BY 1, 2, 3, 4, 5;
  -- Replies in one pass over the messages (the same facts as report_reply_facts, per ticket).
  INSERT INTO "ReportDayCount" ("brandId", metric, day, "groupId", key, n)
  WITH m AS (
    SELECT t."brandId", COALESCE(t."groupId", '') AS g, t.id AS tid, msg."authorId" AS author, ((msg."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE b.timezone)::date AS day
    FROM "Message" msg JOIN "Ticket" t ON t.id = msg."ticketId" JOIN "Brand" b ON b.id = t."brandId"
    WHERE msg.kind = 'REPLY' AND msg."authorId" IS NOT NULL AND t.state = 'ACTIVE' AND t."mergedIntoId" IS NULL AND (brand IS NULL OR t."brandId" = brand)
  ),
  per AS (SELECT m."brandId", m.g, m.tid, m.author, m.day, count(*)::int AS c, lag(m.day) OVER (PARTITION BY m.tid, m.author ORDER BY m.day) AS prev FROM m GROUP BY 1, 2, 3, 4, 5),
  tk AS (SELECT m."brandId", m.g, m.tid, m.day, lag(m.day) OVER (PARTITION BY m.tid ORDER BY m.day) AS prev FROM m GROUP BY 1, 2, 3, 4)
  SELECT x."brandId", x.metric, x.day, x.g, x.key, sum(x.n)::int FROM (
    SELECT per."brandId", 'replies' AS metric, per.day, per.g, per.author AS key, per.c AS n FROM per
    UNION ALL SELECT per."brandId", 'handledBy', per.day, per.g, per.author || '|' || COALESCE(to_char(per.prev, 'YYYY-MM-DD'), ''), 1 FROM per
    UNION ALL SELECT tk."brandId", 'handled', tk.day, tk.g, COALESCE(to_char(tk.prev, 'YYYY-MM-DD'), ''), 1 FROM tk
  ) x GROUP BY 1, 2, 3, 4, 5;
$$;

SELECT report_rollup_rebuild(NULL);
