-- DropIndex
DROP INDEX "Chat_brandId_queuedAt_idx";

-- CreateIndex
CREATE INDEX "Chat_brandId_queuedAt_idx" ON "Chat"("brandId", "queuedAt", "groupId", "status", "assignedAt", "endedAt", "resolvedAt", "rating");
