"""The words of docs/glossary.md, held: no template, gettext msgid or .po entry uses a form the glossary forbids.

The forbidden forms are read from the glossary's own table, so the rule and its documentation cannot drift apart.
A failure names every file:line with the form found and what to write instead.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PY_SOURCES = ["ppid_portal", "opd_app", "requests_app", "documents_app", "compliance_app"]
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
           "npgettext", "npgettext_lazy"}

# The terms the glossary must define (Indonesian UI word, as its first column starts).
REQUIRED_TERMS = ["permohonan", "pemohon", "Anda", "keberatan", "Atasan PPID", "PPID Pelaksana", "PPID Utama", "OPD",
                  "OPD yang dituju", "Tujuan penggunaan informasi", "DIP", "hari kerja", "tanda bukti",
                  "nomor registrasi", "kode pelacakan", "nomor surat", "pemberitahuan tertulis", "perpanjangan",
                  "diteruskan", "diterima", "dikabulkan", "ditolak", "Dijawab", "Selesai"]


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    where: str  # "id": any template line or Indonesian msgid; "msgid": a whole string; "en": an English msgstr
    instead: str


@dataclass(frozen=True)
class Text:
    where: str  # "id", "msgid" or "en"
    path: str
    line: int
    text: str


def _table(section: str) -> list[list[str]]:
    """The rows (cells) of the first Markdown table under the heading `section` of the glossary."""
    body = GLOSSARY.read_text(encoding="utf-8").split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        if not line.startswith("|") or re.match(r"^\|\s*-", line):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        rows.append(cells)
    return rows[1:]  # without the header row


def rules() -> list[Rule]:
    out = []
    for pattern, where, instead, _why in _table("Forbidden forms"):
        assert pattern.startswith("`") and pattern.endswith("`"), pattern
        out.append(Rule(re.compile(pattern[1:-1]), where, instead))
    return out


def _po_entries() -> list[tuple[str, int, str]]:
    """("msgid"|"msgstr", line, text) for every live entry of the .po (obsolete "#~" entries left out)."""
    out, key, start, parts = [], None, 0, []

    def flush():
        if key:
            out.append((key, start, "".join(parts)))

    for number, line in enumerate(PO.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.match(r'^(msgid|msgstr|msgctxt|msgid_plural|msgstr\[\d+\])\s+"(.*)"$', line)
        if match:
            flush()
            kind = match.group(1)
            key = "msgid" if kind in ("msgid", "msgid_plural") else "msgstr" if kind.startswith("msgstr") else None
            start, parts = number, [match.group(2)]
        elif line.startswith('"') and key:
            parts.append(line[1:-1])
        else:
            flush()
            key, parts = None, []
    flush()
    return [(k, n, t.replace('\\"', '"').replace("\\n", "\n")) for k, n, t in out if t]


def _python_msgids(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT:
            continue
        args = node.args[1:] if name.startswith(("pgettext", "npgettext")) else node.args
        for arg in args[:2] if name.startswith(("ngettext", "npgettext")) else args[:1]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.lineno, arg.value))
    return found


TRANS = re.compile(r"""\{%\s*trans\s+(["'])(.*?)\1""")
BLOCKTRANS = re.compile(r"\{%\s*blocktrans[^%]*%\}(.*?)\{%\s*endblocktrans\s*%\}", re.S)
TEXT_NODE = re.compile(r">([^<>{}]+)<")


def texts() -> list[Text]:
    """Everything the rules read: template lines and their whole strings, Python msgids, the .po's entries."""
    out = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        rel = str(path.relative_to(ROOT))
        source = path.read_text(encoding="utf-8")
        for number, line in enumerate(source.splitlines(), start=1):
            out.append(Text("id", rel, number, line))
            for match in TRANS.finditer(line):
                out.append(Text("msgid", rel, number, match.group(2)))
            for match in TEXT_NODE.finditer(line):
                if match.group(1).strip():
                    out.append(Text("msgid", rel, number, match.group(1).strip()))
        for match in BLOCKTRANS.finditer(source):
            out.append(Text("msgid", rel, source.count("\n", 0, match.start()) + 1, match.group(1).strip()))
    for package in PY_SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = str(path.relative_to(ROOT))
            for number, msgid in _python_msgids(path):
                out += [Text("id", rel, number, msgid), Text("msgid", rel, number, msgid)]
    rel = str(PO.relative_to(ROOT))
    for kind, number, text in _po_entries():
        if kind == "msgid":
            out += [Text("id", rel, number, text), Text("msgid", rel, number, text)]
        else:
            out.append(Text("en", rel, number, text))
    return out


def violations(items: list[Text], rule_list: list[Rule]) -> list[str]:
    """"file:line: 'form found' -> what to write", by file and line."""
    found = set()
    for rule in rule_list:
        for item in items:
            if item.where != rule.where:
                continue
            hit = rule.pattern.fullmatch(item.text) if rule.where == "msgid" else rule.pattern.search(item.text)
            if hit:
                found.add((item.path, item.line, f"{hit.group(0)!r} -> write {rule.instead}"))
    return [f"{path}:{line}: {what}" for path, line, what in sorted(found)]


def test_the_glossary_defines_every_domain_term_in_both_languages():
    terms = _table("Terms")
    assert all(len(row) == 3 and all(row) for row in terms), "every term has its Indonesian, English and use"
    first = [row[0] for row in terms]
    missing = [t for t in REQUIRED_TERMS if not any(cell == t or cell.startswith(t + " ") for cell in first)]
    assert not missing, f"docs/glossary.md lacks: {missing}"


def test_the_forbidden_forms_catch_what_they_should_and_only_that():
    rule_list = rules()
    assert len(rule_list) >= 8 and {r.where for r in rule_list} == {"id", "msgid", "en"}

    def flagged(text, where="id"):
        return bool(violations([Text(where, "x", 1, text)], rule_list))

    # The reader, capitalised.
    assert flagged("Simpan kode pelacakan anda.") and not flagged("Simpan kode pelacakan Anda.")
    assert not flagged("Pandangan dan tanda bukti")  # "anda" only as a word
    # An objection's outcome is "dikabulkan"; "diterima" only says it arrived.
    assert flagged("Keberatan diterima") and flagged("Pilih: keberatan diterima atau ditolak.")
    assert flagged("Dengan diterimanya keberatan ini")
    assert not flagged("paling lambat 30 hari kerja sejak keberatan diterima")
    assert not flagged("setelah tanggapan keberatan diterima")
    assert not flagged("Keberatan Anda diterima dengan nomor %(n)s.")
    assert not flagged("Tanggal keberatan diterima") and not flagged("Keberatan dikabulkan")
    # The bare "Tujuan" as a whole heading or label, not as a part of a longer one.
    assert flagged("Tujuan", "msgid") and not flagged("Tujuan penggunaan informasi", "msgid")
    assert not flagged("OPD yang dituju", "msgid")
    assert flagged("jawaban tertulis wajib diberikan") and not flagged("pemberitahuan tertulis wajib diberikan")
    # The English side.
    assert flagged("File an appeal", "en") and flagged("Objection accepted", "en")
    assert not flagged("Objection upheld", "en") and not flagged("10 working days", "en")


def test_the_readers_see_no_forbidden_form():
    """Every template, Python msgid and .po entry. Fails with the file:line of each form left."""
    items = texts()
    # The reader reads all three sources (a broken extractor must not pass silently).
    assert {i.path.split("/")[0] for i in items} >= {"templates", "locale", "requests_app", "opd_app"}
    assert any(i.text == "Dikabulkan seluruhnya" for i in items if i.path.startswith("requests_app/models"))
    found = violations(items, rules())
    if found:
        pytest.fail(f"{len(found)} form(s) docs/glossary.md forbids:\n" + "\n".join(found))
