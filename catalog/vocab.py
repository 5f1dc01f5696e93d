"""Controlled vocabularies of the catalog, with their Vietnamese and English labels.

Values are stable ASCII identifiers stored in the database; labels are for people.
"""

from __future__ import annotations

from enum import StrEnum

from catalog.text import fold


class Labelled(StrEnum):
    """A StrEnum whose members carry (Vietnamese, English) labels in ``_labels``."""

    @property
    def label_vi(self) -> str:
        return type(self)._labels()[self][0]

    @property
    def label_en(self) -> str:
        return type(self)._labels()[self][1]

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError


class Status(Labelled):
    """Where a document stands on a given day (see docs/domain.md §2)."""

    IN_FORCE = "in_force"
    NOT_YET_IN_FORCE = "not_yet_in_force"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    DRAFT = "draft"
    UNKNOWN = "unknown"

    @classmethod
    def _labels(cls) -> dict:
        return _STATUS_LABELS

    @classmethod
    def from_text(cls, text: str) -> Status:
        """Read a status as portals print it: ``A - Còn hiệu lực (Active)``, ``Bị thay thế``…

        Raises ``ValueError`` naming the text when no known status matches.
        """
        folded = fold(text).strip()
        for prefix, status in _STATUS_WORDS:
            if folded.startswith(prefix):
                return status
        raise ValueError(
            f"unknown status {text!r}: expected e.g. 'Còn hiệu lực', 'Hết hiệu lực', "
            "'Bị thay thế', 'Hủy bỏ', 'Chưa có hiệu lực' or a catalogue letter 'A'/'W'"
        )


_STATUS_LABELS = {
    Status.IN_FORCE: ("Còn hiệu lực", "In force"),
    Status.NOT_YET_IN_FORCE: ("Chưa có hiệu lực", "Not yet in force"),
    Status.SUPERSEDED: ("Bị thay thế", "Superseded"),
    Status.WITHDRAWN: ("Hết hiệu lực", "Withdrawn"),
    Status.DRAFT: ("Dự thảo", "Draft"),
    Status.UNKNOWN: ("Không xác định", "Unknown"),
}

# Folded prefixes, most specific first ("chua co hieu luc" before "co hieu luc").
_STATUS_WORDS: list[tuple[str, Status]] = [
    ("a - ", Status.IN_FORCE),
    ("w - ", Status.WITHDRAWN),
    ("chua co hieu luc", Status.NOT_YET_IN_FORCE),
    ("not yet", Status.NOT_YET_IN_FORCE),
    ("con hieu luc", Status.IN_FORCE),
    ("co hieu luc", Status.IN_FORCE),
    ("dang co hieu luc", Status.IN_FORCE),
    ("active", Status.IN_FORCE),
    ("in force", Status.IN_FORCE),
    ("bi thay the", Status.SUPERSEDED),
    ("da bi thay the", Status.SUPERSEDED),
    ("superseded", Status.SUPERSEDED),
    ("replaced", Status.SUPERSEDED),
    ("het hieu luc", Status.WITHDRAWN),
    ("huy bo", Status.WITHDRAWN),
    ("bi huy bo", Status.WITHDRAWN),
    ("withdraw", Status.WITHDRAWN),
    ("du thao", Status.DRAFT),
    ("draft", Status.DRAFT),
    ("khong xac dinh", Status.UNKNOWN),
    ("unknown", Status.UNKNOWN),
]
_STATUS_WORDS += [
    (letter, status) for letter, status in (("a", Status.IN_FORCE), ("w", Status.WITHDRAWN))
]


class RelationKind(Labelled):
    """How one document (the source) points at another (the target)."""

    REPLACES = "replaces"  # source is the newer edition that replaces target
    AMENDS = "amends"  # source amends target, which stays in force
    CITES = "cites"  # source refers to target (normative reference)
    CITES_MANDATORY = "cites_mandatory"  # source, binding itself, makes target binding

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.REPLACES: ("Thay thế", "Replaces"),
            cls.AMENDS: ("Sửa đổi", "Amends"),
            cls.CITES: ("Viện dẫn", "Cites"),
            cls.CITES_MANDATORY: ("Viện dẫn bắt buộc", "Makes mandatory"),
        }


