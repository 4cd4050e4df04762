"""The demo and replays: real official result lists replayed pair by pair through the services, as a timing
system would enter them (``replay``), with passages constructed from the finish times (``timing``), and the demo's
competition, officials and records (``setup``)."""
