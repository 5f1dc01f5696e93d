"""The whole catalog out (open data, backups, a move) and back in (:mod:`.dump`, :mod:`.load`)."""
