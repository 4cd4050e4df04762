"""The sport's rules, in pure Python (no Django): how times read and rank, points, records and bests flags, mass
start sprints, multi-distance classifications, race formats and their lineups, passage points, plausible times.
docs/rules.md states them; everything here can be tested without a database."""
