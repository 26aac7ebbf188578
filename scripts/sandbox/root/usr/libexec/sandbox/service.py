"""service.py: what systemd does for the few units whose program really runs in the sandbox
(systemctl's REAL_UNITS: haproxy.service). Called by the systemctl stand-in:

  service.py start UNIT FRAGMENT [DROPIN...]   ExecStartPre= lines, then ExecStart= detached
                                               (own session, stdin /dev/null, stdout/stderr to the
                                               unit's log, /var/log/sandbox-NAME.log, standing in
                                               for the journal); Type=notify waits for READY=1 on
                                               $NOTIFY_SOCKET (90 s, TimeoutStartSec's default)
  service.py stop UNIT                         SIGTERM to the main process (KillMode=mixed), then
                                               SIGKILL after 5 s
  service.py reload UNIT FRAGMENT [DROPIN...]  the ExecReload= lines, with $MAINPID

Environment= and EnvironmentFile= (a leading '-': may be missing) as systemd reads them; in
command lines $VAR is split into words, ${VAR} is not; a leading '-' lets a command fail. The
state is systemctl's: /run/sandbox/units/UNIT ("active PID" or "failed") and UNIT.status (the
Process: lines `systemctl status` shows). Messages and exit status are systemd 239's.
"""
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time

ST = "/run/sandbox/units"


def err(msg):
    sys.stderr.write(msg + "\n")


def parse_unit(files):
    env, envfiles, pre, start, reload_, typ = {}, [], [], None, [], "simple"
    for path in files:
        sect = None
        try:
            with open(path) as fh:
                lines = fh.read().split("\n")
        except OSError:
            continue
        buf = ""
        for raw in lines:
            line = buf + raw.strip()
            buf = ""
            if line.endswith("\\"):
                buf = line[:-1] + " "
                continue
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                sect = line.strip("[]")
                continue
            if sect != "Service" or "=" not in line:
                continue
            k, v = line.split("=", 1)
            k, v = k.strip(), v.strip()
            if k == "Environment":
                for word in shlex.split(v):
                    if "=" in word:
                        a, b = word.split("=", 1)
                        env[a] = b
            elif k == "EnvironmentFile":
                envfiles.append(v)
            elif k == "ExecStartPre":
                pre = [] if not v else pre + [v]
            elif k == "ExecStart":
                start = v or None
            elif k == "ExecReload":
                reload_ = [] if not v else reload_ + [v]
            elif k == "Type":
                typ = v
    for ef in envfiles:
        optional = ef.startswith("-")
        ef = ef.lstrip("-")
        try:
            with open(ef) as fh:
                for line in fh:
                    line = line.strip()
                    if not line or line[0] in "#;" or "=" not in line:
                        continue
                    a, b = line.split("=", 1)
                    b = b.strip()
                    if len(b) >= 2 and b[0] == b[-1] and b[0] in "\"'":
                        b = b[1:-1]
                    env[a.strip()] = b
        except OSError:
            if not optional:
                return None
    return {"env": env, "pre": pre, "start": start, "reload": reload_, "type": typ}


def expand(cmd, env):
    """systemd's command line: words, $VAR split into words, ${VAR} kept as one."""
    ignore = False
    while cmd[:1] in ("-", "@", "+", "!", ":"):
        ignore = ignore or cmd[0] == "-"
        cmd = cmd[1:]
    out = []
    for word in shlex.split(cmd):
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if m:
            out += env.get(m.group(1), "").split()
            continue
        out.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), ""), word))
    return out, ignore


def log_path(unit):
    return "/var/log/sandbox-%s.log" % unit.rsplit(".", 1)[0]


def main_pid(unit):
    try:
        with open(os.path.join(ST, unit)) as fh:
            st, pid = fh.read().split()[:2]
        pid = int(pid)
        if st == "active" and pid > 0 and os.path.exists("/proc/%d" % pid):
            return pid
    except (OSError, ValueError):
        pass
    return None


def job_failed(unit):
    err("Job for %s failed because the control process exited with error code." % unit)
    err('See "systemctl status %s" and "journalctl -xe" for details.' % unit)
    return 1


