"""The broadcasters' pages (docs/broadcasters.md): the embeddable board, the overlays and the venue scoreboard,
their options and their labels in nine languages. The only pages other sites may frame."""
