"""`make setup` and `make run` check the machine: WeasyPrint (letters, receipts, reports) needs Pango and HarfBuzz
from the system. Exit 0 when it loads; otherwise print the Debian/Ubuntu packages to install and exit 1. OCR of
scanned documents needs OCRmyPDF and Tesseract with its Indonesian data: without them the portal runs and a scan's OCR
fails with that reason, so their absence is a warning only."""

import shutil
import subprocess
import sys

OCR_PACKAGES = "tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng ocrmypdf"


def ocr_warning() -> str:
    """What is missing for OCR, or ""."""
    if not shutil.which("ocrmypdf") or not shutil.which("tesseract"):
        return "OCRmyPDF or Tesseract is missing"
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "ind" not in langs:
        return "Tesseract has no Indonesian data (ind)"
    return ""

# The same list as the Dockerfile's.
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core"


def main() -> int:
    try:
        import weasyprint  # noqa: F401 - loading it opens the system libraries
    except OSError as exc:
        print(f"WeasyPrint cannot load its system libraries ({exc}).\n"
              "The portal writes its letters, receipts and reports with it. On Debian or Ubuntu install them with:\n"
              f"    sudo apt-get install -y {DEBIAN_PACKAGES}\n"
              "(other systems: see WeasyPrint's installation guide, \"First Steps\")", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"WeasyPrint is not installed in this environment ({exc}): run `make setup`.", file=sys.stderr)
        return 1
    if missing := ocr_warning():
        print(f"Warning: {missing}; scanned documents cannot be read by OCR until you install them:\n"
              f"    sudo apt-get install -y {OCR_PACKAGES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