def run_control(argv, env, log, ignore):
    """-> (pid, exit status, ok)"""
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd="/")
        rc = p.wait()
        return p.pid, rc, rc == 0 or ignore
    except OSError:
        return 0, 203, ignore


def status_word(rc):
    if rc == 0:
        return "0/SUCCESS"
    if rc == 203:
        return "203/EXEC"
    return "%d/FAILURE" % rc


def cmd_start(unit, files):
    os.makedirs(ST, exist_ok=True)
    if main_pid(unit):
        return 0
    u = parse_unit(files)
    if u is None or not u["start"]:
        err("Failed to start %s: Unit %s has a bad unit file setting." % (unit, unit))
        return 1
    env = dict(os.environ)
    env.update({"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin", "LANG": "C.UTF-8"})
    for k in ("SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "NOTIFY_SOCKET"):
        env.pop(k, None)
    env.update(u["env"])
    log = open(log_path(unit), "a")
    status = []
    for line in u["pre"]:
        argv, ignore = expand(line, env)
        pid, rc, ok = run_control(argv, env, log, ignore)
        status.append("  Process: %d ExecStartPre=%s (code=exited, status=%s)" % (pid, line, status_word(rc)))
        if not ok:
            write(os.path.join(ST, unit), "failed\n")
            write(os.path.join(ST, unit + ".status"), "\n".join(status) + "\n")
            return job_failed(unit)
    argv, _ = expand(u["start"], env)
    notify = None
    path = "/run/sandbox/notify-%s.sock" % unit
    if u["type"] == "notify":
        try:
            os.unlink(path)
        except OSError:
            pass
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(path)
        env["NOTIFY_SOCKET"] = path
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd="/",
                             start_new_session=True, close_fds=True)
    except OSError:
        write(os.path.join(ST, unit), "failed\n")
        return job_failed(unit) if u["type"] in ("notify", "forking", "oneshot") else 0
    write(os.path.join(ST, unit), "active %d\n" % p.pid)
    write(os.path.join(ST, unit + ".status"), "\n".join(status) + ("\n" if status else ""))
    if notify is None:
        return 0
    deadline = time.time() + 90
    notify.settimeout(0.1)
    try:
        while time.time() < deadline:
            try:
                msg = notify.recv(4096).decode(errors="replace")
                if "READY=1" in msg.split("\n"):
                    return 0
            except socket.timeout:
                pass
            if p.poll() is not None:
                write(os.path.join(ST, unit), "failed\n")
                status.append("  Process: %d ExecStart=%s (code=exited, status=%s)" % (
                    p.pid, u["start"], status_word(p.returncode)))
                write(os.path.join(ST, unit + ".status"), "\n".join(status) + "\n")
                return job_failed(unit)
        os.kill(p.pid, signal.SIGKILL)
        write(os.path.join(ST, unit), "failed\n")
        err("Job for %s failed because a timeout was exceeded." % unit)
        err('See "systemctl status %s" and "journalctl -xe" for details.' % unit)
        return 1
    finally:
        notify.close()
        try:
            os.unlink(path)
        except OSError:
            pass


def cmd_stop(unit):
    pid = main_pid(unit)
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
        for _ in range(100):
            if not os.path.exists("/proc/%d" % pid) or is_zombie(pid):
                break
            time.sleep(0.05)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    for f in (unit, unit + ".status"):
        try:
            os.unlink(os.path.join(ST, f))
        except OSError:
            pass
    return 0


def is_zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def cmd_reload(unit, files):
    u = parse_unit(files)
    pid = main_pid(unit)
    if u is None:
        return job_failed(unit)
    env = dict(os.environ)
    env.update(u["env"])
    env["MAINPID"] = str(pid or "")
    log = open(log_path(unit), "a")
    for line in u["reload"]:
        argv, ignore = expand(line, env)
        _, _, ok = run_control(argv, env, log, ignore)
        if not ok:
            return job_failed(unit)
    return 0


def write(path, text):
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.rename(path + ".tmp", path)


def main(argv):
    verb, unit = argv[1], argv[2]
    if verb == "start":
        return cmd_start(unit, argv[3:])
    if verb == "stop":
        return cmd_stop(unit)
    if verb == "reload":
        return cmd_reload(unit, argv[3:])
    err("service.py: unknown verb %s" % verb)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
