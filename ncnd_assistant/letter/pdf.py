"""The letter as PDF: its Word file converted by LibreOffice (`soffice --headless --convert-to pdf`).

Only where LibreOffice is installed (on Debian: `apt-get install libreoffice-writer-nogui`);
otherwise a clear error says so. The conversion runs in a fresh owner-only temporary folder with
its own LibreOffice profile (so it neither waits for nor disturbs a LibreOffice the officer has
open), and nothing of the case is left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ncnd_assistant.errors import NcndError
from ncnd_assistant.paths import write_private

TIMEOUT_S = 180  # the first start of LibreOffice on a slow machine takes tens of seconds
PROGRAMS = ("soffice", "libreoffice")


class PdfUnavailable(NcndError):
    """LibreOffice is not installed, or could not convert the letter."""


def soffice() -> str | None:
    """The LibreOffice program, if one is on PATH."""
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    """The LibreOffice program, or an error saying how to install it."""
    program = soffice()
    if program is None:
        raise PdfUnavailable("PDF needs LibreOffice, which is not installed (on Debian or Ubuntu: "
                             "`apt-get install libreoffice-writer-nogui`); write a .docx instead and save it "
                             "as PDF from Word")
    return program


def pdf_from_docx(data: bytes) -> bytes:
    """The PDF of a .docx file's bytes."""
    program = require_soffice()
    with tempfile.TemporaryDirectory(prefix="ncnd-pdf-") as folder:  # created 0700
        work = Path(folder)
        source = work / "letter.docx"
        write_private(source, data)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False,
                                  stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfUnavailable(f"LibreOffice could not convert the letter to PDF: {error}") from None
        result = work / "letter.pdf"
        if done.returncode != 0 or not result.is_file():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise PdfUnavailable("LibreOffice could not convert the letter to PDF"
                                 + (f": {said[-1][:200]}" if said else f" (exit status {done.returncode})"))
        return result.read_bytes()
