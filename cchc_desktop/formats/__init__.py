"""Bytes in and out: the exchange JSON, the printed view of a report (`printed`) that the Word
report (`word`, `docx_parts`) and the Excel appendix (`excel`) lay out."""
