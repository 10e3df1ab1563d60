"""The production stack of deploy/README.md on this machine, as throw-away processes in one directory.

PostgreSQL (a fresh database on the test server), its own redis-server, an SMTP sink in this process, certificates
from a local CA, then the deploy/ files as they are installed: the environment file read by `lobiku-manage` and the
systemd units (their ExecStart, Environment and WorkingDirectory, with the paths of this checkout), and the nginx site
rendered by deploy/render_nginx.py inside a minimal main configuration on free high ports.
"""

import os
import re
import shlex
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
HTTPS_HOST = "127.0.0.1"
# Debian puts nginx in /usr/sbin, outside a non-root PATH.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_env_file(path: Path) -> dict[str, str]:
    """The environment file as systemd reads it, with deploy/render_nginx.py's own reader."""
    sys.path.insert(0, str(DEPLOY))
    try:
        import render_nginx
    finally:
        sys.path.remove(str(DEPLOY))
    return render_nginx.read_env_file(path)


# --- mail ---------------------------------------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's smtp backend (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT); keeps every message."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode("latin-1").split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append((recipients, message_from_bytes(b"".join(data), policy=default_policy)))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP and anything else
                self.reply("250 OK")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages: list = []
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def wait_for(self, predicate, timeout: float = 60):
        """The first message for which `predicate(recipients, text)` holds, waiting for the worker to send it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for recipients, message in list(self.messages):
                body = message.get_body(preferencelist=("plain", "html"))
                text = f"{message['Subject']}\n{body.get_content() if body else ''}"
                if predicate(recipients, text):
                    return text
            time.sleep(0.25)
        raise AssertionError(f"no such e-mail within {timeout}s; got {[m['Subject'] for _, m in self.messages]}")


# --- certificates -------------------------------------------------------------------------------------------------


def issue_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A local CA and a server certificate for 127.0.0.1 signed by it: (ca.pem, server.pem, server.key)."""
    ca_key, ca, key, csr, cert = (directory / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ext = directory / "server.ext"
    ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
            "-subj", "/CN=LOBIKU test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return ca, cert, key


# --- processes ----------------------------------------------------------------------------------------------------


def systemd_service(unit: Path) -> dict:
    """ExecStart (as argv), Environment= pairs and WorkingDirectory of a unit file's [Service] section."""
    service, section = {"env": {}}, None
    for line in unit.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            if key == "Environment":
                name, val = value.split("=", 1)
                service["env"][name] = val
            elif key in ("ExecStart", "WorkingDirectory", "RuntimeDirectory", "EnvironmentFile"):
                service[key] = value
    service["argv"] = shlex.split(service["ExecStart"])
    return service


@dataclass
class Stack:
    directory: Path
    admin_database_url: str
    database_name: str = ""
    https_port: int = 0
    http_port: int = 0
    processes: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)
    smtp: SMTPSink | None = None
    redis_port: int = 0
    ca: Path | None = None
    env: dict = field(default_factory=dict)
    case: dict = field(default_factory=dict)  # what the journey left for later checks (registration, code)
    manage: list = field(default_factory=list)  # lobiku-manage as installed, and the environment it runs with
    manage_env: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"https://{HTTPS_HOST}:{self.https_port}"

    def log(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace") if path and path.exists() else ""

    def spawn(self, name: str, argv: list[str], env: dict, cwd: Path | None = None) -> subprocess.Popen:
        log = self.directory / "logs" / f"{name}.log"
        self.logs[name] = log
        with open(log, "ab") as out:
            proc = subprocess.Popen(argv, env=env, cwd=cwd or ROOT, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.processes[name] = proc
        return proc

    def run(self, name: str, argv: list[str], env: dict, timeout: float = 240) -> None:
        proc = self.spawn(name, argv, env)
        try:
            proc.wait(timeout)
        finally:
            self.processes.pop(name, None)
        if proc.returncode:
            raise AssertionError(f"{' '.join(argv)} exited with {proc.returncode}:\n{self.log(name)[-4000:]}")

    def alive(self) -> dict[str, int | None]:
        return {name: proc.poll() for name, proc in self.processes.items()}

    def stop(self) -> None:
        """Every process this stack started, by its own process group; then the database and the sink."""
        for proc in self.processes.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 20
        for proc in self.processes.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(5)
        self.processes.clear()
        if self.smtp:
            self.smtp.shutdown()
            self.smtp.server_close()
        if self.database_name:
            admin_sql(self.admin_database_url, f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')


def admin_sql(database_url: str, statement: str) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def database_url_for(admin_url: str, name: str) -> str:
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def wait_until(check, timeout: float, what: str, stack: Stack | None = None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # not up yet
            last = exc
        if stack:
            dead = {n: rc for n, rc in stack.alive().items() if rc is not None}
            if dead:
                raise AssertionError(f"{dead} exited while waiting for {what}:\n"
                                     + "\n".join(f"--- {n}\n{stack.log(n)[-3000:]}" for n in dead))
        time.sleep(0.2)
    raise AssertionError(f"{what} not ready within {timeout}s ({last!r})")


def paths_for_checkout(argv: list[str], runtime_dir: Path) -> list[str]:
    """A unit's command with the installed layout (/srv/lobiku/venv, /run/lobiku) mapped onto this checkout."""
    mapped = []
    for arg in argv:
        arg = arg.replace("/srv/lobiku/venv/bin/", f"{VENV_BIN}/").replace("/run/lobiku/", f"{runtime_dir}/")
        mapped.append(arg)
    return mapped


HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
