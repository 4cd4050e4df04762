"""Machine clients that write, each with its own credential: the timing systems' API (docs/timing-api.md). Every
write goes through ``results.services``."""
