"""A small, realistic catalog for the web tests: Tuyên Quang products (two geographical
indications, an OCOP product) and the real documents that apply to them, with their edition
chains (TCVN 1873 oranges: 1986 → 2007 → 2014; TCVN 5603: 2008 → 2023), a mandatory citation
and the 2025 merger of Hà Giang into Tuyên Quang. Facts from
the researched data in fixtures/codes/."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from catalog.codes import parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    FactReview,
    FactSource,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
    code_columns,
)
from catalog.text import fold, slugify
from catalog.vocab import (
    CodeScheme,
    LocalityKind,
    ProductKind,
    RelationKind,
    ReviewState,
    ReviewSubject,
    Role,
    Status,
    SubjectKind,
)

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


def document(code: str, title_vi: str, title_en: str | None, status: Status, start: date):
    parsed = parse_code(code)
    return Document(
        **code_columns(parsed),
        title_vi=title_vi,
        title_en=title_en,
        status=status,
        effective_from=start,
    )


def load(session: Session) -> None:
    """Write the catalog (one transaction)."""
    docs = {code: document(code, *rest) for code, *rest in DOCUMENTS}
    for _new, old, on in REPLACES:  # a superseded edition is in force until the day before
        docs[old].effective_to = on - timedelta(days=1)
    session.add_all(docs.values())
    session.flush()
    for new, old, on in REPLACES:
        session.add(
            DocumentRelation(
                source_id=docs[new].id,
                target_id=docs[old].id,
                kind=RelationKind.REPLACES,
                effective_on=on,
            )
        )
    for source, target in CITES_MANDATORY:
        session.add(
            DocumentRelation(
                source_id=docs[source].id,
                target_id=docs[target].id,
                kind=RelationKind.CITES_MANDATORY,
            )
        )

    tuyen_quang = Locality(
        slug="tinh-tuyen-quang", name_vi="Tuyên Quang", kind=LocalityKind.PROVINCE
    )
    ha_giang = Locality(slug="tinh-ha-giang", name_vi="Hà Giang", kind=LocalityKind.PROVINCE)
    session.add_all([tuyen_quang, ha_giang])
    session.flush()
    ham_yen = Locality(
        slug="huyen-ham-yen",
        name_vi="huyện Hàm Yên",
        kind=LocalityKind.DISTRICT,
        parent_id=tuyen_quang.id,
        active_to=date(2025, 6, 30),
    )
    na_hang = Locality(
        slug="huyen-na-hang",
        name_vi="huyện Na Hang",
        kind=LocalityKind.DISTRICT,
        parent_id=tuyen_quang.id,
        active_to=date(2025, 6, 30),
    )
    session.add_all([ham_yen, na_hang])
    session.flush()
    session.add(
        LocalitySuccession(
            predecessor_id=ha_giang.id, successor_id=tuyen_quang.id, effective_on=date(2025, 7, 1)
        )
    )

    def category(name_vi: str, name_en: str, parent: ProductCategory | None = None):
        row = ProductCategory(
            slug=slugify(name_vi), name_vi=name_vi, name_en=name_en, parent_id=parent and parent.id
        )
        session.add(row)
        session.flush()
        return row

    farm = category("Nông sản", "Agricultural products")
    fruit = category("Trái cây", "Fruit", farm)
    citrus = category("Cây có múi", "Citrus", fruit)
    tea = category("Chè", "Tea", farm)
    honey = category("Mật ong", "Honey", farm)

    def product(name_vi, name_en, kind, cat, place, hs, aliases=(), **fields):
        row = Product(
            slug=slugify(name_vi),
            name_vi=name_vi,
            name_en=name_en,
            kind=kind,
            category_id=cat.id,
            locality_id=place.id,
            **fields,
        )
        session.add(row)
        session.flush()
        session.add(ProductCode(product_id=row.id, scheme=CodeScheme.HS, code=hs))
        for alias in (name_vi, *aliases):
            session.add(ProductAlias(product_id=row.id, alias=alias, alias_folded=fold(alias)))
        return row

    orange = product(
        "Cam sành Hàm Yên",
        "Hàm Yên king orange",
        ProductKind.GEOGRAPHICAL_INDICATION,
        citrus,
        ham_yen,
        "080510",
        aliases=("Cam Hàm Yên",),
        geographical_indication=True,
    )
    product(
        "Chè Shan tuyết Na Hang",
        "Na Hang Shan tuyet tea",
        ProductKind.GEOGRAPHICAL_INDICATION,
        tea,
        na_hang,
        "090210",
        geographical_indication=True,
    )
    product(
        "Mật ong Hương rừng",
        "Hương rừng honey",
        ProductKind.OCOP,
        honey,
        tuyen_quang,
        "040900",
        ocop_stars=4,
        ocop_decision="321/QĐ-UBND",
        ocop_rated_on=date(2024, 8, 6),
        ocop_valid_until=date(2027, 8, 6),
    )
    session.flush()

    def rule(subject, doc_code: str, role: Role, **fields):
        kind, key = subject
        values = {"product_id": None, "category_id": None, "subject_code": None}
        if kind == SubjectKind.PRODUCT:
            values["product_id"] = key.id
            subject_key = f"product:{key.slug}"
        elif kind == SubjectKind.CATEGORY:
            values["category_id"] = key.id
            subject_key = f"category:{key.slug}"
        else:
            values["subject_code"] = key
            subject_key = f"{kind.value}:{key}"
        session.add(
            ApplicabilityRule(
                subject_kind=kind,
                subject_key=subject_key,
                document_id=docs[doc_code].id,
                role=role,
                **values,
                **fields,
            )
        )

    # The rule cites the 2007 edition: before 2014-12-30 that one answers, afterwards 2014.
    rule((SubjectKind.CATEGORY, citrus), "TCVN 1873:2007", Role.PRODUCT_STANDARD)
    rule(
        (SubjectKind.CATEGORY, farm),
        "QCVN 8-2:2011/BYT",
        Role.MANDATORY_REGULATION,
        legal_basis="68/2006/QH11",
    )
    rule((SubjectKind.CATEGORY, farm), "TCVN 5603:2008", Role.MANAGEMENT_SYSTEM)
    rule(
        (SubjectKind.CATEGORY, farm),
        "43/2017/NĐ-CP",
        Role.LABELLING,
        condition="nếu bao gói sẵn",
    )
    rule((SubjectKind.HS_PREFIX, "0805"), "TCVN 11892-1:2017", Role.GOOD_PRACTICE)
    rule((SubjectKind.PRODUCT, orange), "TCVN 11892-1:2017", Role.GOOD_PRACTICE)
    session.flush()
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
