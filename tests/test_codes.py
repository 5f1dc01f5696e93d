"""The document-code grammar: examples, typed variants, junk, running text and partial codes."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.codes import (
    CodeError,
    DocType,
    DocumentCode,
    PartialCode,
    find_codes,
    normalise_code,
    parse_code,
    parse_partial,
)

# (what was typed or scraped, canonical, slug)
EXAMPLES = [
    ("TCVN 5603:2023", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("tcvn5603-2023", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("TCVN 5603 : 2023", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("TCVN  5603:2023", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("\u00a0TCVN 5603:2023\u00a0", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("TCVN 5603:2023.", "TCVN 5603:2023", "tcvn-5603-2023"),
    ("TCVN ISO 22000:2018", "TCVN ISO 22000:2018", "tcvn-iso-22000-2018"),
    ("TCVN ISO/IEC 17025:2017", "TCVN ISO/IEC 17025:2017", "tcvn-iso-iec-17025-2017"),
    ("tcvn iso / iec 17025 : 2017", "TCVN ISO/IEC 17025:2017", "tcvn-iso-iec-17025-2017"),
    ("TCVN 11892-1:2017", "TCVN 11892-1:2017", "tcvn-11892-1-2017"),
    ("TCVN 7699-2-1:2007", "TCVN 7699-2-1:2007", "tcvn-7699-2-1-2007"),
    ("TCVN 1873-86", "TCVN 1873:1986", "tcvn-1873-1986"),
    ("TCVN 4377-86", "TCVN 4377:1986", "tcvn-4377-1986"),
    ("TCVN 7043-2002", "TCVN 7043:2002", "tcvn-7043-2002"),
    ("TCVN 1-2:2008", "TCVN 1-2:2008", "tcvn-1-2-2008"),
    ("QCVN 8-2:2011/BYT", "QCVN 8-2:2011/BYT", "qcvn-8-2-2011-byt"),
    ("QCVN 8-2: 2011/BYT", "QCVN 8-2:2011/BYT", "qcvn-8-2-2011-byt"),
    ("qcvn 8 - 2 : 2011 / byt", "QCVN 8-2:2011/BYT", "qcvn-8-2-2011-byt"),
    ("QCVN 01-150:2017/BNNPTNT", "QCVN 01-150:2017/BNNPTNT", "qcvn-01-150-2017-bnnptnt"),
    ("QCVN 16:2023/BXD", "QCVN 16:2023/BXD", "qcvn-16-2023-bxd"),
    ("QCVN 02:2011/BLDTBXH", "QCVN 02:2011/BLĐTBXH", "qcvn-02-2011-bldtbxh"),
    ("QCVN 25:2015/BLĐTBXH-", "QCVN 25:2015/BLĐTBXH", "qcvn-25-2015-bldtbxh"),
    ("QCĐP 01:2022/BTr", "QCĐP 01:2022/BTr", "qcdp-01-2022-btr"),
    ("QCDP 01:2022/BTr", "QCĐP 01:2022/BTr", "qcdp-01-2022-btr"),
    ("QC\u00d0P 01:2022/BTr", "QCĐP 01:2022/BTr", "qcdp-01-2022-btr"),
    ("qcđp 01:2022/btr", "QCĐP 01:2022/BTR", "qcdp-01-2022-btr"),
    ("TCCS 01:2024/ABC", "TCCS 01:2024/ABC", "tccs-01-2024-abc"),
    ("10TCN 510:2002", "10TCN 510:2002", "10tcn-510-2002"),
    ("14 TCN 12:2002", "14TCN 12:2002", "14tcn-12-2002"),
    ("TCXDVN 303:2004", "TCXDVN 303:2004", "tcxdvn-303-2004"),
    ("TCN 68-141:1999", "TCN 68-141:1999", "tcn-68-141-1999"),
    ("68/2006/QH11", "68/2006/QH11", "68-2006-qh11"),
    ("Luật số 68/2006/QH11", "68/2006/QH11", "68-2006-qh11"),
    ("43/2017/NĐ-CP", "43/2017/NĐ-CP", "43-2017-nd-cp"),
    ("43/2017/ND-CP", "43/2017/NĐ-CP", "43-2017-nd-cp"),
    ("Nghị định số 43/2017/NĐ-CP", "43/2017/NĐ-CP", "43-2017-nd-cp"),
    ("Số: 43/2017/NĐ-CP", "43/2017/NĐ-CP", "43-2017-nd-cp"),
    ("04/2023/TT-BXD", "04/2023/TT-BXD", "04-2023-tt-bxd"),
    ("4/2023/tt-bxd", "04/2023/TT-BXD", "04-2023-tt-bxd"),
    ("Thông tư 04/2023/TT-BXD", "04/2023/TT-BXD", "04-2023-tt-bxd"),
    ("04 / 2023 / TT - BXD", "04/2023/TT-BXD", "04-2023-tt-bxd"),
    ("13/2017/TT-BNNPTNT", "13/2017/TT-BNNPTNT", "13-2017-tt-bnnptnt"),
    (
        "Thông tư liên tịch 34/2014/TTLT-BYT-BNNPTNT-BCT",
        "34/2014/TTLT-BYT-BNNPTNT-BCT",
        "34-2014-ttlt-byt-bnnptnt-bct",
    ),
    ("841/QĐ-UBND", "841/QĐ-UBND", "841-qd-ubnd"),
    ("841/qd-ubnd", "841/QĐ-UBND", "841-qd-ubnd"),
    ("Quyết định 4173/QĐ-BKHCN", "4173/QĐ-BKHCN", "4173-qd-bkhcn"),
    ("2733/QĐ/BKHCN", "2733/QĐ-BKHCN", "2733-qd-bkhcn"),
    ("148/QĐ-TTg", "148/QĐ-TTg", "148-qd-ttg"),
    ("148/QD-TTG", "148/QĐ-TTg", "148-qd-ttg"),
    ("11/2008/QĐ-BTNMT", "11/2008/QĐ-BTNMT", "11-2008-qd-btnmt"),
    ("27/2002-QĐ-BNN-KHCN", "27/2002/QĐ-BNN-KHCN", "27-2002-qd-bnn-khcn"),
    ("Nghị quyết 01/2024/NQ-HDND", "01/2024/NQ-HĐND", "01-2024-nq-hdnd"),
    # slugs read back
    ("qcvn-8-2-2011-byt", "QCVN 8-2:2011/BYT", "qcvn-8-2-2011-byt"),
    ("04-2023-tt-bxd", "04/2023/TT-BXD", "04-2023-tt-bxd"),
]


@pytest.mark.parametrize(("text", "canonical", "slug"), EXAMPLES)
def test_examples(text: str, canonical: str, slug: str) -> None:
    code = parse_code(text)
    assert code.canonical() == canonical == str(code) == normalise_code(text)
    assert code.slug() == slug
    assert parse_code(canonical) == code
    assert parse_code(unicodedata.normalize("NFD", text)) == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("QCVN 8-2:2011/BYT", DocumentCode(DocType.QCVN, "QCVN", "8", "2", 2011, "BYT")),
        ("TCVN 1873-86", DocumentCode(DocType.TCVN, "TCVN", "1873", None, 1986, None)),
        ("TCVN 1873-29", DocumentCode(DocType.TCVN, "TCVN", "1873", None, 2029, None)),
        ("TCVN 1873-30", DocumentCode(DocType.TCVN, "TCVN", "1873", None, 1930, None)),
        ("TCVN ISO 22000:2018", DocumentCode(DocType.TCVN, "TCVN ISO", "22000", None, 2018, None)),
        ("QCĐP 01:2022/BTr", DocumentCode(DocType.QCDP, "QCĐP", "01", None, 2022, "BTr")),
        ("10TCN 510:2002", DocumentCode(DocType.SECTOR, "10TCN", "510", None, 2002, None)),
        ("68/2006/QH11", DocumentCode(DocType.LAW, "QH11", "68", None, 2006, "QH11")),
        ("43/2017/NĐ-CP", DocumentCode(DocType.DECREE, "NĐ-CP", "43", None, 2017, "CP")),
        ("04/2023/TT-BXD", DocumentCode(DocType.CIRCULAR, "TT-BXD", "04", None, 2023, "BXD")),
        ("841/QĐ-UBND", DocumentCode(DocType.DECISION, "QĐ-UBND", "841", None, None, "UBND")),
        ("1/2024/NQ-HĐND", DocumentCode(DocType.RESOLUTION, "NQ-HĐND", "01", None, 2024, "HĐND")),
    ],
)
def test_fields(text: str, expected: DocumentCode) -> None:
    assert parse_code(text) == expected


@pytest.mark.parametrize(
    ("text", "canonical", "adoption"),
    [
        ("TCVN 9740:2013 (ISO 11287:2011)", "TCVN 9740:2013", "ISO 11287:2011"),
        ("TCVN 1873:2014 / CODEX STAN 245-2004", "TCVN 1873:2014", "CODEX STAN 245-2004"),
        ("TCVN 10746:2015 CODEX STAN 214-1999", "TCVN 10746:2015", "CODEX STAN 214-1999"),
        ("TCVN 5603:2023 (CXC 1-1969, Revised 2020)", "TCVN 5603:2023", "CXC 1-1969, Revised 2020"),
        (
            "TCVN ISO/IEC 17025:2017 (ISO/IEC 17025:2017)",
            "TCVN ISO/IEC 17025:2017",
            "ISO/IEC 17025:2017",
        ),
    ],
)
def test_adoption_note_is_kept_but_not_identity(text: str, canonical: str, adoption: str) -> None:
    code = parse_code(text)
    assert (code.canonical(), code.adoption) == (canonical, adoption)
    assert code == parse_code(canonical)
    assert hash(code) == hash(parse_code(canonical))


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "empty"),
        ("   \u00a0", "empty"),
        ("hello", "expected e.g."),
        ("TCVN", "expected e.g."),
        ("TCVN abc", "expected e.g."),
        ("chè xanh", "expected e.g."),
        ("QCVN 8-2:20110/BYT", "year '20110'"),
        ("TCVN 5603:1899", "year '1899'"),
        ("TCVN 5603:2101", "year '2101'"),
        ("TCVN 5603:123", "year '123'"),
        ("04/1800/TT-BXD", "year '1800'"),
        ("TCVN 5603", "needs a year"),
        ("TCVN 11892-1", "needs a year"),
        ("QCVN 8-2:2011", "names its issuer"),
        ("QCĐP 01:2022", "names its issuer"),
        ("TCVN 5603:2023a", "unexpected"),
        ("TCVN 5603:2023 Amd 1:2020", "unexpected 'Amd 1:2020'"),
        ("TCVN 5603:2023 TCVN 5604:2023", "unexpected 'TCVN 5604:2023'"),
        ("TCVN 5603:2023 Quy phạm thực hành", "unexpected"),
        ("43/2017/NĐ-CP ngày 14/4/2017", "unexpected"),
        ("123456/2020/TT-BXD", "from 1 to 99999"),
        ("0/2020/TT-BXD", "from 1 to 99999"),
        ("12/2020/XX-BXD", "expected e.g."),
        ("31/12/2019", "expected e.g."),
        ("Nghị định", "expected e.g."),
    ],
)
def test_junk_raises_code_error(text: str, detail: str) -> None:
    with pytest.raises(CodeError) as raised:
        parse_code(text)
    message = str(raised.value)
    assert message.startswith(f"cannot read {text!r} as a document code: ")
    assert detail in message


def test_error_message_example() -> None:
    assert issubclass(CodeError, ValueError)
    with pytest.raises(CodeError) as raised:
        parse_code("TCVN abc")
    assert str(raised.value) == (
        "cannot read 'TCVN abc' as a document code: expected e.g. 'TCVN 5603:2023', "
        "'QCVN 8-2:2011/BYT', 'QCĐP 01:2022/BTr' or '04/2023/TT-BXD'"
    )


def test_long_junk_is_shortened_in_the_message() -> None:
    with pytest.raises(CodeError) as raised:
        parse_code("x" * 500)
    assert len(str(raised.value)) < 300


def test_doc_type_labels() -> None:
    assert [t.label_vi for t in DocType][:9] == [
        "Tiêu chuẩn quốc gia",
        "Quy chuẩn kỹ thuật quốc gia",
        "Quy chuẩn kỹ thuật địa phương",
        "Tiêu chuẩn cơ sở",
        "Tiêu chuẩn ngành",
        "Luật",
        "Nghị định",
        "Thông tư",
        "Quyết định",
    ]
    assert DocType.RESOLUTION.label_vi == "Nghị quyết"
    assert all(t.label_en for t in DocType)
    assert {t for t in DocType if not t.mandatory} == {
        DocType.TCVN,
        DocType.TCCS,
        DocType.SECTOR,
    }
    assert DocType("qcdp") is DocType.QCDP and DocType.QCDP == "qcdp"


def test_compact_distinguishes_parts_from_numbers() -> None:
    with_part = parse_code("QCVN 8-2:2011/BYT")
    without = parse_code("QCVN 82:2011/BYT")
    assert with_part.compact() == "qcvn8-22011byt"
    assert without.compact() == "qcvn822011byt"
    assert with_part.slug() != without.slug()
    assert with_part.family_key() != without.family_key()


@pytest.mark.parametrize(
    ("code", "compact"),
    [
        ("TCVN 5603:2023", "tcvn56032023"),
        ("TCVN ISO 22000:2018", "tcvniso220002018"),
        ("QCĐP 01:2022/BTr", "qcdp12022btr"),
        ("04/2023/TT-BXD", "042023tt-bxd"),
        ("841/QĐ-UBND", "841qd-ubnd"),
    ],
)
def test_compact(code: str, compact: str) -> None:
    assert parse_code(code).compact() == compact


def test_zero_padding_is_kept_in_canonical_but_not_in_compact() -> None:
    padded, plain = parse_code("QCVN 01:2009/BYT"), parse_code("QCVN 1:2009/BYT")
    assert (padded.canonical(), plain.canonical()) == ("QCVN 01:2009/BYT", "QCVN 1:2009/BYT")
    assert padded.compact() == plain.compact()
    assert padded.family_key() == plain.family_key() == "qcvn-1-byt"


def test_family_key_groups_editions() -> None:
    assert {parse_code(c).family_key() for c in ("TCVN 5603:2008", "TCVN 5603:2023")} == {
        "tcvn-5603"
    }
    editions = ("QCVN 16:2017/BXD", "QCVN 16:2019/BXD", "QCVN 16:2023/BXD")
    assert {parse_code(c).family_key() for c in editions} == {"qcvn-16-bxd"}
    assert parse_code("TCVN 1873-86").family_key() == parse_code("TCVN 1873:2014").family_key()
    assert (
        parse_code("QCVN 8-1:2011/BYT").family_key() != parse_code("QCVN 8-2:2011/BYT").family_key()
    )
    assert parse_code("TCVN ISO 22000:2018").family_key() == "tcvn-iso-22000"
    # instruments have no editions: unrelated circulars with the same number stay apart
    assert parse_code("04/2023/TT-BXD").family_key() != parse_code("04/2019/TT-BXD").family_key()


def test_find_codes_in_running_text() -> None:
    text = (
        "Căn cứ Nghị định số 43/2017/NĐ-CP ngày 14/4/2017; áp dụng theo TCVN 5603:2023 "
        "và QCVN 8-2:2011/BYT, thay thế TCVN 5603:2008; xem lại TCVN 5603:2023."
    )
    assert [c.canonical() for c in find_codes(text)] == [
        "43/2017/NĐ-CP",
        "TCVN 5603:2023",
        "QCVN 8-2:2011/BYT",
        "TCVN 5603:2008",
    ]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("", []),
        ("chè xanh Ngọc Thuý, 31/12/2019, 31-12-2019", []),
        ("4173/QĐ-BKHCN , Ngày 31-12-2019", ["4173/QĐ-BKHCN"]),
        ("QCVN 01:2009/BYT; QCVN 02:2009/BYT", ["QCVN 01:2009/BYT", "QCVN 02:2009/BYT"]),
        ("TCVN 5603/QCVN 16:2023/BXD", ["QCVN 16:2023/BXD"]),
        ("TCVN 5603:2023/QCVN 16:2023/BXD", ["TCVN 5603:2023", "QCVN 16:2023/BXD"]),
        ("(TT 45/2010/TT-BYT)", ["45/2010/TT-BYT"]),
        ("QCVN 8-2:20110/BYT và TCVN 1873-86", ["TCVN 1873:1986"]),
        ("tcvn5603-2023, TCVN 5603 : 2023", ["TCVN 5603:2023"]),
        ("TCVN 5603:2023 Amd 1:2020", ["TCVN 5603:2023"]),
        ("ISO 22000:2018 và CODEX STAN 245-2004", []),
    ],
)
def test_find_codes_examples(text: str, codes: list[str]) -> None:
    assert [c.canonical() for c in find_codes(text)] == codes


def test_find_codes_keeps_adoption_notes() -> None:
    found = find_codes("TCVN 9740:2013 (ISO 11287:2011) và TCVN 1873:2014 / CODEX STAN 245-2004")
    assert [(c.canonical(), c.adoption) for c in found] == [
        ("TCVN 9740:2013", "ISO 11287:2011"),
        ("TCVN 1873:2014", "CODEX STAN 245-2004"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TCVN 5603", PartialCode(DocType.TCVN, "TCVN", "5603")),
        ("tcvn5603", PartialCode(DocType.TCVN, "TCVN", "5603")),
        ("TCVN", PartialCode(DocType.TCVN, "TCVN")),
        ("5603:2023", PartialCode(number="5603", year=2023)),
        ("5603:20", PartialCode(number="5603")),
        ("qcvn 8-2", PartialCode(DocType.QCVN, "QCVN", "8", "2")),
        ("qcvn 4-10", PartialCode(DocType.QCVN, "QCVN", "4", "10")),
        ("QCVN 16/BXD", PartialCode(DocType.QCVN, "QCVN", "16", issuer="BXD")),
        ("QCVN 8-2:2011", PartialCode(DocType.QCVN, "QCVN", "8", "2", 2011)),
        ("11892-1", PartialCode(number="11892", part="1")),
        ("7043-2002", PartialCode(number="7043", year=2002)),
        ("43/2017", PartialCode(number="43", year=2017)),
        ("841/qd", PartialCode(DocType.DECISION, "QĐ", "841")),
        ("148/qd-ttg", PartialCode(DocType.DECISION, "QĐ-TTg", "148", issuer="TTg")),
        ("04/2023/tt-bx", PartialCode(DocType.CIRCULAR, "TT-BX", "04", year=2023, issuer="BX")),
        ("68/2006/qh", PartialCode(DocType.LAW, "QH", "68", year=2006)),
        ("nghị định 43", PartialCode(DocType.DECREE, number="43")),
        (
            "TCVN 11892-1:2017",
            PartialCode(DocType.TCVN, "TCVN", "11892", "1", 2017),
        ),
        ("chè xanh", None),
        ("Cam sành Hàm Yên", None),
        ("luật", None),
        ("", None),
        ("TCVN abc", None),
        ("TCVN 5603/BXD", None),
    ],
)
def test_parse_partial(text: str, expected: PartialCode | None) -> None:
    assert parse_partial(text) == expected


@pytest.mark.parametrize(
    ("typed", "matching", "not_matching"),
    [
        (
            "TCVN 5603",
            ["TCVN 5603:2023", "TCVN 5603:2008"],
            ["TCVN 5604:2023", "QCVN 5603:2023/BYT"],
        ),
        ("tcvn 22000", ["TCVN ISO 22000:2018"], ["TCVN 2200:2018"]),
        ("qcvn 8-2", ["QCVN 8-2:2011/BYT"], ["QCVN 8-1:2011/BYT", "QCVN 82:2011/BYT"]),
        ("QCVN 16/BXD", ["QCVN 16:2019/BXD", "QCVN 16:2023/BXD"], ["QCVN 16:2008/BTNMT"]),
        ("qcvn 1:2009/byt", ["QCVN 01:2009/BYT"], ["QCVN 01:2009/BXD"]),
        ("04/2023/tt-bx", ["04/2023/TT-BXD"], ["04/2023/TT-BYT", "04/2022/TT-BXD"]),
        ("4/2023", ["04/2023/TT-BXD"], ["04/2022/TT-BXD"]),
        ("qcdp 01:2022/btr", ["QCĐP 01:2022/BTr"], []),
    ],
)
def test_partial_matches(typed: str, matching: list[str], not_matching: list[str]) -> None:
    partial = parse_partial(typed)
    assert partial is not None
    assert all(partial.matches(parse_code(c)) for c in matching)
    assert not any(partial.matches(parse_code(c)) for c in not_matching)


# --- Property tests --------------------------------------------------------------------------

MINISTRIES = ["BYT", "BXD", "BNNPTNT", "BTNMT", "BCT", "BGTVT", "BKHCN", "BTTTT", "BLĐTBXH"]
years = st.integers(1900, 2100)
# Printed standard numbers, sometimes zero-padded ("01").
numbers = st.integers(1, 99999).map(str) | st.integers(1, 9).map(lambda n: f"0{n}")
parts = st.none() | st.lists(st.integers(1, 300).map(str), min_size=1, max_size=2).map("-".join)
# Upper-case ministry-like codes; no D or G, whose official spellings (NĐ, TTg…) differ.
ministries = st.sampled_from(MINISTRIES) | st.text("ABCEFHKLMNPQRSTVXY", min_size=2, max_size=7)
# Province and enterprise codes keep their case: "BTr", "Abc-X2".
own_issuers = st.builds(
    lambda first, rest, tail: first + rest + (f"-{tail}" if tail else ""),
    st.sampled_from("ABCHKLNQTVY"),
    st.text("ABHKNQTabhknrqt", max_size=4),
    st.text("ABKN0123", max_size=3),
)

STANDARD_PREFIXES = {
    DocType.TCVN: ["TCVN", "TCVN ISO", "TCVN ISO/IEC", "TCVN IEC", "TCVN ISO/TS"],
    DocType.QCVN: ["QCVN"],
    DocType.QCDP: ["QCĐP"],
    DocType.TCCS: ["TCCS"],
    DocType.SECTOR: ["10TCN", "14TCN", "TCN", "TCXDVN", "TCXD"],
}
ISSUERS = {
    DocType.TCVN: st.none(),
    DocType.QCVN: ministries,
    DocType.QCDP: own_issuers,
    DocType.TCCS: st.none() | own_issuers,
    DocType.SECTOR: st.none(),
}
FORMS = {
    DocType.DECREE: ("NĐ", st.just("CP")),
    DocType.CIRCULAR: ("TT", ministries),
    DocType.DECISION: ("QĐ", st.sampled_from(["UBND", "TTg", "BKHCN", "BYT"])),
    DocType.RESOLUTION: ("NQ", st.sampled_from(["HĐND", "CP", "UBTVQH14"])),
}


@st.composite
def standard_codes(draw: st.DrawFn) -> DocumentCode:
    doc_type = draw(st.sampled_from(list(STANDARD_PREFIXES)))
    return DocumentCode(
        doc_type,
        draw(st.sampled_from(STANDARD_PREFIXES[doc_type])),
        draw(numbers),
        draw(parts),
        draw(years),
        draw(ISSUERS[doc_type]),
    )


@st.composite
def instrument_codes(draw: st.DrawFn) -> DocumentCode:
    number = f"{draw(st.integers(1, 99999)):02d}"
    year = draw(st.none() | years)
    doc_type = draw(st.sampled_from([DocType.LAW, DocType.CIRCULAR, *FORMS]))
    if doc_type is DocType.LAW:
        form = f"QH{draw(st.integers(1, 15))}"
        return DocumentCode(doc_type, form, number, None, year, form)
    if doc_type is DocType.CIRCULAR and draw(st.booleans()):
        issuer = "-".join(draw(st.lists(ministries, min_size=2, max_size=3)))
        return DocumentCode(doc_type, f"TTLT-{issuer}", number, None, year, issuer)
    kind, issuers = FORMS[doc_type]
    issuer = draw(issuers)
    return DocumentCode(doc_type, f"{kind}-{issuer}", number, None, year, issuer)


codes = standard_codes() | instrument_codes()


def case_kept(code: DocumentCode) -> bool:
    """Whether lower-casing loses information: an issuer whose own case is kept ("BTr")."""
    own = code.doc_type in (DocType.QCDP, DocType.TCCS)
    return own and code.issuer is not None and code.issuer != code.issuer.upper()


@given(codes)
def test_canonical_round_trip(code: DocumentCode) -> None:
    parsed = parse_code(code.canonical())
    assert parsed == code
    assert parsed.canonical() == code.canonical()
    assert parsed.adoption is None


@given(standard_codes())
def test_round_trip_with_adoption(code: DocumentCode) -> None:
    parsed = parse_code(f"{code.canonical()} (ISO 1234-5:2001)")
    assert parsed == code
    assert parsed.adoption == "ISO 1234-5:2001"


def typed_variants(canonical: str) -> list[str]:
    """How people type or pages print a code without changing its letters' case."""
    return [
        f"\u00a0 {canonical}\u00a0",
        canonical.replace(" ", "  "),
        canonical.replace(" ", "\u00a0"),
        re.sub(r"\s*([:/])\s*", r" \1 ", canonical),
        unicodedata.normalize("NFD", canonical),
        canonical.replace("Đ", "D"),
        canonical.replace("Đ", "\u00d0"),
        canonical.replace(" ", ""),
        canonical.replace(":", "-"),
        canonical.replace("-", "\u2013"),
    ]


