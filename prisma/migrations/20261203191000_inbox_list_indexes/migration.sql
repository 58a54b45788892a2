-- DropIndex
DROP INDEX "Ticket_createdAt_idx";

-- CreateIndex
CREATE INDEX "Chat_customerId_createdAt_idx" ON "Chat"("customerId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Ticket_createdAt_list_idx" ON "Ticket"("createdAt", "state", "mergedIntoId", "brandId", "updatedAt", "id", "priority");

-- The priority sort (ORDER BY priority DESC, "updatedAt" DESC, id DESC) reads this index forward
-- only if priority is descending in it, as 20261122155029 redefined it. Databases whose indexes
-- were rebuilt from the init migration alone (bench seeds before ad6856c) kept it ascending, and
-- every priority-sorted page then sorted all active tickets. Rebuilt only where it is wrong.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'Ticket_state_priority_updatedAt_id_idx' AND indexdef LIKE '%priority DESC, "updatedAt" DESC, id DESC%') THEN
    DROP INDEX IF EXISTS "Ticket_state_priority_updatedAt_id_idx";
    CREATE INDEX "Ticket_state_priority_updatedAt_id_idx" ON "Ticket"("state", "priority" DESC, "updatedAt" DESC, "id" DESC);
  END IF;
END $$;
