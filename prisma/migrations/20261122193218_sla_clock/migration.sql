-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseWarnAt" TIMESTAMP(3),
ADD COLUMN     "resolutionWarnAt" TIMESTAMP(3),
ADD COLUMN     "slaPauses" JSONB NOT NULL DEFAULT '[]';
