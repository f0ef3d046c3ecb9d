"""Export: the Word report and the Excel appendix. `report_view` turns a report into what
is printed (lines, headings, rows); `word` and `excel` lay it out; `files` writes safely."""
