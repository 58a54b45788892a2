-- DropIndex
DROP INDEX "Ticket_firstResponseAt_idx";

-- DropIndex
DROP INDEX "Ticket_resolvedAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_resolvedAt_idx" ON "Ticket"("resolvedAt", "brandId", "state", "mergedIntoId", "status", "assigneeId", "groupId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_firstResponseAt_idx" ON "Ticket"("firstResponseAt", "brandId", "state", "mergedIntoId", "channel", "assigneeId", "groupId", "createdAt");
