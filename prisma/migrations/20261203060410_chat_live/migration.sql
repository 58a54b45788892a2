-- AlterTable
ALTER TABLE "EmailLog" ADD COLUMN     "chatId" INTEGER;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "agentSeenAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "EmailLog_chatId_idx" ON "EmailLog"("chatId");

-- AddForeignKey
ALTER TABLE "EmailLog" ADD CONSTRAINT "EmailLog_chatId_fkey" FOREIGN KEY ("chatId") REFERENCES "Chat"("id") ON DELETE SET NULL ON UPDATE CASCADE;
