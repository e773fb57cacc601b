"""The desk behind a real OpenSSH login, set up the way docs/DEPLOY.md says.

A private sshd on 127.0.0.1 (own host key, own port, own config) forces every login
of the test group onto the desk. Two throw-away OS accounts log in with a key:
`kcadre` (the station head's login) and `kstranger` (in the group, but no cadre).
The desk runs from a venv of Debian's /usr/bin/python3, as on a village machine:
the tests' own Python may live where other users cannot execute it (pyenv in
/root), so the project and its runtime packages are copied into that venv.

Needs root (accounts, sshd) and openssh-server; skipped otherwise, except on CI,
where .ci/run installs it and a missing piece is an error.
"""
from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.core.i18n import t

from ..terminal import Terminal

ROOT = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"
SYSTEM_PYTHON = "/usr/bin/python3"
GROUP = "kiosktest"
MARK = "village duty desk ssh test"  # GECOS of the accounts this test owns
CADRE, STRANGER = "kcadre", "kstranger"
STATION = "红旗村便民服务站"
COLS, ROWS = 120, 40


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the SSH test (.ci/run installs openssh-server): {reason}")
    pytest.skip(reason)


def _run(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60,
                          **kwargs)


def _try(*cmd: str) -> int:
    return subprocess.run(cmd, check=False, capture_output=True).returncode


