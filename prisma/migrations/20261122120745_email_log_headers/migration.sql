-- AlterTable
ALTER TABLE "EmailLog" ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "replyTo" TEXT;
