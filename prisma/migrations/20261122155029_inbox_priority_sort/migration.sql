-- DropIndex
DROP INDEX "Ticket_state_priority_updatedAt_id_idx";

-- CreateIndex
CREATE INDEX "Ticket_state_priority_updatedAt_id_idx" ON "Ticket"("state", "priority" DESC, "updatedAt" DESC, "id" DESC);
