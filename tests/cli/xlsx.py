"""xlsx.py - read an xlsx file back the way a spreadsheet sees it (openpyxl,
Debian's python3-openpyxl), for tests/cli/excel.sh.

  python3 xlsx.py FILE cells     every non-empty cell: REF TAB TYPE TAB VALUE
                                 (TYPE: s text, n number, d date; dates as
                                 YYYY-MM-DD), row by row
  python3 xlsx.py FILE sheet     one line each: title, freeze, filter, paper,
                                 orientation, fit, print titles, header,
                                 bold header (1/0), widths of A..E
"""
import sys

import openpyxl


def cells(ws):
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            t = c.data_type
            if t == "d" or hasattr(v, "strftime"):
                t, v = "d", v.strftime("%Y-%m-%d")
            elif t == "n":
                v = repr(v) if isinstance(v, float) and v != int(v) else str(int(v))
            print(f"{c.coordinate}\t{t}\t{v}")


def sheet(ws):
    ps = ws.page_setup
    print("title", ws.title)
    print("freeze", ws.freeze_panes)
    print("filter", ws.auto_filter.ref)
    print("paper", ps.paperSize)
    print("orientation", ps.orientation)
    print("fit", ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
          ps.fitToWidth, ps.fitToHeight)
    print("print_titles", ws.print_title_rows)
    h = ws.oddHeader
    print("header", h.left.text, "|", h.center.text, "|", h.right.text)
    print("bold_header", int(all(c.font.b for c in ws[1] if c.value is not None)))
    print("bold_last", int(any(c.font.b for c in ws[ws.max_row] if c.value is not None)))
    print("widths", " ".join("%s=%d" % (k, ws.column_dimensions[k].width) for k in "ABCDE"))
    print("rows", ws.max_row)


def main():
    wb = openpyxl.load_workbook(sys.argv[1])
    ws = wb.worksheets[0]
    {"cells": cells, "sheet": sheet}[sys.argv[2]](ws)


if __name__ == "__main__":
    main()
