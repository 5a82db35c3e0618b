-- CreateTable
CREATE TABLE "scenario_runs" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "scenario" JSONB NOT NULL,
    "actor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "report" JSONB,

    CONSTRAINT "scenario_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scenario_runs_started_at_idx" ON "scenario_runs"("started_at");