def _python_minor(python: str) -> str:
    return _run(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").stdout.strip()


# --- the desk, installed for everyone ---------------------------------------------------

def _runtime_distributions() -> set[str]:
    """The project's run-time requirements and theirs (extras followed), as
    distribution names found in the tests' environment."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    todo = [(Requirement(r), "") for r in pyproject["project"]["dependencies"]]
    found: set[str] = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        for wanted in [""] + sorted(requirement.extras):
            key = f"{name}[{wanted}]"
            if key in found:
                continue
            found.add(key)
            for line in metadata.distribution(name).requires or []:
                todo.append((Requirement(line), wanted))
    return {key.split("[")[0] for key in found}


def _install_desk(venv: Path) -> Path:
    """A venv of Debian's python3 holding the desk and its packages; returns bin/kiosk.

    Packages are copied (with their compiled bytecode) from the tests' environment,
    which has the same Python minor version: no network, about a second."""
    _run(SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv))
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    tops: set[Path] = set()
    for name in _runtime_distributions():
        dist = metadata.distribution(name)
        base = Path(dist.locate_file(""))
        for file in dist.files or []:
            if file.parts and file.parts[0] != "..":
                tops.add(base / file.parts[0])
    tops |= {ROOT / package for package in ("kiosk", "screens", "models")}
    for top in tops:
        if top.is_dir():
            shutil.copytree(top, site / top.name, dirs_exist_ok=True)
        elif top.is_file():
            shutil.copy2(top, site / top.name)
    kiosk = venv / "bin" / "kiosk"  # what `pip install` writes for the console script
    kiosk.write_text(f"#!{venv}/bin/python\nimport sys\nfrom kiosk.cli import main\n"
                     "sys.exit(main())\n")
    _run("chmod", "-R", "a+rX,go-w", str(venv))
    kiosk.chmod(0o755)
    return kiosk


def _prepare_database(data: Path) -> str:
    """The shared database as DEPLOY.md has it: a setgid directory of the group, the
    file created empty 0660 before first use, then a station whose head is kcadre."""
    gid = grp.getgrnam(GROUP).gr_gid
    data.mkdir()
    os.chown(data, 0, gid)
    data.chmod(0o2770)
    _run("install", "-m", "0660", "-g", GROUP, "/dev/null", str(data / "kiosk.db"))
    url = f"sqlite:///{data / 'kiosk.db'}"
    script = (
        "import sys\n"
        "from kiosk.database import open_database\n"
        "from models.core.db import database\n"
        "from models.station.setup import SetupForm, set_up_station\n"
        "open_database(sys.argv[1])\n"
        "with database.connection_context():\n"
        f"    set_up_station(SetupForm(station_name={STATION!r}, township='城关镇',\n"
        f"        group_count='3', admin_name='王建国', admin_phone='13800000001',\n"
        f"        admin_login={CADRE!r}))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    _run(sys.executable, "-c", script, url, env=env)
    return url


# --- accounts -----------------------------------------------------------------------

def _account(name: str, home: Path) -> None:
    """A login in the test group with a usable (not locked) account and no password."""
    try:
        existing = pwd.getpwnam(name)
    except KeyError:
        existing = None
    if existing is not None:
        if existing.pw_gecos != MARK:
            _unavailable(f"an account {name!r} exists that this test did not make")
        _try("userdel", "-r", name)  # left behind by a killed run
    _run("useradd", "--comment", MARK, "--home-dir", str(home), "--create-home",
         "--shell", "/bin/sh", "--gid", GROUP, "--password", "*", name)


def _drop_accounts(group_made: bool) -> None:
    for name in (CADRE, STRANGER):
        try:
            if pwd.getpwnam(name).pw_gecos == MARK:
                _try("userdel", "-r", name)
        except KeyError:
            pass
    if group_made:
        _try("groupdel", GROUP)


# --- sshd -----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SSHD_CONFIG = """\
ListenAddress 127.0.0.1
Port {port}
HostKey {base}/host_key
PidFile {base}/sshd.pid
AuthorizedKeysFile {base}/authorized/%u
# the key files live under /tmp, which StrictModes would refuse; the real setup
# keeps them in each cadre's ~/.ssh (see docs/DEPLOY.md)
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PermitUserEnvironment no

# --- as in docs/DEPLOY.md (paths and group name aside) ---
AllowGroups {group}

Match Group {group}
    ForceCommand {kiosk}
    SetEnv KIOSK_DATABASE_URL={url} LC_ALL=C.UTF-8
    PermitTTY yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
    PermitUserRC no
    ClientAliveInterval 30
    ClientAliveCountMax 4
"""


def _start_sshd(base: Path, port: int, kiosk: Path, url: str) -> subprocess.Popen:
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(base / "host_key"))
    config = base / "sshd_config"
    config.write_text(SSHD_CONFIG.format(port=port, base=base, group=GROUP, kiosk=kiosk,
                                         url=url))
    checked = subprocess.run([SSHD, "-t", "-f", str(config)], check=False,
                             capture_output=True, text=True)
    if checked.returncode:
        _unavailable(f"sshd refuses the config: {checked.stderr.strip()}")
    with open(base / "sshd.log", "wb") as log:
        sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sshd.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return sshd
        except OSError:
            time.sleep(0.05)
    sshd.kill()
    sshd.wait()
    _unavailable(f"sshd did not start: {(base / 'sshd.log').read_text(errors='replace')[-500:]}")


@pytest.fixture(scope="module")
def desk_over_ssh():
    if os.geteuid() != 0:
        _unavailable("needs root: it makes OS accounts and runs sshd")
    for tool in (SSHD, SYSTEM_PYTHON, shutil.which("ssh"), shutil.which("ssh-keygen"),
                 shutil.which("useradd")):
        if not tool or not os.access(tool, os.X_OK):
            _unavailable(f"missing {tool or 'ssh/ssh-keygen/useradd'}: "
                         "apt-get install openssh-server")
    pytest.importorskip("pyte")
    wanted = f"{sys.version_info.major}.{sys.version_info.minor}"
    if _python_minor(SYSTEM_PYTHON) != wanted:
        _unavailable(f"{SYSTEM_PYTHON} is not Python {wanted}, the tests' packages' version")
    parent = next(p for p in ("/tmp", "/var/tmp") if os.stat(p).st_mode & 0o001)
    base = Path(tempfile.mkdtemp(prefix="kiosk-ssh-", dir=parent))
    base.chmod(0o755)  # the accounts must reach the venv and the data directory
    sshd, group_made = None, False
    # sshd refuses keys in group-writable places; kiosk.cli.main(), run in-process by
    # other tests, leaves this process at the desk's umask 007
    umask = os.umask(0o022)
    try:
        if _try("getent", "group", GROUP):
            _run("groupadd", GROUP)
            group_made = True
        (base / "home").mkdir()
        for name in (CADRE, STRANGER):
            _account(name, base / "home" / name)
        kiosk = _install_desk(base / "desk")
        url = _prepare_database(base / "data")
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(base / "client_key"))
        (base / "authorized").mkdir()
        for name in (CADRE, STRANGER):
            shutil.copy(base / "client_key.pub", base / "authorized" / name)
        port = _free_port()
        sshd = _start_sshd(base, port, kiosk, url)
        yield SimpleNamespace(base=base, port=port, data=base / "data", kiosk=kiosk)
    finally:
        if sshd is not None:
            sshd.terminate()
            try:
                sshd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sshd.kill()
                sshd.wait()
        _drop_accounts(group_made)
        shutil.rmtree(base, ignore_errors=True)
        os.umask(umask)


# --- a person at an SSH client ----------------------------------------------------------

class SshTerminal(Terminal):
    """`ssh -tt` in a pseudo-terminal of COLS×ROWS, its screen read with pyte."""

    def __init__(self, server, user: str, *command: str) -> None:
        argv = ["ssh", "-tt", "-F", "/dev/null", "-i", str(server.base / "client_key"),
                "-p", str(server.port), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
                f"{user}@127.0.0.1", *command]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(server.base),
               "TERM": "xterm-256color", "LANG": "C.UTF-8"}
        super().__init__(argv, env, COLS, ROWS)


@pytest.fixture
def ssh(desk_over_ssh):
    opened: list[SshTerminal] = []

    def connect(user: str, *command: str) -> SshTerminal:
        opened.append(SshTerminal(desk_over_ssh, user, *command))
        return opened[-1]

    yield connect
    for terminal in opened:
        terminal.close()


CTRL_Q = b"\x11"
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \\, e.g. the pointer shape), ESC x
TERMINAL_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                              r"|\x1b[@-Z\\-_]")


def _sshd_log(server) -> str:
    return (server.base / "sshd.log").read_text(errors="replace")[-1500:]


def test_cadre_login_reaches_home_and_quits(ssh, desk_over_ssh):
    desk = ssh(CADRE)
    assert desk.wait_for(STATION), desk.text() + _sshd_log(desk_over_ssh)
    desk.press(CTRL_Q)
    assert desk.wait_exit() == 0, desk.text()


def test_stranger_is_refused_with_one_line_and_status_1(ssh, desk_over_ssh):
    desk = ssh(STRANGER)
    status = desk.wait_exit()
    assert status == 1, desk.text() + _sshd_log(desk_over_ssh)
    # after the desk gives the screen back (leaves the alternate screen) comes the
    # catalogued message, as one line, and nothing else: no traceback
    written = desk.raw.decode("utf-8", "replace")
    after = written.rsplit("\x1b[?1049l", 1)[-1]
    last_words = TERMINAL_CONTROL.sub("", after).strip()
    assert last_words == t("signin.unknown", login=STRANGER), written[-500:]
    assert STATION not in desk.output()


def test_a_command_on_the_ssh_line_still_gets_only_the_desk(ssh, desk_over_ssh):
    desk = ssh(CADRE, "/bin/sh -c id; echo SHELL-RAN")
    assert desk.wait_for(STATION), desk.text() + _sshd_log(desk_over_ssh)
    desk.press(CTRL_Q)
    assert desk.wait_exit() == 0
    assert "uid=" not in desk.output() and "SHELL-RAN" not in desk.output()


def test_files_a_cadre_creates_stay_in_the_group(desk_over_ssh):
    """The -wal/-shm files a cadre's session creates beside the database take its
    mode (0660) and, from the setgid directory, its group: every cadre can open it."""
    probe = (
        "import os, sqlite3, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('BEGIN IMMEDIATE')\n"
        "for suffix in ('-wal', '-shm'):\n"
        "    info = os.stat(sys.argv[1] + suffix)\n"
        "    print(suffix, info.st_uid, info.st_gid, oct(info.st_mode & 0o7777))\n"
        "con.execute('ROLLBACK')\n")
    python = desk_over_ssh.kiosk.with_name("python")
    database = desk_over_ssh.data / "kiosk.db"
    shown = _run("runuser", "-u", CADRE, "--", str(python), "-c", probe, str(database)).stdout
    cadre, group = pwd.getpwnam(CADRE).pw_uid, grp.getgrnam(GROUP).gr_gid
    assert shown.split("\n")[:2] == [f"-wal {cadre} {group} 0o660", f"-shm {cadre} {group} 0o660"]
    info = database.stat()
    assert (info.st_gid, info.st_mode & 0o7777) == (group, 0o660)
    assert desk_over_ssh.data.stat().st_mode & 0o7777 == 0o2770
