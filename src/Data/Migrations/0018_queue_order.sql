-- The review queues read returns by state, longest waiting first: at national scale a queue is a few thousand of the
-- million returns, and most returns are registered, so the queue's own order needs its own index.
CREATE INDEX ix_returns_state_updated ON returns (state, updated_at, id);
