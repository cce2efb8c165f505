"""Every PDF and CSV Hearth makes goes through portal/core/pdf.py and portal/core/csv_export.py, so each has the
fonts, the byte-order mark and the formula guard."""

from __future__ import annotations

import ast

from portal.config import ROOT

PORTAL = ROOT / "portal"
OWNERS = {"fpdf": PORTAL / "core" / "pdf.py", "csv": PORTAL / "core" / "csv_export.py"}


def test_only_the_core_modules_import_fpdf_or_csv():
    strays = []
    for path in sorted(PORTAL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OWNERS and path != OWNERS[top]:
                    strays.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not strays, f"make PDFs with portal.core.pdf and CSVs with portal.core.csv_export: {strays}"
