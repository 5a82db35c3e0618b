-- CreateTable
CREATE TABLE "consensus_rounds" (
    "height" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "proposer" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "timeouts" TEXT[],
    "skipped" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "consensus_rounds_pkey" PRIMARY KEY ("height","round")
);

-- CreateTable
CREATE TABLE "evidence" (
    "hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "validator" TEXT NOT NULL,
    "height" INTEGER NOT NULL,
    "round" INTEGER NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "reported_by" TEXT[],
    "payload" JSONB NOT NULL,

    CONSTRAINT "evidence_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "evidence_height_idx" ON "evidence"("height");

-- CreateIndex
CREATE INDEX "evidence_validator_idx" ON "evidence"("validator");
