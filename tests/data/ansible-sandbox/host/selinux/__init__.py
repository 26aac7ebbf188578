"""libselinux's Python bindings, as far as Ansible uses them, over the sandbox
stand-ins' state: the runtime mode in /run/sandbox/selinux/enforce (1, 0 or
disabled; what getenforce/setenforce read and write) and /etc/selinux/config.
For ansible-playbook runs on sandbox hosts only (tests/data/ansible-sandbox)."""
import subprocess

_ENFORCE = "/run/sandbox/selinux/enforce"
_CONFIG = "/etc/selinux/config"


def _runtime():
    try:
        with open(_ENFORCE) as f:
            return f.read().strip()
    except OSError:
        return "disabled"


def _config(key, default):
    try:
        with open(_CONFIG) as f:
            for line in f:
                line = line.strip()
                if line.startswith(key + "="):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return default


def is_selinux_enabled():
    return 1 if _runtime() in ("0", "1") else 0


def is_selinux_mls_enabled():
    return 0


def security_getenforce():
    v = _runtime()
    if v not in ("0", "1"):
        raise OSError(2, "No such file or directory")
    return int(v)


def security_setenforce(mode):
    if subprocess.call(["setenforce", str(int(mode))]) != 0:
        raise OSError(13, "Permission denied")
    return 0


def security_policyvers():
    return 33


def selinux_getenforcemode():
    return [0, {"enforcing": 1, "permissive": 0}.get(_config("SELINUX", "disabled").lower(), -1)]


def selinux_getpolicytype():
    return [0, _config("SELINUXTYPE", "targeted")]
