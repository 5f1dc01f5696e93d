"""Controlled vocabularies of the plan's records (values stored; labels shown)."""

from __future__ import annotations

from catalog.vocab import Labelled


class ParticipantKind(Labelled):
    """Where a participant works; the training target counts the first four (plan II.2)."""

    AGENCY = "agency"
    LOCAL_GOVERNMENT = "local_government"
    ORGANISATION = "organisation"
    ENTERPRISE = "enterprise"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.AGENCY: ("Sở, ngành", "Provincial department or agency"),
            cls.LOCAL_GOVERNMENT: ("UBND huyện, thành phố, xã", "District, city or commune"),
            cls.ORGANISATION: ("Tổ chức", "Organisation"),
            cls.ENTERPRISE: ("Doanh nghiệp", "Enterprise"),
            cls.OTHER: ("Khác (cá nhân, hộ sản xuất)", "Other (individual, household)"),
        }


COUNTED_PARTICIPANTS = (
    ParticipantKind.AGENCY,
    ParticipantKind.LOCAL_GOVERNMENT,
    ParticipantKind.ORGANISATION,
    ParticipantKind.ENTERPRISE,
)


class SupportKind(Labelled):
    """The solutions the plan names (II.2, third numeric target)."""

    STANDARDS = "standards"
    REGULATIONS = "regulations"
    TRACEABILITY = "traceability"
    MANAGEMENT_SYSTEM = "management_system"
    IMPROVEMENT_TOOLS = "improvement_tools"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.STANDARDS: ("Tiêu chuẩn", "Standards"),
            cls.REGULATIONS: ("Quy chuẩn kỹ thuật", "Technical regulations"),
            cls.TRACEABILITY: ("Truy xuất nguồn gốc", "Traceability"),
            cls.MANAGEMENT_SYSTEM: ("Hệ thống quản lý", "Management system"),
            cls.IMPROVEMENT_TOOLS: ("Công cụ cải tiến", "Improvement tools"),
        }


class FundingSource(Labelled):
    """The plan's funding sources (section IV.1)."""

    SCIENCE_BUDGET = "science_budget"
    INTEGRATED = "integrated"
    ENTERPRISE = "enterprise"
    OTHER = "other"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SCIENCE_BUDGET: ("Sự nghiệp khoa học và công nghệ tỉnh", "Provincial S&T budget"),
            cls.INTEGRATED: (
                "Lồng ghép chương trình, dự án, đề án",
                "Integrated from other programmes",
            ),
            cls.ENTERPRISE: ("Doanh nghiệp, tổ chức, cá nhân", "Enterprise or private"),
            cls.OTHER: ("Nguồn hợp pháp khác", "Other lawful source"),
        }


class OutreachTopic(Labelled):
    """The topics of the awareness target (II.2, fourth numeric target)."""

    TRACEABILITY = "traceability"
    BARCODES = "barcodes"
    LABELLING = "labelling"
    DECLARED_STANDARDS = "declared_standards"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.TRACEABILITY: ("Truy xuất nguồn gốc", "Traceability"),
            cls.BARCODES: ("Mã số mã vạch", "Barcodes"),
            cls.LABELLING: ("Ghi nhãn hàng hoá", "Labelling"),
            cls.DECLARED_STANDARDS: ("Công bố tiêu chuẩn chất lượng", "Declared standards"),
        }


class AwardStage(Labelled):
    """How far an enterprise went in the National Quality Award; from ``REGISTERED`` on it
    took part (the target counts enterprises guided and supported to take part)."""

    GUIDED = "guided"
    REGISTERED = "registered"
    PROVINCIAL_REVIEW = "provincial_review"
    NATIONAL_REVIEW = "national_review"
    DECIDED = "decided"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.GUIDED: ("Được hướng dẫn", "Guided"),
            cls.REGISTERED: ("Nộp hồ sơ tham dự", "Entry submitted"),
            cls.PROVINCIAL_REVIEW: ("Hội đồng sơ tuyển cấp tỉnh", "Provincial review"),
            cls.NATIONAL_REVIEW: ("Hội đồng quốc gia", "National review"),
            cls.DECIDED: ("Có kết quả", "Result announced"),
        }


TOOK_PART = (
    AwardStage.REGISTERED,
    AwardStage.PROVINCIAL_REVIEW,
    AwardStage.NATIONAL_REVIEW,
    AwardStage.DECIDED,
)
