"""Imports of reference data: schools (GIAS), pupils (census) and term dates.

Each import is one service function called by its management command and by the admin:
it validates every row, reports every bad row by line, field and reason, and applies
nothing when any row is bad unless told to skip bad rows."""
