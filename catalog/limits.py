"""How long the catalog's text fields may be: one definition for the API and for ingest.

The API's request schemas (:mod:`api.schemas`) and ingest's record checks
(:mod:`ingest.records`) both read these, so a name the API would refuse is refused by an
ingest run too. Each is no longer than the database column it is stored in (PostgreSQL
enforces ``VARCHAR(n)``; SQLite does not).
"""

from __future__ import annotations

NAME_MAX = 300  # a name people type: product, alias, issuer, producer
LABEL_MAX = 200  # a short name: locality, category, technical committee
REF_MAX = 200  # a slug, or a reference to a record by its slug or code
CATEGORY_SLUG_MAX = 120  # a category's slug (its column is narrower)
CODE_MAX = 120  # a document code or decision number
CLASS_CODE_MAX = 20  # an HS or ICS code
ISSUER_CODE_MAX = 60  # an issuer's code ("BKHCN", "UBND-TQ")
TITLE_MAX = 1_000  # a document title as a catalogue prints it (the longest seen: 228)
TEXT_MAX = 20_000  # free text: description, scope, condition, legal basis, note
NOTE_MAX = 2_000  # a note on a declaration
URL_MAX = 1_000  # a source's address
LOCATOR_MAX = 300  # where in a source: instrument and article ("Thông tư 02/2011/TT-BYT, Điều 1")
REVIEWER_MAX = 120  # who reviewed a fact: a person, an office or an API key's name

ROW_ID_MAX = 2**63 - 1  # the largest id a database integer column (BIGINT, SQLite) can hold
