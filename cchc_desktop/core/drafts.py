"""Standard sentences drafted from the report's own figures ("Soạn đoạn mẫu").

A draft is ordinary prose with `{bm…}` placeholders, not frozen numbers: the clerk edits the
wording, and the figures keep following the forms until the report is printed. A clause is
left out while one of its figures is blank, so a draft never prints "…" for a row the
commune simply does not report. Core module: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.narrative import placeholders


@dataclass(frozen=True)
class Clause:
    text: str  # with {bm…} placeholders; included only when every one of them has a value

    def ids(self) -> list[str]:
        return placeholders(self.text)


@dataclass(frozen=True)
class Paragraph:
    """`lead` + the clauses that apply, joined by `sep`, + `tail`. Without its lead figures
    (the ids in `lead`), or without any clause when the lead has no figure, it is dropped."""

    lead: str
    clauses: tuple[Clause, ...] = ()
    sep: str = "; "
    tail: str = "."
    open: str = " (trong đó: "
    close: str = ")"


def _p(lead, *clauses, **kw) -> Paragraph:
    return Paragraph(lead, tuple(Clause(c) if isinstance(c, str) else c for c in clauses), **kw)


DRAFTS: dict[str, tuple[Paragraph, ...]] = {
    "I.1": (
        _p("Kế hoạch cải cách hành chính của UBND xã đề ra {bm1.2.1} nhiệm vụ; đến thời điểm báo cáo "
           "đã hoàn thành {bm1.2.2}/{bm1.2.1} nhiệm vụ, đạt {bm1.2}%", open="", close=""),
        _p("Trong kỳ, UBND xã đã ban hành {bm1.1} văn bản chỉ đạo, điều hành công tác cải cách hành chính",
           open="", close=""),
    ),
    "I.2": (
        _p("Trong kỳ, UBND xã đã kiểm tra {bm1.3.1} cơ quan, đơn vị, bộ phận", open="", close=""),
        _p("Qua kiểm tra đã phát hiện {bm1.3.2.1} vấn đề, đã xử lý xong {bm1.3.2.2} vấn đề, đạt {bm1.3.2}%",
           open="", close=""),
    ),
    "I.4": (
        _p("Trong kỳ báo cáo, có {bm1.5.1} nhiệm vụ được UBND tỉnh, Chủ tịch UBND tỉnh giao",
           "hoàn thành đúng hạn {bm1.5.2} nhiệm vụ", "hoàn thành nhưng quá hạn {bm1.5.3} nhiệm vụ",
           "quá hạn nhưng chưa hoàn thành {bm1.5.4} nhiệm vụ", "đang trong hạn giải quyết {bm1.5.5} nhiệm vụ",
           open="; trong đó: ", close=""),
        Paragraph("Về khảo sát sự hài lòng của người dân, tổ chức: đã phát {bm1.6.1} phiếu khảo sát",
                  (Clause(" có {bm1.6.3}/{bm1.6.1} phiếu đánh giá hài lòng, rất hài lòng (đạt {bm1.6.4}%)"),),
                  open=";", close="", sep=""),
    ),
    "II.1": (
        _p("Trong kỳ, UBND xã đã ban hành {bm2.1} văn bản quy phạm pháp luật",
           "{bm2.1.1} nghị quyết của HĐND xã", "{bm2.1.2} quyết định của UBND xã", sep=", "),
        _p("Đã rà soát {bm2.3.1} văn bản quy phạm pháp luật", open="", close=""),
        _p("Tổ chức {bm2.4.1} cuộc tuyên truyền, phổ biến, tập huấn pháp luật với {bm2.4.2} lượt người tham dự",
           open="", close=""),
    ),
    "II.2": (
        _p("Trong kỳ báo cáo, tổng số hồ sơ TTHC tiếp nhận là {bm3.3.1} hồ sơ",
           "kỳ trước chuyển sang {bm3.3.1.1} hồ sơ", "tiếp nhận trực tiếp {bm3.3.1.2} hồ sơ",
           "tiếp nhận trực tuyến {bm3.3.1.3} hồ sơ", "qua dịch vụ bưu chính công ích {bm3.3.1.4} hồ sơ"),
        _p("Đã giải quyết {bm3.3.2} hồ sơ",
           "trước hạn, đúng hạn {bm3.3.2.1} hồ sơ, đạt tỷ lệ {bm3.3.5}%", "quá hạn {bm3.3.2.2} hồ sơ"),
        _p("Đang giải quyết {bm3.3.3} hồ sơ", open="", close=""),
        _p("Công dân rút, trả lại, không đủ điều kiện giải quyết {bm3.3.4} hồ sơ", open="", close=""),
        _p("Đã tiếp nhận {bm3.4.1} phản ánh, kiến nghị về quy định hành chính, đã giải quyết xong {bm3.4.2}",
           open="", close=""),
    ),
    "II.3": (
        _p("Tổng số biên chế cán bộ, công chức được giao là {bm4.2.1} người; có mặt tại thời điểm báo cáo "
           "{bm4.2.2} người", "cán bộ {bm4.2.2.1} người", "công chức {bm4.2.2.2} người"),
        _p("Số người hoạt động không chuyên trách là {bm4.3} người", open="", close=""),
    ),
    "II.4": (
        _p("Về trình độ chuyên môn của cán bộ, công chức",
           "sau đại học {bm5.3.1} người", "đại học {bm5.3.2} người", "cao đẳng {bm5.3.3} người",
           "trung cấp {bm5.3.4} người", "chưa qua đào tạo {bm5.3.5} người", open=": ", close="", sep=", "),
        _p("Về trình độ lý luận chính trị",
           "cao cấp {bm5.4.1} người", "trung cấp {bm5.4.2} người", "sơ cấp {bm5.4.3} người",
           "chưa qua đào tạo {bm5.4.4} người", open=": ", close="", sep=", "),
        _p("Trong kỳ, đã cử {bm5.6} lượt cán bộ, công chức tham gia đào tạo, bồi dưỡng", open="", close=""),
    ),
    "II.5": (
        _p("Kế hoạch vốn đầu tư công được giao {bm6.1.1} triệu đồng, đã giải ngân {bm6.1.2} triệu đồng, "
           "đạt {bm6.1}%", open="", close=""),
        _p("Thực hiện thu ngân sách nhà nước trên địa bàn {bm6.2.2} triệu đồng", open="", close=""),
        _p("Thực hiện chi ngân sách địa phương {bm6.3.2} triệu đồng", open="", close=""),
    ),
    "II.6": (
        _p("Số văn bản đi được ký số và gửi trên môi trường điện tử là {bm7.1.2}/{bm7.1.1} văn bản, đạt {bm7.1.3}%",
           open="", close=""),
        _p("Có {bm7.2.2}/{bm7.2.1} cán bộ, công chức được cấp chứng thư số cá nhân", open="", close=""),
        _p("Cung cấp {bm7.3.1} dịch vụ công trực tuyến toàn trình và {bm7.3.2} dịch vụ công trực tuyến một phần",
           open="", close=""),
        _p("Tổng số hồ sơ tiếp nhận của các TTHC có cung cấp dịch vụ công trực tuyến là {bm7.3.3} hồ sơ",
           "nộp trực tuyến {bm7.3.4} hồ sơ, đạt {bm7.3.5}%"),
        _p("Đã số hóa {bm7.4.2} hồ sơ và {bm7.4.5} kết quả giải quyết TTHC", open="", close=""),
        _p("Thực hiện {bm7.5.1} giao dịch thanh toán trực tuyến phí, lệ phí với số tiền {bm7.5.2} đồng",
           open="", close=""),
    ),
}


def _has(state: ReportState, clause: Clause) -> bool:
    ids = clause.ids()
    return all(i in state.catalog.indicators and state.values.get(i) is not None for i in ids)


def draft(section_id: str, state: ReportState) -> str | None:
    """The standard paragraph(s) for a section, or None when it has no draft or no figures yet."""
    lines = []
    for para in DRAFTS.get(section_id, ()):
        if not _has(state, Clause(para.lead)):
            continue
        parts = [c.text for c in para.clauses if _has(state, c)]
        if not parts and not placeholders(para.lead):
            continue  # a lead with no figure of its own says nothing without its clauses
        body = para.lead + (para.open + para.sep.join(parts) + para.close if parts else "")
        lines.append(body + para.tail)
    return "\n".join(lines) or None


def has_draft(section_id: str) -> bool:
    return section_id in DRAFTS
