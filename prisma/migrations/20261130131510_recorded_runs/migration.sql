-- CreateTable
CREATE TABLE "runs" (
    "id" SERIAL NOT NULL,
    "uid" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "engine" TEXT NOT NULL,
    "nodes" INTEGER NOT NULL,
    "seed" BIGINT,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "faults" INTEGER NOT NULL DEFAULT 0,
    "valid" TEXT,
    "recovery_median_sec" DOUBLE PRECISION,
    "recovery_max_sec" DOUBLE PRECISION,
    "manifest" JSONB NOT NULL,
    "schedule" JSONB NOT NULL DEFAULT '[]',
    "history" JSONB,
    "verdict" JSONB,
    "alerts" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "imported_at" TIMESTAMPTZ(3),

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "runs_uid_key" ON "runs"("uid");

-- CreateIndex
CREATE INDEX "runs_started_at_idx" ON "runs"("started_at");
