"""The plan's records: written through the API (editor, audited) and imported from the
spreadsheets an office keeps, good rows kept and hostile rows rejected with where and why."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from factories import CatalogBuilder
from litestar.testing import TestClient
from sqlmodel import select

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from catalog.models import AuditLog, FieldChange, IngestReject, IngestRun
from catalog.plan.models import (
    EnterpriseSupport,
    OcopTrademark,
    Outreach,
    PortalMilestone,
    ProducerRegister,
    QualityAwardEntry,
    TrainedExpert,
    TrainingAttendance,
    TrainingCourse,
)
from catalog.vocab import ApiRole, ProductKind
from ingest.plan_import import import_plan_sheet


@pytest.fixture
def client(session, engine):
    settings = ApiSettings(database_url=str(engine.url), rate_limit_per_minute=None)
    with TestClient(create_app(settings, engine=engine)) as client:
        client.keys = {r.value: issue_key(session, f"t {r}", r).key for r in ApiRole}
        yield client


def post(client, kind, body, role="editor"):
    headers = {"X-API-Key": client.keys[role]} if role else {}
    return client.post(f"/api/v1/plan/records/{kind}", json=body, headers=headers)


COURSE = {
    "held_on": "2026-03-10",
    "topic": "Tập huấn mã số mã vạch",
    "organiser": "Sở Khoa học và Công nghệ",
    "place": "Tuyên Quang",
    "participants": [
        {"person": "Nguyễn Văn A", "organisation": "Sở Công Thương", "kind": "agency"},
        {"person": "Trần Thị B", "organisation": "HTX Chè Tân Trào", "kind": "enterprise"},
    ],
}


def test_editors_write_records_and_every_write_is_audited(client, session):
    assert post(client, "training", COURSE, role=None).status_code == 401
    assert post(client, "training", COURSE, role="reader").status_code == 403
    saved = post(client, "training", COURSE)
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body["outcome"] == "new"
    assert body["record"]["from_agencies"] == 1 and body["record"]["from_enterprises"] == 1
    assert {p["person"] for p in body["record"]["participants"]} == {"Nguyễn Văn A", "Trần Thị B"}
    # the same course again changes nothing; a third participant is recorded as a change
    assert post(client, "training", COURSE).json()["outcome"] == "unchanged"
    bigger = {
        **COURSE,
        "participants": [
            *COURSE["participants"],
            {"person": "Lê C", "organisation": "UBND xã Tân Trào", "kind": "local_government"},
        ],
    }
    assert post(client, "training", bigger).json()["outcome"] == "updated"
    changes = session.exec(select(FieldChange).where(FieldChange.table_name == "plan_training"))
    assert {c.field for c in changes} >= {"participants", "from_local_government"}
    course_id = body["record"]["id"]
    gone = client.delete(
        f"/api/v1/plan/records/training/{course_id}", headers={"X-API-Key": client.keys["editor"]}
    )
    assert gone.status_code == 204
    assert session.exec(select(TrainingAttendance)).all() == []
    actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions == ["new", "unchanged", "updated", "delete"]
    missing = client.delete(
        f"/api/v1/plan/records/training/{course_id}", headers={"X-API-Key": client.keys["editor"]}
    )
    assert missing.status_code == 404


def test_bad_records_are_refused_with_the_field_and_why(client, session):
    counts_disagree = {**COURSE, "counts": {"agency": 5}}
    answer = post(client, "training", counts_disagree)
    assert answer.status_code == 400
    assert "5 given, but the list names 1" in answer.json()["detail"]
    twice = {**COURSE, "participants": [COURSE["participants"][0]] * 2}
    assert "listed twice" in post(client, "training", twice).json()["detail"]
    CatalogBuilder(session).product("Cam sành Hàm Yên")
    session.commit()
    not_ocop = {"product": "Cam sành Hàm Yên", "mark": "Cam Hàm Yên", "filed_on": "2025-01-02"}
    assert "not an OCOP product" in post(client, "trademarks", not_ocop).json()["detail"]
    unknown = {**not_ocop, "product": "Không có"}
    assert post(client, "trademarks", unknown).status_code == 400
    no_topics = {"held_on": "2026-01-01", "title": "Hội nghị", "organiser": "Sở", "topics": []}
    assert post(client, "outreach", no_topics).status_code == 400
    assert (
        post(client, "register", {"as_of": "2026-01-01", "producers": 0, "source": "x"}).status_code
        == 400
    )
    assert session.exec(select(TrainingCourse)).all() == []


def test_every_kind_through_the_api(client, session):
    CatalogBuilder(session).product("Chè Shan tuyết", kind=ProductKind.OCOP, ocop_stars=4)
    session.commit()
    bodies = {
        "experts": {
            "person": "Phạm D",
            "organisation": "Sở KH&CN",
            "kind": "agency",
            "course": "Chuyên gia năng suất",
            "certified_on": "2025-06-01",
            "certificate": "CG-01",
        },
        "support": {
            "enterprise": "Công ty Chè Mỹ Lâm",
            "kind": "management_system",
            "given_on": "2025-05-01",
            "funding": "science_budget",
            "description": "Áp dụng ISO 22000",
            "tax_code": "5000123456",
        },
        "register": {"as_of": "2025-01-01", "producers": 1200, "source": "Sở NN&PTNT"},
        "outreach": {
            "held_on": "2025-04-01",
            "title": "Hội nghị ghi nhãn",
            "organiser": "Chi cục TĐC",
            "topics": ["labelling", "barcodes"],
            "producers_reached": 80,
        },
        "award": {
            "enterprise": "Công ty Chè Mỹ Lâm",
            "year": 2025,
            "stage": "registered",
            "stage_on": "2025-07-01",
        },
        "trademarks": {
            "product": "Chè Shan tuyết",
            "mark": "Chè Shan tuyết Na Hang",
            "filed_on": "2024-02-01",
            "application_number": "4-2024-01234",
        },
        "milestones": {"title": "Phê duyệt đề cương cổng thông tin", "done_on": "2025-03-01"},
    }
    for kind, body in bodies.items():
        answer = post(client, kind, body)
        assert answer.status_code == 201, (kind, answer.text)
        listed = client.get("/api/v1/plan/records", params={"kind": kind}).json()
        assert listed["count"] == 1, kind
    for model in (
        TrainedExpert,
        EnterpriseSupport,
        ProducerRegister,
        Outreach,
        QualityAwardEntry,
        OcopTrademark,
        PortalMilestone,
    ):
        assert len(session.exec(select(model)).all()) == 1


# --- spreadsheets ---------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def rejects(session, run_id: int) -> dict[str, str]:
    found = session.exec(select(IngestReject).where(IngestReject.run_id == run_id))
    return {r.location.rsplit(":", 1)[1]: r.reason for r in found}


SHEETS = {
    "training": (
        [
            "Ngày",
            "Nội dung",
            "Đơn vị tổ chức",
            "Địa điểm",
            "Sở, ngành",
            "UBND huyện, thành phố",
            "Tổ chức",
            "Doanh nghiệp",
            "Khác",
        ],
        [
            [
                "10/03/2026",
                "Tập huấn truy xuất nguồn gốc",
                "Sở KH&CN",
                "Tuyên Quang",
                "5",
                "10",
                "3",
                "40",
                "2",
            ],
            ["12/04/2026", "Năng suất xanh", "Sở KH&CN", "Hà Giang", "", "", "", "25", ""],
        ],
        [
            ["năm ngoái", "Lớp X", "Sở KH&CN", "", "1", "", "", "", ""],  # no date
            ["01/05/2026", "", "Sở KH&CN", "", "1", "", "", "", ""],  # no topic
            ["02/05/2026", "Lớp Y", "Sở KH&CN", "", "-3", "", "", "", ""],  # negative
            ["03/05/2026", "Lớp Z", "Sở KH&CN", "", "", "", "", "", ""],  # no counts
            ["10/03/2026", "Tập huấn truy xuất nguồn gốc", "Sở KH&CN", "", "1", "", "", "", ""],
            ["04/05/2026", '=HYPERLINK("http://x")' + "x" * 1100, "Sở", "", "1", "", "", "", ""],
            ["05/05/2026", "Lớp W", "Sở KH&CN", "", "99999999999", "", "", "", ""],
        ],
    ),
    "experts": (
        ["Họ và tên", "Đơn vị công tác", "Loại đơn vị", "Khóa đào tạo", "Số chứng chỉ", "Ngày cấp"],
        [["Phạm Văn D", "Sở KH&CN", "Sở, ngành", "Chuyên gia năng suất", "CG-001", "01/06/2025"]],
        [
            ["Hoàng E", "Công ty F", "Ngân hàng", "Chuyên gia", "CG-002", "01/06/2025"],
            ["Hoàng E", "Công ty F", "Doanh nghiệp", "Chuyên gia", "CG-003", "31/02/2025"],
            ["Phạm Văn D", "Sở KH&CN", "Sở, ngành", "Chuyên gia năng suất", "CG-001", "01/06/2025"],
        ],
    ),
    "support": (
        [
            "Doanh nghiệp",
            "Mã số thuế",
            "Loại hỗ trợ",
            "Nội dung hỗ trợ",
            "Ngày",
            "Nguồn kinh phí",
            "Kinh phí (đồng)",
        ],
        [
            [
                "Công ty Chè Mỹ Lâm",
                "5000123456",
                "Hệ thống quản lý",
                "ISO 22000",
                "01/05/2025",
                "Sự nghiệp khoa học và công nghệ tỉnh",
                "50000000",
            ],
            [
                "Công ty Chè Mỹ Lâm",
                "5000123456",
                "Truy xuất nguồn gốc",
                "Tem truy xuất",
                "01/08/2025",
                "Lồng ghép",
                "",
            ],
        ],
        [
            ["Công ty G", "ABC", "Tiêu chuẩn", "TCCS", "01/05/2025", "Khác", ""],
            ["Công ty G", "", "Quảng cáo", "TCCS", "01/05/2025", "Khác", ""],
            ["Công ty G", "", "Tiêu chuẩn", "TCCS", "01/05/2025", "Ngân hàng thế giới", ""],
            ["Công ty G", "", "Tiêu chuẩn", "TCCS", "01/05/2025", "Khác", "mười triệu"],
            ["Công ty G", "", "Tiêu chuẩn", "TCCS", "01/05/2025", "Khác", "9" * 25],
        ],
    ),
    "register": (
        ["Ngày", "Số tổ chức, cá nhân", "Nguồn số liệu"],
        [["01/01/2025", "1200", "Sở NN&PTNT, danh sách cơ sở SXKD nông lâm thủy sản"]],
        [["01/01/2026", "0", "Sở NN&PTNT"], ["01/01/2026", "900", ""]],
    ),
    "outreach": (
        [
            "Ngày",
            "Hoạt động",
            "Đơn vị thực hiện",
            "Hình thức",
            "Nội dung",
            "Số tổ chức, cá nhân được tiếp cận",
        ],
        [
            [
                "01/04/2025",
                "Hội nghị ghi nhãn",
                "Chi cục TĐC",
                "Hội nghị",
                "Ghi nhãn hàng hoá; Mã số mã vạch",
                "80",
            ]
        ],
        [
            ["02/04/2025", "Hội nghị X", "Chi cục TĐC", "", "Thời tiết", "10"],
            ["03/04/2025", "Hội nghị Y", "Chi cục TĐC", "", "Truy xuất nguồn gốc", ""],
        ],
    ),
    "award": (
        ["Doanh nghiệp", "Năm", "Giai đoạn", "Ngày", "Kết quả"],
        [["Công ty Chè Mỹ Lâm", "2025", "Nộp hồ sơ", "01/07/2025", ""]],
        [
            ["Công ty H", "1890", "Nộp hồ sơ", "01/07/2025", ""],
            ["Công ty H", "2025", "Nộp hồ sơ", "01/07/2019", ""],
            ["Công ty H", "2025", "Vô địch", "01/07/2025", ""],
        ],
    ),
    "trademarks": (
        ["Sản phẩm", "Nhãn hiệu", "Số đơn", "Ngày nộp đơn", "Số văn bằng", "Ngày cấp"],
        [
            [
                "Chè Shan tuyết",
                "Chè Shan tuyết Na Hang",
                "4-2024-01234",
                "01/02/2024",
                "VB-1",
                "01/02/2025",
            ]
        ],
        [
            ["Sản phẩm lạ", "Nhãn X", "4-2024-9", "01/02/2024", "", ""],
            ["Chè Shan tuyết", "Nhãn Y", "4-2024-10", "01/02/2024", "VB-2", "01/01/2023"],
            ["Chè Shan tuyết", "Nhãn Z", "4-2024-11", "01/02/2024", "", "01/03/2024"],
        ],
    ),
    "milestones": (
        ["Nội dung", "Thời hạn", "Ngày hoàn thành", "Minh chứng"],
        [["Phê duyệt đề cương cổng thông tin", "30/06/2025", "01/03/2025", "QĐ (mẫu)"]],
        [["", "30/06/2025", "", ""], ["Vận hành thử", "không rõ", "", ""]],
    ),
}


@pytest.mark.parametrize("kind", sorted(SHEETS))
def test_each_sheet_keeps_good_rows_and_rejects_hostile_ones(kind, engine, session, tmp_path):
    CatalogBuilder(session).product("Chè Shan tuyết", kind=ProductKind.OCOP, ocop_stars=4)
    session.commit()
    headers, good, bad = SHEETS[kind]
    path = write_csv(tmp_path / f"{kind}.csv", [headers, *good, *bad])
    summary = import_plan_sheet(engine, kind, path)
    assert (summary.new, summary.rejected) == (len(good), len(bad)), rejects(
        session, summary.run_id
    )
    found = rejects(session, summary.run_id)
    assert sorted(found, key=int) == [
        str(n) for n in range(len(good) + 2, len(good) + 2 + len(bad))
    ]
    assert all(reason for reason in found.values())
    again = import_plan_sheet(engine, kind, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, len(good))


def test_rejects_name_the_column_and_the_value(engine, session, tmp_path):
    headers, good, bad = SHEETS["training"]
    path = write_csv(tmp_path / "dao-tao.csv", [headers, *good, *bad])
    found = rejects(session, import_plan_sheet(engine, "training", path).run_id)
    assert found["4"] == "Ngày: expected a date like 31/12/2019, got 'năm ngoái'"
    assert found["5"] == "Nội dung: the value is missing"
    assert found["6"].startswith("Số người (Sở, ngành): expected a whole number, got '-3'")
    assert found["7"] == "Sở ngành… Khác: no participant count is given"
    assert found["8"] == "duplicate of row 2"
    assert "more than the 1000" in found["9"]
    assert (
        found["10"] == "participants (Sở, ngành): 99999999999 is more than the 10000000 it may be"
    )
    course = session.exec(select(TrainingCourse).where(TrainingCourse.held_on.is_not(None))).first()
    assert course.from_agencies == 5  # the duplicate row changed nothing


def test_participant_lists_attach_to_recorded_courses(engine, session, tmp_path):
    headers, good, _ = SHEETS["training"]
    import_plan_sheet(engine, "training", write_csv(tmp_path / "c.csv", [headers, *good]))
    people = write_csv(
        tmp_path / "hv.csv",
        [
            ["Ngày lớp", "Chủ đề lớp", "Họ và tên", "Đơn vị công tác", "Loại đơn vị"],
            [
                "10/03/2026",
                "Tập huấn truy xuất nguồn gốc",
                "Nguyễn Văn A",
                "Sở Công Thương",
                "Sở, ngành",
            ],
            [
                "10/03/2026",
                "Tập huấn truy xuất nguồn gốc",
                "Trần Thị B",
                "HTX Tân Trào",
                "Doanh nghiệp",
            ],
            [
                "10/03/2026",
                "Tập huấn truy xuất nguồn gốc",
                "Nguyễn Văn A",
                "Sở Công Thương",
                "Sở, ngành",
            ],
            ["11/03/2026", "Lớp không có", "Lê C", "Sở Y tế", "Sở, ngành"],
            ["10/03/2026", "Tập huấn truy xuất nguồn gốc", "Đỗ D", "Sở Y tế", "Bộ"],
        ],
    )
    summary = import_plan_sheet(engine, "attendance", people)
    found = rejects(session, summary.run_id)
    assert found["4"].startswith("duplicate of row 2")
    assert "no course 'Lớp không có' on 11/03/2026" in found["5"]
    assert found["6"].startswith("Loại đơn vị: unknown value 'Bộ'")
    session.expire_all()
    course = session.exec(
        select(TrainingCourse).where(TrainingCourse.topic.startswith("Tập"))
    ).one()
    assert course.listed and (course.from_agencies, course.from_enterprises) == (1, 1)
    assert course.from_local_government == 0
    # re-importing the course sheet keeps the list, and a count that disagrees is refused
    again = import_plan_sheet(engine, "training", write_csv(tmp_path / "c2.csv", [headers, *good]))
    assert again.rejected == 1
    assert "but the list names 1" in rejects(session, again.run_id)["2"]
    runs = session.exec(select(IngestRun).where(IngestRun.source == "plan:attendance")).all()
    assert [r.status for r in runs] == ["succeeded"]