class Role(Labelled):
    """Why a document matters for a product; the order is the order of a checklist."""

    MANDATORY_REGULATION = "mandatory_regulation"
    CONFORMITY_DECLARATION = "conformity_declaration"
    PRODUCT_STANDARD = "product_standard"
    TEST_METHOD = "test_method"
    LABELLING = "labelling"
    GOOD_PRACTICE = "good_practice"
    ORGANIC = "organic"
    TRACEABILITY = "traceability"
    MANAGEMENT_SYSTEM = "management_system"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.MANDATORY_REGULATION: ("Quy chuẩn bắt buộc", "Mandatory regulation"),
            cls.CONFORMITY_DECLARATION: ("Công bố hợp chuẩn/hợp quy", "Conformity declaration"),
            cls.PRODUCT_STANDARD: ("Tiêu chuẩn sản phẩm", "Product standard"),
            cls.TEST_METHOD: ("Phương pháp thử", "Test method"),
            cls.LABELLING: ("Ghi nhãn", "Labelling"),
            cls.GOOD_PRACTICE: ("Thực hành tốt", "Good practice"),
            cls.ORGANIC: ("Hữu cơ", "Organic"),
            cls.TRACEABILITY: ("Truy xuất nguồn gốc", "Traceability"),
            cls.MANAGEMENT_SYSTEM: ("Hệ thống quản lý", "Management system"),
        }


class SubjectKind(Labelled):
    """What an applicability rule is about."""

    PRODUCT = "product"
    CATEGORY = "category"
    HS_PREFIX = "hs_prefix"
    ICS = "ics"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PRODUCT: ("Sản phẩm", "Product"),
            cls.CATEGORY: ("Nhóm sản phẩm", "Product category"),
            cls.HS_PREFIX: ("Mã HS", "HS code"),
            cls.ICS: ("Mã ICS", "ICS field"),
        }


class ProductKind(Labelled):
    """Why the province lists a product."""

    KEY = "key"
    SPECIALTY = "specialty"
    GEOGRAPHICAL_INDICATION = "geographical_indication"
    OCOP = "ocop"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.KEY: ("Sản phẩm chủ lực", "Key product"),
            cls.SPECIALTY: ("Đặc sản", "Specialty"),
            cls.GEOGRAPHICAL_INDICATION: ("Chỉ dẫn địa lý", "Geographical indication"),
            cls.OCOP: ("Sản phẩm OCOP", "OCOP product"),
        }


class CodeScheme(Labelled):
    """Classification schemes a product can carry codes from."""

    HS = "hs"
    ICS = "ics"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.HS: ("Mã HS", "HS code"), cls.ICS: ("Mã ICS", "ICS field")}


class IssuerKind(Labelled):
    ASSEMBLY = "assembly"
    GOVERNMENT = "government"
    MINISTRY = "ministry"
    PROVINCE = "province"
    ENTERPRISE = "enterprise"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ASSEMBLY: ("Quốc hội", "National Assembly"),
            cls.GOVERNMENT: ("Chính phủ", "Government"),
            cls.MINISTRY: ("Bộ, ngành", "Ministry"),
            cls.PROVINCE: ("Ủy ban nhân dân tỉnh", "Provincial People's Committee"),
            cls.ENTERPRISE: ("Doanh nghiệp, tổ chức", "Enterprise or organisation"),
            cls.OTHER: ("Khác", "Other"),
        }


class LocalityKind(Labelled):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PROVINCE: ("Tỉnh, thành phố", "Province"),
            cls.DISTRICT: ("Huyện, thị xã, thành phố thuộc tỉnh", "District"),
            cls.COMMUNE: ("Xã, phường, thị trấn", "Commune"),
        }


class Equivalence(Labelled):
    """Degree of correspondence with an international standard."""

    IDT = "IDT"
    MOD = "MOD"
    NEQ = "NEQ"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.IDT: ("Tương đương hoàn toàn", "Identical"),
            cls.MOD: ("Tương đương có sửa đổi", "Modified"),
            cls.NEQ: ("Không tương đương", "Not equivalent"),
        }


