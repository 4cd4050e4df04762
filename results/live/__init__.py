"""Live delivery: the push of a committed snapshot (``broadcast``), each server process's spectators and the one
subscription per race they share (``audience``), the websocket frames written to them (``transport``), the
consumers and their routes, and the limits on who may open a socket (``limits``, ``origins``). Read-only: nothing
here writes to the database."""
