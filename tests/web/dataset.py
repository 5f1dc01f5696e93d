"""A small, realistic catalog for the web tests: Tuyên Quang products (two geographical
indications, an OCOP product) and the real documents that apply to them, with their edition
chains (TCVN 1873 oranges: 1986 → 2007 → 2014; TCVN 5603: 2008 → 2023), a mandatory citation
and the 2025 merger of Hà Giang into Tuyên Quang. Facts from
the researched data in fixtures/codes/."""

from __future__ import annotations

from datetime import date, timedelta

from factories import CatalogBuilder
from sqlmodel import Session, select

from catalog.models import ApplicabilityRule, Document, FactReview, FactSource
from catalog.vocab import LocalityKind, ProductKind, ReviewState, ReviewSubject, Role, Status

# code, Vietnamese title, English title, status, in force from
DOCUMENTS = [
    ("TCVN 1873:1986", "Cam quả tươi xuất khẩu", None, Status.SUPERSEDED, date(1986, 1, 1)),
    ("TCVN 1873:2007", "Cam tươi", "Oranges", Status.SUPERSEDED, date(2007, 12, 31)),
    ("TCVN 1873:2014", "Cam quả tươi", "Oranges", Status.IN_FORCE, date(2014, 12, 30)),
    (
        "TCVN 5603:2008",
        "Quy phạm thực hành về những nguyên tắc chung đối với vệ sinh thực phẩm",
        None,
        Status.SUPERSEDED,
        date(2008, 12, 31),
    ),
    (
        "TCVN 5603:2023",
        "Nguyên tắc chung về vệ sinh thực phẩm",
        "General principles of food hygiene",
        Status.IN_FORCE,
        date(2023, 11, 1),
    ),
    (
        "QCVN 8-2:2011/BYT",
        "Quy chuẩn kỹ thuật quốc gia đối với giới hạn ô nhiễm kim loại nặng trong thực phẩm",
        "National technical regulation on the limits of heavy metals in food",
        Status.IN_FORCE,
        date(2012, 1, 1),
    ),
    (
        "TCVN 7087:2013",
        "Ghi nhãn thực phẩm bao gói sẵn",
        "Labelling of prepackaged foods",
        Status.IN_FORCE,
        date(2013, 12, 31),
    ),
    (
        "TCVN 11892-1:2017",
        "Thực hành nông nghiệp tốt (VietGAP) - Phần 1: Trồng trọt",
        "Good agricultural practices (VietGAP) - Part 1: Crop production",
        Status.IN_FORCE,
        date(2017, 12, 29),
    ),
    (
        "43/2017/NĐ-CP",
        "Nghị định về nhãn hàng hóa",
        "Decree on goods labelling",
        Status.IN_FORCE,
        date(2017, 6, 1),
    ),
]
REPLACES = [
    ("TCVN 1873:2007", "TCVN 1873:1986", date(2007, 12, 31)),
    ("TCVN 1873:2014", "TCVN 1873:2007", date(2014, 12, 30)),
    ("TCVN 5603:2023", "TCVN 5603:2008", date(2023, 11, 1)),
]
CITES_MANDATORY = [("43/2017/NĐ-CP", "TCVN 7087:2013")]


