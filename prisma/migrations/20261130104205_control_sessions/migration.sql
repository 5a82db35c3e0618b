-- CreateTable
CREATE TABLE "control_sessions" (
    "id_hash" TEXT NOT NULL,
    "token_fingerprint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "control_sessions_pkey" PRIMARY KEY ("id_hash")
);

-- CreateIndex
CREATE INDEX "control_sessions_expires_at_idx" ON "control_sessions"("expires_at");
