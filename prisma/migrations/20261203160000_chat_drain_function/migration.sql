-- C3: a brand's queue run in one statement. The run used to be six round trips under the
-- brand's lock (and the agents' row locks), so on a busy desk every pause of the web process
-- stretched the time those locks were held. The caller passes the agents it found eligible
-- (permission, group, capacity in force, their "joined" line); this function takes the brand's
-- queue lock, locks the queued chats it will serve and those agents, re-checks under the locks
-- what can change from one second to the next (status and the desk being seen), reads their
-- loads after the locks are held, and assigns longest-waiting first to the agent with the fewest
-- active chats (among equals, whoever waited longest since their last chat).
CREATE OR REPLACE FUNCTION chat_drain_queue(
  p_brand text, p_agents text[], p_capacities int[], p_joined text[], p_seen_since timestamp(3), p_at timestamp(3)
) RETURNS TABLE ("chatId" int, "agentId" text, "joinedId" int, "joinedBody" text, "joinedAt" timestamp(3), "ticketNumber" int)
LANGUAGE plpgsql AS $$
DECLARE
  q record;
  ids text[];
  caps int[];
  bodies text[];
  loads int[];
  lasts timestamp(3)[];
  members text[];
  member_group text := NULL;
  best int;
  room boolean;
  plan_chats int[] := '{}';
  plan_agents int[] := '{}';
  plan_tickets int[] := '{}';
  queued_chats int[];
  queued_groups text[];
  queued_tickets int[];
  i int;
  k int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('chat-queue'), hashtext(p_brand));
  SELECT array_agg(x.id ORDER BY x."queuedAt", x.id), array_agg(x."groupId" ORDER BY x."queuedAt", x.id), array_agg(x.number ORDER BY x."queuedAt", x.id)
    INTO queued_chats, queued_groups, queued_tickets
  FROM (
    SELECT c.id, c."groupId", t.number, c."queuedAt"
    FROM "Chat" c LEFT JOIN "Ticket" t ON t.id = c."ticketId"
    WHERE c."brandId" = p_brand AND c.status = 'QUEUED' AND c."endedAt" IS NULL
    ORDER BY c."queuedAt", c.id
    FOR UPDATE OF c SKIP LOCKED
    LIMIT 500
  ) x;
  IF queued_chats IS NULL OR coalesce(array_length(p_agents, 1), 0) = 0 THEN
    RETURN;
  END IF;

  -- Locked in id order (as every other locker of these rows does), not for key updates, so
  -- messages and chats that merely reference an agent are never held up by a queue run.
  PERFORM 1 FROM "User" u
  WHERE u.id = ANY (p_agents) AND u."agentStatus" = 'ONLINE' AND u."agentSeenAt" >= p_seen_since
  ORDER BY u.id FOR NO KEY UPDATE;

  -- A new snapshot: the loads as committed by any run that held these agents before us.
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.cap ORDER BY a.id), array_agg(a.joined ORDER BY a.id),
      array_agg(a.load ORDER BY a.id), array_agg(a.last ORDER BY a.id)
    INTO ids, caps, bodies, loads, lasts
  FROM (
    SELECT u.id, e.cap, e.joined,
      (SELECT count(*)::int FROM "Chat" c WHERE c."assigneeId" = u.id AND c.status = 'ACTIVE') AS load,
      (SELECT max(c."assignedAt") FROM "Chat" c WHERE c."assigneeId" = u.id) AS last
    FROM unnest(p_agents, p_capacities, p_joined) AS e(id, cap, joined)
    JOIN "User" u ON u.id = e.id
    WHERE u."agentStatus" = 'ONLINE' AND u."agentSeenAt" >= p_seen_since
  ) a;
  IF ids IS NULL THEN
    RETURN;
  END IF;

  FOR i IN 1 .. array_length(queued_chats, 1) LOOP
    IF queued_groups[i] IS NOT NULL AND queued_groups[i] IS DISTINCT FROM member_group THEN
      member_group := queued_groups[i];
      SELECT array_agg(gm."userId") INTO members FROM "GroupMember" gm WHERE gm."groupId" = member_group;
      members := coalesce(members, '{}');
    END IF;
    best := NULL;
    room := false;
    FOR k IN 1 .. array_length(ids, 1) LOOP
      IF loads[k] >= caps[k] THEN CONTINUE; END IF;
      room := true;
      IF queued_groups[i] IS NOT NULL AND NOT ids[k] = ANY (members) THEN CONTINUE; END IF;
      IF best IS NULL OR loads[k] < loads[best]
        OR (loads[k] = loads[best] AND coalesce(lasts[k], 'epoch') < coalesce(lasts[best], 'epoch')) THEN
        best := k;
      END IF;
    END LOOP;
    IF NOT room THEN EXIT; END IF;
    IF best IS NULL THEN CONTINUE; END IF;
    loads[best] := loads[best] + 1;
    lasts[best] := p_at;
    plan_chats := plan_chats || queued_chats[i];
    plan_agents := plan_agents || best;
    plan_tickets := plan_tickets || queued_tickets[i];
  END LOOP;
  IF array_length(plan_chats, 1) IS NULL THEN
    RETURN;
  END IF;

  UPDATE "Chat" SET status = 'ACTIVE', "assigneeId" = ids[p.k], "assignedAt" = p_at, "updatedAt" = p_at
  FROM unnest(plan_chats, plan_agents) AS p(chat, k) WHERE "Chat".id = p.chat;
  INSERT INTO "ReportEvent" (type, "brandId", "chatId", "userId", at)
  SELECT 'CHAT_ASSIGNED', p_brand, p.chat, ids[p.k], p_at FROM unnest(plan_chats, plan_agents) AS p(chat, k);
  RETURN QUERY
  WITH m AS (
    INSERT INTO "ChatMessage" ("chatId", kind, body, "createdAt")
    SELECT p.chat, 'SYSTEM', bodies[p.k], p_at FROM unnest(plan_chats, plan_agents) AS p(chat, k)
    RETURNING id, "ChatMessage"."chatId", "ChatMessage".body, "ChatMessage"."createdAt"
  )
  SELECT m."chatId", ids[p.k], m.id, m.body, m."createdAt", p.ticket
  FROM m JOIN unnest(plan_chats, plan_agents, plan_tickets) AS p(chat, k, ticket) ON p.chat = m."chatId";
END
$$;
