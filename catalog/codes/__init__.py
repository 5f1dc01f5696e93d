"""Document codes: parse, normalise, format and slug the codes of standards,
technical regulations and legal instruments.

A standard's code is a prefix, a number with optional parts, a year and, for
regulations, an issuer: ``QCVN 8-2:2011/BYT``. A legal instrument's code is a
number, an optional year and a form naming the kind of instrument and its
issuer: ``04/2023/TT-BXD``, ``841/QĐ-UBND``, ``68/2006/QH11``.

Matching runs on a *key*: the cleaned text folded character by character (lower
case, no diacritics, đ → d), so that each position of the key is the same
position of the cleaned text; values whose case matters (issuers) are cut from
the cleaned text.

Decisions:

- Standard numbers keep their zero padding as printed, because both styles are
  official (``QCVN 01:2009/BYT``, ``QCVN 1:2015/BKHCN``, ``QCVN 8-2:2011/BYT``).
  :meth:`DocumentCode.compact` and :meth:`DocumentCode.family_key` drop it, so
  ``QCVN 1:2009/BYT`` finds ``QCVN 01:2009/BYT``.
- Legal instrument numbers get at least two digits, the official style:
  ``4/2023/tt-bxd`` → ``04/2023/TT-BXD``.
- Years are always 4 digits. In old codes a 2- or 4-digit group after ``-``
  with no ``:`` is the year (``TCVN 1873-86`` → 1986); two-digit years from 30
  are 19xx, below 30 are 20xx.
- QCVN and legal issuers are upper case, with official spellings restored
  (``ND-CP`` → ``NĐ-CP``, ``QD-TTG`` → ``QĐ-TTg``). QCĐP and TCCS issuers keep
  the case given (``BTr``), unless typed all in lower case; letter case of an
  issuer is not significant in slugs and compact keys.
- An adoption note after a standard (``(ISO 11287:2011)``,
  ``/ CODEX STAN 245-2004``) is kept but is not part of identity. Amendments
  (``Amd 1``) are not modelled: :func:`parse_code` rejects them and
  :func:`find_codes` finds the base code.

The parts: :mod:`.kinds` (the kinds of document), :mod:`.grammar` (the regular
expressions), :mod:`.document_code` (the normal form and its printed forms) and
:mod:`.parse` (reading codes from text).
"""

from catalog.codes.document_code import DocumentCode, PartialCode
from catalog.codes.kinds import DocType
from catalog.codes.parse import CodeError, find_codes, normalise_code, parse_code, parse_partial

__all__ = [
    "CodeError",
    "DocType",
    "DocumentCode",
    "PartialCode",
    "find_codes",
    "normalise_code",
    "parse_code",
    "parse_partial",
]
