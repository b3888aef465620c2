"""The notifications app's pages: the Key Adult's (school.py) and the operations page
(operations.py)."""
