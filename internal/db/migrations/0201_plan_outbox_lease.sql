-- Webhook outbox leases: a delivery run stamps claimed_at when it takes a
-- row into 'sending'. A row whose claim is older than the lease (see
-- internal/plan/webhook.go) was abandoned by a sender that died mid-send
-- and is due again. Rows already in 'sending' keep 0: they are due at once.

ALTER TABLE plan_outbox ADD COLUMN claimed_at BIGINT NOT NULL DEFAULT 0;
