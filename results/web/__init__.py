"""The public web, read-only: spectators' pages (competitions, a race's board, a classification), the JSON feed and
its schema, health, the framing policy; ``embed/`` holds the broadcasters' pages (embed, overlays, scoreboard).
Nothing here writes: every page serves a published snapshot (``results.selectors``)."""