class ReviewState(Labelled):
    """Whether a rule or a document's facts were checked against a source (issue 13).

    ``verified``: the facts follow from a source a reviewer read; ``unverified``: not (yet)
    confirmed, which is also the state of anything never reviewed; ``disputed``: a reviewer
    has a reasoned doubt that it holds.
    """

    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    DISPUTED = "disputed"

    @classmethod
    def _labels(cls) -> dict:
        return _REVIEW_LABELS


_REVIEW_LABELS = {
    ReviewState.VERIFIED: ("Đã kiểm chứng", "Verified"),
    ReviewState.UNVERIFIED: ("Chưa kiểm chứng", "Unverified"),
    ReviewState.DISPUTED: ("Có tranh chấp", "Disputed"),
}


class ReviewSubject(Labelled):
    """What a review or a source is about: a rule, or a document's status, dates and succession."""

    RULE = "rule"
    DOCUMENT = "document"

    @classmethod
    def _labels(cls) -> dict:
        return _REVIEW_SUBJECT_LABELS


_REVIEW_SUBJECT_LABELS = {
    ReviewSubject.RULE: ("Quy tắc áp dụng", "Applicability rule"),
    ReviewSubject.DOCUMENT: ("Tình trạng văn bản", "Document status"),
}


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABORTED = "aborted"  # its process was found gone (killed) while the run was "running"


class ApiRole(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


class DeclarationKind(Labelled):
    """What an enterprise declared or was certified for (docs/domain.md §1, conformity)."""

    CONFORMITY_STANDARD = "conformity_standard"
    CONFORMITY_REGULATION = "conformity_regulation"
    SELF_DECLARATION = "self_declaration"
    CERTIFICATION = "certification"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.CONFORMITY_STANDARD: (
                "Công bố hợp chuẩn",
                "Declaration of conformity to a standard",
            ),
            cls.CONFORMITY_REGULATION: (
                "Công bố hợp quy",
                "Declaration of conformity to a regulation",
            ),
            cls.SELF_DECLARATION: ("Tự công bố sản phẩm", "Food product self-declaration"),
            cls.CERTIFICATION: (
                "Chứng nhận hệ thống, thực hành",
                "Certification of a system or practice",
            ),
        }


class Scheme(Labelled):
    """Management systems and schemes the plan supports enterprises to apply."""

    ISO_9001 = "iso_9001"
    ISO_22000 = "iso_22000"
    HACCP = "haccp"
    VIETGAP = "vietgap"
    ORGANIC = "organic"
    TRACEABILITY = "traceability"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ISO_9001: ("ISO 9001", "ISO 9001 quality management"),
            cls.ISO_22000: ("ISO 22000", "ISO 22000 food safety management"),
            cls.HACCP: ("HACCP", "HACCP"),
            cls.VIETGAP: ("VietGAP", "VietGAP good agricultural practice"),
            cls.ORGANIC: ("Hữu cơ", "Organic"),
            cls.TRACEABILITY: ("Truy xuất nguồn gốc", "Traceability"),
        }


class NotificationAction(Labelled):
    """What an addendum or corrigendum to a WTO notification does (the form's tick boxes)."""

    ADOPTED = "adopted"  # adoption, publication or entry into force of the regulation
    DATES_CHANGED = "dates_changed"  # change in proposed date of adoption or entry into force
    COMMENT_PERIOD = "comment_period"  # modification of the final date for comments
    CONTENT = "content"  # modification of content and/or scope of the draft
    WITHDRAWN = "withdrawn"  # withdrawal of the proposed regulation
    CORRECTION = "correction"  # a corrigendum
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.ADOPTED: ("Thông qua, ban hành hoặc có hiệu lực", "Adopted, published or in force"),
            cls.DATES_CHANGED: ("Thay đổi ngày dự kiến", "Change in proposed dates"),
            cls.COMMENT_PERIOD: ("Thay đổi hạn góp ý", "Final date for comments changed"),
            cls.CONTENT: ("Sửa đổi nội dung, phạm vi", "Content or scope modified"),
            cls.WITHDRAWN: ("Rút dự thảo", "Proposed regulation withdrawn"),
            cls.CORRECTION: ("Đính chính", "Corrigendum"),
            cls.OTHER: ("Khác", "Other"),
        }