def load(session: Session) -> None:
    """Write the catalog (one transaction)."""
    cat = CatalogBuilder(session)
    # a superseded edition is in force until the day before its successor
    ends = {old: on - timedelta(days=1) for _new, old, on in REPLACES}
    docs = {
        code: cat.doc(
            code,
            title=title_vi,
            title_en=title_en,
            status=status,
            effective_from=start,
            effective_to=ends.get(code),
        )
        for code, title_vi, title_en, status, start in DOCUMENTS
    }
    for new, old, on in REPLACES:
        cat.replaces(docs[new], docs[old], on)
    for source, target in CITES_MANDATORY:
        cat.cites_mandatory(docs[source], docs[target])

    tuyen_quang = cat.locality("Tuyên Quang", slug="tinh-tuyen-quang")
    ha_giang = cat.locality("Hà Giang", slug="tinh-ha-giang")
    ham_yen, na_hang = (
        cat.locality(
            f"huyện {name}",
            LocalityKind.DISTRICT,
            tuyen_quang,
            slug=slug,
            active_to=date(2025, 6, 30),
        )
        for name, slug in (("Hàm Yên", "huyen-ham-yen"), ("Na Hang", "huyen-na-hang"))
    )
    cat.locality_succession(ha_giang, tuyen_quang, date(2025, 7, 1))

    farm = cat.category("Nông sản", name_en="Agricultural products")
    fruit = cat.category("Trái cây", farm, name_en="Fruit")
    citrus = cat.category("Cây có múi", fruit, name_en="Citrus")
    tea = cat.category("Chè", farm, name_en="Tea")
    honey = cat.category("Mật ong", farm, name_en="Honey")

    orange = cat.product(
        "Cam sành Hàm Yên",
        name_en="Hàm Yên king orange",
        kind=ProductKind.GEOGRAPHICAL_INDICATION,
        category=citrus,
        locality=ham_yen,
        hs=("080510",),
        aliases=("Cam sành Hàm Yên", "Cam Hàm Yên"),
        geographical_indication=True,
    )
    cat.product(
        "Chè Shan tuyết Na Hang",
        name_en="Na Hang Shan tuyet tea",
        kind=ProductKind.GEOGRAPHICAL_INDICATION,
        category=tea,
        locality=na_hang,
        hs=("090210",),
        aliases=("Chè Shan tuyết Na Hang",),
        geographical_indication=True,
    )
    cat.product(
        "Mật ong Hương rừng",
        name_en="Hương rừng honey",
        kind=ProductKind.OCOP,
        category=honey,
        locality=tuyen_quang,
        hs=("040900",),
        aliases=("Mật ong Hương rừng",),
        ocop_stars=4,
        ocop_decision="321/QĐ-UBND",
        ocop_rated_on=date(2024, 8, 6),
        ocop_valid_until=date(2027, 8, 6),
    )

    # The rule cites the 2007 edition: before 2014-12-30 that one answers, afterwards 2014.
    cat.rule(citrus, docs["TCVN 1873:2007"], Role.PRODUCT_STANDARD)
    cat.rule(farm, docs["QCVN 8-2:2011/BYT"], Role.MANDATORY_REGULATION, legal_basis="68/2006/QH11")
    cat.rule(farm, docs["TCVN 5603:2008"], Role.MANAGEMENT_SYSTEM)
    cat.rule(farm, docs["43/2017/NĐ-CP"], Role.LABELLING, condition="nếu bao gói sẵn")
    cat.rule("hs:0805", docs["TCVN 11892-1:2017"], Role.GOOD_PRACTICE)
    cat.rule(orange, docs["TCVN 11892-1:2017"], Role.GOOD_PRACTICE)
    _reviews(session, docs)
    session.commit()


# Reviews with sources from fixtures/dataset/provenance.csv: the heavy-metals regulation on
# farm produce verified; the labelling decree's rule left unverified (the reported 2026
# replacement is not confirmed).
LEGAL_CODE = "Bộ Pháp điển, đề mục 45.1 An toàn thực phẩm (bản chụp Hieu1607/AI_legal_assistant)"


def _reviews(session: Session, docs: dict[str, Document]) -> None:
    by_document = {
        r.document_id: r
        for r in session.exec(
            select(ApplicabilityRule).where(ApplicabilityRule.subject_key == "category:nong-san")
        )
    }
    verified = by_document[docs["QCVN 8-2:2011/BYT"].id]
    labelling = by_document[docs["43/2017/NĐ-CP"].id]
    reviewer, on = "tieuchuan research (2026-12)", date(2026, 12, 7)
    session.add_all(
        [
            FactReview(
                subject=ReviewSubject.RULE,
                rule_id=verified.id,
                state=ReviewState.VERIFIED,
                reviewed_by=reviewer,
                reviewed_on=on,
                confirmed_on=date(2025, 6, 18),
            ),
            FactSource(
                subject=ReviewSubject.RULE,
                rule_id=verified.id,
                title=LEGAL_CODE,
                url="http://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=26964#Dieu_1",
                locator="Thông tư 02/2011/TT-BYT, Điều 1",
                retrieved_on=date(2025, 6, 18),
                note="Ban hành QCVN 8-2:2011/BYT (kim loại nặng); hiệu lực 01/08/2011",
                added_by=reviewer,
                added_on=on,
            ),
            FactReview(
                subject=ReviewSubject.RULE,
                rule_id=labelling.id,
                state=ReviewState.UNVERIFIED,
                reviewed_by=reviewer,
                reviewed_on=on,
            ),
            FactSource(
                subject=ReviewSubject.RULE,
                rule_id=labelling.id,
                title="Nhắc tới 37/2026/NĐ-CP trong các kho mã công khai",
                locator='find_string "37/2026/NĐ-CP"',
                retrieved_on=on,
                note="Các nguồn không thống nhất về việc 37/2026/NĐ-CP thay 43/2017; "
                "không có văn bản gốc",
                added_by=reviewer,
                added_on=on,
            ),
        ]
    )