@given(codes)
def test_typed_variants_give_the_same_code(code: DocumentCode) -> None:
    for variant in typed_variants(code.canonical()):
        assert parse_code(variant) == code, variant


@given(codes)
def test_lower_case_and_slug_give_the_same_slug(code: DocumentCode) -> None:
    for variant in (code.canonical().lower(), code.slug()):
        parsed = parse_code(variant)
        assert parsed.slug() == code.slug(), variant
        assert parsed.compact() == code.compact(), variant
        if not case_kept(code):
            assert parsed == code, variant


def identity(code: DocumentCode) -> tuple[object, ...]:
    """What compact() keeps: everything but zero padding and issuer case."""
    return (
        code.doc_type,
        code.prefix,
        code.number.lstrip("0"),
        code.part and "-".join(p.lstrip("0") for p in code.part.split("-")),
        code.year,
        (code.issuer or "").upper(),
    )


@given(codes, codes)
def test_keys_distinguish_codes(a: DocumentCode, b: DocumentCode) -> None:
    assert (a.compact() == b.compact()) == (identity(a) == identity(b))
    assert (a.slug() == b.slug()) == (a.canonical().upper() == b.canonical().upper())
    if a.family_key() != b.family_key():
        assert a.compact() != b.compact()


@given(st.lists(codes, max_size=5))
def test_find_codes_in_generated_text(found: list[DocumentCode]) -> None:
    text = "Theo " + " và ".join(c.canonical() for c in found) + "."
    assert find_codes(text) == list(dict.fromkeys(found))


@given(codes)
def test_partial_of_a_full_code_matches_it(code: DocumentCode) -> None:
    partial = parse_partial(code.canonical())
    assert partial is not None and partial.matches(code)


CODE_LIKE = st.text(alphabet="TCVNQĐPSIOtcvnqđpso0123456789:/-–. ()\u00a0", max_size=40)


@given(st.text() | CODE_LIKE)
def test_only_code_errors_escape(text: str) -> None:
    try:
        code = parse_code(text)
    except CodeError:
        pass
    else:
        assert parse_code(code.canonical()) == code
    find_codes(text)
    parse_partial(text)
