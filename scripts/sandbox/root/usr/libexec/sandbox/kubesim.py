# kubesim: the sandbox hosts' Kubernetes stand-ins (kubeadm, kubectl, kubelet, crictl) and
# the kube-apiserver stand-in they talk to. The payload programs /usr/bin/kubeadm,
# /usr/bin/kubectl, /usr/bin/kubelet and /usr/bin/crictl are thin wrappers that call main().
#
# How a cluster is simulated (see scripts/sandbox/README.md, "Kubernetes"):
# - `kubeadm init` does what the real one does on the host's disk: /etc/kubernetes/pki (a
#   real CA made with openssl: the discovery hash is the real one), the kubeconfig files,
#   the static Pod manifests, /var/lib/kubelet/config.yaml and kubeadm-flags.env; the
#   cluster's state (the "etcd" database: tokens, nodes, applied objects) is shared by the
#   members of the stacked etcd cluster in a directory of the fleet every host sees (see "the
#   store" below); /var/lib/etcd/member/sandbox-store.json on a control plane links to it.
# - Each control plane runs an etcd member stand-in process and an API server stand-in over that
#   state; without a quorum of running members the API servers answer etcd's timeout.
# - Like the kubelet running the kube-apiserver static Pod, `kubeadm init`, and afterwards
#   `systemctl start kubelet` (hence a boot of the host), start the API server stand-in:
#   a Python HTTPS server on ADVERTISE_ADDRESS:6443 (the host's own 127.0.N.X), serving
#   with the cluster's certificates and authenticating clients by their certificates
#   (signed by the cluster CA) or bootstrap tokens. It is a process inside the control-plane
#   host: `sandbox-fleet stop-host`/`down` kill it, `kubeadm reset` stops it.
# - Other hosts reach it only over the network, as real ones do: `kubeadm join` fetches the
#   cluster-info ConfigMap without trusting the server, checks the token's JWS signature
#   and the CA pin, sends a CSR the API server signs with the cluster CA, and writes the
#   node's kubelet.conf and certificate. kubectl uses the kubeconfig's CA and client cert.
# - Node status: on every start/stop/restart of kubelet or crio (hence also at boot),
#   systemctl runs `kubesim kubelet-sync`, which posts the node's state (kubelet running,
#   crio active, a CNI configuration in /etc/cni/net.d) with the node's client certificate,
#   as a kubelet's status update. A node is Ready when its kubelet runs, crio is active and
#   it has a CNI configuration or a pod network DaemonSet (Calico, Flannel, ...) was applied.
import fcntl
import importlib.util
import json
import os
import re
import signal
import sys
import threading
import time


def lazy_import(name):
    """`name`, loaded on its first use. A real crictl or kubectl starts in milliseconds; importing
    what every command might need (TLS, HTTP, YAML, hashes) took a Python stand-in a tenth of a
    second or more per call, which the programs a watch or a check runs on every cycle pay."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module


def load_lazy_modules():
    """Loads every lazily imported module now: Python 3.11's LazyLoader is not thread-safe (two
    threads touching a module first at once can see it half made), so the API server, which
    serves each connection on its own thread, loads them before its first thread starts."""
    for m in (base64, datetime, hashlib, hmac, http.client, http.server, secrets, shutil, socket, ssl,
              subprocess, tempfile, yaml):
        getattr(m, "__name__")


base64 = lazy_import("base64")
datetime = lazy_import("datetime")
hashlib = lazy_import("hashlib")
hmac = lazy_import("hmac")
http = lazy_import("http")
lazy_import("http.client")
lazy_import("http.server")
secrets = lazy_import("secrets")
shutil = lazy_import("shutil")
socket = lazy_import("socket")
ssl = lazy_import("ssl")
subprocess = lazy_import("subprocess")
tempfile = lazy_import("tempfile")

yaml = lazy_import("yaml")

K8S = "/etc/kubernetes"
PKI = K8S + "/pki"
MANIFESTS = K8S + "/manifests"
KUBELET_DIR = "/var/lib/kubelet"
STORE_DIR = "/var/lib/etcd/member"
STORE = STORE_DIR + "/sandbox-store.json"
APISERVER_PID = "/run/sandbox/kube-apiserver.pid"
APISERVER_LOG = "/var/log/sandbox-kube-apiserver.log"
RUNNING_KUBELET = "/run/sandbox/kubelet-running-version"
CRIO_SOCK = "unix:///var/run/crio/crio.sock"
STACK = "To see the stack trace of this error execute with --v=5 or higher"
KUSTOMIZE = "v5.0.4-0.20230601165947-6ce0bf390ce3"
SELF = os.path.abspath(__file__)
PY = "/usr/bin/python3"


class Fail(Exception):
    """An error the program reports (text already formatted) and exits with."""

    def __init__(self, text, rc=1):
        super().__init__(text)
        self.text, self.rc = text, rc


def err(*lines):
    for line in lines:
        sys.stderr.write(line + "\n")


def out(text=""):
    sys.stdout.write(text + "\n")


def now():
    return time.time()


def rfc3339(t):
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def minor(v):
    return vtuple(v)[1]


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        if default is None:
            raise
        return default


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".sandbox-tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def run(*cmd, check=True, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise Fail("sandbox: %s failed: %s" % (" ".join(cmd), p.stderr.strip()))
    return p


def hardware():
    hw = {}
    for line in read("/etc/sandbox/hardware", "").splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            hw[k.strip()] = v.strip()
    return hw


def host_ip():
    return hardware().get("ip", "127.0.0.1")


def hostname():
    return socket.gethostname().lower()


def unit_active(unit):
    p = subprocess.run(["systemctl", "is-active", unit], capture_output=True, text=True)
    return p.stdout.strip() == "active"


_CRICTL_UNITS = None


def crictl_units_active():
    """(crio active, kubelet active) for one crictl call: one systemctl for both (a crictl changes
    neither)."""
    global _CRICTL_UNITS
    if _CRICTL_UNITS is None:
        p = subprocess.run(["systemctl", "is-active", "crio", "kubelet"], capture_output=True, text=True)
        states = p.stdout.split()
        _CRICTL_UNITS = (states[0:1] == ["active"], states[1:2] == ["active"])
    return _CRICTL_UNITS


def sha256(data=b""):
    """hashlib.sha256, from Python's own module when it has one: loading OpenSSL's (hashlib's
    default) costs a stand-in call 15 ms more."""
    try:
        from _sha256 import sha256 as own
    except ImportError:
        own = hashlib.sha256
    return own(data)


def package_version(path, pattern):
    m = re.search(pattern, read(path, ""), re.M)
    return m.group(1) if m else None


def kubelet_version():
    return package_version("/usr/bin/kubelet", r'^VERSION = "([^"]+)"')


def running_kubelet_version():
    """The version of the kubelet that runs: the installed package's when the unit last (re)started.
    Upgrading the kubelet package changes nothing until `systemctl restart kubelet`."""
    unit = read("/run/sandbox/units/kubelet.service", "").split()
    installed = kubelet_version()
    if not unit or unit[0] != "active":
        return installed
    rec = read(RUNNING_KUBELET, "").split()
    if len(rec) == 2 and rec[0] == unit[1]:
        return rec[1]
    if installed:
        write(RUNNING_KUBELET, "%s %s\n" % (unit[1], installed))
    return installed


def crio_version():
    return package_version("/usr/bin/crio", r"crio version ([0-9][0-9.]*)")


def os_image():
    name = "Linux"
    for line in read("/etc/os-release", "").splitlines():
        if line.startswith("PRETTY_NAME="):
            name = line.split("=", 1)[1].strip('"')
    return name


def swap_on():
    lines = read("/proc/swaps", "").splitlines()
    return len(lines) > 1


def cni_configured():
    try:
        return any(re.search(r"\.(conf|conflist|json)$", f) for f in os.listdir("/etc/cni/net.d"))
    except OSError:
        return False


def human_duration(seconds):
    """k8s.io/apimachinery duration.HumanDuration, as kubectl's AGE column."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return "%ds" % s
    m = s // 60
    if m < 10:
        return "%dm" % m if s % 60 == 0 else "%dm%ds" % (m, s % 60)
    if m < 180:
        return "%dm" % m
    h = s // 3600
    if h < 8:
        return "%dh" % h if m % 60 == 0 else "%dh%dm" % (h, m % 60)
    if h < 48:
        return "%dh" % h
    if h < 24 * 8:
        return "%dd" % (h // 24) if h % 24 == 0 else "%dd%dh" % (h // 24, h % 24)
    if h < 24 * 365 * 2:
        return "%dd" % (h // 24)
    if h < 24 * 365 * 8:
        dy = (h // 24) % 365
        return "%dy" % (h // 24 // 365) if dy == 0 else "%dy%dd" % (h // 24 // 365, dy)
    return "%dy" % (h // 24 // 365)


def parse_duration(text):
    """A Go duration (24h0m0s, 2h, 30m, 0 = never) -> seconds."""
    if text in ("0", "0s"):
        return 0
    total, pos = 0.0, 0
    for m in re.finditer(r"(\d+(?:\.\d+)?)(h|ms|m|s)", text):
        if m.start() != pos:
            break
        total += float(m.group(1)) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        raise Fail('invalid argument "%s" for "--ttl" flag: time: invalid duration "%s"' % (text, text))
    return total


def go_duration(seconds):
    s = int(seconds)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    if h:
        return "%dh%dm%ds" % (h, m, s)
    if m:
        return "%dm%ds" % (m, s)
    return "%ds" % s


def table(rows, pad=3):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [c.ljust(widths[i] + pad) if i < len(r) - 1 else c for i, c in enumerate(r)]
        lines.append("".join(cells))
    return "\n".join(lines)


# ---------------------------------------------------------------- certificates

def openssl(*args, stdin=None):
    return run("openssl", *args, stdin=stdin).stdout


CERT_VALIDITY = "/etc/sandbox/cert-validity"
LOADED_CERTS = "/run/sandbox/static-pods"


def cert_validity():
    """Seconds a leaf certificate lives: /etc/sandbox/cert-validity (days, or Ns Nm Nh Nd), else kubeadm's 365 days."""
    text = read(CERT_VALIDITY, "").strip()
    if not text:
        return 365 * 86400
    m = re.match(r"^(\d+)([smhd]?)$", text)
    if not m or int(m.group(1)) == 0:
        raise Fail("sandbox: %s: bad certificate validity %r (days, or Ns, Nm, Nh, Nd)" % (CERT_VALIDITY, text))
    return int(m.group(1)) * {"": 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}[m.group(2)]


def x509_sign(csr, ca, d, ext=None, copy=False):
    """Signs the CSR file with CA (a path without .crt/.key) for cert_validity() -> PEM. Whole days:
    `openssl x509 -req -days`; otherwise `openssl ca` with the exact -enddate (x509 -req counts in days)."""
    secs = cert_validity()
    if secs % 86400 == 0:
        args = ["x509", "-req", "-in", csr, "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-set_serial", str(secrets.randbits(63)), "-days", str(secs // 86400), "-sha256"]
        args += ["-extfile", ext] if ext else []
        args += ["-copy_extensions", "copyall"] if copy else []
        return openssl(*args)
    write(d + "/index", "")
    write(d + "/serial", "%016X\n" % secrets.randbits(63))
    write(d + "/ca.cnf", "[ca]\ndefault_ca = sb\n[sb]\ndatabase = %s/index\nnew_certs_dir = %s\nserial = %s/serial\n"
          "default_md = sha256\npolicy = any\nunique_subject = no\n%s[any]\ncommonName = optional\n"
          "organizationName = optional\n" % (d, d, d, "copy_extensions = copyall\n" if copy else ""))
    args = ["ca", "-batch", "-config", d + "/ca.cnf", "-in", csr, "-cert", ca + ".crt", "-keyfile", ca + ".key",
            "-preserveDN", "-notext", "-enddate", time.strftime("%Y%m%d%H%M%SZ", time.gmtime(now() + secs)),
            "-out", d + "/signed.crt"]
    args += ["-extfile", ext] if ext else []
    openssl(*args)
    return read(d + "/signed.crt")


def cert_not_after(pem):
    """-> NotAfter (epoch seconds) of a PEM certificate, as `openssl x509 -noout -enddate` reads it."""
    return ssl.cert_time_to_seconds(openssl("x509", "-noout", "-enddate", stdin=pem).strip().split("=", 1)[1])


def new_ca(path, cn, rsa=True):
    if rsa:
        openssl("genrsa", "-out", path + ".key", "2048")
    else:
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", path + ".key")
    openssl("req", "-x509", "-new", "-key", path + ".key", "-subj", "/CN=" + cn, "-days", "3650", "-sha256",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
            "-out", path + ".crt")
    os.chmod(path + ".key", 0o600)


def sign_csr(csr_pem, ca, sans=None, server=False):
    """Signs CSR_PEM with CA (a path without .crt/.key) for cert_validity() -> certificate PEM."""
    with tempfile.TemporaryDirectory(dir="/run") as d:
        write(d + "/csr", csr_pem)
        ext = ["keyUsage=critical,digitalSignature,keyEncipherment",
               "extendedKeyUsage=" + {True: "serverAuth", False: "clientAuth", "both": "serverAuth,clientAuth"}[server],
               "basicConstraints=critical,CA:FALSE"]
        if sans:
            ext.append("subjectAltName=" + ",".join(sans))
        write(d + "/ext", "\n".join(ext) + "\n")
        return x509_sign(d + "/csr", ca, d, ext=d + "/ext")


def new_key_csr(keypath, subj):
    openssl("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", keypath)
    os.chmod(keypath, 0o600)
    return openssl("req", "-new", "-key", keypath, "-subj", subj)


def new_leaf(path, ca, subj, sans=None, server=False):
    csr = new_key_csr(path + ".key", subj)
    write(path + ".crt", sign_csr(csr, ca, sans=sans, server=server))


def ca_hash(cert_pem):
    """sha256:<hex> of the DER SubjectPublicKeyInfo, as kubeadm's pubkeypin."""
    pub = openssl("x509", "-pubkey", "-noout", stdin=cert_pem)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub.encode(),
                         capture_output=True).stdout
    return "sha256:" + sha256(der).hexdigest()


def cert_cn(cert_pem):
    subj = openssl("x509", "-noout", "-subject", "-nameopt", "RFC2253", stdin=cert_pem)
    m = re.search(r"CN=([^,\n]+)", subj)
    return m.group(1) if m else ""


def b64(text):
    return base64.b64encode(text.encode()).decode()


def kubeconfig(server, ca_pem, user, cert_pem=None, key_pem=None, cert_file=None, key_file=None, token=None,
               cluster="kubernetes"):
    u = {}
    if cert_pem:
        u = {"client-certificate-data": b64(cert_pem), "client-key-data": b64(key_pem)}
    elif cert_file:
        u = {"client-certificate": cert_file, "client-key": key_file}
    elif token:
        u = {"token": token}
    ctx = "%s@%s" % (user, cluster)
    return yaml.safe_dump({
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": b64(ca_pem), "server": server}, "name": cluster}],
        "contexts": [{"context": {"cluster": cluster, "user": user}, "name": ctx}],
        "current-context": ctx, "kind": "Config", "preferences": {},
        "users": [{"name": user, "user": u}]}, default_flow_style=False, sort_keys=False)


# ---------------------------------------------------------------- talking to the API server

class Conn:
    """A client of the API server stand-in, from a kubeconfig (or insecure, for discovery)."""

    def __init__(self, server, ca_pem=None, cert_pem=None, key_pem=None, token=None, timeout=10):
        m = re.match(r"^https?://([^/:]+|\[[^\]]+\]):?(\d+)?", server)
        if not m:
            raise Fail("sandbox: bad server URL %s" % server)
        self.server, self.host, self.port = server, m.group(1).strip("[]"), int(m.group(2) or 443)
        self.token, self.timeout = token, timeout
        if ca_pem is None:
            self.ctx = ssl._create_unverified_context()
        else:
            self.ctx = ssl.create_default_context(cadata=ca_pem)
        if cert_pem:
            fd, self.pemfile = tempfile.mkstemp(dir="/run" if os.access("/run", os.W_OK) else None)
            os.write(fd, (cert_pem + "\n" + key_pem).encode())
            os.close(fd)
            try:
                self.ctx.load_cert_chain(self.pemfile)
            finally:
                os.unlink(self.pemfile)

    def hostport(self):
        return "%s:%d" % (self.host, self.port)

    def request(self, method, path, body=None):
        """-> (status, parsed JSON). Raises OSError/ssl errors on connection problems."""
        c = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=self.timeout)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        try:
            c.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            r = c.getresponse()
            data = r.read()
        finally:
            c.close()
        try:
            return r.status, json.loads(data or b"{}")
        except ValueError:
            return r.status, {"message": data.decode(errors="replace")}


def component_cert_pem(rel):
    """The certificate a control-plane component reads: PKI/REL.crt or the one embedded in K8S/REL (a kubeconfig)."""
    if rel.endswith(".conf"):
        u = ((yaml.safe_load(read(K8S + "/" + rel, "")) or {}).get("users") or [{}])[0].get("user") or {}
        return base64.b64decode(u.get("client-certificate-data", "")).decode()
    return read(PKI + "/" + rel + ".crt", "")


def record_loaded(comp):
    """The component's container (re)started: it loaded the certificates on disk now, and keeps them until its
    next start (/run/sandbox/static-pods/COMP.certs: one line per certificate, serial and notAfter)."""
    lines = []
    for label, rel in RENEW.get(comp, []):
        pem = component_cert_pem(rel)
        if pem:
            info = openssl("x509", "-noout", "-serial", "-enddate", stdin=pem).split()
            lines.append("%s %s" % (label, " ".join(info)))
    write("%s/%s.certs" % (LOADED_CERTS, comp), "\n".join(lines) + "\n")


def restart_static_pod(comp):
    """The kubelet restarts a static pod's container (a new attempt, a new container ID) with the files on disk."""
    n = int(read("%s/%s.restarts" % (LOADED_CERTS, comp), "0").strip() or 0)
    write("%s/%s.restarts" % (LOADED_CERTS, comp), "%d\n" % (n + 1))
    if comp == "kube-apiserver":
        stop_apiserver()
        if unit_active("kubelet") and unit_active("crio"):
            ensure_apiserver(wait=True)
    else:
        record_loaded(comp)
        if comp == "etcd" and etcd_pid() is not None:
            stop_etcd()
            ensure_etcd()


KUBELET_CLIENT = KUBELET_DIR + "/pki/kubelet-client-current.pem"


def write_kubelet_client(pem):
    """The kubelet's certificate store (client-go util/certificate): kubelet-client-DATE.pem, and the
    kubelet-client-current.pem symlink switched to it."""
    path = KUBELET_DIR + "/pki/kubelet-client-%s.pem" % time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
    write(path, pem, 0o600)
    tmp = KUBELET_CLIENT + ".sandbox-tmp"
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(path, tmp)
    os.replace(tmp, KUBELET_CLIENT)


def rotate_kubelet_client(c):
    """rotateCertificates: a new key and CSR once the client certificate is in the last 20% of its life
    (the real kubelet picks a jittered 70-90%), signed by the cluster CA through the API server."""
    try:
        if not (yaml.safe_load(read(KUBELET_DIR + "/config.yaml", "")) or {}).get("rotateCertificates"):
            return
        pem = read(KUBELET_CLIENT)
        start = ssl.cert_time_to_seconds(openssl("x509", "-noout", "-startdate", stdin=pem).strip().split("=", 1)[1])
        end = cert_not_after(pem)
    except (OSError, Fail, ValueError, IndexError):
        return
    if now() < start + 0.8 * (end - start) or now() >= end:
        return  # not due yet; or expired: the real kubelet cannot rotate with it either
    subj = "/" + openssl("x509", "-noout", "-subject", "-nameopt", "compat", stdin=pem).strip().split("=", 1)[1].lstrip("/")
    with tempfile.TemporaryDirectory(dir="/run") as d:
        csr = new_key_csr(d + "/k", subj)
        code, b = c.request("POST", "/sandbox/rotate", {"csr": csr})
        if code == 200:
            write_kubelet_client(b["cert"] + read(d + "/k"))


def x509_error(e, conn):
    """Go's crypto/x509 text for a failed verification of the server's certificate."""
    if getattr(e, "verify_code", None) == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        try:
            not_after = rfc3339(cert_not_after(ssl.get_server_certificate((conn.host, conn.port), timeout=5)))
        except (OSError, ssl.SSLError, Fail, ValueError, IndexError):
            not_after = "?"
        return "x509: certificate has expired or is not yet valid: current time %s is after %s" % (rfc3339(now()), not_after)
    if "hostname" in str(e) or "IP address mismatch" in str(e):
        return "x509: certificate is valid for other names, not %s" % conn.host
    return "x509: certificate signed by unknown authority"


def conn_error_text(e, conn, method, path):
    """How Go's net/http reports a failed request, as kubectl/kubeadm print it."""
    url = "%s%s" % (conn.server.rstrip("/"), path)
    if isinstance(e, ConnectionRefusedError):
        return '%s "%s": dial tcp %s: connect: connection refused' % (method.capitalize(), url, conn.hostport())
    if isinstance(e, ssl.SSLCertVerificationError):
        return '%s "%s": tls: failed to verify certificate: %s' % (method.capitalize(), url, x509_error(e, conn))
    if isinstance(e, socket.gaierror):
        return '%s "%s": dial tcp: lookup %s: no such host' % (method.capitalize(), url, conn.host)
    if isinstance(e, (socket.timeout, TimeoutError)):
        return '%s "%s": dial tcp %s: i/o timeout' % (method.capitalize(), url, conn.hostport())
    return '%s "%s": %s' % (method.capitalize(), url, e)


def load_kubeconfig(path):
    try:
        cfg = yaml.safe_load(read(path)) or {}
    except OSError as e:
        raise Fail("error: stat %s: no such file or directory" % path) from e
    ctxname = cfg.get("current-context")
    ctx = next((c["context"] for c in cfg.get("contexts") or [] if c.get("name") == ctxname), None)
    if ctx is None:
        return None
    cl = next((c["cluster"] for c in cfg.get("clusters") or [] if c.get("name") == ctx.get("cluster")), {})
    us = next((u["user"] for u in cfg.get("users") or [] if u.get("name") == ctx.get("user")), {}) or {}

    def data(d, key):
        if d.get(key + "-data"):
            return base64.b64decode(d[key + "-data"]).decode()
        if d.get(key):
            return read(d[key], "")
        return None
    ca = data(cl, "certificate-authority")
    cert, key = data(us, "client-certificate"), data(us, "client-key")
    return Conn(cl.get("server", ""), ca_pem=ca, cert_pem=cert, key_pem=key, token=us.get("token"))


# ---------------------------------------------------------------- YAML documents

def load_docs(text, source):
    try:
        return [d for d in yaml.safe_load_all(text) if d]
    except yaml.YAMLError as e:
        raise Fail("error: error parsing %s: %s" % (source, str(e).splitlines()[0])) from e


# kind -> (resource, group, namespaced); group "" = core
BUILTIN = {
    "Namespace": ("namespace", "", False), "ServiceAccount": ("serviceaccount", "", True),
    "ConfigMap": ("configmap", "", True), "Secret": ("secret", "", True), "Service": ("service", "", True),
    "Pod": ("pod", "", True), "Node": ("node", "", False), "PersistentVolume": ("persistentvolume", "", False),
    "PersistentVolumeClaim": ("persistentvolumeclaim", "", True), "Endpoints": ("endpoints", "", True),
    "LimitRange": ("limitrange", "", True), "ResourceQuota": ("resourcequota", "", True),
    "Deployment": ("deployment", "apps", True), "DaemonSet": ("daemonset", "apps", True),
    "StatefulSet": ("statefulset", "apps", True), "ReplicaSet": ("replicaset", "apps", True),
    "Job": ("job", "batch", True), "CronJob": ("cronjob", "batch", True),
    "ClusterRole": ("clusterrole", "rbac.authorization.k8s.io", False),
    "ClusterRoleBinding": ("clusterrolebinding", "rbac.authorization.k8s.io", False),
    "Role": ("role", "rbac.authorization.k8s.io", True), "RoleBinding": ("rolebinding", "rbac.authorization.k8s.io", True),
    "CustomResourceDefinition": ("customresourcedefinition", "apiextensions.k8s.io", False),
    "PodDisruptionBudget": ("poddisruptionbudget", "policy", True),
    "PriorityClass": ("priorityclass", "scheduling.k8s.io", False),
    "StorageClass": ("storageclass", "storage.k8s.io", False),
    "Ingress": ("ingress", "networking.k8s.io", True), "NetworkPolicy": ("networkpolicy", "networking.k8s.io", True),
    "IngressClass": ("ingressclass", "networking.k8s.io", False),
    "ValidatingWebhookConfiguration": ("validatingwebhookconfiguration", "admissionregistration.k8s.io", False),
    "MutatingWebhookConfiguration": ("mutatingwebhookconfiguration", "admissionregistration.k8s.io", False),
    "APIService": ("apiservice", "apiregistration.k8s.io", False),
    "HorizontalPodAutoscaler": ("horizontalpodautoscaler", "autoscaling", True),
}
# DaemonSets whose pods give every node a CNI configuration (the pod network add-ons).
CNI_DAEMONSETS = {"calico-node": "calico", "kube-flannel-ds": "flannel", "cilium": "cilium",
                  "weave-net": "weave", "kube-router": "kube-router", "canal": "canal"}


# ---------------------------------------------------------------- the store (the etcd cluster's data)
#
# The cluster's state is one JSON document shared by every member of the stacked etcd cluster:
# CLUSTER_DIR/store.json, where CLUSTER_DIR is a directory of the fleet that every host sees
# (FLEET_DIR/hosts/.sandbox-etcd/CLUSTER_UID: the fleet's hosts/ tmpfs, found through this
# host's /etc overlay in /proc/self/mountinfo). On each member's host
# /var/lib/etcd/member/sandbox-store.json is a symlink to it and
# /var/lib/etcd/member/sandbox-member.json names the cluster directory and the member.
# CLUSTER_DIR/members.json is etcd's membership (IDs, names, URLs, learners); a member is
# alive while its host's etcd stand-in process runs (`kubesim.py etcd ...`, started with the
# API server as the kubelet starts the etcd static Pod; the hosts share one PID namespace, so
# /proc shows every host's). Raft needs a majority of the voting members alive: without it
# the API servers answer as a real one whose etcd lost quorum, and etcdctl times out.

MEMBER_FILE = STORE_DIR + "/sandbox-member.json"
ETCD_PID = "/run/sandbox/etcd.pid"
ETCD_LOG = "/var/log/sandbox-etcd.log"
ETCD_MARK = "sandbox-etcd-member"


def fleet_shared_root():
    """FLEET_DIR/hosts/.sandbox-etcd, a directory every host of the fleet sees (None: not reachable)."""
    for line in read("/proc/self/mountinfo", "").splitlines():
        m = re.search(r" /etc \S+ .*upperdir=([^,\s]+)/hosts/[^/,\s]+/upper/etc(,|\s|$)", line)
        if m:
            root = m.group(1) + "/hosts/.sandbox-etcd"
            try:
                os.makedirs(root, mode=0o700, exist_ok=True)
                return root
            except OSError:
                return None
    return None


def local_member():
    """This host's member of a stacked etcd cluster: {"cluster": DIR, "id": N, "name": NODE} or None."""
    try:
        return json.loads(read(MEMBER_FILE))
    except (OSError, ValueError):
        return None


def store_path():
    """The real path of the store (the cluster directory's store.json)."""
    return os.path.realpath(STORE)


class Locked:
    """flock on PATH for a with-block (between the hosts too: one file system)."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        self.f = open(self.path, "a")
        fcntl.flock(self.f, fcntl.LOCK_EX)
        return self

    def __exit__(self, *a):
        self.f.close()


def members_load(cdir):
    try:
        return json.loads(read(cdir + "/members.json"))
    except (OSError, ValueError):
        return {"clusterID": 0, "members": []}


def members_save(cdir, data):
    write(cdir + "/members.json", json.dumps(data, indent=1, sort_keys=True), 0o600)


def member_alive(m):
    """A member is alive while its etcd stand-in process runs (any host's: one PID namespace)."""
    pid = m.get("pid")
    if not pid:
        return False
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read()
    except OSError:
        return False
    return ETCD_MARK.encode() in cmd and ("%016x" % m["id"]).encode() in cmd


def quorum_state(cdir):
    """(has quorum, voting members, alive voting members) of the cluster in CDIR."""
    voting = [m for m in members_load(cdir)["members"] if not m.get("isLearner")]
    alive = [m for m in voting if member_alive(m)]
    return len(alive) >= len(voting) // 2 + 1, voting, alive


def cluster_quorum():
    """Whether this host's API server can reach its etcd: the local member alive and the cluster
    with quorum (no stacked member here: True)."""
    me = local_member()
    if not me or not os.path.isdir(me["cluster"]):
        return True
    mine = next((m for m in members_load(me["cluster"])["members"] if m["id"] == me["id"]), None)
    if mine is None or not member_alive(mine):
        return False
    return quorum_state(me["cluster"])[0]


def new_cluster(node, adv):
    """kubeadm init's etcd: a new cluster directory with one member (this node) -> the directory."""
    uid = secrets.token_hex(8)
    root = fleet_shared_root()
    cdir = (root + "/" + uid) if root else STORE_DIR + "/cluster-" + uid
    os.makedirs(cdir, mode=0o700, exist_ok=True)
    mid = secrets.randbits(63) | 1 << 62
    members_save(cdir, {"clusterID": secrets.randbits(63) | 1 << 62, "members": [
        {"id": mid, "name": node, "peerURLs": ["https://%s:2380" % adv], "clientURLs": ["https://%s:2379" % adv],
         "isLearner": False, "host": hostname()}]})
    link_member(cdir, mid, node)
    return cdir


def link_member(cdir, mid, node):
    """This host's data directory points at the cluster: the member file and the store symlink."""
    os.makedirs(STORE_DIR, mode=0o700, exist_ok=True)
    write(MEMBER_FILE, json.dumps({"cluster": cdir, "id": mid, "name": node}) + "\n", 0o600)
    if os.path.lexists(STORE):
        os.unlink(STORE)
    os.symlink(cdir + "/store.json", STORE)


def etcd_pid():
    try:
        pid = int(read(ETCD_PID).strip())
        if ETCD_MARK in read("/proc/%d/cmdline" % pid, "").replace("\0", " "):
            return pid
    except (OSError, ValueError):
        pass
    return None


def ensure_etcd():
    """Starts this host's etcd member (as the kubelet runs the etcd static Pod), records its pid."""
    me = local_member()
    if not me or not os.path.exists(MANIFESTS + "/etcd.yaml") or not os.path.isdir(me["cluster"]):
        return False
    os.makedirs("/run/sandbox", exist_ok=True)
    with Locked("/run/sandbox/etcd.lock"):
        return start_etcd(me)


def start_etcd(me):
    if etcd_pid() is not None:
        return True
    if not any(m["id"] == me["id"] for m in members_load(me["cluster"])["members"]):
        return False  # removed from the cluster: the real etcd exits at once ("the member has been permanently removed")
    log = open(ETCD_LOG, "a")
    p = subprocess.Popen([PY, "-I", SELF, "etcd", ETCD_MARK, "%016x" % me["id"], me["cluster"], host_ip()],
                         stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True, cwd="/")
    write(ETCD_PID, "%d\n" % p.pid)
    with Locked(me["cluster"] + "/members.lock"):
        data = members_load(me["cluster"])
        for m in data["members"]:
            if m["id"] == me["id"]:
                m["pid"] = p.pid
                m["name"] = me["name"]  # a started member publishes its name
                m["host"] = hostname()
        members_save(me["cluster"], data)
    return True


def stop_etcd():
    pid = etcd_pid()
    if pid:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    try:
        os.unlink(ETCD_PID)
    except OSError:
        pass


def etcd_main(args):
    """The etcd stand-in process of one member: it holds the member's client and peer ports
    (ADDR:2379, ADDR:2380) while it lives; its being alive is what makes the member healthy."""
    addr = args[3] if len(args) > 3 else "127.0.0.1"
    socks = []
    for port in (2379, 2380):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((addr, port))
            s.listen(16)
            socks.append(s)
        except OSError as e:
            sys.stderr.write('{"level":"fatal","msg":"listen tcp %s:%d: bind: %s"}\n' % (addr, port, e.strerror.lower()))
            return 1
    import select
    while True:
        ready, _, _ = select.select(socks, [], [], 3600)
        for s in ready:
            try:
                c, _ = s.accept()
                c.close()
            except OSError:
                pass


def store_load():
    with open(STORE) as f:
        return json.load(f)


def store_save(st):
    st["revision"] = int(st.get("revision") or 1) + 1  # etcd's revision: one more per write
    write(store_path(), json.dumps(st, indent=1, sort_keys=True), 0o600)


def valid_tokens(st):
    t = now()
    return [k for k in st["tokens"] if not k.get("expires") or k["expires"] > t]


def jws(secret, tid, payload):
    """A detached JWS (HS256) of PAYLOAD keyed by the token secret, as cluster-info holds."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": tid}, separators=(",", ":")).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(payload.encode()).rstrip(b"=")
    sig = hmac.new(secret.encode(), header + b"." + body, hashlib.sha256).digest()
    return header.decode() + ".." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def node_ready(st, n):
    cni = n.get("cni") or any(CNI_DAEMONSETS.get(o["name"]) for o in st["objects"]
                              if o["kind"] == "DaemonSet")
    if not n.get("kubelet"):
        return "Unknown" if n.get("everReady") else "False", "NodeStatusUnknown", "Kubelet stopped posting node status."
    if not n.get("runtime"):
        return "False", "KubeletNotReady", "container runtime is down"
    if not cni:
        return ("False", "KubeletNotReady",
                "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                "message:Network plugin returns error: No CNI configuration file in /etc/cni/net.d/. "
                "Has your network provider started?")
    return "True", "KubeletReady", "kubelet is posting ready status"


def node_annotations(n):
    """A node's metadata.annotations: the two every real node carries (the kubelet's
    controller-managed-attach-detach, the TTL controller's ttl) and those set with kubectl annotate."""
    ann = {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
    ann.update(n.get("annotations") or {})
    return ann


def node_object(st, name, n):
    status, reason, message = node_ready(st, n)
    created = rfc3339(n["created"])
    hb = rfc3339(n.get("heartbeat", n["created"]))
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    taints = []
    if n.get("controlPlane"):
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        taints.append({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"})
    if status != "True":
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"})
    if n.get("unschedulable"):
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable",
                       "timeAdded": rfc3339(n.get("cordoned", n["created"]))})
    spec = {}
    if n.get("unschedulable"):
        spec["unschedulable"] = True
    if taints:
        spec["taints"] = taints
    cond = [{"lastHeartbeatTime": hb, "lastTransitionTime": created, "message": "kubelet has sufficient memory available",
             "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"},
            {"lastHeartbeatTime": hb, "lastTransitionTime": created, "message": "kubelet has no disk pressure",
             "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"},
            {"lastHeartbeatTime": hb, "lastTransitionTime": created, "message": "kubelet has sufficient PID available",
             "reason": "KubeletHasSufficientPID", "status": "False", "type": "PIDPressure"},
            {"lastHeartbeatTime": hb, "lastTransitionTime": rfc3339(n.get("transition", n["created"])),
             "message": message, "reason": reason, "status": status, "type": "Ready"}]
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"annotations": node_annotations(n), "creationTimestamp": created, "labels": labels,
                         "name": name, "resourceVersion": str(int(n.get("heartbeat", n["created"]))),
                         "uid": n["uid"]},
            "spec": spec,
            "status": {"addresses": [{"address": n["ip"], "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
                       "conditions": cond,
                       "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "cri-o://" + (n.get("crio") or "unknown"),
                                    "kernelVersion": n.get("kernel", ""), "kubeProxyVersion": "v" + n["kubeletVersion"],
                                    "kubeletVersion": "v" + n["kubeletVersion"], "operatingSystem": "linux",
                                    "osImage": n.get("osImage", "")}}}


# ---------------------------------------------------------------- pods (the controllers' and scheduler's work)
#
# Pods of Deployments, ReplicaSets, StatefulSets and bare Pods are stored (st["pods"]) and
# placed by a small scheduler on schedulable nodes (Ready, not cordoned, NoSchedule taints
# tolerated: the control-plane taint needs a toleration); an evicted or deleted pod of a
# controller is re-created and placed again (on another node when its node is cordoned).
# DaemonSet pods (kube-proxy, the applied DaemonSets) and the control plane's static (mirror)
# pods are computed: one per node. CoreDNS is the kube-system Deployment kubeadm creates.

COREDNS = {"kind": "Deployment", "namespace": "kube-system", "name": "coredns", "replicas": 2, "hash": "7db6d8ff4d",
           "labels": {"k8s-app": "kube-dns"}, "selector": {"k8s-app": "kube-dns"}, "emptyDir": False,
           "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                           {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]}
KUBE_PROXY = {"kind": "DaemonSet", "namespace": "kube-system", "name": "kube-proxy", "labels": {"k8s-app": "kube-proxy"},
              "tolerations": [{"operator": "Exists"}], "emptyDir": False}


def tolerates(tolerations, key, effect="NoSchedule"):
    for t in tolerations or []:
        if t.get("operator") == "Exists" and not t.get("key"):
            return True
        if t.get("key") == key and t.get("effect") in (None, "", effect):
            return True
    return False


def node_taints(st, n):
    taints = []
    if n.get("controlPlane"):
        taints.append("node-role.kubernetes.io/control-plane")
    if n.get("unschedulable"):
        taints.append("node.kubernetes.io/unschedulable")
    if node_ready(st, n)[0] != "True":
        taints.append("node.kubernetes.io/not-ready")
    return taints


def schedulable(st, name, tolerations):
    n = st["nodes"].get(name)
    if n is None or n.get("unschedulable") or node_ready(st, n)[0] != "True":
        return False
    return all(tolerates(tolerations, t) for t in node_taints(st, n))


def controllers(st):
    """The controllers of stored pods: applied Deployments/ReplicaSets/StatefulSets and CoreDNS."""
    out = [dict(COREDNS, key="Deployment/kube-system/coredns")]
    for o in st["objects"]:
        m = o.get("model")
        if m and o["kind"] in ("Deployment", "ReplicaSet", "StatefulSet"):
            out.append(dict(m, kind=o["kind"], namespace=o["namespace"], name=o["name"],
                            key="%s/%s/%s" % (o["kind"], o["namespace"], o["name"])))
    return out


NAME_CHARS = str.maketrans("0123456789abcdef", "bcdfghjklm456789")


def rand5():
    alpha = "bcdfghjklmnpqrstvwxz2456789"
    return "".join(secrets.choice(alpha) for _ in range(5))


def pick_node(st, pod):
    if pod.get("wantNode"):
        return pod["wantNode"] if pod["wantNode"] in st["nodes"] else ""
    cands = [name for name in sorted(st["nodes"]) if schedulable(st, name, pod.get("tolerations"))]
    if not cands:
        return ""
    pods = st.get("pods", [])

    def load(name):
        same = sum(1 for p in pods if p["node"] == name and p.get("ctrl") and p.get("ctrl") == pod.get("ctrl"))
        return (same, sum(1 for p in pods if p["node"] == name), name)
    return min(cands, key=load)


def reconcile(st):
    """The controller manager and the scheduler: pods for every controller, pending pods placed."""
    pods = st.setdefault("pods", [])
    ctrls = controllers(st)
    keys = {c["key"]: c for c in ctrls}
    # garbage collection: pods of deleted controllers, pods bound to deleted nodes
    pods[:] = [p for p in pods if (not p.get("ctrl") or p["ctrl"] in keys) and (not p["node"] or p["node"] in st["nodes"])]
    for c in ctrls:
        mine = [p for p in pods if p.get("ctrl") == c["key"]]
        stale = [p for p in mine if p.get("hash") != c.get("hash")]
        for p in stale:
            pods.remove(p)
        mine = [p for p in mine if p not in stale]
        while len(mine) > c["replicas"]:
            pods.remove(mine.pop())
        have = {p["name"] for p in mine}
        for i in range(c["replicas"] - len(mine)):
            if c["kind"] == "StatefulSet":
                name = next("%s-%d" % (c["name"], k) for k in range(c["replicas"]) if "%s-%d" % (c["name"], k) not in have)
                have.add(name)
                owner = ("StatefulSet", c["name"])
            elif c["kind"] == "Deployment":
                name, owner = "%s-%s-%s" % (c["name"], c["hash"], rand5()), ("ReplicaSet", "%s-%s" % (c["name"], c["hash"]))
            else:
                name, owner = "%s-%s" % (c["name"], rand5()), ("ReplicaSet", c["name"])
            pods.append({"namespace": c["namespace"], "name": name, "uid": secrets.token_hex(16), "node": "",
                         "ownerKind": owner[0], "ownerName": owner[1], "ctrl": c["key"], "hash": c.get("hash"),
                         "labels": dict(c.get("labels") or {}), "emptyDir": bool(c.get("emptyDir")),
                         "tolerations": c.get("tolerations") or [], "created": now()})
    for p in pods:
        if not p["node"]:
            p["node"] = pick_node(st, p)
            if p["node"]:
                p["scheduled"] = now()


def node_up(n):
    return bool(n.get("kubelet") and n.get("runtime"))


def pod_view(st):
    """Every pod of the cluster, as the API lists them (sorted by namespace and name)."""
    pods = []
    for name, n in sorted(st["nodes"].items()):
        if n.get("controlPlane"):
            for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
                pods.append({"namespace": "kube-system", "name": "%s-%s" % (comp, name), "node": name, "mirror": True,
                             "ownerKind": "Node", "ownerName": name, "labels": {"component": comp, "tier": "control-plane"},
                             "created": n["created"], "uid": hashlib.sha1((comp + n["uid"]).encode()).hexdigest(),
                             "hostNetwork": True})
    daemonsets = [dict(KUBE_PROXY, created=st["created"])]
    for o in st["objects"]:
        if o["kind"] == "DaemonSet":
            m = o.get("model") or {"tolerations": [{"operator": "Exists"}], "labels": {}, "emptyDir": False}
            daemonsets.append(dict(m, namespace=o["namespace"], name=o["name"], created=o["created"],
                                   hostNetwork=o["name"] in CNI_DAEMONSETS))
    for ds in daemonsets:
        # the DaemonSet controller adds the not-ready/unreachable/unschedulable tolerations itself
        for name, n in sorted(st["nodes"].items()):
            if n.get("controlPlane") and not tolerates(ds.get("tolerations"), "node-role.kubernetes.io/control-plane"):
                continue
            # generateName's 5 characters (bcdf...789), stable per node and DaemonSet
            suffix = (n["uid"][:5] if ds["name"] == "kube-proxy" else n["uid"][5:10]).translate(NAME_CHARS)
            pods.append({"namespace": ds["namespace"], "name": "%s-%s" % (ds["name"], suffix), "node": name,
                         "ownerKind": "DaemonSet", "ownerName": ds["name"], "labels": dict(ds.get("labels") or {}),
                         "emptyDir": bool(ds.get("emptyDir")), "created": max(ds["created"], n["created"]),
                         "uid": hashlib.sha1((ds["name"] + n["uid"]).encode()).hexdigest(),
                         "hostNetwork": ds["name"] == "kube-proxy" or ds.get("hostNetwork")})
    for p in st.get("pods", []):
        pods.append(dict(p))
    subnet = (st["clusterConfiguration"].get("networking") or {}).get("podSubnet") or "10.244.0.0/16"
    prefix = ".".join(subnet.split("/")[0].split(".")[:2])
    for p in pods:
        n = st["nodes"].get(p["node"])
        p["ready"] = bool(n and node_up(n))
        p["phase"] = "Running" if p["ready"] else "Pending"
        if not n:
            p["ip"] = ""
        elif p.get("hostNetwork"):
            p["ip"] = n["ip"]
        else:
            h = int(hashlib.sha1(p["uid"].encode()).hexdigest()[:4], 16)
            p["ip"] = "%s.%d.%d" % (prefix, sorted(st["nodes"]).index(p["node"]) + 1, h % 250 + 2)
    pods.sort(key=lambda p: (p["namespace"], p["name"]))
    return pods


def match(selector, labels):
    return bool(selector) and all((labels or {}).get(k) == v for k, v in selector.items())


def scaled(value, total, round_up):
    """intstr.GetScaledValueFromIntOrPercent."""
    if isinstance(value, str) and value.endswith("%"):
        v = int(value[:-1]) * total / 100.0
        return int(-(-v // 1)) if round_up else int(v // 1)
    return int(value)


def pdb_status(st, pdb, pods=None):
    """(matching pods, currentHealthy, desiredHealthy, expected, disruptionsAllowed), as the disruption controller."""
    m = pdb.get("model") or {}
    pods = pod_view(st) if pods is None else pods
    sel = m.get("selector") or {}
    mine = [p for p in pods if p["namespace"] == pdb["namespace"] and match(sel, p["labels"]) and not p.get("mirror")]
    healthy = sum(1 for p in mine if p["ready"])
    ctrls = {p.get("ctrl") for p in mine if p.get("ctrl")}
    expected = sum(c["replicas"] for c in controllers(st) if c["key"] in ctrls) + sum(1 for p in mine if not p.get("ctrl"))
    if m.get("maxUnavailable") is not None:
        desired = max(0, expected - scaled(m["maxUnavailable"], expected, True))
    elif m.get("minAvailable") is not None:
        if isinstance(m["minAvailable"], str) and m["minAvailable"].endswith("%"):
            desired = scaled(m["minAvailable"], expected, True)
        else:
            desired = int(m["minAvailable"])
    else:
        desired = expected
    return mine, healthy, desired, expected, max(0, healthy - desired)


def apiserver_version(st):
    """The version the API server reports: the image of the kube-apiserver static Pod that runs."""
    m = re.search(r"kube-apiserver:v([0-9][^\s\"']*)", read(MANIFESTS + "/kube-apiserver.yaml", ""))
    return m.group(1) if m else st["kubernetesVersion"]


_API_HANDLER = None


def api_handler():
    """The API server's request handler class, made on first use: http.server (and http.client,
    email, ...) is imported only by the commands that serve or call the API."""
    global _API_HANDLER
    if _API_HANDLER is not None:
        return _API_HANDLER

    class ApiHandler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sandbox-kube-apiserver"

        def log_message(self, fmt, *args):
            sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))

        # Graceful shutdown (apiserver_main): the connection's state, as Go's net/http keeps it.
        def setup(self):
            # The TLS handshake runs in the connection's own thread, as in Go: the accept loop keeps
            # the listen queue empty (a queued connection is reset when the listener closes).
            try:
                self.request.do_handshake()
                self.handshake_ok = True
            except (ssl.SSLError, OSError):
                self.handshake_ok = False
            super().setup()

        def handle(self):
            if self.handshake_ok:
                super().handle()

        def finish(self):
            conn_state(self.connection)
            try:
                super().finish()
            except OSError:
                pass

        def parse_request(self):
            conn_state(self.connection, "active")
            return super().parse_request()

        def handle_one_request(self):
            try:
                super().handle_one_request()
            finally:
                if STOPPING["yes"]:
                    self.close_connection = True
                conn_state(self.connection, "idle")

        def reply(self, code, obj):
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def status_error(self, code, reason, message):
            self.reply(code, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message,
                              "reason": reason, "code": code})

        def who(self, st):
            """The caller: ('admin'|'node:NAME'|'token:ID'|None)."""
            cert = self.connection.getpeercert()
            if cert and ssl.cert_time_to_seconds(cert["notAfter"]) < now():
                # the x509 authenticator: "x509: certificate has expired or is not yet valid" -> Unauthorized
                return None
            if cert:
                subj = dict(x[0] for x in cert.get("subject", ()))
                cn, org = subj.get("commonName", ""), subj.get("organizationName", "")
                if cn.startswith("system:node:"):
                    return "node:" + cn[len("system:node:"):]
                if org in ("system:masters", "kubeadm:cluster-admins") or cn == "kubernetes-super-admin":
                    return "admin"
                return "user:" + cn
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Bearer "):
                tok = auth[7:]
                for k in valid_tokens(st):
                    if "%s.%s" % (k["id"], k["secret"]) == tok:
                        return "token:" + k["id"]
                return "badtoken"
            return None

        def body(self):
            return json.loads(self.raw_body or b"{}")

        def do_GET(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

        def do_DELETE(self):
            self.handle_any("DELETE")

        def do_PATCH(self):
            self.handle_any("PATCH")

        def handle_any(self, method):
            try:
                # the whole body first, as the real server decodes it before storage is touched: a
                # slow client must not hold the store's lock
                n = int(self.headers.get("Content-Length") or 0)
                self.raw_body = self.rfile.read(n) if n > 0 else b""
                if not cluster_quorum():
                    # etcd lost quorum: the request's read/write times out in etcd (ErrTimeout) and the
                    # API server answers with that error, no reason (kubectl: "Error from server: ...")
                    path = self.path.split("?")[0]
                    if path in ("/healthz", "/livez", "/readyz"):
                        data = b"[+]ping ok\n[-]etcd failed: reason withheld\nhealthz check failed\n"
                        self.send_response(500)
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                        return
                    self.reply(500, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                     "message": "etcdserver: request timed out", "code": 500})
                    return
                with open(store_path() + ".lock", "w") as lk:
                    fcntl.flock(lk, fcntl.LOCK_EX)
                    st = store_load()
                    changed = self.route(method, self.path.split("?")[0], st)
                    if changed:
                        store_save(st)
            except Exception as e:  # noqa: BLE001  the server must survive any request
                self.log_message("error: %r", e)
                try:
                    self.status_error(500, "InternalError", "sandbox apiserver: %s" % e)
                except OSError:
                    pass

        def route(self, method, path, st):
            if path in ("/healthz", "/livez", "/readyz"):
                data = b"ok"
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(data)
                return False
            if path == "/version":
                v = apiserver_version(st)
                self.reply(200, {"major": "1", "minor": str(minor(v)), "gitVersion": "v" + v, "platform": "linux/amd64"})
                return False
            if path == "/api/v1/namespaces/kube-public/configmaps/cluster-info" and method == "GET":
                data = {"kubeconfig": st["clusterInfo"]}
                for k in valid_tokens(st):
                    data["jws-kubeconfig-" + k["id"]] = jws(k["secret"], k["id"], st["clusterInfo"])
                self.reply(200, {"apiVersion": "v1", "kind": "ConfigMap", "data": data,
                                 "metadata": {"name": "cluster-info", "namespace": "kube-public"}})
                return False
            who = self.who(st)
            if who is None or who == "badtoken":
                self.status_error(401, "Unauthorized", "Unauthorized")
                return False
            if path == "/sandbox/kubeadm-config" and method == "GET":
                self.reply(200, {"clusterConfiguration": st["clusterConfiguration"], "kubeletConfiguration": st["kubeletConfiguration"],
                                 "addons": st.get("addons") or {"kube-proxy": st["kubernetesVersion"],
                                                                "coredns": coredns_version(st["kubernetesVersion"])}})
                return False
            if path == "/sandbox/join" and method == "POST":
                return self.join(st, who, self.body())
            if path == "/sandbox/rotate" and method == "POST":
                # the kubelet's CSR for its own node, approved (csrapprover) and signed with the cluster CA
                if not who.startswith("node:"):
                    self.status_error(403, "Forbidden", "certificate rotation needs a node's credentials")
                    return False
                self.reply(200, {"cert": sign_csr(self.body()["csr"], PKI + "/ca")})
                return False
            if path == "/sandbox/nodestatus" and method == "POST":
                if not who.startswith("node:"):
                    self.status_error(403, "Forbidden", "only nodes post node status")
                    return False
                name = who[5:]
                n = st["nodes"].get(name)
                if n is None:
                    self.status_error(404, "NotFound", 'nodes "%s" not found' % name)
                    return False
                b = self.body()
                before = node_ready(st, n)[0]
                for k in ("kubelet", "runtime", "cni", "kubeletVersion", "crio", "osImage", "kernel"):
                    if k in b:
                        n[k] = b[k]
                n["heartbeat"] = now()
                after = node_ready(st, n)[0]
                if after != before:
                    n["transition"] = now()
                if after == "True":
                    n["everReady"] = True
                reconcile(st)
                self.reply(200, {"ok": True})
                return True
            if who != "admin" and not (who.startswith("node:") and path.startswith("/api/v1/nodes") and method == "GET"):
                user = "system:node:" + who[5:] if who.startswith("node:") else (
                    "system:bootstrap:" + who[6:] if who.startswith("token:") else who[5:])
                self.status_error(403, "Forbidden", 'User "%s" cannot %s this resource' % (user, method.lower()))
                return False
            if path == "/api/v1/nodes" and method == "GET":
                items = [node_object(st, name, n) for name, n in sorted(st["nodes"].items())]
                self.reply(200, {"apiVersion": "v1", "kind": "NodeList", "items": items, "metadata": {"resourceVersion": ""}})
                return False
            m = re.match(r"^/api/v1/nodes/([^/]+)$", path)
            if m:
                name = m.group(1)
                if name not in st["nodes"]:
                    self.status_error(404, "NotFound", 'nodes "%s" not found' % name)
                    return False
                if method == "DELETE":
                    del st["nodes"][name]
                    reconcile(st)
                    self.reply(200, {"ok": True})
                    return True
                if method == "PATCH":
                    return self.patch_node(st, name, self.body())
                self.reply(200, node_object(st, name, st["nodes"][name]))
                return False
            if path in ("/sandbox/pods", "/api/v1/pods") and method == "GET":
                self.reply(200, {"pods": pod_view(st), "now": now()})
                return False
            if path == "/sandbox/cordon" and method == "POST":
                b = self.body()
                n = st["nodes"].get(b["node"])
                if n is None:
                    self.status_error(404, "NotFound", 'nodes "%s" not found' % b["node"])
                    return False
                was = bool(n.get("unschedulable"))
                if not b.get("dryRun") and was != bool(b["unschedulable"]):
                    n["unschedulable"] = bool(b["unschedulable"])
                    n["cordoned"] = now()
                    reconcile(st)
                    self.reply(200, {"was": was})
                    return True
                self.reply(200, {"was": was})
                return False
            m = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)(/eviction)?$", path)
            if m and (method == "DELETE" or (m.group(3) and method == "POST")):
                return self.evict(st, m.group(1), m.group(2), bool(m.group(3)), self.body())
            if path == "/sandbox/pdbs" and method == "GET":
                pods = pod_view(st)
                out = []
                for o in st["objects"]:
                    if o["kind"] == "PodDisruptionBudget":
                        _, healthy, desired, expected, allowed = pdb_status(st, o, pods)
                        out.append(dict(o, healthy=healthy, desired=desired, expected=expected, allowed=allowed))
                self.reply(200, {"pdbs": out, "now": now()})
                return False
            if path == "/sandbox/delete" and method == "POST":
                b = self.body()
                keep = [o for o in st["objects"] if not (o["kind"] == b["kind"] and o["namespace"] == b["namespace"]
                                                         and o["name"] == b["name"])]
                if len(keep) == len(st["objects"]):
                    self.status_error(404, "NotFound", "not found")
                    return False
                st["objects"] = keep
                reconcile(st)
                self.reply(200, {"ok": True})
                return True
            if path == "/sandbox/cpjoined" and method == "POST":
                # mark-control-plane of a joining control plane: its etcd member runs now
                n = st["nodes"].get(self.body()["node"])
                if n is not None:
                    n.pop("cpJoining", None)
                self.reply(200, {"ok": True})
                return True
            if path == "/sandbox/cpversion" and method == "POST":
                b = self.body()
                if b["node"] in st["nodes"]:
                    st["nodes"][b["node"]]["cpVersion"] = b["version"]
                self.reply(200, {"ok": True})
                return True
            if path == "/sandbox/cpversions" and method == "GET":
                self.reply(200, {"versions": {name: n.get("cpVersion") or st["kubernetesVersion"]
                                              for name, n in st["nodes"].items() if n.get("controlPlane")}})
                return False
            if path == "/sandbox/upgrade" and method == "POST":
                b = self.body()
                st["kubernetesVersion"] = b["version"]
                st["clusterConfiguration"]["kubernetesVersion"] = "v" + b["version"]
                st["addons"] = {"kube-proxy": b["version"], "coredns": b["coredns"]}
                self.reply(200, {"ok": True})
                return True
            if path == "/sandbox/objects" and method == "GET":
                self.reply(200, {"objects": st["objects"], "crds": st["crds"]})
                return False
            if path == "/sandbox/apply" and method == "POST":
                return self.apply(st, self.body())
            if path == "/sandbox/tokens":
                if method == "GET":
                    self.reply(200, {"tokens": valid_tokens(st)})
                    return False
                if method == "POST":
                    b = self.body()
                    st["tokens"] = [k for k in st["tokens"] if k["id"] != b["id"]] + [b]
                    self.reply(200, {"ok": True})
                    return True
            m = re.match(r"^/sandbox/tokens/([a-z0-9]{6})$", path)
            if m and method == "DELETE":
                found = any(k["id"] == m.group(1) for k in st["tokens"])
                st["tokens"] = [k for k in st["tokens"] if k["id"] != m.group(1)]
                self.reply(200 if found else 404, {"found": found})
                return found
            if path == "/sandbox/upload-certs" and method == "POST":
                st["certificateKey"] = {"key": self.body()["key"], "expires": now() + 7200}
                self.reply(200, {"ok": True})
                return True
            self.status_error(404, "NotFound", "the server could not find the requested resource")
            return False

        def join(self, st, who, b):
            if not who.startswith("token:") and who != "admin":
                self.status_error(403, "Forbidden", "joining needs a bootstrap token")
                return False
            name = b["nodeName"]
            old = st["nodes"].get(name)
            if old and node_ready(st, old)[0] == "True":
                self.reply(409, {"message": 'a Node with name "%s" and status "Ready" already exists in the cluster. '
                                            'You must delete the existing Node or change the name of this new joining Node' % name})
                return False
            if b.get("controlPlane"):
                if not st["clusterConfiguration"].get("controlPlaneEndpoint"):
                    self.reply(412, {"message": "noendpoint"})
                    return False
                ck = st.get("certificateKey")
                if not ck or ck["expires"] < now():
                    self.reply(412, {"message": "nosecret"})
                    return False
                if ck["key"] != b.get("certificateKey"):
                    self.reply(412, {"message": "badkey"})
                    return False
            cert = sign_csr(b["csr"], PKI + "/ca")
            st["nodes"][name] = {"created": now(), "uid": secrets.token_hex(16), "ip": b["ip"],
                                 "controlPlane": bool(b.get("controlPlane")), "kubeletVersion": b["kubeletVersion"],
                                 "crio": b.get("crio"), "osImage": b.get("osImage"), "kernel": b.get("kernel"),
                                 "kubelet": False, "runtime": False, "cni": False}
            if b.get("controlPlane"):
                st["nodes"][name]["cpVersion"] = st["kubernetesVersion"]
            reply = {"cert": cert}
            if b.get("controlPlane"):
                reply["etcdCluster"] = (local_member() or {}).get("cluster")
                # the etcd endpoints kubeadm's etcd client finds: the etcd mirror pods of the control-plane Nodes
                # (a control plane still joining has no etcd pod yet)
                reply["etcdEndpoints"] = ["https://%s:2379" % n["ip"] for nm, n in sorted(st["nodes"].items())
                                          if n.get("controlPlane") and nm != name and not n.get("cpJoining")]
                st["nodes"][name]["cpJoining"] = True
                reply["shared"] = {f: read(PKI + "/" + f) for f in
                                   ("ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                                    "etcd/ca.crt", "etcd/ca.key")}
            self.reply(200, reply)
            return True

        def apply(self, st, b):
            results, changed = [], False
            crds = st["crds"]
            for o in b["objects"]:
                kind = o["kind"]
                group = o["apiVersion"].split("/")[0] if "/" in o["apiVersion"] else ""
                if kind in BUILTIN:
                    res, grp, namespaced = BUILTIN[kind]
                elif "%s.%s" % (kind, group) in crds:
                    res, grp, namespaced = crds["%s.%s" % (kind, group)]
                else:
                    results.append({"error": 'resource mapping not found for name: "%s" namespace: "%s" from "%s": '
                                             'no matches for kind "%s" in version "%s"\nensure CRDs are installed first'
                                             % (o["name"], o.get("namespace") or "", b["source"], kind, o["apiVersion"])})
                    continue
                ns = (o.get("namespace") or b.get("namespace") or "default") if namespaced else ""
                if namespaced and ns != "default" and ns not in ("kube-system", "kube-public", "kube-node-lease") and not any(
                        x["kind"] == "Namespace" and x["name"] == ns for x in st["objects"]):
                    results.append({"error": 'Error from server (NotFound): error when creating "%s": namespaces "%s" not found'
                                             % (b["source"], ns)})
                    continue
                label = "%s%s/%s" % (res, "." + grp if grp else "", o["name"])
                existing = next((x for x in st["objects"] if x["kind"] == kind and x["name"] == o["name"]
                                 and x["namespace"] == ns), None)
                if existing is None:
                    st["objects"].append({"kind": kind, "apiVersion": o["apiVersion"], "name": o["name"], "namespace": ns,
                                          "hash": o["hash"], "created": now()})
                    results.append({"line": label + " created"})
                elif b["verb"] == "create":
                    results.append({"error": 'Error from server (AlreadyExists): error when creating "%s": %s "%s" already exists'
                                             % (b["source"], res + "s" if not grp else "%ss.%s" % (res, grp), o["name"])})
                    continue
                elif existing["hash"] == o["hash"]:
                    results.append({"line": label + " unchanged"})
                    continue
                else:
                    existing["hash"] = o["hash"]
                    results.append({"line": label + " configured"})
                changed = True
                target = existing or st["objects"][-1]
                if o.get("model") is not None:
                    target["model"] = o["model"]
                    if kind == "Pod" and existing is None:
                        m = o["model"]
                        st.setdefault("pods", []).append({
                            "namespace": ns, "name": o["name"], "uid": secrets.token_hex(16), "node": "",
                            "wantNode": m.get("nodeName") or "", "ownerKind": "", "ownerName": "", "ctrl": None,
                            "labels": m["labels"], "emptyDir": m["emptyDir"], "tolerations": m["tolerations"], "created": now()})
                if kind == "CustomResourceDefinition" and o.get("crd"):
                    crds["%s.%s" % (o["crd"]["kind"], o["crd"]["group"])] = [o["crd"]["kind"].lower(), o["crd"]["group"],
                                                                             o["crd"]["namespaced"]]
            if changed:
                reconcile(st)
            self.reply(200, {"results": results})
            return changed

        def patch_node(self, st, name, patch):
            """A JSON merge patch (RFC 7386) of a node's metadata.annotations, as kubectl annotate sends
            it: a key set to null is removed. ?dryRun=All answers without storing."""
            n = st["nodes"][name]
            ann = dict(n.get("annotations") or {})
            for k, v in ((patch.get("metadata") or {}).get("annotations") or {}).items():
                if v is None:
                    ann.pop(k, None)
                else:
                    ann[k] = str(v)
            dry = "dryRun=All" in self.path
            if not dry:
                n["annotations"] = ann
            self.reply(200, node_object(st, name, dict(n, annotations=ann)))
            return not dry

        def evict(self, st, ns, name, eviction, b):
            """The Eviction API (policy/v1) and DELETE of a pod."""
            dry = bool(b.get("dryRun"))
            pods = pod_view(st)
            pod = next((p for p in pods if p["namespace"] == ns and p["name"] == name), None)
            if pod is None:
                self.status_error(404, "NotFound", 'pods "%s" not found' % name)
                return False
            if eviction and pod["ready"]:
                pdbs = [o for o in st["objects"] if o["kind"] == "PodDisruptionBudget" and o["namespace"] == ns
                        and match((o.get("model") or {}).get("selector"), pod["labels"])]
                if len(pdbs) > 1:
                    self.status_error(500, "InternalError",
                                      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
                    return False
                if pdbs and pdb_status(st, pdbs[0], pods)[4] <= 0:
                    self.status_error(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.")
                    return False
            stored = next((p for p in st.get("pods", []) if p["namespace"] == ns and p["name"] == name), None)
            if stored is None:
                # DaemonSet and mirror pods: the DaemonSet controller / kubelet puts them back at once
                self.reply(201 if eviction else 200, {"kind": "Status", "status": "Success", "uid": pod["uid"]})
                return False
            if dry:
                self.reply(201 if eviction else 200, {"kind": "Status", "status": "Success", "uid": pod["uid"]})
                return False
            st["pods"].remove(stored)
            if not stored.get("ctrl"):
                st["objects"] = [o for o in st["objects"] if not (o["kind"] == "Pod" and o["namespace"] == ns and o["name"] == name)]
            reconcile(st)
            self.reply(201 if eviction else 200, {"kind": "Status", "status": "Success", "uid": pod["uid"]})
            return True

    _API_HANDLER = ApiHandler
    return ApiHandler


def apiserver_bind():
    """(address, port) of this host's API server: its kube-apiserver manifest's flags."""
    text = read(MANIFESTS + "/kube-apiserver.yaml", "")
    a = re.search(r"--advertise-address=([^\s\"']+)", text)
    p = re.search(r"--secure-port=(\d+)", text)
    if a:
        return a.group(1), int(p.group(1)) if p else 6443
    st = store_load()
    return st["advertiseAddress"], st["bindPort"]


# Connections of the API server stand-in, in the states of Go's net/http (ConnState): socket ->
# ("new", accepted at) until its first request arrives, ("active", 0) while a request is
# served, ("idle", 0) between keep-alive requests.
CONNS = {}
CONNS_LOCK = threading.Lock()
STOPPING = {"yes": False}


def conn_state(sock, state=None):
    """Records sock's state; None: the connection is gone."""
    with CONNS_LOCK:
        if state is None:
            CONNS.pop(sock, None)
        else:
            CONNS[sock] = (state, time.time() if state == "new" else 0)


def conns_to_close(now):
    """What Go's Server.Shutdown closes (closeIdleConns): idle connections, and new ones that
    have not sent a request in 5 s. -> (those sockets, how many connections remain open)."""
    with CONNS_LOCK:
        close = [c for c, (st, t) in CONNS.items() if st == "idle" or (st == "new" and now - t > 5)]
        return close, len(CONNS) - len(close)


def empty_listen_queue(listener):
    """Before the listener closes: what Go's accept loop gives for free. Go takes every connection
    off the listen queue within microseconds, so when http.Server.Shutdown closes the listener no
    connection the kernel completed is left in the queue to be reset. This accept loop, a Python
    thread, can lag by milliseconds, so: a socket filter that drops every packet to the listener
    stops new handshakes (a client's SYN goes unanswered; it sends it again a second later and
    finds the port closed, so a load balancer tries another server), then we wait, at most 5 s,
    until the accept loop has taken what the queue holds."""
    import ctypes
    import struct
    drop = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0))  # BPF_RET|BPF_K 0: drop the packet
    try:
        socket.socket.setsockopt(listener, socket.SOL_SOCKET, 26, struct.pack("HL", 1, ctypes.addressof(drop)))  # SO_ATTACH_FILTER
    except OSError:
        return
    deadline = time.time() + 5
    while time.time() < deadline:
        # TCP_INFO of a listener: tcpi_unacked is its accept queue's length
        info = socket.socket.getsockopt(listener, socket.IPPROTO_TCP, socket.TCP_INFO, 104)
        if struct.unpack_from("I", info, 24)[0] == 0:
            return
        time.sleep(0.002)


def apiserver_main(args):
    """The kube-apiserver's life: serve until SIGTERM, then shut down as the real one does
    (k8s.io/apiserver genericapiserver: the listener closes, so new connections are refused and a
    load balancer tries another server; idle keep-alive connections are closed, and new ones that
    sent no request in 5 s; requests in flight finish, and a new connection's first request is
    served; for at most 60 s, the default --request-timeout), then exit 0."""
    load_lazy_modules()  # before any thread (see load_lazy_modules)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})  # threads inherit it; sigwait below
    bind = apiserver_bind()
    # Threaded with a deep accept queue: a whole fleet joins at once (49
    # concurrent `kubeadm join`s overflowed the default backlog of 5).
    srv = http.server.ThreadingHTTPServer(bind, api_handler(), bind_and_activate=False)
    srv.daemon_threads = True
    srv.request_queue_size = 256
    srv.allow_reuse_address = True
    srv.server_bind()
    srv.server_activate()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(PKI + "/apiserver.crt", PKI + "/apiserver.key")
    ctx.load_verify_locations(PKI + "/ca.crt")
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.verify_flags |= 0x200000  # X509_V_FLAG_NO_CHECK_TIME: who() answers an expired client certificate with 401
    record_loaded("kube-apiserver")
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)

    def accept_loop():
        # Go's accept loop: every connection is taken off the listen queue at once and handed to
        # its own thread (socketserver's serve_forever polls, and its shutdown leaves what queued
        # meanwhile to be reset when the listener closes).
        while True:
            try:
                sock, addr = srv.socket.accept()
            except OSError:
                if STOPPING["yes"]:
                    return
                time.sleep(0.01)
                continue
            sock.settimeout(10)
            conn_state(sock, "new")  # before its thread starts: a stop now waits for its request
            srv.process_request(sock, addr)
    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    STOPPING["yes"] = True
    empty_listen_queue(srv.socket)
    try:
        socket.socket.shutdown(srv.socket, socket.SHUT_RDWR)  # wakes the accept; the port refuses connections
    except OSError:
        pass
    acceptor.join(5)  # what it accepted is recorded before the wait below
    srv.socket.close()
    deadline = time.time() + 60
    while time.time() < deadline:
        close, remain = conns_to_close(time.time())
        for c in close:
            try:
                socket.socket.shutdown(c, socket.SHUT_RDWR)  # the TCP connection, not a TLS close_notify
            except OSError:
                pass
        if not remain:
            break
        time.sleep(0.05)
    sys.stderr.flush()
    os._exit(0)


def is_apiserver(pid):
    """Whether process pid is (still) this host's API server stand-in."""
    cmdline = read("/proc/%d/cmdline" % pid, "")
    return "kubesim" in cmdline and "apiserver" in cmdline


def apiserver_pid():
    try:
        pid = int(read(APISERVER_PID).strip())
        if is_apiserver(pid):
            return pid
    except (OSError, ValueError):
        pass
    return None


def ensure_apiserver(wait=True):
    """Starts the API server stand-in (as the kubelet runs the kube-apiserver static Pod)."""
    if not os.path.exists(STORE) or not os.path.exists(MANIFESTS + "/kube-apiserver.yaml"):
        return False
    ensure_etcd()
    if apiserver_pid() is None:
        os.makedirs("/run/sandbox", exist_ok=True)
        for comp in ("etcd", "kube-controller-manager", "kube-scheduler"):
            if not os.path.exists("%s/%s.certs" % (LOADED_CERTS, comp)):
                record_loaded(comp)
        log = open(APISERVER_LOG, "a")
        p = subprocess.Popen([PY, "-I", SELF, "apiserver"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             start_new_session=True, close_fds=True, cwd="/")
        write(APISERVER_PID, "%d\n" % p.pid)
    if not wait:
        return True
    bind = apiserver_bind()
    for _ in range(100):
        try:
            with socket.create_connection(bind, timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop_apiserver():
    """As the kubelet stops the kube-apiserver container: SIGTERM, then SIGKILL after the pod's
    grace period (30 s, the default terminationGracePeriodSeconds of kubeadm's manifest)."""
    pid = apiserver_pid()
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.time() + 30
            while time.time() < deadline and is_apiserver(pid):
                time.sleep(0.02)
            if is_apiserver(pid):
                os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.unlink(APISERVER_PID)
    except OSError:
        pass


def kubelet_sync(args):
    """Run by systemctl after kubelet or crio changed state: static pods and the node's status."""
    kubelet = unit_active("kubelet")
    runtime = unit_active("crio")
    if kubelet and runtime:
        ensure_apiserver(wait=False)
    if not os.path.exists(K8S + "/kubelet.conf"):
        return 0
    # A real kubelet keeps posting its status; this one-shot post retries a
    # few times so a busy API server (a whole fleet joining) does not leave
    # the node NotReady until its next state change.
    for attempt in range(3):
        try:
            c = load_kubeconfig(K8S + "/kubelet.conf")
            if not c:
                return 0
            c.timeout = 10
            if apiserver_pid() is not None:
                ensure_apiserver(wait=True)
            if kubelet:
                rotate_kubelet_client(c)
                c = load_kubeconfig(K8S + "/kubelet.conf")
            c.request("POST", "/sandbox/nodestatus",
                      {"kubelet": kubelet, "runtime": runtime and kubelet, "cni": cni_configured(),
                       "kubeletVersion": running_kubelet_version(), "crio": crio_version(), "osImage": os_image(),
                       "kernel": os.uname().release})
            return 0
        except Fail:
            return 0  # refused (node deleted, wrong credentials): as the kubelet, wait for a change
        except (OSError, ssl.SSLError, http.client.HTTPException):
            if attempt < 2:
                time.sleep(1 << attempt)
    return 0


# ---------------------------------------------------------------- crictl / crio

def crictl_fatal():
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return ('time="%s" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint '
            '\\"%s\\": rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while '
            'dialing: dial unix /var/run/crio/crio.sock: connect: no such file or directory\\""' % (ts, CRIO_SOCK))


# crictl (kubernetes-sigs/cri-tools cmd/crictl, urfave/cli v2, read via the search tool): global
# options come before the command; every error ends in logrus.Fatal (exit 1):
# time="..." level=fatal msg="...". The containers are those of the static pods the kubelet runs
# from /etc/kubernetes/manifests, one each, running while kubelet and crio are active; a
# container's ID is a digest of its manifest, so a rewritten manifest (kubeadm upgrade) is a new
# container, as on a real node.

CRICTL_GLOBAL = {"-r": True, "--runtime-endpoint": True, "-i": True, "--image-endpoint": True, "-t": True,
                 "--timeout": True, "-c": True, "--config": True, "-D": False, "--debug": False}
CRICTL_COMMANDS = ("info", "ps", "pods", "images", "img", "image", "version", "pull", "inspect", "inspecti",
                   "inspectp", "logs", "stopp", "rmp", "rm", "rmi", "stop", "exec", "stats", "config", "attach",
                   "create", "start", "runp", "port-forward", "update", "statsp", "checkpoint", "events",
                   "imagefsinfo", "completion", "help", "h")


def crictl_die(msg):
    """logrus.Fatal's text line (stderr is no terminal), exit 1."""
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    err('time="%s" level=fatal msg="%s"' % (ts, msg.replace("\\", "\\\\").replace('"', '\\"')))
    return 1


def crictl_flags(args, spec):
    """urfave/cli v2 flag parsing for a command: flags up to the first operand ("-it" combined,
    --name=value, --name value) -> (values, operands) or raises Fail with crictl's fatal line."""
    vals, it = {}, iter(args)
    for a in it:
        if a == "--":
            return vals, list(it)
        if not a.startswith("-") or a == "-":
            return vals, [a] + list(it)
        name, eq, val = a.partition("=")
        names = [name] if name.startswith("--") or len(name) == 2 else ["-" + c for c in name[1:]]
        for n in names:
            key = spec.get(n)
            if key is None:
                err("Incorrect Usage: flag provided but not defined: -" + n.lstrip("-"))
                raise Fail("", crictl_die("flag provided but not defined: -%s" % n.lstrip("-")))
            key, takes = key
            if takes and not eq:
                val = next(it, None)
                if val is None:
                    raise Fail("", crictl_die("flag needs an argument: -%s" % n.lstrip("-")))
            vals[key] = val if takes else True
    return vals, []


def static_containers():
    """The running containers: one per static pod manifest (dicts: id, pod_id, name, image, image_id, state)."""
    crio, kubelet = crictl_units_active()
    if not (kubelet and crio and os.path.isdir(MANIFESTS)):
        return []
    ctrs = []
    for f in sorted(os.listdir(MANIFESTS)):
        if not f.endswith(".yaml"):
            continue
        name, text = f[:-5], read(MANIFESTS + "/" + f, "")
        m = re.search(r"image: (\S+)", text)
        image = m.group(1) if m else ""
        attempt = int(read("%s/%s.restarts" % (LOADED_CERTS, name), "0").strip() or 0)
        ctrs.append({"id": sha256(("container\0%s\0%s%s" % (name, text, "\0%d" % attempt if attempt else "")).encode()).hexdigest(),
                     "attempt": attempt,
                     "pod_id": sha256(("pod\0%s\0%s" % (name, hostname())).encode()).hexdigest(),
                     "name": name, "image": image, "image_id": sha256(image.encode()).hexdigest(),
                     "state": "running"})
    return ctrs


PS_FLAGS = {"-a": ("all", False), "--all": ("all", False), "-q": ("quiet", False), "--quiet": ("quiet", False),
            "--name": ("name", True), "-s": ("state", True), "--state": ("state", True), "--id": ("id", True),
            "-p": ("pod", True), "--pod": ("pod", True), "--image": ("image", True), "--label": ("label", True),
            "-l": ("latest", False), "--latest": ("latest", False), "-n": ("last", True), "--last": ("last", True),
            "--no-trunc": ("no-trunc", False), "-o": ("output", True), "--output": ("output", True),
            "-v": ("verbose", False), "--verbose": ("verbose", False), "-r": ("resolve", False)}


def crictl_ps(args):
    """crictl ps: running containers unless -a or --state; --name is a regular expression searched in
    the container's name (regexp.MatchString), --state one of created, running, exited, unknown."""
    f, _ = crictl_flags(args, PS_FLAGS)
    state = (f.get("state") or "").lower()
    if state and state not in ("created", "running", "exited", "unknown"):
        raise Fail("", crictl_die("--state should be one of created, running, exited or unknown"))
    ctrs = static_containers()
    if state:
        ctrs = [c for c in ctrs if c["state"] == state]
    elif not f.get("all"):
        ctrs = [c for c in ctrs if c["state"] == "running"]
    if f.get("name"):
        try:
            rx = re.compile(f["name"])
        except re.error:
            rx = None
        ctrs = [c for c in ctrs if rx is not None and rx.search(c["name"])]
    if f.get("id"):
        ctrs = [c for c in ctrs if c["id"].startswith(f["id"])]
    if f.get("quiet"):
        for c in ctrs:
            out(c["id"])
        return 0
    trunc = (lambda x: x) if f.get("no-trunc") else (lambda x: x[:13])
    rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"]]
    for c in ctrs:
        rows.append([trunc(c["id"]), trunc(c["image_id"]), "About a minute ago", c["state"].capitalize(), c["name"],
                     str(c["attempt"]),
                     trunc(c["pod_id"]), c["name"] + "-" + hostname()])
    out(table(rows))
    return 0


EXEC_FLAGS = {"-s": ("sync", False), "--sync": ("sync", False), "--timeout": ("timeout", True),
              "-t": ("tty", False), "--tty": ("tty", False), "-i": ("interactive", False),
              "--interactive": ("interactive", False), "-r": ("transport", True), "--transport": ("transport", True),
              "--name": ("name", True), "-p": ("pod", True), "--pod": ("pod", True), "--image": ("image", True),
              "--state": ("state", True), "--label": ("label", True), "-l": ("latest", False),
              "--latest": ("latest", False), "-n": ("last", True), "--last": ("last", True), "-q": ("quiet", False),
              "--quiet": ("quiet", False), "-e": ("ignore-errors", False), "--ignore-errors": ("ignore-errors", False),
              "-x": ("parallel", False), "--parallel": ("parallel", False)}


def find_container(ref):
    """CRI-O's GetContainerFromShortID: the full ID or a unique prefix."""
    hits = [c for c in static_containers() if c["id"].startswith(ref)] if ref else []
    return hits[0] if len(hits) == 1 else None


def crictl_stop(args):
    """crictl stop [-t N] ID...: CRI-O stops the container; the kubelet starts a static pod's container again
    (a new attempt), which reads its certificates anew."""
    f, ids = crictl_flags(args, {"-t": ("timeout", True), "--timeout": ("timeout", True)})
    if not ids:
        raise Fail("", crictl_die("ID cannot be empty"))
    for ref in ids:
        c = find_container(ref)
        if c is None:
            raise Fail("", crictl_die('stopping the container "%s": rpc error: code = NotFound desc = could not find container '
                                      '"%s": container with ID starting with %s not found: ID does not exist' % (ref, ref, ref)))
        restart_static_pod(c["name"])
        out(ref)
    return 0


def crictl_exec(args):
    """crictl exec [-i] [-t] [--timeout N] CONTAINER CMD ARGS...: CRI-O's Exec looks the container up,
    then the command's output streams back; a non-zero exit ends crictl with a fatal line (exit 1)."""
    f, operands = crictl_flags(args, EXEC_FLAGS)
    if f.get("timeout") is not None and not re.match(r"^-?\d+$", f["timeout"]):
        err('Incorrect Usage: invalid value "%s" for flag -timeout: parse error' % f["timeout"])
        raise Fail("", crictl_die('invalid value "%s" for flag -timeout: parse error' % f["timeout"]))
    if any(k in f for k in ("name", "pod", "image", "state", "label", "latest", "last")):
        raise Fail("sandbox stand-in: crictl exec with filter flags: not implemented yet")
    if len(operands) < 2:
        out("NAME:\n   crictl exec - Run a command in a running container\n\nUSAGE:\n   crictl exec [command options] "
            "[CONTAINER-ID] COMMAND [ARG...]")
        return 0
    ref, cmd = operands[0], operands[1:]
    c = find_container(ref)
    if c is None:
        return crictl_die('execing command in container %s: rpc error: code = NotFound desc = could not find container '
                          '"%s": container with ID starting with %s not found: ID does not exist' % (ref, ref, ref))
    if f.get("tty"):
        why = "input is not a terminal" if f.get("interactive") else "tty=true must be specified with interactive=true"
        if not (f.get("interactive") and sys.stdin.isatty()):
            return crictl_die("execing command in container %s: %s" % (ref, why))
    rc = container_run(c, cmd)
    if rc != 0:
        return crictl_die("execing command in container %s: command terminated with exit code %d" % (ref, rc))
    return 0


def container_run(c, cmd):
    """Runs CMD in container C: the etcd container is emulated (etcdsim), the others are not yet."""
    sys.stdout.flush()
    if c["name"] != "etcd":
        err("sandbox stand-in: crictl exec in the %s container: not implemented yet" % c["name"])
        return 126
    import etcdsim  # noqa: E402  only crictl exec needs it
    rc = etcdsim.run(etcdsim.Container(c["id"], c["image"], host_ip(), hostname()), cmd)
    sys.stdout.flush()
    sys.stderr.flush()
    return rc


def crictl_main(version, args):
    it = iter(args)
    rest = []
    for a in it:
        name = a.split("=", 1)[0]
        if name in CRICTL_GLOBAL:
            if CRICTL_GLOBAL[name] and "=" not in a:
                next(it, None)
            continue
        rest = [a] + list(it)
        break
    if not rest or rest[0] in ("--version", "-v"):
        if rest:
            out("crictl version v" + version)
            return 0
        out("NAME:\n   crictl - client for CRI")
        return 0
    cmd = rest[0]
    if cmd not in CRICTL_COMMANDS:
        return crictl_die("no help topic for '%s'" % cmd)
    if cmd == "config":
        return 0
    if not crictl_units_active()[0]:
        err(crictl_fatal())
        return 1
    try:
        return crictl_command(version, cmd, rest[1:])
    except Fail as e:
        if e.text:
            err(e.text)
        return e.rc


def crictl_command(version, cmd, args):
    if cmd == "version":
        out("Version:  0.1.0\nRuntimeName:  cri-o\nRuntimeVersion:  %s\nRuntimeApiVersion:  v1" % (crio_version() or version))
    elif cmd == "info":
        out(json.dumps({"status": {"conditions": [
            {"type": "RuntimeReady", "status": True, "reason": "", "message": ""},
            {"type": "NetworkReady", "status": cni_configured(),
             "reason": "" if cni_configured() else "NetworkPluginNotReady",
             "message": "" if cni_configured() else "Network plugin returns error: No CNI configuration file in /etc/cni/net.d/. Has your network provider started?"}]}},
            indent=2))
    elif cmd == "ps":
        return crictl_ps(args)
    elif cmd == "exec":
        return crictl_exec(args)
    elif cmd == "stop":
        return crictl_stop(args)
    elif cmd in ("pods", "images", "img", "image"):
        q = "-q" in args or "--quiet" in args
        if cmd != "pods":
            if not q:
                out("IMAGE               TAG                 IMAGE ID            SIZE")
            return 0
        ctrs = static_containers()
        if q:
            for c in ctrs:
                out(c["pod_id"])
            return 0
        rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]]
        for c in ctrs:
            rows.append([c["pod_id"][:13], "About a minute ago", "Ready", c["name"] + "-" + hostname(), "kube-system",
                         "0", "(default)"])
        out(table(rows))
    else:
        raise Fail("sandbox stand-in: crictl %s: not implemented yet" % cmd)
    return 0


# ---------------------------------------------------------------- kubeadm

def version_info(version):
    m = minor(version)
    return {"major": "1", "minor": str(m), "gitVersion": "v" + version,
            "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
            "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.22.5", "compiler": "gc", "platform": "linux/amd64"}


class Flags:
    """cobra/pflag-style parsing: --name=value, --name value, -x value, bool flags."""

    def __init__(self, args, spec, prog, on_unknown):
        # spec: name -> "bool" | "str" | "list"; short aliases as "-o": "output"
        self.values, self.pos, self.set = {}, [], []
        it = iter(args)
        for a in it:
            if a == "--":
                self.pos.extend(it)
                break
            if a.startswith("--") or (a.startswith("-") and len(a) > 1 and not a[1].isdigit()):
                name, eq, val = a.lstrip("-").partition("=")
                key = spec.get(("-" + name) if not a.startswith("--") else name)
                if isinstance(key, str) and key in spec and not a.startswith("--"):
                    name, key = key, spec[key]
                if key is None and not a.startswith("--") and len(name) > 1:
                    # -ojson
                    k2 = spec.get("-" + name[0])
                    if isinstance(k2, str) and k2 in spec and spec[k2] != "bool":
                        name, key, eq, val = k2, spec[k2], "=", name[1:]
                if key is None:
                    on_unknown(a.split("=")[0] if a.startswith("--") else "-" + name[0], a)
                    raise Fail("", 1)
                if key == "bool":
                    self.values[name] = val.lower() not in ("false", "0") if eq else True
                else:
                    if not eq:
                        val = next(it, None)
                        if val is None:
                            raise Fail("flag needs an argument: %s" % a)
                    if key == "list":
                        self.values.setdefault(name, []).extend(v for v in val.split(",") if v)
                    else:
                        self.values[name] = val
                self.set.append(name)
            else:
                self.pos.append(a)

    def get(self, name, default=None):
        return self.values.get(name, default)


def kubeadm_unknown(flag, raw):
    err("unknown flag: " + flag if flag.startswith("--") else "unknown shorthand flag: '%s' in %s" % (flag[1:], raw))
    err(STACK)


def kubeadm_main(version, args):
    try:
        return kubeadm(version, args)
    except Fail as e:
        if e.text:
            err(e.text)
        return e.rc


COMMON = {"v": "str", "-v": "v", "help": "bool", "-h": "help", "rootfs": "str", "log-file": "str",
          "skip-headers": "bool", "skip-log-headers": "bool", "one-output": "bool", "logtostderr": "bool"}


def kubeadm(version, args):
    if not args:
        out("\n    ┌──────────────────────────────────────────────────────────┐\n    │ KUBEADM                                                  │\n"
            "    │ Easily bootstrap a secure Kubernetes cluster             │\n    └──────────────────────────────────────────────────────────┘\n")
        out("Usage:\n  kubeadm [command]")
        return 0
    cmd, rest = args[0], args[1:]
    if cmd in ("-h", "--help", "help"):
        out("Usage:\n  kubeadm [command]\n\nAvailable Commands:\n  certs\n  completion\n  config\n  help\n  init\n  join\n  kubeconfig\n  reset\n  token\n  upgrade\n  version")
        return 0
    if cmd == "version":
        f = Flags(rest, dict(COMMON, output="str", **{"-o": "output"}), "kubeadm", kubeadm_unknown)
        o = f.get("output", "")
        info = version_info(version)
        if o == "":
            out("kubeadm version: &version.Info{Major:\"1\", Minor:\"%s\", GitVersion:\"v%s\", GitCommit:\"%s\", GitTreeState:\"clean\", "
                "BuildDate:\"2025-01-01T00:00:00Z\", GoVersion:\"go1.22.5\", Compiler:\"gc\", Platform:\"linux/amd64\"}"
                % (info["minor"], version, info["gitCommit"]))
        elif o == "short":
            out("v" + version)
        elif o == "json":
            out(json.dumps({"clientVersion": info}, indent=2))
        elif o == "yaml":
            out(yaml.safe_dump({"clientVersion": info}, default_flow_style=False).rstrip())
        else:
            raise Fail("error: invalid output format: " + o)
        return 0
    if cmd == "init":
        if rest and rest[0] == "phase":
            return kubeadm_init_phase(version, rest[1:])
        return kubeadm_init(version, rest)
    if cmd == "join":
        return kubeadm_join(version, rest)
    if cmd == "reset":
        return kubeadm_reset(version, rest)
    if cmd == "token":
        return kubeadm_token(version, rest)
    if cmd == "config" and rest[:2] == ["images", "list"]:
        f = Flags(rest[2:], dict(COMMON, config="str", **{"kubernetes-version": "str"}), "kubeadm", kubeadm_unknown)
        v = f.get("kubernetes-version", "v" + version).lstrip("v")
        for img in images(v):
            out(img)
        return 0
    if cmd == "upgrade":
        return kubeadm_upgrade(version, rest)
    if cmd == "certs" and rest and rest[0] in ("check-expiration", "renew", "certificate-key"):
        return kubeadm_certs(version, rest)
    if cmd in ("certs", "config", "kubeconfig", "completion", "alpha"):
        raise Fail("sandbox stand-in: kubeadm %s: not implemented yet" % " ".join(args))
    raise Fail('unknown command "%s" for "kubeadm"\n%s' % (cmd, STACK))


# kubeadm certs (cmd/kubeadm/app/cmd/certs.go, phases/certs/renewal): the certificates of the renewal
# manager, sorted by name as rm.Certificates() returns them: name, file under PKI (or kubeconfig), CA,
# the handler's LongName.
CERT_HANDLERS = [
    ("admin.conf", "admin.conf", "ca", "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself"),
    ("apiserver", "apiserver", "ca", "certificate for serving the Kubernetes API"),
    ("apiserver-etcd-client", "apiserver-etcd-client", "etcd-ca", "certificate the apiserver uses to access etcd"),
    ("apiserver-kubelet-client", "apiserver-kubelet-client", "ca", "certificate for the API server to connect to kubelet"),
    ("controller-manager.conf", "controller-manager.conf", "ca",
     "certificate embedded in the kubeconfig file for the controller manager to use"),
    ("etcd-healthcheck-client", "etcd/healthcheck-client", "etcd-ca", "certificate for liveness probes to healthcheck etcd"),
    ("etcd-peer", "etcd/peer", "etcd-ca", "certificate for etcd nodes to communicate with each other"),
    ("etcd-server", "etcd/server", "etcd-ca", "certificate for serving etcd"),
    ("front-proxy-client", "front-proxy-client", "front-proxy-ca", "certificate for the front proxy client"),
    ("scheduler.conf", "scheduler.conf", "ca", "certificate embedded in the kubeconfig file for the scheduler manager to use"),
    ("super-admin.conf", "super-admin.conf", "ca", "certificate embedded in the kubeconfig file for the super-admin")]
CA_HANDLERS = [("ca", "ca"), ("etcd-ca", "etcd/ca"), ("front-proxy-ca", "front-proxy-ca")]


def short_human_duration(seconds):
    """k8s.io/apimachinery duration.ShortHumanDuration (check-expiration's RESIDUAL TIME)."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60:
        return "%ds" % s
    if s < 3600:
        return "%dm" % (s // 60)
    if s < 86400:
        return "%dh" % (s // 3600)
    if s < 86400 * 365:
        return "%dd" % (s // 86400)
    return "%dy" % (s // (86400 * 365))


def tabwriter(rows, minwidth=10, padding=3):
    """text/tabwriter.NewWriter(out, 10, 4, 3, ' ', 0): every cell but a line's last padded to its column's width;
    an empty row ends the block of aligned lines."""
    outl, block = [], []

    def flush():
        if block:
            n = max(len(r) for r in block) - 1
            widths = [max([minwidth] + [len(r[i]) + padding for r in block if i < len(r) - 1]) for i in range(n)]
            for r in block:
                outl.append("".join(c.ljust(widths[i]) if i < len(r) - 1 else c for i, c in enumerate(r)))
            block.clear()
    for r in rows:
        if not r:
            flush()
            outl.append("")
        else:
            block.append(r)
    flush()
    return "\n".join(outl)


def certs_config(version, conf, prefix):
    """getInternalCfg: the kubeadm-config from the cluster, else (printed) the default configuration."""
    if not os.path.exists(conf):
        return
    if minor(version) >= 31:
        out('[%s] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...' % prefix)
        out("[%s] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it." % prefix)
    else:
        out("[%s] Reading configuration from the cluster..." % prefix)
        out("[%s] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'" % prefix)
    try:
        code, _ = load_kubeconfig(conf).request("GET", "/sandbox/kubeadm-config")
    except (OSError, ssl.SSLError, http.client.HTTPException, Fail, AttributeError):
        code = 0
    if code == 200:
        out("")
    else:
        out("[%s] Error reading configuration from the Cluster. Falling back to default configuration" % prefix)
        out("")


def handler_pem(rel):
    return component_cert_pem(rel) if rel.endswith(".conf") else read(PKI + "/" + rel + ".crt", "")


def kubeadm_certs(version, args):
    sub, rest = args[0], args[1:]
    if sub == "certificate-key":
        out(secrets.token_hex(32))
        return 0
    handlers = [h for h in CERT_HANDLERS if h[0] != "super-admin.conf" or minor(version) >= 29]
    if sub == "renew":
        if not rest or rest[0].startswith("-"):
            out("This command is not meant to be run on its own. See list of available subcommands.")
            return 0
        name, rest = rest[0], rest[1:]
        if name != "all" and name not in [h[0] for h in handlers]:
            raise Fail('unknown command "%s" for "kubeadm certs renew"\n%s' % (name, STACK))
    spec = dict(COMMON, config="str", kubeconfig="str", **{"cert-dir": "str"})
    if sub == "check-expiration":
        spec.update({"output": "str", "-o": "output", "experimental-output": "str", "show-managed-fields": "bool",
                     "allow-missing-template-keys": "bool"})
    f = Flags(rest, spec, "kubeadm", kubeadm_unknown)
    if f.pos:
        raise Fail('unknown command "%s" for "kubeadm certs %s"\n%s' % (f.pos[0], sub, STACK))
    if f.get("cert-dir", PKI).rstrip("/") != PKI or f.get("config"):
        raise Fail("sandbox stand-in: kubeadm certs --cert-dir/--config: not implemented yet")
    conf = f.get("kubeconfig") or K8S + "/admin.conf"
    if sub == "check-expiration":
        o = f.get("output") or f.get("experimental-output") or "text"
        if o not in ("text", "json", "yaml"):
            raise Fail('could not construct output printer: unable to match a printer suitable for the output format '
                       '"%s", allowed formats are: json,text,yaml\n%s' % (o, STACK))
        if o == "text":
            certs_config(version, conf, "check-expiration")
        else:
            with open(os.devnull, "w") as quiet:  # the structured printers' Printf says nothing
                saved, sys.stdout = sys.stdout, quiet
                try:
                    certs_config(version, conf, "check-expiration")
                finally:
                    sys.stdout = saved
        info = {"kind": "CertificateExpirationInfo", "apiVersion": "output.kubeadm.k8s.io/v1alpha3",
                "certificates": [], "certificateAuthorities": []}
        expires = {}  # (kind, name) -> NotAfter, for the text printer

        def entry(kind, name, pem, ca, key):
            """outputapiv1alpha3.Certificate (caName omitted when empty, as for the CAs and a missing one)."""
            if not pem:
                return {"name": name, "expirationDate": None, "residualTime": 0, "externallyManaged": False, "missing": True}
            t = expires[kind, name] = cert_not_after(pem)
            return dict({"name": name, "expirationDate": rfc3339(t), "residualTime": int(t - now()),
                         "externallyManaged": not os.path.exists(key)}, **({"caName": ca} if ca else {}), missing=False)
        for name, rel, ca, _ in handlers:
            info["certificates"].append(entry("cert", name, handler_pem(rel), ca, PKI + "/" + dict(CA_HANDLERS)[ca] + ".key"))
        for name, rel in CA_HANDLERS:
            info["certificateAuthorities"].append(entry("ca", name, read(PKI + "/" + rel + ".crt", ""), "", PKI + "/" + rel + ".key"))
        if o == "json":  # cli-runtime's JSONPrinter: json.MarshalIndent(obj, "", "    ")
            out(json.dumps(info, indent=4))
            return 0
        if o == "yaml":  # sigs.k8s.io/yaml: keys sorted, timestamps in double quotes
            out(re.sub(r"'(\d{4}-\d\d-\d\dT[\d:]+Z)'", r'"\1"', yaml.safe_dump(info, default_flow_style=False)).rstrip())
            return 0
        rows = [["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED"]]
        for c in info["certificates"]:
            if c["missing"]:
                rows.append(["!MISSING! " + c["name"], "", "", "", ""])
                continue
            t = expires["cert", c["name"]]
            rows.append([c["name"], time.strftime("%b %d, %Y %H:%M UTC", time.gmtime(t)), short_human_duration(c["residualTime"]),
                         c["caName"], "%-8s" % ("yes" if c["externallyManaged"] else "no")])
        rows += [[], ["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED"]]
        for c in info["certificateAuthorities"]:
            if c["missing"]:
                rows.append(["!MISSING! " + c["name"], "", "", ""])
                continue
            t = expires["ca", c["name"]]
            rows.append([c["name"], time.strftime("%b %d, %Y %H:%M UTC", time.gmtime(t)), short_human_duration(c["residualTime"]),
                         "%-8s" % ("yes" if c["externallyManaged"] else "no")])
        out(tabwriter(rows))
        return 0
    certs_config(version, conf, "renew")
    for hname, rel, ca, long_name in handlers:
        if name not in ("all", hname):
            continue
        if not handler_pem(rel):
            out("MISSING! %s" % long_name)
            continue
        if not os.path.exists(PKI + "/" + dict(CA_HANDLERS)[ca] + ".key"):
            out("Detected external %s, %s can't be renewed" % (ca, long_name))
            continue
        if rel.endswith(".conf"):
            renew_kubeconfig(K8S + "/" + rel)
        else:
            renew_cert(PKI + "/" + rel)
        out("%s renewed" % long_name)
    if name == "all":
        out("")
        out("Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and "
            "etcd, so that they can use the new certificates.")
    return 0


# The images kubeadm's constants.go pins per minor (DefaultEtcdVersion / SupportedEtcdVersion,
# CoreDNSVersion, PauseVersion of each release branch; 1.35: etcd 3.6.6-0, CoreDNS v1.13.1,
# pause 3.10.1).
ETCD_IMAGE = {24: "3.5.6-0", 25: "3.5.6-0", 26: "3.5.6-0", 27: "3.5.7-0", 28: "3.5.9-0", 29: "3.5.10-0",
              30: "3.5.12-0", 31: "3.5.15-0", 32: "3.5.16-0", 33: "3.5.21-0", 34: "3.6.4-0", 35: "3.6.6-0"}
COREDNS_IMAGE = {24: "v1.8.6", 25: "v1.9.3", 26: "v1.9.3", 27: "v1.10.1", 28: "v1.10.1", 29: "v1.11.1", 30: "v1.11.1",
                 31: "v1.11.3", 32: "v1.11.3", 33: "v1.12.0", 34: "v1.12.1", 35: "v1.13.1"}
PAUSE_IMAGE = {24: "3.7", 25: "3.8", 26: "3.9", 27: "3.9", 28: "3.9", 29: "3.9", 30: "3.9", 31: "3.10", 32: "3.10",
               33: "3.10", 34: "3.10.1", 35: "3.10.1"}


def images(v):
    m = minor(v)
    newest = max(ETCD_IMAGE)
    etcd = ETCD_IMAGE.get(m, ETCD_IMAGE[newest] if m > newest else "3.5.6-0")
    dns = COREDNS_IMAGE.get(m, COREDNS_IMAGE[newest] if m > newest else "v1.8.6")
    pause = PAUSE_IMAGE.get(m, PAUSE_IMAGE[newest] if m > newest else "3.7")
    return ["registry.k8s.io/kube-%s:v%s" % (c, v) for c in ("apiserver", "controller-manager", "scheduler", "proxy")] + [
        "registry.k8s.io/coredns/coredns:" + dns, "registry.k8s.io/pause:" + pause, "registry.k8s.io/etcd:" + etcd]


KUBEADM_API = ("kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4")


def read_config(path, version, allowed):
    try:
        text = read(path)
    except OSError:
        raise Fail('unable to read config from "%s" : open %s: no such file or directory\n%s' % (path, path, STACK))
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        raise Fail("error converting YAML to JSON: %s\n%s" % (str(e).splitlines()[0], STACK))
    found = {}
    for d in docs:
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            raise Fail("Object 'Kind' is missing in '%s'\n%s" % (yaml.safe_dump(d, default_flow_style=True).strip(), STACK))
        av, kind = d["apiVersion"], d["kind"]
        if av.startswith("kubeadm.k8s.io/"):
            ok = av == "kubeadm.k8s.io/v1beta3" or (av == "kubeadm.k8s.io/v1beta4" and minor(version) >= 31)
            if not ok:
                raise Fail('no kind "%s" is registered for version "%s" in scheme '
                           '"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"\n%s' % (kind, av, STACK))
            if kind not in ("InitConfiguration", "ClusterConfiguration", "JoinConfiguration", "ResetConfiguration",
                            "UpgradeConfiguration"):
                raise Fail('no kind "%s" is registered for version "%s" in scheme '
                           '"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"\n%s' % (kind, av, STACK))
            if kind not in allowed:
                out("[config] WARNING: Ignored YAML document with GroupVersionKind %s, Kind=%s" % (av, kind))
                continue
        elif (av, kind) not in (("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
                                ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration")):
            out("[config] WARNING: Ignored YAML document with GroupVersionKind %s, Kind=%s" % (av, kind))
            continue
        found[kind] = d
    if "JoinConfiguration" in allowed and "JoinConfiguration" not in found:
        raise Fail("no JoinConfiguration kind was found in the YAML file\n%s" % STACK)
    return found


def check_port(port, addr=None):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr or host_ip(), port))
        return True
    except OSError:
        return False
    finally:
        s.close()


# k8s.io/system-validators' cgroup check for a kubelet 1.35+ on cgroup v1 (KEP-5573): an error of
# kubeadm's SystemVerification preflight check, to be skipped explicitly.
CGROUP_V1_UNSUPPORTED = ("cgroups v1 support is deprecated and will be removed in a future release. Please migrate to "
                         "cgroups v2. To explicitly enable cgroups v1 support for kubelet v1.35 or newer, you must set "
                         "the kubelet configuration option 'FailCgroupV1' to 'false'. You must also explicitly skip this "
                         "validation. For more information, see "
                         "https://git.k8s.io/enhancements/keps/sig-node/5573-remove-cgroup-v1")


def cgroup_v1():
    """The host mounts the cgroup v1 hierarchy (Rocky 8's default): no unified cgroup.controllers."""
    return not os.path.exists("/sys/fs/cgroup/cgroup.controllers")


# What a kubelet 1.35+ says on a cgroup v1 host when its failCgroupV1 is true (klog header: time, pid).
KUBELET_CGROUP_V1 = ('E%s %7d run.go:72] "command failed" err="failed to validate kubelet configuration, error: '
                     'kubelet is configured to not run on a host using cgroup v1. cgroup v1 support is unsupported '
                     'and will be removed in a future release, path: &TypeMeta{Kind:,APIVersion:,}"')


def cgroup_v1_check(version, kubelet_minor):
    """kubeadm 1.35+'s SystemVerification on a cgroup v1 host (system-validators 1.12's CgroupsValidator
    with a KubeletVersion): (message, is_error), an error for a kubelet 1.35 or later, else a warning;
    None on cgroup v2 or before kubeadm 1.35 (the older "maintenance mode" warning is not emulated)."""
    if minor(version) < 35 or not cgroup_v1():
        return None
    return CGROUP_V1_UNSUPPORTED, kubelet_minor is not None and kubelet_minor >= 35


def upgrade_system_verification(version, ignore):
    """`kubeadm upgrade apply/node` run SystemVerification (preflight.RunUpgradeChecks) with the
    installed kubelet's version one minor up (kubernetes #134744: the kubelet is expected to follow)."""
    kv = kubelet_version()
    res = cgroup_v1_check(version, minor(kv) + 1 if kv else None)
    if res is None:
        return
    msg, error = res
    ignore = {i.lower() for i in ignore}
    if error and "all" not in ignore and "systemverification" not in ignore:
        raise upgrade_fail(version, "[preflight] Some fatal errors occurred:\n\t[ERROR SystemVerification]: %s\n"
                           "[preflight] If you know what you are doing, you can make a check non-fatal with "
                           "`--ignore-preflight-errors=...`" % msg)
    out("\t[WARNING SystemVerification]: %s" % msg)


def preflight(version, kind, ignore, extra_cp_ports=None, cri_socket=None):
    """Runs kubeadm's checks for KIND (init|join|join-cp). Prints warnings; raises on errors."""
    ignore = {i.lower() for i in ignore}
    errors, warnings = [], []
    m = minor(version)
    cp_up = apiserver_pid() is not None
    kubelet_up = unit_active("kubelet")

    def check(name, msg, error=True):
        if not error:
            warnings.append((name, msg))
        elif "all" in ignore or name.lower() in ignore:
            warnings.append((name, msg))
        else:
            errors.append((name, msg))
    if kind == "init":
        cpus = len(read("/proc/cpuinfo", "").split("processor\t:")) - 1 or os.cpu_count()
        if cpus < 2:
            check("NumCPU", "the number of available CPUs %d is less than the required 2" % cpus)
        mem = int(re.search(r"MemTotal:\s+(\d+)", read("/proc/meminfo")).group(1)) // 1024
        if mem < 1700:
            check("Mem", "the system RAM (%d MB) is less than the minimum 1700 MB" % mem)
    if unit_active("firewalld"):
        ports = "[6443 10250]" if kind in ("init", "join-cp") else "[10250]"
        check("Firewalld", "firewalld is active, please ensure ports %s are open or your cluster may not function correctly" % ports, False)
    if kind in ("init", "join-cp"):
        for port in (6443, 10259, 10257):
            if cp_up or not check_port(port):
                check("Port-%d" % port, "Port %d is in use" % port)
        for comp in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"):
            p = "%s/%s.yaml" % (MANIFESTS, comp)
            if os.path.exists(p):
                check("FileAvailable-" + p.replace("/", "-"), "%s already exists" % p)
        if True:
            for port in (2379, 2380):
                if cp_up:
                    check("Port-%d" % port, "Port %d is in use" % port)
            if os.path.isdir("/var/lib/etcd") and os.listdir("/var/lib/etcd"):
                check("DirAvailable--var-lib-etcd", "/var/lib/etcd is not empty")
    if kind in ("join", "join-cp"):
        for p in (K8S + "/kubelet.conf", K8S + "/bootstrap-kubelet.conf", PKI + "/ca.crt"):
            if os.path.exists(p) and kind == "join" or (kind == "join-cp" and p != PKI + "/ca.crt" and os.path.exists(p)):
                check("FileAvailable-" + p.replace("/", "-"), "%s already exists" % p)
    if shutil.which("crictl") is None:
        check("FileExisting-crictl", "crictl not found in system path")
    elif not unit_active("crio"):
        check("CRI", "container runtime is not running: output: %s\n, error: exit status 1" % crictl_fatal())
    if m < 30 and not os.path.exists("/proc/sys/net/bridge/bridge-nf-call-iptables"):
        check("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist")
    elif m < 30 and read("/proc/sys/net/bridge/bridge-nf-call-iptables", "").strip() != "1":
        check("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables", "/proc/sys/net/bridge/bridge-nf-call-iptables contents are not set to 1")
    if read("/proc/sys/net/ipv4/ip_forward", "").strip() != "1":
        check("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1")
    if swap_on():
        if m < 23:
            check("Swap", "running with swap on is not supported. Please disable swap")
        elif m < 28:
            check("Swap", "swap is enabled; production deployments should disable swap unless testing the NodeSwap feature gate of the kubelet", False)
        else:
            check("Swap", "swap is supported for cgroup v2 only; the NodeSwap feature gate of the kubelet is beta but disabled by default", False)
    for prog, fatal in (("conntrack", True), ("ip", True), ("iptables", True), ("mount", True), ("nsenter", True),
                        ("ethtool", False), ("socat", False), ("tc", False), ("touch", False)):
        if shutil.which(prog) is None:
            check("FileExisting-" + prog, "%s not found in system path" % prog, fatal)
    kv = kubelet_version()
    sysver = cgroup_v1_check(version, minor(kv) if kv else None)
    if sysver:
        check("SystemVerification", sysver[0], sysver[1])
    if kv is None:
        pass
    elif vtuple(kv)[:2] > vtuple(version)[:2]:
        check("KubeletVersion", "the kubelet version is higher than the control plane version. This is not a supported "
              "version skew and may lead to a malfunctional cluster. Kubelet version: \"%s\" Control plane version: \"%s\"" % (kv, version))
    en = subprocess.run(["systemctl", "is-enabled", "kubelet"], capture_output=True, text=True).stdout.strip()
    if en != "enabled":
        check("Service-Kubelet", "kubelet service is not enabled, please run 'systemctl enable kubelet.service'", False)
    if kubelet_up:
        check("Port-10250", "Port 10250 is in use")
    for name, msg in warnings:
        out("\t[WARNING %s]: %s" % (name, msg))
    if errors:
        lines = ["error execution phase preflight: [preflight] Some fatal errors occurred:"]
        lines += ["\t[ERROR %s]: %s" % e for e in errors]
        lines.append("[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`")
        lines.append(STACK)
        raise Fail("\n".join(lines))


def kubelet_check_failed(phase):
    out("[kubelet-check] The kubelet is not healthy after 4m0.000512231s\n\nUnfortunately, an error has occurred:\n"
        "\tThe HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: Get "
        "\"http://127.0.0.1:10248/healthz\": context deadline exceeded\n\n\nThis error is likely caused by:\n"
        "\t- The kubelet is not running\n\t- The kubelet is unhealthy due to a misconfiguration of the node in some way "
        "(required cgroups disabled)\n\nIf you are on a systemd-powered system, you can try to troubleshoot the error "
        "with the following commands:\n\t- 'systemctl status kubelet'\n\t- 'journalctl -xeu kubelet'\n")
    if phase == "init":
        raise Fail("error execution phase wait-control-plane: could not initialize a Kubernetes cluster\n" + STACK)
    raise Fail("error execution phase kubelet-start: The kubelet is not healthy after 4m0s\n" + STACK)


def kubelet_config_doc(kcfg, cluster_dns="10.96.0.10"):
    base = {"apiVersion": "kubelet.config.k8s.io/v1beta1", "authentication": {
        "anonymous": {"enabled": False}, "webhook": {"cacheTTL": "0s", "enabled": True},
        "x509": {"clientCAFile": PKI + "/ca.crt"}},
        "authorization": {"mode": "Webhook", "webhook": {"cacheAuthorizedTTL": "0s", "cacheUnauthorizedTTL": "0s"}},
        "cgroupDriver": "systemd", "clusterDNS": [cluster_dns], "clusterDomain": "cluster.local",
        "containerRuntimeEndpoint": "", "cpuManagerReconcilePeriod": "0s", "evictionPressureTransitionPeriod": "0s",
        "fileCheckFrequency": "0s", "healthzBindAddress": "127.0.0.1", "healthzPort": 10248, "httpCheckFrequency": "0s",
        "imageMaximumGCAge": "0s", "imageMinimumGCAge": "0s", "kind": "KubeletConfiguration",
        "logging": {"flushFrequency": 0, "options": {"json": {"infoBufferSize": "0"}}, "verbosity": 0},
        "memorySwap": {}, "nodeStatusReportFrequency": "0s", "nodeStatusUpdateFrequency": "0s",
        "rotateCertificates": True, "runtimeRequestTimeout": "0s", "shutdownGracePeriod": "0s",
        "shutdownGracePeriodCriticalPods": "0s", "staticPodPath": MANIFESTS, "streamingConnectionIdleTimeout": "0s",
        "syncFrequency": "0s", "volumeStatsAggPeriod": "0s"}
    for k, v in (kcfg or {}).items():
        if k not in ("apiVersion", "kind"):
            base[k] = v
    return yaml.safe_dump(base, default_flow_style=False)


def write_kubelet_files(kcfg_text, cri_socket, node_ip=None):
    out('[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"')
    flags = '--container-runtime-endpoint=%s --pod-infra-container-image=registry.k8s.io/pause:3.9' % cri_socket
    write(KUBELET_DIR + "/kubeadm-flags.env", 'KUBELET_KUBEADM_ARGS="%s"\n' % flags)
    out('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"')
    write(KUBELET_DIR + "/config.yaml", kcfg_text)


def start_kubelet():
    out("[kubelet-start] Starting the kubelet")
    subprocess.run(["systemctl", "restart", "kubelet"], capture_output=True)
    return unit_active("kubelet")


def gen_token():
    alpha = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alpha) for _ in range(6)) + "." + "".join(secrets.choice(alpha) for _ in range(16))


TOKEN_RE = re.compile(r"^([a-z0-9]{6})\.([a-z0-9]{16})$")


def join_command(endpoint, token, hashes, cp=False, cert_key=None, one_line=False):
    s = "kubeadm join %s --token %s \\\n\t" % (endpoint, token)
    s += "".join("--discovery-token-ca-cert-hash %s " % h for h in hashes)
    if cp:
        s += "\\\n\t--control-plane " + ("--certificate-key %s" % cert_key if cert_key else "")
    if one_line:
        s = s.replace("\\\n\t", "")
    return s


def kubeadm_init(version, args):
    spec = dict(COMMON, **{"config": "str", "pod-network-cidr": "str", "control-plane-endpoint": "str",
                           "upload-certs": "bool", "cri-socket": "str", "ignore-preflight-errors": "list",
                           "apiserver-advertise-address": "str", "apiserver-bind-port": "str",
                           "service-cidr": "str", "kubernetes-version": "str", "node-name": "str", "token": "str",
                           "token-ttl": "str", "certificate-key": "str", "skip-token-print": "bool",
                           "skip-certificate-key-print": "bool", "service-dns-domain": "str", "skip-phases": "list",
                           "apiserver-cert-extra-sans": "list", "cert-dir": "str", "dry-run": "bool",
                           "feature-gates": "str", "image-repository": "str", "patches": "str"})
    f = Flags(args, spec, "kubeadm", kubeadm_unknown)
    if f.pos:
        raise Fail('unknown command "%s" for "kubeadm init"\n%s' % (f.pos[0], STACK))
    if f.get("dry-run"):
        raise Fail("sandbox stand-in: kubeadm init --dry-run: not implemented yet")
    mixable = {"config", "ignore-preflight-errors", "upload-certs", "skip-phases", "skip-token-print", "dry-run", "v",
               "certificate-key", "skip-certificate-key-print", "rootfs", "patches"}
    init_cfg, cluster_cfg, kubelet_cfg = {}, {}, {}
    if f.get("config"):
        bad = [n for n in f.set if n not in mixable]
        if bad:
            raise Fail("can not mix '--config' with arguments %s\n%s" % ("[" + " ".join(sorted(set(bad))) + "]", STACK))
        docs = read_config(f.get("config"), version, ("InitConfiguration", "ClusterConfiguration"))
        init_cfg = docs.get("InitConfiguration", {})
        cluster_cfg = docs.get("ClusterConfiguration", {})
        kubelet_cfg = docs.get("KubeletConfiguration", {})
    net = cluster_cfg.get("networking") or {}
    k8s_version = str(f.get("kubernetes-version") or cluster_cfg.get("kubernetesVersion") or ("v" + version)).lstrip("v")
    if k8s_version in ("stable", "stable-1", "latest"):
        k8s_version = version
    if vtuple(k8s_version)[:2] > vtuple(version)[:2]:
        raise Fail("this version of kubeadm only supports deploying clusters with the control plane version >= 1.%d.0. "
                   "Current version: v%s\n%s" % (minor(version) - 1, k8s_version, STACK) if vtuple(k8s_version) < (1, minor(version) - 1)
                   else 'the specified version to deploy "v%s" is higher than the kubeadm version "v%s"' % (k8s_version, version))
    nreg = init_cfg.get("nodeRegistration") or {}
    lae = init_cfg.get("localAPIEndpoint") or {}
    adv = f.get("apiserver-advertise-address") or lae.get("advertiseAddress") or host_ip()
    port = int(f.get("apiserver-bind-port") or lae.get("bindPort") or 6443)
    cpe = f.get("control-plane-endpoint") or cluster_cfg.get("controlPlaneEndpoint") or ""
    pod_cidr = f.get("pod-network-cidr") or net.get("podSubnet") or ""
    svc_cidr = f.get("service-cidr") or net.get("serviceSubnet") or "10.96.0.0/12"
    cri = f.get("cri-socket") or nreg.get("criSocket") or CRIO_SOCK
    node = (f.get("node-name") or nreg.get("name") or hostname()).lower()
    ignore = list(f.get("ignore-preflight-errors", [])) + list(nreg.get("ignorePreflightErrors") or [])
    upload = f.get("upload-certs", False)
    toks = init_cfg.get("bootstrapTokens") or [{}]
    token = f.get("token") or toks[0].get("token") or gen_token()
    if not TOKEN_RE.match(token):
        raise Fail('the bootstrap token "%s" was not of the form "^([a-z0-9]{6})\\.([a-z0-9]{16})$"\n%s' % (token, STACK))
    ttl = parse_duration(str(f.get("token-ttl") or toks[0].get("ttl") or "24h0m0s"))
    cert_key = f.get("certificate-key") or init_cfg.get("certificateKey") or secrets.token_hex(32)
    if cri.startswith("/"):
        cri = "unix://" + cri

    out("[init] Using Kubernetes version: v%s" % k8s_version)
    out("[preflight] Running pre-flight checks")
    sys.stdout.flush()
    preflight(version, "init", ignore, cri_socket=cri)
    out("[preflight] Pulling images required for setting up a Kubernetes cluster")
    out("[preflight] This might take a minute or two, depending on the speed of your internet connection")
    out("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'")
    sys.stdout.flush()

    # certificates
    out('[certs] Using certificateDir folder "%s"' % PKI)
    os.makedirs(PKI + "/etcd", exist_ok=True)
    shutil.rmtree(LOADED_CERTS, ignore_errors=True)
    cp_host = cpe.rsplit(":", 1)[0] if cpe else ""
    dns = [node, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]
    svc_ip = ".".join(svc_cidr.split("/")[0].split(".")[:3]) + ".1"
    ips = [svc_ip, adv]
    if cp_host and not re.match(r"^[\d.]+$", cp_host):
        dns.append(cp_host)
    elif cp_host and cp_host not in ips:
        ips.append(cp_host)
    out('[certs] Generating "ca" certificate and key')
    new_ca(PKI + "/ca", "kubernetes")
    out('[certs] Generating "apiserver" certificate and key')
    new_leaf(PKI + "/apiserver", PKI + "/ca", "/CN=kube-apiserver",
             ["DNS:" + d for d in dns] + ["IP:" + i for i in ips], server=True)
    out("[certs] apiserver serving cert is signed for DNS names [%s] and IPs [%s]" % (" ".join(dns), " ".join(ips)))
    out('[certs] Generating "apiserver-kubelet-client" certificate and key')
    new_leaf(PKI + "/apiserver-kubelet-client", PKI + "/ca", "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client")
    out('[certs] Generating "front-proxy-ca" certificate and key')
    new_ca(PKI + "/front-proxy-ca", "front-proxy-ca", rsa=False)
    out('[certs] Generating "front-proxy-client" certificate and key')
    new_leaf(PKI + "/front-proxy-client", PKI + "/front-proxy-ca", "/CN=front-proxy-client")
    out('[certs] Generating "etcd/ca" certificate and key')
    new_ca(PKI + "/etcd/ca", "etcd-ca", rsa=False)
    for leaf in ("server", "peer"):
        out('[certs] Generating "etcd/%s" certificate and key' % leaf)
        new_leaf(PKI + "/etcd/" + leaf, PKI + "/etcd/ca", "/CN=" + node,
                 ["DNS:" + node, "DNS:localhost", "IP:" + adv, "IP:127.0.0.1", "IP:::1"], server="both")
        out("[certs] etcd/%s serving cert is signed for DNS names [%s localhost] and IPs [%s 127.0.0.1 ::1]" % (leaf, node, adv))
    out('[certs] Generating "etcd/healthcheck-client" certificate and key')
    new_leaf(PKI + "/etcd/healthcheck-client", PKI + "/etcd/ca", "/CN=kube-etcd-healthcheck-client")
    out('[certs] Generating "apiserver-etcd-client" certificate and key')
    new_leaf(PKI + "/apiserver-etcd-client", PKI + "/etcd/ca", "/CN=kube-apiserver-etcd-client")
    out('[certs] Generating "sa" key and public key')
    openssl("genrsa", "-out", PKI + "/sa.key", "2048")
    os.chmod(PKI + "/sa.key", 0o600)
    write(PKI + "/sa.pub", openssl("rsa", "-in", PKI + "/sa.key", "-pubout"))
    sys.stdout.flush()

    ca_pem = read(PKI + "/ca.crt")
    endpoint = cpe if cpe else "%s:%d" % (adv, port)
    if ":" not in endpoint.rsplit("]", 1)[-1]:
        endpoint += ":%d" % port
    server = "https://" + endpoint
    out('[kubeconfig] Using kubeconfig folder "%s"' % K8S)
    confs = [("admin.conf", "kubernetes-admin", "/O=kubeadm:cluster-admins/CN=kubernetes-admin")]
    if minor(version) >= 29:
        confs.append(("super-admin.conf", "kubernetes-super-admin", "/O=system:masters/CN=kubernetes-super-admin"))
    confs += [("kubelet.conf", "system:node:" + node, "/O=system:nodes/CN=system:node:" + node),
              ("controller-manager.conf", "system:kube-controller-manager", "/CN=system:kube-controller-manager"),
              ("scheduler.conf", "system:kube-scheduler", "/CN=system:kube-scheduler")]
    with tempfile.TemporaryDirectory(dir="/run") as d:
        for fname, user, subj in confs:
            out('[kubeconfig] Writing "%s" kubeconfig file' % fname)
            csr = new_key_csr(d + "/k", subj)
            cert = sign_csr(csr, PKI + "/ca")
            key = read(d + "/k")
            if fname == "kubelet.conf":
                os.makedirs(KUBELET_DIR + "/pki", exist_ok=True)
                write_kubelet_client(cert + key)
                text = kubeconfig(server, ca_pem, "system:node:" + node,
                                  cert_file=KUBELET_DIR + "/pki/kubelet-client-current.pem",
                                  key_file=KUBELET_DIR + "/pki/kubelet-client-current.pem")
            else:
                text = kubeconfig(server, ca_pem, user, cert_pem=cert, key_pem=key)
            write(K8S + "/" + fname, text, 0o600)

    out('[etcd] Creating static Pod manifest for local etcd in "%s"' % MANIFESTS)
    os.makedirs(MANIFESTS, exist_ok=True)
    imgs = images(k8s_version)
    write(MANIFESTS + "/etcd.yaml", static_pod("etcd", imgs[6], etcd_command(node, adv, [(node, adv)])), 0o600)
    out('[control-plane] Using manifest folder "%s"' % MANIFESTS)
    for comp, img, cmd in (("kube-apiserver", imgs[0], ["kube-apiserver", "--advertise-address=" + adv,
                                                        "--secure-port=%d" % port, "--service-cluster-ip-range=" + svc_cidr]),
                           ("kube-controller-manager", imgs[1], ["kube-controller-manager"] + (
                               ["--allocate-node-cidrs=true", "--cluster-cidr=" + pod_cidr] if pod_cidr else [])),
                           ("kube-scheduler", imgs[2], ["kube-scheduler"])):
        out('[control-plane] Creating static Pod manifest for "%s"' % comp)
        write(MANIFESTS + "/%s.yaml" % comp, static_pod(comp, img, cmd), 0o600)

    # the cluster's database
    cluster_doc = {"apiVersion": "kubeadm.k8s.io/v1beta3", "kind": "ClusterConfiguration", "clusterName": "kubernetes",
                   "controlPlaneEndpoint": cpe, "kubernetesVersion": "v" + k8s_version,
                   "networking": {"dnsDomain": "cluster.local", "serviceSubnet": svc_cidr, **({"podSubnet": pod_cidr} if pod_cidr else {})},
                   "certificatesDir": PKI, "imageRepository": "registry.k8s.io"}
    kcfg_text = kubelet_config_doc(kubelet_cfg, svc_ip[:-1] + "10")
    clusterinfo = kubeconfig(server, ca_pem, "", cluster="")
    clusterinfo = yaml.safe_dump({"apiVersion": "v1", "clusters": [{"cluster": {"certificate-authority-data": b64(ca_pem),
                                                                                "server": server}, "name": ""}],
                                  "contexts": None, "current-context": "", "kind": "Config", "preferences": {},
                                  "users": None}, default_flow_style=False)
    tid, tsecret = token.split(".")
    st = {"created": now(), "uid": secrets.token_hex(16), "kubernetesVersion": k8s_version, "advertiseAddress": adv,
          "bindPort": port, "server": server, "endpoint": endpoint, "clusterConfiguration": cluster_doc,
          "kubeletConfiguration": kcfg_text, "clusterInfo": clusterinfo, "objects": [], "crds": {},
          "tokens": [{"id": tid, "secret": tsecret, "expires": now() + ttl if ttl else None,
                      "usages": ["authentication", "signing"], "description": "",
                      "groups": ["system:bootstrappers:kubeadm:default-node-token"]}],
          "nodes": {node: {"created": now(), "uid": secrets.token_hex(16), "ip": adv, "controlPlane": True,
                           "cpVersion": k8s_version,
                           "kubeletVersion": kubelet_version() or k8s_version, "crio": crio_version(),
                           "osImage": os_image(), "kernel": os.uname().release,
                           "kubelet": False, "runtime": False, "cni": False}}}
    new_cluster(node, adv)
    store_save(st)

    write_kubelet_files(kcfg_text, cri)
    ok = start_kubelet()
    out('[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "%s"' % MANIFESTS)
    out("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s")
    sys.stdout.flush()
    if not ok:
        kubelet_check_failed("init")
    out("[kubelet-check] The kubelet is healthy after 501.694409ms")
    out("[api-check] Waiting for a healthy API server. This can take up to 4m0s")
    sys.stdout.flush()
    if not ensure_apiserver(wait=True):
        raise Fail("error execution phase wait-control-plane: could not initialize a Kubernetes cluster\n" + STACK)
    kubelet_sync([])
    out("[api-check] The API server is healthy after 5.501599552s")
    out('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace')
    out('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster')
    admin = load_kubeconfig(K8S + "/admin.conf")
    if upload:
        out('[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
        out("[upload-certs] Using certificate key:")
        out(cert_key)
        admin.request("POST", "/sandbox/upload-certs", {"key": cert_key})
    else:
        out("[upload-certs] Skipping phase. Please see --upload-certs")
    out("[mark-control-plane] Marking the node %s as control-plane by adding the labels: "
        "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]" % node)
    out("[mark-control-plane] Marking the node %s as control-plane by adding the taints "
        "[node-role.kubernetes.io/control-plane:NoSchedule]" % node)
    out("[bootstrap-token] Using token: %s" % token)
    out("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials")
    out("[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token")
    out("[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster")
    out('[bootstrap-token] Creating the "cluster-info" ConfigMap in the "kube-public" namespace')
    out('[kubelet-finalize] Updating "/etc/kubernetes/kubelet.conf" to point to a rotatable kubelet client certificate and key')
    out("[addons] Applied essential addon: CoreDNS")
    out("[addons] Applied essential addon: kube-proxy")
    out("")
    out("Your Kubernetes control-plane has initialized successfully!")
    out("")
    out("To start using your cluster, you need to run the following as a regular user:")
    out("")
    out("  mkdir -p $HOME/.kube")
    out("  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config")
    out("  sudo chown $(id -u):$(id -g) $HOME/.kube/config")
    out("")
    out("Alternatively, if you are the root user, you can run:")
    out("")
    out("  export KUBECONFIG=/etc/kubernetes/admin.conf")
    out("")
    out("You should now deploy a pod network to the cluster.")
    out('Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:')
    out("  https://kubernetes.io/docs/concepts/cluster-administration/addons/")
    out("")
    shown = "<value withheld>" if f.get("skip-token-print") else token
    hashes = [ca_hash(ca_pem)]
    if cpe:
        if upload:
            out("You can now join any number of control-plane nodes running the following command on each as root:")
            out("")
            out("  " + join_command(endpoint, shown, hashes, True,
                                    "<value withheld>" if f.get("skip-certificate-key-print") else cert_key))
            out("")
            out("Please note that the certificate-key gives access to cluster sensitive data, keep it secret!")
            out("As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use")
            out('"kubeadm init phase upload-certs --upload-certs" to reload certs afterward.')
            out("")
        else:
            out("You can now join any number of control-plane nodes by copying certificate authorities")
            out("and service account keys on each node and then running the following as root:")
            out("")
            out("  " + join_command(endpoint, shown, hashes, True))
            out("")
    out("Then you can join any number of worker nodes by running the following on each as root:")
    out("")
    out(join_command(endpoint, shown, hashes))
    return 0


def etcd_command(node, adv, cluster, existing=False):
    """kubeadm's getEtcdCommand (phases/etcd/local.go): CLUSTER is [(name, address)], the joining member last."""
    cmd = ["etcd", "--advertise-client-urls=https://%s:2379" % adv, "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
           "--client-cert-auth=true", "--data-dir=/var/lib/etcd", "--feature-gates=InitialCorruptCheck=true",
           "--initial-advertise-peer-urls=https://%s:2380" % adv,
           "--initial-cluster=" + ",".join("%s=https://%s:2380" % m for m in cluster)]
    if existing:
        cmd.append("--initial-cluster-state=existing")
    cmd += ["--key-file=/etc/kubernetes/pki/etcd/server.key",
            "--listen-client-urls=https://127.0.0.1:2379,https://%s:2379" % adv,
            "--listen-metrics-urls=http://127.0.0.1:2381", "--listen-peer-urls=https://%s:2380" % adv,
            "--name=" + node, "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt", "--peer-client-cert-auth=true",
            "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key", "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
            "--snapshot-count=10000", "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
            "--watch-progress-notify-interval=5s"]
    return cmd


def static_pod(name, image, command):
    return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {
        "labels": {"component": name, "tier": "control-plane"}, "name": name, "namespace": "kube-system"},
        "spec": {"containers": [{"command": command, "image": image, "imagePullPolicy": "IfNotPresent", "name": name}],
                 "hostNetwork": True, "priorityClassName": "system-node-critical"}}, default_flow_style=False)


def admin_conn():
    """The control plane's admin connection, as kubeadm token/upload-certs use it."""
    path = K8S + "/admin.conf"
    if not os.path.exists(path):
        raise Fail("failed to load admin kubeconfig: open %s: no such file or directory\n%s" % (path, STACK))
    return load_kubeconfig(path)


def api(conn, method, path, body=None, what=""):
    try:
        code, b = conn.request(method, path, body)
    except (OSError, ssl.SSLError) as e:
        raise Fail("%s%s\n%s" % (what, conn_error_text(e, conn, method, path), STACK)) from e
    if code >= 500 and b.get("kind") == "Status" and not b.get("reason"):
        raise Fail("%s%s\n%s" % (what, b.get("message"), STACK))  # e.g. etcd without quorum
    return code, b


def kubeadm_init_phase(version, args):
    if args[:1] != ["upload-certs"]:
        raise Fail("sandbox stand-in: kubeadm init phase %s: not implemented yet" % " ".join(args))
    f = Flags(args[1:], dict(COMMON, **{"upload-certs": "bool", "certificate-key": "str", "config": "str",
                                        "kubeconfig": "str", "skip-certificate-key-print": "bool"}), "kubeadm", kubeadm_unknown)
    if not f.get("upload-certs"):
        out("[upload-certs] Skipping phase. Please see --upload-certs")
        return 0
    key = f.get("certificate-key") or secrets.token_hex(32)
    if not re.match(r"^[0-9a-f]{64}$", key):
        raise Fail("error execution phase upload-certs: error uploading certs: error decoding certificate key: "
                   "encoding/hex: invalid byte\n" + STACK)
    c = admin_conn()
    api(c, "POST", "/sandbox/upload-certs", {"key": key}, "error execution phase upload-certs: error uploading certs: ")
    out('[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
    out("[upload-certs] Using certificate key:")
    out(key)
    return 0


def kubeadm_token(version, args):
    if not args or args[0] in ("-h", "--help"):
        out("This command manages bootstrap tokens.\n\nUsage:\n  kubeadm token [flags]\n  kubeadm token [command]")
        return 0
    sub, rest = args[0], args[1:]
    if sub == "generate":
        out(gen_token())
        return 0
    if sub == "create":
        f = Flags(rest, dict(COMMON, **{"print-join-command": "bool", "ttl": "str", "certificate-key": "str",
                                        "description": "str", "groups": "list", "usages": "list", "config": "str",
                                        "kubeconfig": "str"}), "kubeadm", kubeadm_unknown)
        if len(f.pos) > 1:
            raise Fail("accepts at most 1 arg(s), received %d\n%s" % (len(f.pos), STACK))
        token = f.pos[0] if f.pos else gen_token()
        if not TOKEN_RE.match(token):
            raise Fail('the bootstrap token "%s" was not of the form "^([a-z0-9]{6})\\.([a-z0-9]{16})$"\n%s' % (token, STACK))
        ttl = parse_duration(f.get("ttl", "24h0m0s"))
        c = load_kubeconfig(f.get("kubeconfig") or K8S + "/admin.conf") if os.path.exists(
            f.get("kubeconfig") or K8S + "/admin.conf") else None
        if c is None:
            raise Fail("failed to load admin kubeconfig: open %s: no such file or directory\n%s"
                       % (f.get("kubeconfig") or K8S + "/admin.conf", STACK))
        tid, sec = token.split(".")
        code, _ = api(c, "POST", "/sandbox/tokens",
                      {"id": tid, "secret": sec, "expires": now() + ttl if ttl else None,
                       "usages": f.get("usages") or ["authentication", "signing"], "description": f.get("description", ""),
                       "groups": f.get("groups") or ["system:bootstrappers:kubeadm:default-node-token"]},
                      "failed to create or update bootstrap token with name bootstrap-token-%s: " % tid)
        if not f.get("print-join-command"):
            out(token)
            return 0
        ca = read(PKI + "/ca.crt", "")
        if not ca:
            raise Fail("failed to load CA certificate: open %s/ca.crt: no such file or directory\n%s" % (PKI, STACK))
        endpoint = c.hostport()
        ck = f.get("certificate-key")
        out(join_command(endpoint, token, [ca_hash(ca)], bool(ck), ck, one_line=True))
        return 0
    if sub == "list":
        f = Flags(rest, dict(COMMON, **{"kubeconfig": "str", "output": "str", "-o": "output", "show-managed-fields": "bool",
                                        "allow-missing-template-keys": "bool", "config": "str"}), "kubeadm", kubeadm_unknown)
        c = admin_conn() if not f.get("kubeconfig") else load_kubeconfig(f.get("kubeconfig"))
        code, b = api(c, "GET", "/sandbox/tokens", None, "failed to list bootstrap tokens: ")
        toks = b.get("tokens", [])
        if not toks:
            return 0
        rows = [["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"]]
        for k in toks:
            ttl = "<forever>" if not k.get("expires") else human_duration(k["expires"] - now())
            exp = "<never>" if not k.get("expires") else rfc3339(k["expires"])
            rows.append(["%s.%s" % (k["id"], k["secret"]), ttl, exp, ",".join(k["usages"]),
                         k.get("description") or "<none>", ",".join(k["groups"])])
        out(table(rows))
        return 0
    if sub == "delete":
        if not rest:
            raise Fail("missing subcommand; 'token delete' is missing token of form \"[a-z0-9]{6}\" or \"[a-z0-9]{6}\\.[a-z0-9]{16}\"\n" + STACK)
        c = admin_conn()
        for t in rest:
            tid = t.split(".")[0]
            code, _ = api(c, "DELETE", "/sandbox/tokens/" + tid, None, "")
            if code == 404:
                raise Fail('failed to delete bootstrap token "%s": secrets "bootstrap-token-%s" not found\n%s' % (tid, tid, STACK))
            out('bootstrap token "%s" deleted' % tid)
        return 0
    raise Fail('unknown command "%s" for "kubeadm token"\n%s' % (sub, STACK))


def kubeadm_join(version, args):
    spec = dict(COMMON, **{"config": "str", "token": "str", "discovery-token": "str", "tls-bootstrap-token": "str",
                           "discovery-token-ca-cert-hash": "list", "discovery-token-unsafe-skip-ca-verification": "bool",
                           "discovery-file": "str", "control-plane": "bool", "certificate-key": "str",
                           "cri-socket": "str", "ignore-preflight-errors": "list", "node-name": "str",
                           "apiserver-advertise-address": "str", "apiserver-bind-port": "str", "skip-phases": "list",
                           "dry-run": "bool", "patches": "str"})
    f = Flags(args, spec, "kubeadm", kubeadm_unknown)
    mixable = {"config", "ignore-preflight-errors", "skip-phases", "dry-run", "v", "rootfs", "patches"}
    cfg = {}
    if f.get("config"):
        bad = [n for n in f.set if n not in mixable]
        if bad or f.pos:
            raise Fail("can not mix '--config' with arguments %s\n%s" % ("[" + " ".join(sorted(set(bad))) + "]", STACK))
        cfg = read_config(f.get("config"), version, ("JoinConfiguration",))["JoinConfiguration"]
        disc = cfg.get("discovery") or {}
        bt = disc.get("bootstrapToken") or {}
        endpoint = bt.get("apiServerEndpoint", "")
        token = bt.get("token") or disc.get("tlsBootstrapToken") or ""
        hashes = bt.get("caCertHashes") or []
        unsafe = bool(bt.get("unsafeSkipCAVerification"))
        cp = cfg.get("controlPlane")
        is_cp = cp is not None
        cert_key = (cp or {}).get("certificateKey", "")
        nreg = cfg.get("nodeRegistration") or {}
        if disc.get("file"):
            raise Fail("sandbox stand-in: kubeadm join with discovery.file: not implemented yet")
    else:
        if len(f.pos) > 1:
            raise Fail("accepts at most 1 arg(s), received %d\n%s" % (len(f.pos), STACK))
        endpoint = f.pos[0] if f.pos else ""
        token = f.get("discovery-token") or f.get("token") or ""
        hashes = f.get("discovery-token-ca-cert-hash", [])
        unsafe = f.get("discovery-token-unsafe-skip-ca-verification", False)
        is_cp = f.get("control-plane", False)
        cert_key = f.get("certificate-key", "")
        nreg = {}
        if f.get("discovery-file"):
            raise Fail("sandbox stand-in: kubeadm join --discovery-file: not implemented yet")
    node = (f.get("node-name") or nreg.get("name") or hostname()).lower()
    cri = f.get("cri-socket") or nreg.get("criSocket") or CRIO_SOCK
    ignore = list(f.get("ignore-preflight-errors", [])) + list(nreg.get("ignorePreflightErrors") or [])
    lae = (cfg.get("controlPlane") or {}).get("localAPIEndpoint") or {}
    adv = f.get("apiserver-advertise-address") or lae.get("advertiseAddress") or host_ip()
    port = int(f.get("apiserver-bind-port") or lae.get("bindPort") or 6443)
    problems = []
    if not endpoint:
        problems.append('discovery.bootstrapToken.apiServerEndpoint: Invalid value: "": the apiServerEndpoint must be set'
                        if f.get("config") else None)
    if not TOKEN_RE.match(token):
        problems.append('discovery.bootstrapToken.token: Invalid value: "%s": the bootstrap token is invalid' % token)
        problems.append('discovery.tlsBootstrapToken: Invalid value: "%s": the bootstrap token is invalid' % token)
    if not hashes and not unsafe:
        problems.append('discovery.bootstrapToken.caCertHashes: Invalid value: "": using token-based discovery without '
                        'caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or '
                        'pass --discovery-token-unsafe-skip-ca-verification flag to continue')
    for h in hashes:
        if not re.match(r"^sha256:[0-9a-f]{64}$", h):
            problems.append('discovery.bootstrapToken.caCertHashes: Invalid value: "%s": invalid hash %s' % (h, h)
                            if h.startswith("sha256:") else
                            'discovery.bootstrapToken.caCertHashes: Invalid value: "%s": unsupported hash format' % h)
    problems = [p for p in problems if p]
    if not endpoint and not f.get("config"):
        problems.insert(0, "discovery: Invalid value: \"\": bootstrapToken or file must be set")
    if problems:
        raise Fail("[%s]\n%s" % (", ".join(problems), STACK))
    if cri.startswith("/"):
        cri = "unix://" + cri

    out("[preflight] Running pre-flight checks")
    sys.stdout.flush()
    preflight(version, "join-cp" if is_cp else "join", ignore, cri_socket=cri)

    # discovery: fetch cluster-info without trusting the server, then validate it
    tid, tsecret = token.split(".")
    c = Conn("https://" + endpoint)
    path = "/api/v1/namespaces/kube-public/configmaps/cluster-info"
    try:
        code, ci = c.request("GET", path + "?timeout=10s")
    except (OSError, ssl.SSLError) as e:
        raise Fail("error execution phase preflight: couldn't validate the identity of the API Server: %s\n%s"
                   % (conn_error_text(e, c, "GET", path + "?timeout=10s"), STACK)) from e
    data = ci.get("data") or {}
    kc = data.get("kubeconfig", "")
    ident = "error execution phase preflight: couldn't validate the identity of the API Server: "
    sig = data.get("jws-kubeconfig-" + tid)
    if not sig:
        raise Fail(ident + 'token id "%s" is invalid for this cluster or it has expired. Use "kubeadm token create" on the '
                   'control-plane node to create a new valid token\n%s' % (tid, STACK))
    if not hmac.compare_digest(sig, jws(tsecret, tid, kc)):
        raise Fail(ident + "failed to verify JWS signature of received cluster info object, can't trust this API Server\n" + STACK)
    kcd = yaml.safe_load(kc)
    ca_pem = base64.b64decode(kcd["clusters"][0]["cluster"]["certificate-authority-data"]).decode()
    server = kcd["clusters"][0]["cluster"]["server"]
    if not unsafe:
        h = ca_hash(ca_pem)
        if h not in hashes:
            raise Fail(ident + 'cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "%s" are pinned\n%s'
                       % (h, STACK))
    out("[preflight] Reading configuration from the cluster...")
    out("[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'")
    sys.stdout.flush()
    tc = Conn(server, ca_pem=ca_pem, token=token)
    code, kcfg = api(tc, "GET", "/sandbox/kubeadm-config", None,
                     "error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: ")
    if code != 200:
        raise Fail("error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: %s\n%s"
                   % (kcfg.get("message", "Unauthorized"), STACK))
    if is_cp and not kcfg["clusterConfiguration"].get("controlPlaneEndpoint"):
        raise Fail("error execution phase preflight: \nOne or more conditions for hosting a new control plane instance is "
                   "not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't have a stable "
                   "controlPlaneEndpoint address\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint "
                   "address.\n* The certificates that must be shared among control plane instances are provided.\n\n\n" + STACK)
    if is_cp and not cert_key:
        raise Fail("error execution phase preflight: \nOne or more conditions for hosting a new control plane instance is "
                   "not satisfied.\n\n[failure loading certificate for CA: couldn't load the certificate file "
                   "/etc/kubernetes/pki/ca.crt: open /etc/kubernetes/pki/ca.crt: no such file or directory]\n\n"
                   "Please ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates "
                   "that must be shared among control plane instances are provided.\n\n\n" + STACK)

    os.makedirs(KUBELET_DIR + "/pki", exist_ok=True)
    with tempfile.TemporaryDirectory(dir="/run") as d:
        csr = new_key_csr(d + "/k", "/O=system:nodes/CN=system:node:" + node)
        key = read(d + "/k")
    if is_cp:
        out("[preflight] Running pre-flight checks before initializing the new control plane instance")
        out("[preflight] Pulling images required for setting up a Kubernetes cluster")
        out("[preflight] This might take a minute or two, depending on the speed of your internet connection")
        out("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'")
        out('[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
    code, res = api(tc, "POST", "/sandbox/join",
                    {"nodeName": node, "csr": csr, "ip": host_ip(), "controlPlane": is_cp, "certificateKey": cert_key,
                     "kubeletVersion": kubelet_version() or version, "crio": crio_version(), "osImage": os_image(),
                     "kernel": os.uname().release}, "error execution phase kubelet-start: ")
    if code == 409:
        raise Fail("error execution phase kubelet-start: %s\n%s" % (res["message"], STACK))
    if code == 412:
        msg = {"noendpoint": "unable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address",
               "nosecret": 'error downloading certs: error downloading the secret: Secret "kubeadm-certs" was not found in the '
                           '"kube-system" Namespace. This Secret might have expired. Please, run `kubeadm init phase upload-certs '
                           '--upload-certs` on a control plane to generate a new one',
               "badkey": "error downloading certs: error decoding secret data with provided key: cipher: message authentication failed"}[res["message"]]
        raise Fail("error execution phase control-plane-prepare/download-certs: %s\n%s" % (msg, STACK))
    if code != 200:
        raise Fail("error execution phase kubelet-start: %s\n%s" % (res.get("message"), STACK))
    if is_cp:
        out('[download-certs] Saving the certificates to the folder: "%s"' % PKI)
        for fn, text in res["shared"].items():
            write(PKI + "/" + fn, text, 0o600 if fn.endswith(".key") else 0o644)
        join_control_plane_prepare(version, node, adv, port, kcfg, server, ca_pem)
        check_etcd(res.get("etcdCluster"), res.get("etcdEndpoints") or [])
    write(PKI + "/ca.crt", ca_pem)
    write_kubelet_client(res["cert"] + key)
    write(K8S + "/kubelet.conf", kubeconfig(server, ca_pem, "default-auth",
                                            cert_file=KUBELET_DIR + "/pki/kubelet-client-current.pem",
                                            key_file=KUBELET_DIR + "/pki/kubelet-client-current.pem",
                                            cluster="default-cluster"), 0o600)
    write_kubelet_files(kcfg["kubeletConfiguration"], cri)
    ok = start_kubelet()
    out("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s")
    sys.stdout.flush()
    if not ok:
        kubelet_check_failed("join")
    out("[kubelet-check] The kubelet is healthy after 1.001566888s")
    out("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap")
    kubelet_sync([])
    if is_cp:
        sys.stdout.flush()
        join_etcd(version, node, adv, res.get("etcdCluster"), kcfg)
        api(load_kubeconfig(K8S + "/admin.conf"), "POST", "/sandbox/cpjoined", {"node": node},
            "error execution phase control-plane-join/mark-control-plane: error applying control-plane label and taints: ")
        out("[mark-control-plane] Marking the node %s as control-plane by adding the labels: "
            "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]" % node)
        out("[mark-control-plane] Marking the node %s as control-plane by adding the taints "
            "[node-role.kubernetes.io/control-plane:NoSchedule]" % node)
        kubelet_sync([])
    out("")
    if is_cp:
        out("This node has joined the cluster and a new control plane instance was created:\n\n"
            "* Certificate signing request was sent to apiserver and approval was received.\n"
            "* The Kubelet was informed of the new secure connection details.\n"
            "* Control plane label and taint were applied to the new node.\n"
            "* The Kubernetes control plane instances scaled up.\n* A new etcd member was added to the local/stacked etcd cluster.\n\n"
            "To start administering your cluster from this node, you need to run the following as a regular user:\n\n"
            "\tmkdir -p $HOME/.kube\n\tsudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config\n"
            "\tsudo chown $(id -u):$(id -g) $HOME/.kube/config\n\nRun 'kubectl get nodes' to see this node join the cluster.\n")
    else:
        out("This node has joined the cluster:\n* Certificate signing request was sent to apiserver and a response was received.\n"
            "* The Kubelet was informed of the new secure connection details.\n\n"
            "Run 'kubectl get nodes' on the control-plane to see this node join the cluster.\n")
    return 0


def join_control_plane_prepare(version, node, adv, port, kcfg, server, ca_pem):
    """control-plane-prepare (certs, kubeconfig, control-plane): this member's own certificates signed
    by the downloaded CAs, the kubeconfig files, the static Pod manifests."""
    cc = kcfg["clusterConfiguration"]
    net = cc.get("networking") or {}
    svc_cidr = net.get("serviceSubnet") or "10.96.0.0/12"
    svc_ip = ".".join(svc_cidr.split("/")[0].split(".")[:3]) + ".1"
    cpe = cc.get("controlPlaneEndpoint") or ""
    cp_host = cpe.rsplit(":", 1)[0] if cpe else ""
    out('[certs] Using certificateDir folder "%s"' % PKI)
    out('[certs] Generating "front-proxy-client" certificate and key')
    new_leaf(PKI + "/front-proxy-client", PKI + "/front-proxy-ca", "/CN=front-proxy-client")
    out('[certs] Generating "apiserver-etcd-client" certificate and key')
    new_leaf(PKI + "/apiserver-etcd-client", PKI + "/etcd/ca", "/CN=kube-apiserver-etcd-client")
    for leaf in ("server", "peer"):
        out('[certs] Generating "etcd/%s" certificate and key' % leaf)
        new_leaf(PKI + "/etcd/" + leaf, PKI + "/etcd/ca", "/CN=" + node,
                 ["DNS:" + node, "DNS:localhost", "IP:" + adv, "IP:127.0.0.1", "IP:::1"], server="both")
        out("[certs] etcd/%s serving cert is signed for DNS names [%s localhost] and IPs [%s 127.0.0.1 ::1]" % (leaf, node, adv))
    out('[certs] Generating "etcd/healthcheck-client" certificate and key')
    new_leaf(PKI + "/etcd/healthcheck-client", PKI + "/etcd/ca", "/CN=kube-etcd-healthcheck-client")
    dns = [node, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"]
    ips = [svc_ip, adv]
    if cp_host and not re.match(r"^[\d.]+$", cp_host):
        dns.append(cp_host)
    elif cp_host and cp_host not in ips:
        ips.append(cp_host)
    out('[certs] Generating "apiserver" certificate and key')
    new_leaf(PKI + "/apiserver", PKI + "/ca", "/CN=kube-apiserver",
             ["DNS:" + d for d in dns] + ["IP:" + i for i in ips], server=True)
    out("[certs] apiserver serving cert is signed for DNS names [%s] and IPs [%s]" % (" ".join(sorted(dns)), " ".join(ips)))
    out('[certs] Generating "apiserver-kubelet-client" certificate and key')
    new_leaf(PKI + "/apiserver-kubelet-client", PKI + "/ca", "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client")
    out('[certs] Valid certificates and keys now exist in "%s"' % PKI)
    out('[certs] Using the existing "sa" key')
    out('[kubeconfig] Generating kubeconfig files')
    out('[kubeconfig] Using kubeconfig folder "%s"' % K8S)
    local = "https://%s:%d" % (adv, port)
    with tempfile.TemporaryDirectory(dir="/run") as d:
        confs = [("admin.conf", "/O=kubeadm:cluster-admins/CN=kubernetes-admin", server)]
        if minor(version) >= 29:
            confs.append(("super-admin.conf", "/O=system:masters/CN=kubernetes-super-admin", server))
        confs += [("controller-manager.conf", "/CN=system:kube-controller-manager", local),
                  ("scheduler.conf", "/CN=system:kube-scheduler", local)]
        for fname, subj, srv in confs:
            if fname != "super-admin.conf":
                out('[kubeconfig] Writing "%s" kubeconfig file' % fname)
            cert = sign_csr(new_key_csr(d + "/k", subj), PKI + "/ca")
            write(K8S + "/" + fname, kubeconfig(srv, ca_pem, subj.split("CN=")[1], cert_pem=cert, key_pem=read(d + "/k")), 0o600)
    imgs = images(cc["kubernetesVersion"].lstrip("v"))
    pod_cidr = net.get("podSubnet") or ""
    out('[control-plane] Using manifest folder "%s"' % MANIFESTS)
    for comp, img, cmd in (("kube-apiserver", imgs[0], ["kube-apiserver", "--advertise-address=" + adv,
                                                        "--secure-port=%d" % port, "--service-cluster-ip-range=" + svc_cidr]),
                           ("kube-controller-manager", imgs[1], ["kube-controller-manager"] + (
                               ["--allocate-node-cidrs=true", "--cluster-cidr=" + pod_cidr] if pod_cidr else [])),
                           ("kube-scheduler", imgs[2], ["kube-scheduler"])):
        out('[control-plane] Creating static Pod manifest for "%s"' % comp)
        write(MANIFESTS + "/%s.yaml" % comp, static_pod(comp, img, cmd), 0o600)


def etcd_fail(phase, text):
    return Fail("error execution phase %s: %s\n%s" % (phase, text, STACK))


def check_etcd(cdir, endpoints):
    """check-etcd (CheckLocalEtcdClusterStatus): the etcd endpoints of the control-plane Nodes (their etcd
    mirror pods' annotation) must all answer; a member without a Node is not checked."""
    out("[check-etcd] Checking that the etcd cluster is healthy")
    sys.stdout.flush()
    if not cdir or not os.path.isdir(cdir):
        raise etcd_fail("check-etcd", "etcd cluster is not healthy: no etcd endpoints found in the cluster")
    members = members_load(cdir)["members"]
    for ep in endpoints:
        if not any(ep in m.get("clientURLs", []) and member_alive(m) for m in members):
            raise etcd_fail("check-etcd", "etcd cluster is not healthy: failed to dial endpoint %s with maintenance "
                            "client: context deadline exceeded" % ep)
    if not quorum_state(cdir)[0]:
        raise etcd_fail("check-etcd", "etcd cluster is not healthy: context deadline exceeded")


def may_add_member(data, learner, peer):
    """etcd's checks of a MemberAdd (server.go mayAddMember with --strict-reconfig-check, membership's
    ValidateConfigurationChange) -> error text or None."""
    if any(peer in m["peerURLs"] for m in data["members"]):
        return "etcdserver: Peer URLs already exists"
    voting = [m for m in data["members"] if not m.get("isLearner")]
    if learner:
        if sum(1 for m in data["members"] if m.get("isLearner")) >= 1:
            return "etcdserver: too many learner members in cluster"
    else:
        nmembers, nstarted = len(voting) + 1, sum(1 for m in voting if m.get("name"))
        if not (nstarted == 1 and nmembers == 2) and nstarted < nmembers // 2 + 1:
            return "etcdserver: re-configuration failed due to not enough started members"
    if len([m for m in voting if member_alive(m)]) < len(voting) // 2 + 1:
        return "context deadline exceeded"
    if not all(member_alive(m) for m in voting):
        return "etcdserver: unhealthy cluster"
    return None


def may_remove_member(data, target):
    """mayRemoveMember: a learner always; a voting member only if the started members keep a quorum and,
    when the member is alive, the alive ones too -> error text or None."""
    voting = [m for m in data["members"] if not m.get("isLearner")]
    if not target.get("isLearner"):
        others = [m for m in voting if m["id"] != target["id"]]
        if sum(1 for m in others if m.get("name")) < len(others) // 2 + 1:
            return "etcdserver: re-configuration failed due to not enough started members"
        alive = sum(1 for m in voting if member_alive(m))
        if member_alive(target) and alive - 1 < 1 + (len(voting) - 1) // 2:
            return "etcdserver: unhealthy cluster"
    if len([m for m in voting if member_alive(m)]) < len(voting) // 2 + 1:
        return "context deadline exceeded"  # the conf change is proposed, raft has no leader
    return None


def join_etcd(version, node, adv, cdir, kcfg):
    """control-plane-join/etcd (CreateStackedEtcdStaticPodManifestFile): the member added as a learner
    (etcd allows one learner at a time: kubeadm retries while another join's learner is there), the etcd
    manifest with --initial-cluster-state=existing, the member started and promoted."""
    phase = "control-plane-join/etcd"
    wrap = "error creating local etcd static pod manifest file: "
    peer = "https://%s:2380" % adv
    mid = secrets.randbits(63) | 1 << 62
    deadline = now() + 100
    # EtcdLearnerMode: beta (on by default) in 1.29, GA since; before, the member is added as a voting member
    learner = minor(version) >= 29
    while True:
        with Locked(cdir + "/members.lock"):
            data = members_load(cdir)
            old = next((m for m in data["members"] if peer in m["peerURLs"]), None)
            if old is not None:
                # kubeadm's addMember: "The peer URL ... already exists. Skipping etcd member addition" (a
                # member left behind by a host that was not reset cleanly: the new etcd takes it over)
                mid = old["id"]
                cluster = [(m["name"] or node, m["peerURLs"][0].split("//")[1].rsplit(":", 1)[0]) for m in data["members"]]
                break
            why = may_add_member(data, learner, peer)
            if why is None:
                data["members"].append({"id": mid, "name": "", "peerURLs": [peer], "clientURLs": [],
                                        "isLearner": learner, "host": hostname()})
                members_save(cdir, data)
                cluster = [(m["name"] or node, m["peerURLs"][0].split("//")[1].rsplit(":", 1)[0]) for m in data["members"]]
                break
        if why not in ("etcdserver: too many learner members in cluster",
                       "etcdserver: re-configuration failed due to not enough started members") or now() > deadline:
            raise etcd_fail(phase, wrap + why)
        time.sleep(0.2)
    out("[etcd] Announced new etcd member joining to the existing etcd cluster")
    out('[etcd] Creating static Pod manifest for "etcd"')
    imgs = images(kcfg["clusterConfiguration"]["kubernetesVersion"].lstrip("v"))
    write(MANIFESTS + "/etcd.yaml", static_pod("etcd", imgs[6], etcd_command(node, adv, cluster, existing=True)), 0o600)
    link_member(cdir, mid, node)
    with Locked(cdir + "/members.lock"):
        data = members_load(cdir)
        for m in data["members"]:
            if m["id"] == mid:
                m["clientURLs"] = ["https://%s:2379" % adv]
        members_save(cdir, data)
    ensure_apiserver(wait=True)
    # MemberPromote: the learner is started and in sync
    with Locked(cdir + "/members.lock"):
        data = members_load(cdir)
        why = None
        if len([m for m in data["members"] if not m.get("isLearner") and member_alive(m)]) < \
                len([m for m in data["members"] if not m.get("isLearner")]) // 2 + 1:
            why = "context deadline exceeded"
        for m in data["members"]:
            if m["id"] == mid:
                if not member_alive(m) and learner:
                    why = "etcdserver: can only promote a learner member which is in sync with leader"
                elif why is None:
                    m["isLearner"] = False  # MemberPromote (a voting member already: "already promoted")
        if why is None:
            members_save(cdir, data)
    if why:
        raise etcd_fail(phase, wrap + why)
    out("[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s")


# ---------------------------------------------------------------- kubeadm upgrade
#
# cmd/kubeadm/app/cmd/upgrade/{plan,apply,node}.go and phases/upgrade: the version skew policy
# (policy.go: EnforceVersionPolicies), the available upgrades (compute.go: stable.txt and
# stable-1.MINOR.txt from dl.k8s.io, i.e. the curl stand-in's catalog), the static Pod
# manifests rewritten with backups under /etc/kubernetes/tmp, certificates renewed, the
# kubeadm-config / kube-proxy / CoreDNS versions in the cluster. From 1.31 kubeadm runs
# upgrade apply/node as phases (the "[upgrade/preflight]" output); before, the classic output.

UPGRADE_COMMON = dict(COMMON, **{"config": "str", "kubeconfig": "str", "allow-experimental-upgrades": "bool",
                                 "allow-release-candidate-upgrades": "bool", "ignore-preflight-errors": "list",
                                 "feature-gates": "str", "print-config": "bool"})
LINE = "_____________________________________________________________________"
CP_COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")


def coredns_version(v):
    return images(v)[4].split(":")[1]


def upgrade_fail(version, text, phase="preflight"):
    """How kubeadm reports an error of an upgrade phase (1.34: cobra's "error: " prefix)."""
    m = minor(version)
    if phase and m >= 31:
        text = "error execution phase %s: %s" % (phase, text)
    if m >= 34:
        text = "error: " + text
    return Fail(text + "\n" + STACK)


def parse_target(version, arg):
    """A version argument as kubeadm normalises it (v1.X.Y, 1.X.Y, stable, stable-1.X, latest...)."""
    if re.match(r"^v?\d+\.\d+\.\d+$", arg):
        return arg.lstrip("v")
    if re.match(r"^(stable|latest)(-\d+(\.\d+)?)?$", arg):
        v = fetch_release(arg)
        if v is None:
            raise Fail('unable to fetch file. URL: "https://dl.k8s.io/release/%s.txt", status: 404 Not Found\n%s' % (arg, STACK))
        return v.lstrip("v")
    raise Fail('version "%s" doesn\'t match patterns for neither semantic version nor labels (stable, latest, ...)\n%s'
               % (arg, STACK))


def fetch_release(label):
    p = subprocess.run(["curl", "-fsSL", "https://dl.k8s.io/release/%s.txt" % label], capture_output=True, text=True)
    v = p.stdout.strip()
    return v if p.returncode == 0 and re.match(r"^v\d+\.\d+\.\d+$", v) else None


def manifest_version(comp):
    text = read(MANIFESTS + "/%s.yaml" % comp, "")
    m = re.search(r"image: \S+:v?([0-9][^\s]*)", text)
    return m.group(1) if m else None


def upgrade_client(version, conf):
    if not os.path.exists(conf):
        raise upgrade_fail(version, 'couldn\'t create a Kubernetes client from file "%s": failed to load admin kubeconfig: '
                           'open %s: no such file or directory' % (conf, conf), None)
    return load_kubeconfig(conf)


def read_cluster(version, c, prefix):
    m = minor(version)
    if m >= 31:
        out('[%s] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...' % prefix)
        out("[%s] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it." % prefix)
    else:
        if prefix == "upgrade/config":
            out("[upgrade/config] Making sure the configuration is correct:")
        out("[%s] Reading configuration from the cluster..." % prefix)
        out("[%s] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'" % prefix)
    sys.stdout.flush()
    code, cfg = api(c, "GET", "/sandbox/kubeadm-config", None, "unable to fetch the kubeadm-config ConfigMap: ")
    if code != 200:
        raise Fail("unable to fetch the kubeadm-config ConfigMap: %s\n%s" % (cfg.get("message"), STACK))
    return cfg


def health_checks(version, c, ignore):
    """[upgrade] Running cluster health checks: ControlPlaneNodesReady, StaticPodManifest."""
    out("[upgrade] Running cluster health checks")
    sys.stdout.flush()
    _, b = api(c, "GET", "/api/v1/nodes", None, "")
    notready = [i["metadata"]["name"] for i in b.get("items", [])
                if "node-role.kubernetes.io/control-plane" in i["metadata"]["labels"]
                and next(x["status"] for x in i["status"]["conditions"] if x["type"] == "Ready") != "True"]
    problems = []
    if notready:
        problems.append(("ControlPlaneNodesReady", "there are NotReady control-planes in the cluster: [%s]" % " ".join(notready)))
    missing = [comp for comp in CP_COMPONENTS[1:] if not os.path.exists(MANIFESTS + "/%s.yaml" % comp)]
    if missing:
        problems.append(("StaticPodManifest", "the manifest for component %s does not exist" % missing[0]))
    fatal = [(n, msg) for n, msg in problems if n.lower() not in [i.lower() for i in ignore] and "all" not in ignore]
    for n, msg in problems:
        if (n, msg) not in fatal:
            out("\t[WARNING %s]: %s" % (n, msg))
    if fatal:
        text = "[preflight] Some fatal errors occurred:\n" + "".join("\t[ERROR %s]: %s\n" % x for x in fatal) + \
            "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`"
        if minor(version) < 31:
            raise Fail("[upgrade/health] FATAL: " + text + "\n" + STACK)
        raise upgrade_fail(version, text)


def node_kubelets(c):
    _, b = api(c, "GET", "/api/v1/nodes", None, "")
    return [(i["metadata"]["name"], i["status"]["nodeInfo"]["kubeletVersion"],
             "node-role.kubernetes.io/control-plane" in i["metadata"]["labels"]) for i in b.get("items", [])]


def skew_errors(version, cluster, target, kubelets):
    """policy.go EnforceVersionPolicies -> (mandatory, skippable)."""
    mand, skip = [], []
    tv, cv, kv = vtuple(target), vtuple(cluster), vtuple(version)
    vt = "v" + target
    minimum = (1, minor(version) - 1, 0)
    if tv < minimum:
        mand.append('Specified version to upgrade to "%s" is equal to or lower than the minimum supported version "v%s". '
                    'Please specify a higher version to upgrade to' % (vt, cluster))
    if tv[1] > cv[1] + 1:
        mand.append('Specified version to upgrade to "%s" is too high; kubeadm can upgrade only 1 minor version at a time' % vt)
    if tv[1] < cv[1] - 1:
        mand.append('Specified version to downgrade to "%s" is too low; kubeadm can downgrade only 1 minor version at a time' % vt)
    if kv < tv:
        if tv[1] > kv[1]:
            mand.append('Specified version to upgrade to "%s" is at least one minor release higher than the kubeadm minor '
                        'release (%d > %d). Such an upgrade is not supported' % (vt, tv[1], kv[1]))
        else:
            skip.append('Specified version to upgrade to "%s" is higher than the kubeadm version "v%s". Upgrade kubeadm '
                        'first using the tool you used to install kubeadm' % (vt, version))
    if kv[1] > tv[1]:
        skip.append("Kubeadm version v%s can only be used to upgrade to Kubernetes version %d.%d" % (version, kv[0], kv[1]))
    # MaximumAllowedMinorVersionKubeletSkew: 3 since kubeadm 1.29 (KEP 3935), 1 before
    skew = 3 if kv[1] >= 29 else 1
    old = sorted({v for _, v, _ in kubelets if tv[1] > vtuple(v)[1] + skew})
    if old:
        skip.append("There are kubelets in this cluster that are too old that have these versions [%s]" % " ".join(old))
    return mand, skip


def enforce_versions(version, cluster, target, kubelets, force):
    m = minor(version)
    mand, skip = skew_errors(version, cluster, target, kubelets)
    arg = "the version argument" if m >= 31 else "the --version argument"
    fmt = lambda errs: "".join("\t- %s\n" % e for e in errs)  # noqa: E731  kubeadmutil.FormatErrMsg
    text = None
    if mand:
        text = "%s is invalid due to these fatal errors:\n\n%s\nPlease fix the misalignments highlighted above and try " \
               "upgrading again" % (arg, fmt(mand))
    elif skip and not force:
        text = "%s is invalid due to these errors:\n\n%s\nCan be bypassed if you pass the --force flag" % (arg, fmt(skip))
    elif skip:
        out("[upgrade/version] Found %d potential version compatibility errors but skipping since the --force flag is set: "
            "\n\n%s" % (len(skip), fmt(skip)))
    if text:
        sys.stdout.flush()
        if m < 31:
            raise Fail("[upgrade/version] FATAL: " + text + "\n" + STACK)
        raise upgrade_fail(version, text)


def confirm(version, f, question):
    if f.get("yes") or f.get("force") or f.get("dry-run"):
        return
    sys.stdout.write("%s [y/N]: " % question)
    sys.stdout.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        out("")
        text = "won't proceed; the user didn't answer (Y|y) in order to continue"
        if minor(version) < 31:
            raise Fail(text + "\n" + STACK)
        raise upgrade_fail(version, text)


def renew_cert(path):
    """Re-issues PATH.crt for PATH.key with the same subject and extensions, for cert_validity() more."""
    with tempfile.TemporaryDirectory(dir="/run") as d:
        openssl("x509", "-x509toreq", "-in", path + ".crt", "-signkey", path + ".key", "-copy_extensions", "copyall",
                "-out", d + "/csr")
        ca = PKI + "/etcd/ca" if "/etcd/" in path or path.endswith("apiserver-etcd-client") else (
            PKI + "/front-proxy-ca" if path.endswith("front-proxy-client") else PKI + "/ca")
        write(path + ".crt", x509_sign(d + "/csr", ca, d, copy=True))


def renew_kubeconfig(path):
    try:
        cfg = yaml.safe_load(read(path))
        u = cfg["users"][0]["user"]
        cert, key = base64.b64decode(u["client-certificate-data"]).decode(), base64.b64decode(u["client-key-data"]).decode()
    except (OSError, KeyError, IndexError, TypeError, ValueError):
        return
    with tempfile.TemporaryDirectory(dir="/run") as d:
        write(d + "/k.crt", cert)
        write(d + "/k.key", key, 0o600)
        renew_cert(d + "/k")
        u["client-certificate-data"] = b64(read(d + "/k.crt"))
    write(path, yaml.safe_dump(cfg, default_flow_style=False, sort_keys=False), 0o600)


RENEW = {"etcd": [("etcd-server", "etcd/server"), ("etcd-peer", "etcd/peer"), ("etcd-healthcheck-client", "etcd/healthcheck-client")],
         "kube-apiserver": [("apiserver", "apiserver"), ("apiserver-kubelet-client", "apiserver-kubelet-client"),
                            ("front-proxy-client", "front-proxy-client"), ("apiserver-etcd-client", "apiserver-etcd-client")],
         "kube-controller-manager": [("controller-manager.conf", "controller-manager.conf")],
         "kube-scheduler": [("scheduler.conf", "scheduler.conf")]}


def upgrade_static_pods(version, target, renew, dry):
    """staticpods.go: each component's new manifest, its backup, the kubelet restarting it. -> apiserver changed?"""
    ts = time.strftime("%Y-%m-%d-%H-%M-%S")
    tmp = K8S + "/tmp"
    new_dir = "%s/kubeadm-upgraded-manifests%d" % (tmp, secrets.randbelow(10 ** 9))
    backup = "%s/kubeadm-backup-manifests-%s" % (tmp, ts)
    out('[upgrade/staticpods] Writing new Static Pod manifests to "%s"' % new_dir)
    imgs = images(target)
    want = {"etcd": imgs[6], "kube-apiserver": imgs[0], "kube-controller-manager": imgs[1], "kube-scheduler": imgs[2]}
    changed_api = False
    for comp in CP_COMPONENTS:
        path = MANIFESTS + "/%s.yaml" % comp
        old = read(path, "")
        new = re.sub(r"(image: )\S+", lambda mm: mm.group(1) + want[comp], old, count=1)
        if comp == "etcd":
            cur = (re.search(r"image: \S+:(\S+)", old) or re.search("(.*)", "")).group(1)
            if vtuple(want[comp].split(":")[1]) <= vtuple(cur or "0"):
                out('[upgrade/etcd] Non fatal issue encountered during upgrade: the desired etcd version "%s" is not newer '
                    'than the currently installed "%s". Skipping etcd upgrade' % (want[comp].split(":")[1], cur))
                continue
        out('[upgrade/staticpods] Preparing for "%s" upgrade' % comp)
        if renew:
            for label, rel in RENEW[comp]:
                out("[upgrade/staticpods] Renewing %s certificate" % label)
                if not dry:
                    if rel.endswith(".conf"):
                        renew_kubeconfig(K8S + "/" + rel)
                    elif os.path.exists(PKI + "/" + rel + ".crt"):
                        renew_cert(PKI + "/" + rel)
        if new == old:
            out("[upgrade/staticpods] Current and new manifests of %s are equal, skipping upgrade" % comp)
            continue
        if dry:
            out("[dryrun] Would write file %s/%s.yaml with content:" % (new_dir, comp))
            continue
        os.makedirs(backup, mode=0o700, exist_ok=True)
        if comp == "etcd":
            eb = "%s/kubeadm-backup-etcd-%s/etcd" % (tmp, ts)
            os.makedirs(eb, mode=0o700, exist_ok=True)
            shutil.copytree(STORE_DIR, eb + "/member", dirs_exist_ok=True)
        write(backup + "/%s.yaml" % comp, old, 0o600)
        write(path, new, 0o600)
        out('[upgrade/staticpods] Moving new manifest to "%s" and backing up old manifest to "%s/%s.yaml"' % (path, backup, comp))
        out("[upgrade/staticpods] Waiting for the kubelet to restart the component")
        out("[upgrade/staticpods] This can take up to 5m0s")
        if comp == "kube-apiserver":
            changed_api = True
            # the kubelet restarts the kube-apiserver static Pod with the new manifest (and certificates)
            stop_apiserver()
            if unit_active("kubelet") and unit_active("crio"):
                ensure_apiserver(wait=True)
        else:
            record_loaded(comp)
        out("[apiclient] Found 1 Pods for label selector component=%s" % comp)
        out('[upgrade/staticpods] Component "%s" upgraded successfully!' % comp)
        if comp == "etcd":
            out("[upgrade/etcd] Waiting for etcd to become available")
        sys.stdout.flush()
    return changed_api


def upgrade_kubelet_config(version, cfg, dry):
    m = minor(version)
    d = "%s/tmp/kubeadm-kubelet-config%d" % (K8S, secrets.randbelow(10 ** 10))
    if m >= 31:
        err("W%s %7d postupgrade.go:116] Using temporary directory %s for kubelet config. To override it set the "
            "environment variable KUBEADM_UPGRADE_DRYRUN_DIR" % (time.strftime("%m%d %H:%M:%S.000000"), os.getpid(), d))
    out("[upgrade] Backing up kubelet config file to %s/config.yaml" % d)
    if not dry:
        os.makedirs(d, mode=0o700, exist_ok=True)
        if os.path.exists(KUBELET_DIR + "/config.yaml"):
            shutil.copy2(KUBELET_DIR + "/config.yaml", d + "/config.yaml")
    if m >= 31:
        out('[kubelet-start] Writing kubelet environment file with flags to file "/var/lib/kubelet/kubeadm-flags.env"')
    if m >= 34:
        out('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/instance-config.yaml"')
        out('[patches] Applied patch of type "application/strategic-merge-patch+json" to target "kubeletconfiguration"')
    out('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"')
    if not dry:
        write(KUBELET_DIR + "/config.yaml", cfg["kubeletConfiguration"])
    if m >= 31:
        out("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!")


def kubeadm_upgrade(version, args):
    sys.stdout.reconfigure(line_buffering=True)
    if not args or args[0] in ("-h", "--help"):
        out("Upgrade your cluster smoothly to a newer version with this command\n\nUsage:\n  kubeadm upgrade [flags]\n"
            "  kubeadm upgrade [command]\n\nAvailable Commands:\n  apply       Upgrade your Kubernetes cluster to the "
            "specified version\n  diff        Show what differences would be applied to existing static pod manifests. "
            "See also: kubeadm upgrade apply --dry-run\n  node        Upgrade commands for a node in the cluster\n"
            "  plan        Check which versions are available to upgrade to and validate whether your current cluster is upgradeable.")
        return 0
    sub, rest = args[0], args[1:]
    if sub == "plan":
        f = Flags(rest, dict(UPGRADE_COMMON, output="str", **{"-o": "output", "show-managed-fields": "bool",
                                                            "allow-missing-template-keys": "bool"}), "kubeadm", kubeadm_unknown)
        return kubeadm_upgrade_plan(version, f)
    if sub == "apply":
        f = Flags(rest, dict(UPGRADE_COMMON, **{"yes": "bool", "-y": "yes", "force": "bool", "-f": "force", "dry-run": "bool",
                                                "etcd-upgrade": "bool", "certificate-renewal": "bool", "patches": "str",
                                                "skip-phases": "list"}), "kubeadm", kubeadm_unknown)
        return kubeadm_upgrade_apply(version, f)
    if sub == "node":
        f = Flags(rest, dict(COMMON, **{"kubeconfig": "str", "dry-run": "bool", "etcd-upgrade": "bool",
                                        "certificate-renewal": "bool", "ignore-preflight-errors": "list", "patches": "str",
                                        "skip-phases": "list", "config": "str"}), "kubeadm", kubeadm_unknown)
        return kubeadm_upgrade_node(version, f)
    if sub == "diff":
        raise Fail("sandbox stand-in: kubeadm upgrade diff: not implemented yet")
    raise Fail('unknown command "%s" for "kubeadm upgrade"\n%s' % (sub, STACK))


def kubeadm_upgrade_plan(version, f):
    m = minor(version)
    if len(f.pos) > 1:
        raise Fail("[upgrade/config] FATAL: unexpected arguments: %s\n%s" % (f.pos[1:], STACK))
    conf = f.get("kubeconfig") or K8S + "/admin.conf"
    if m >= 31:
        out("[preflight] Running pre-flight checks.")
    c = upgrade_client(version, conf)
    read_cluster(version, c, "upgrade/config")
    if m < 31:
        out("[preflight] Running pre-flight checks.")
    health_checks(version, c, f.get("ignore-preflight-errors", []))
    out("[upgrade] Fetching available versions to upgrade to")
    _, sv = api(c, "GET", "/version", None, "")
    cluster = sv["gitVersion"].lstrip("v")
    kubelets = node_kubelets(c)
    out("[upgrade/versions] Cluster version: %s" % (cluster if m >= 31 else "v" + cluster))
    out("[upgrade/versions] kubeadm version: v%s" % version)
    if f.pos:
        stable = parse_target(version, f.pos[0])
    else:
        fetched = fetch_release("stable")
        if fetched is None:
            out('[upgrade/versions] WARNING: Couldn\'t fetch latest stable version from the internet: unable to get URL '
                '"https://dl.k8s.io/release/stable.txt": Get "https://dl.k8s.io/release/stable.txt": dial tcp: lookup '
                'dl.k8s.io on 127.0.0.53:53: no such host')
            out("[upgrade/versions] WARNING: Falling back to current kubeadm version as latest stable version")
            stable = version
        else:
            stable = fetched.lstrip("v")
    out("[upgrade/versions] Target version: v%s" % stable)
    upgrades = []
    can_minor = vtuple(cluster) < vtuple(stable)
    if vtuple(stable) >= vtuple(cluster):
        branch = "1.%d" % minor(cluster)
        patch = fetch_release("stable-" + branch)
        if patch is None:
            out('[upgrade/versions] WARNING: Couldn\'t fetch latest version in the v%s series from the internet' % branch)
        else:
            patch = patch.lstrip("v")
            out("[upgrade/versions] Latest version in the v%s series: v%s" % (branch, patch))
            can_minor = vtuple(patch) < vtuple(stable)
            if vtuple(cluster) < vtuple(patch):
                upgrades.append(("version in the v%s series" % branch, patch,
                                 patch if vtuple(version) < vtuple(patch) else version))
    if can_minor:
        upgrades.append(("stable version", stable, stable))
    out("")
    _, nodes = api(c, "GET", "/api/v1/nodes", None, "")
    cps = sorted(i["metadata"]["name"] for i in nodes.get("items", [])
                 if "node-role.kubernetes.io/control-plane" in i["metadata"]["labels"])
    code, cfg = api(c, "GET", "/sandbox/kubeadm-config", None, "")
    addons = cfg.get("addons") or {}
    etcd_now = (manifest_version("etcd") or images(cluster)[6].split(":")[1])
    for desc, target, new_kubeadm in upgrades:
        if any(v.lstrip("v") != target for _, v, _ in kubelets):
            out("Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':")
            out(table([["COMPONENT", "NODE", "CURRENT", "TARGET"]] +
                      [["kubelet", n, v, "v" + target] for n, v, _ in sorted(kubelets)]))
            out("")
        out("Upgrade to the latest %s:" % desc)
        out("")
        rows = [["COMPONENT", "NODE", "CURRENT", "TARGET"]]
        for comp in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
            for n in cps:
                rows.append([comp, n, "v" + cluster, "v" + target])
        rows.append(["kube-proxy", "", addons.get("kube-proxy", cluster), "v" + target])
        rows.append(["CoreDNS", "", addons.get("coredns", coredns_version(cluster)), coredns_version(target)])
        for n in cps:
            rows.append(["etcd", n, etcd_now, images(target)[6].split(":")[1]])
        out(table(rows))
        out("")
        out("You can now apply the upgrade by executing the following command:")
        out("")
        out("\tkubeadm upgrade apply v%s" % target)
        out("")
        if vtuple(new_kubeadm) > vtuple(version):
            out("Note: Before you can perform this upgrade, you have to update kubeadm to v%s." % new_kubeadm)
            out("")
        out(LINE)
        out("")
    if not upgrades:
        out("Awesome, you're up-to-date! Enjoy!")
        out(LINE)
        out("")
    out("")
    out("The table below shows the current state of component configs as understood by this version of kubeadm.\n"
        "Configs that have a \"yes\" mark in the \"MANUAL UPGRADE REQUIRED\" column require manual config upgrade or\n"
        "resetting to kubeadm defaults before a successful upgrade can be performed. The version to manually\n"
        "upgrade to is denoted in the \"PREFERRED VERSION\" column.\n")
    out(table([["API GROUP", "CURRENT VERSION", "PREFERRED VERSION", "MANUAL UPGRADE REQUIRED"],
               ["kubeproxy.config.k8s.io", "v1alpha1", "v1alpha1", "no"],
               ["kubelet.config.k8s.io", "v1beta1", "v1beta1", "no"]]))
    out(LINE)
    out("")
    return 0


def kubeadm_upgrade_apply(version, f):
    m = minor(version)
    if len(f.pos) != 1:
        raise upgrade_fail(version, "missing one or more required arguments. Required arguments: [version]", None)
    target = parse_target(version, f.pos[0])
    conf = f.get("kubeconfig") or K8S + "/admin.conf"
    dry, renew = f.get("dry-run"), f.get("certificate-renewal", True)
    c = upgrade_client(version, conf)
    cfg = read_cluster(version, c, "upgrade" if m >= 31 else "upgrade/config")
    out("[upgrade/preflight] Running preflight checks" if m >= 31 else "[preflight] Running pre-flight checks.")
    upgrade_system_verification(version, f.get("ignore-preflight-errors", []))
    health_checks(version, c, f.get("ignore-preflight-errors", []))
    _, sv = api(c, "GET", "/version", None, "")
    cluster = sv["gitVersion"].lstrip("v")
    if m >= 31:
        out('[upgrade/preflight] You have chosen to upgrade the cluster version to "v%s"' % target)
    else:
        out('[upgrade/version] You have chosen to change the cluster version to "v%s"' % target)
    out("[upgrade/versions] Cluster version: v%s" % cluster)
    out("[upgrade/versions] kubeadm version: v%s" % version)
    sys.stdout.flush()
    enforce_versions(version, cluster, target, node_kubelets(c), f.get("force"))
    confirm(version, f, "[upgrade] Are you sure you want to proceed?" if m >= 31 else
            "[upgrade/confirm] Are you sure you want to proceed with the upgrade?")
    pre = "[upgrade/preflight]" if m >= 31 else "[upgrade/prepull]"
    if dry:
        out("%s Would pull the required images (like 'kubeadm config images pull')" % pre)
    else:
        out("%s Pulling images required for setting up a Kubernetes cluster" % pre)
        out("%s This might take a minute or two, depending on the speed of your internet connection" % pre)
        out("%s You can also perform this action beforehand using 'kubeadm config images pull'" % pre)
    out('[upgrade/%s] Upgrading your Static Pod-hosted control plane to version "v%s" (timeout: 5m0s)...'
        % ("control-plane" if m >= 31 else "apply", target))
    sys.stdout.flush()
    upgrade_static_pods(version, target, renew, dry)
    if m >= 31:
        out("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!")
    out('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace')
    out('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster')
    if not dry:
        c = upgrade_client(version, conf)
        api(c, "POST", "/sandbox/upgrade", {"version": target, "coredns": coredns_version(target)},
            "error execution phase upload-config: ")
        api(c, "POST", "/sandbox/cpversion", {"node": hostname(), "version": target}, "")
    if m >= 31:
        if renew and not dry:
            for kc in ("admin.conf", "super-admin.conf"):
                if os.path.exists(K8S + "/" + kc):
                    renew_kubeconfig(K8S + "/" + kc)
        out("[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!")
    upgrade_kubelet_config(version, cfg, dry)
    if m >= 31:
        out("[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials")
    out("[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token")
    out("[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster")
    out("[addons] Applied essential addon: CoreDNS")
    out("[addons] Applied essential addon: kube-proxy")
    if dry:
        out("[dryrun] Finished dryrunning successfully!")
        return 0
    out("")
    if m >= 31:
        out('[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v%s".' % target)
        out("")
        out("[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.")
    else:
        out('[upgrade/successful] SUCCESS! Your cluster was upgraded to "v%s". Enjoy!' % target)
        out("")
        out("[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets if you haven't already done so.")
    return 0


def kubeadm_upgrade_node(version, f):
    m = minor(version)
    is_cp = os.path.exists(MANIFESTS + "/kube-apiserver.yaml")
    conf = f.get("kubeconfig") or (K8S + "/admin.conf" if is_cp else K8S + "/kubelet.conf")
    if not os.path.exists(conf):
        raise Fail('unable to fetch the kubeadm-config ConfigMap: failed to load admin kubeconfig: open %s: no such file or '
                   'directory\n%s' % (conf, STACK))
    c = load_kubeconfig(conf)
    cfg = read_cluster(version, c, "upgrade")
    target = cfg["clusterConfiguration"]["kubernetesVersion"].lstrip("v")
    dry = f.get("dry-run")
    pre = "[upgrade/preflight]" if m >= 31 else "[preflight]"
    out("%s Running pre-flight checks" % pre)
    upgrade_system_verification(version, f.get("ignore-preflight-errors", []))
    if is_cp:
        out("%s Pulling images required for setting up a Kubernetes cluster" % pre)
        out("%s This might take a minute or two, depending on the speed of your internet connection" % pre)
        out("%s You can also perform this action beforehand using 'kubeadm config images pull'" % pre)
        out('[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version "v%s"...' % target
            if m >= 31 else '[upgrade] Upgrading your Static Pod-hosted control plane instance to version "v%s"...' % target)
        sys.stdout.flush()
        upgrade_static_pods(version, target, f.get("certificate-renewal", True), dry)
        if m >= 31:
            out("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!")
            out("[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!")
        else:
            out("[upgrade] The control plane instance for this node was successfully updated!")
    else:
        out("%s Skipping prepull. Not a control plane node." % pre)
        if m >= 31:
            out("[upgrade/control-plane] Skipping phase. Not a control plane node.")
            out("[upgrade/kubeconfig] Skipping phase. Not a control plane node.")
        else:
            out("[upgrade] Skipping phase. Not a control plane node.")
    sys.stdout.flush()
    upgrade_kubelet_config(version, cfg, dry)
    if m >= 31:
        if is_cp:
            # the addons follow once every control plane runs the new version (this stand-in sees the
            # other control planes' versions only through their kubelets)
            if not dry:
                api(c, "POST", "/sandbox/cpversion", {"node": hostname(), "version": target}, "")
            _, b = api(c, "GET", "/sandbox/cpversions", None, "")
            others = sorted(n for n, v in b.get("versions", {}).items() if v != target)
            if others:
                for a in ("coredns", "kube-proxy"):
                    out("[upgrade/addon] Skipping the addon/%s phase. Not all control plane nodes are upgraded yet." % a)
            else:
                out("[addons] Applied essential addon: CoreDNS")
                out("[addons] Applied essential addon: kube-proxy")
        else:
            out("[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.")
            out("[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.")
    else:
        out("[upgrade] The configuration for this node was successfully updated!")
        out("[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.")
    return 0


def reset_etcd_member(me):
    """remove-etcd-member (RemoveStackedEtcdMemberFromCluster): this node's member out of the cluster,
    unless it is the only one -> error text (kubeadm warns and goes on) or None."""
    if not me or not os.path.isdir(me["cluster"]):
        return None
    cdir = me["cluster"]
    with Locked(cdir + "/members.lock"):
        data = members_load(cdir)
        if not quorum_state(cdir)[0]:
            return "context deadline exceeded"  # ListMembers
        mine = next((m for m in data["members"] if m["id"] == me["id"]), None)
        if mine is None or len(data["members"]) == 1:
            return None
        why = may_remove_member(data, mine)
        if why:
            return why
        data["members"].remove(mine)
        members_save(cdir, data)
    return None


def kubeadm_reset(version, args):
    f = Flags(args, dict(COMMON, **{"force": "bool", "-f": "force", "cri-socket": "str", "ignore-preflight-errors": "list",
                                    "cert-dir": "str", "kubeconfig": "str", "skip-phases": "list", "dry-run": "bool",
                                    "cleanup-tmp-dir": "bool", "config": "str"}), "kubeadm", kubeadm_unknown)
    if f.pos:
        raise Fail('unknown command "%s" for "kubeadm reset"\n%s' % (f.pos[0], STACK))
    is_cp = os.path.exists(MANIFESTS + "/kube-apiserver.yaml") or os.path.lexists(STORE)
    cfg_ok = True
    if os.path.exists(K8S + "/admin.conf") and os.path.exists(MANIFESTS + "/etcd.yaml") and local_member():
        # a stacked control plane: the configuration comes through admin.conf's API server (without it,
        # kubeadm skips the etcd member's removal: cfg is nil in removeetcdmember.go)
        path = "/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s"
        why = None
        try:
            c = load_kubeconfig(K8S + "/admin.conf")
            code, b = c.request("GET", "/sandbox/kubeadm-config")
            if code != 200:
                why = b.get("message") or "Unauthorized"
        except (OSError, ssl.SSLError, Fail) as e:
            why = conn_error_text(e, c, "GET", path) if isinstance(e, (OSError, ssl.SSLError)) else str(e)
        if why:
            cfg_ok = False
            t = time.time()
            err("W%s %7d reset.go:124] [reset] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get "
                "config map: %s" % (time.strftime("%m%d %H:%M:%S", time.gmtime(t)) + ".%06d" % (t % 1 * 1e6), os.getpid(), why))
            sys.stderr.flush()
        else:
            out("[reset] Reading configuration from the cluster...")
            out("[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'")
    elif os.path.exists(K8S + "/admin.conf") or os.path.exists(K8S + "/kubelet.conf"):
        out("[reset] Reading configuration from the cluster...")
        out("[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'")
    else:
        err("W0101 00:00:00.000000    %5d reset.go:124] [reset] Unable to fetch the kubeadm-config ConfigMap from cluster: "
            "failed to get config map: Get \"https://%s:6443/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s\": "
            "dial tcp %s:6443: connect: connection refused" % (os.getpid(), host_ip(), host_ip()))
    if not f.get("force"):
        out("[reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.")
        sys.stdout.write("[reset] Are you sure you want to proceed? [y/N]: ")
        sys.stdout.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            raise Fail("error execution phase preflight: won't proceed; the user didn't answer (Y|y) in order to continue\n" + STACK)
    out("[preflight] Running pre-flight checks")
    me = local_member()
    if is_cp:
        sys.stdout.flush()
        why = reset_etcd_member(me) if os.path.exists(MANIFESTS + "/etcd.yaml") and cfg_ok else None
        if not cfg_ok:
            t = time.time()
            err("W%s %7d removeetcdmember.go:111] [reset] No kubeadm config, using etcd pod spec to get data directory"
                % (time.strftime("%m%d %H:%M:%S", time.gmtime(t)) + ".%06d" % (t % 1 * 1e6), os.getpid()))
            sys.stderr.flush()
        if why:
            t = time.time()
            err("W%s %7d removeetcdmember.go:%d] [reset] Failed to remove etcd member: %s, please manually remove "
                "this etcd member using etcdctl" % (time.strftime("%m%d %H:%M:%S", time.gmtime(t)) + ".%06d" % (t % 1 * 1e6),
                                                    os.getpid(), 64 if minor(version) >= 29 else 61, why))
            sys.stderr.flush()
        out("[reset] Deleted contents of the etcd data directory: /var/lib/etcd")
    out("[reset] Stopping the kubelet service")
    subprocess.run(["systemctl", "stop", "kubelet"], capture_output=True)
    stop_apiserver()
    stop_etcd()
    if me and os.path.isdir(me["cluster"]):
        with Locked(me["cluster"] + "/members.lock"):
            left = members_load(me["cluster"])["members"]
        if not left or [m["id"] for m in left] == [me["id"]]:
            shutil.rmtree(me["cluster"], ignore_errors=True)  # the last member: the cluster's data is gone
    shutil.rmtree(LOADED_CERTS, ignore_errors=True)
    out('[reset] Unmounting mounted directories in "/var/lib/kubelet"')
    dirs = [MANIFESTS, KUBELET_DIR, PKI]
    if is_cp:
        shutil.rmtree("/var/lib/etcd", ignore_errors=True)
        os.makedirs("/var/lib/etcd", mode=0o700, exist_ok=True)
    out("[reset] Deleting contents of directories: [%s]" % " ".join(dirs))
    for d in dirs:
        if os.path.isdir(d):
            for e in os.listdir(d):
                p = os.path.join(d, e)
                if os.path.isdir(p) and not os.path.islink(p):
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    os.unlink(p)
    files = [K8S + "/" + x for x in ("admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf",
                                     "controller-manager.conf", "scheduler.conf")]
    if minor(version) < 29:
        files.remove(K8S + "/super-admin.conf")
    out("[reset] Deleting files: [%s]" % " ".join(files))
    for p in files:
        try:
            os.unlink(p)
        except OSError:
            pass
    out("\nThe reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d\n\n"
        "The reset process does not reset or clean up iptables rules or IPVS tables.\n"
        'If you wish to reset iptables, you must do so manually by using the "iptables" command.\n\n'
        "If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)\nto reset your system's IPVS tables.\n\n"
        "The reset process does not clean your kubeconfig files and you must remove them manually.\n"
        "Please, check the contents of the $HOME/.kube/config file.")
    return 0


# ---------------------------------------------------------------- kubectl

def kubectl_unknown(sub):
    def f(flag, raw):
        if flag.startswith("--"):
            err("error: unknown flag: " + flag)
        else:
            err("error: unknown shorthand flag: '%s' in %s" % (flag[1:], raw))
        err("See 'kubectl %s --help' for usage." % sub if sub else "See 'kubectl --help' for usage.")
    return f


KCOMMON = {"kubeconfig": "str", "namespace": "str", "-n": "namespace", "all-namespaces": "bool", "-A": "all-namespaces",
           "output": "str", "-o": "output", "no-headers": "bool", "selector": "str", "-l": "selector",
           "request-timeout": "str", "v": "str", "-v": "v", "context": "str", "server": "str", "-s": "server",
           "filename": "list", "-f": "filename", "timeout": "str", "for": "str", "all": "bool", "client": "bool",
           "show-labels": "bool", "wide": "bool", "watch": "bool", "-w": "watch", "validate": "str",
           "server-side": "bool", "force-conflicts": "bool", "dry-run": "str", "recursive": "bool", "-R": "recursive",
           "field-manager": "str", "insecure-skip-tls-verify": "bool", "ignore-not-found": "bool", "wait": "bool",
           "force": "bool", "grace-period": "str", "overwrite": "bool", "save-config": "bool", "help": "bool", "-h": "help"}


def kubectl_conn(f):
    path = f.get("kubeconfig")
    if path:
        if not os.path.exists(path):
            raise Fail("error: stat %s: no such file or directory" % path)
    else:
        for p in (os.environ.get("KUBECONFIG") or "").split(":"):
            if p and os.path.exists(p):
                path = p
                break
        else:
            p = os.path.expanduser("~/.kube/config")
            path = p if os.path.exists(p) else None
    if path is None:
        raise Fail("The connection to the server localhost:8080 was refused - did you specify the right host or port?")
    c = load_kubeconfig(path)
    if c is None:
        raise Fail("The connection to the server localhost:8080 was refused - did you specify the right host or port?")
    if f.get("server"):
        # --server/-s: the kubeconfig's credentials and CA against another API server
        srv = f.get("server")
        c2 = Conn(srv if "://" in srv else "https://" + srv, token=c.token, timeout=c.timeout)
        c2.ctx = c.ctx
        return c2
    return c


def probable_eof(e):
    """client-go's net.IsConnectionReset(err) || net.IsProbableEOF(err): the connection was reset or
    closed under the request (a server or load balancer going away), not refused or timed out."""
    return isinstance(e, (ConnectionResetError, BrokenPipeError, ssl.SSLEOFError, ssl.SSLZeroReturnError)) or \
        "EOF" in str(e) or "connection reset by peer" in str(e).lower()


def kapi(c, method, path, body=None):
    # As client-go's rest.Request: a GET whose connection was reset or closed under it ("usually a
    # transient error": an API server shutting down) is sent again after 1 s (its artificial
    # Retry-After), up to 10 times; other verbs are not idempotent and fail at once.
    for attempt in range(11):
        try:
            code, b = c.request(method, path, body)
            break
        except ConnectionRefusedError as e:
            raise Fail("The connection to the server %s was refused - did you specify the right host or port?" % c.hostport()) from e
        except ssl.SSLCertVerificationError as e:
            raise Fail("Unable to connect to the server: tls: failed to verify certificate: " + x509_error(e, c)) from e
        except (OSError, ssl.SSLError) as e:
            if method == "GET" and attempt < 10 and probable_eof(e):
                time.sleep(1)
                continue
            raise Fail("Unable to connect to the server: %s" % conn_error_text(e, c, method, path).split(": ", 1)[-1]) from e
    if code == 401:
        raise Fail("error: You must be logged in to the server (Unauthorized)")
    if code == 403:
        raise Fail("Error from server (Forbidden): %s" % b.get("message"))
    if code >= 500 and b.get("kind") == "Status" and not b.get("reason"):
        # a Status without a reason (e.g. etcd's "etcdserver: request timed out"): kubectl's StatusError text
        raise Fail("Error from server: %s" % b.get("message"))
    return code, b


def kubectl_main(version, args):
    try:
        return kubectl(version, args)
    except Fail as e:
        if e.text:
            err(e.text)
        return e.rc


# A JSONPath step: .FIELD or [...]. As client-go's util/jsonpath/parser.go parseField, a field
# runs up to a terminator (. [ ] , ( ) { } = < > ! $ @ or a space) unless escaped with a
# backslash, and the backslashes are then dropped: {.metadata.annotations.fleetk8s\.io/drained}
# names the key "fleetk8s.io/drained".
JSONPATH_STEP = re.compile(r"\.((?:\\.|[^.\[\],(){}=<>!$@\s\\])+)|\[([^\]]*)\]")


def jsonpath_eval(root, cur, expr):
    """The values of one JSONPath expression: .a.b, [*], [N], [?(@.k=="v")], from the current object (or @).
    A missing field gives no value (kubectl's printer sets AllowMissingKeys: it prints nothing)."""
    vals = [cur]
    expr = expr.strip()
    if expr.startswith("$"):
        vals, expr = [root], expr[1:]
    elif expr.startswith("@"):
        expr = expr[1:]
    for tok in JSONPATH_STEP.findall(expr):
        name, idx = tok
        name = name.replace("\\", "")
        nxt = []
        for c in vals:
            if name:
                if isinstance(c, dict) and name in c:
                    nxt.append(c[name])
            elif idx == "*":
                nxt.extend(c if isinstance(c, list) else list(c.values()) if isinstance(c, dict) else [])
            elif idx.startswith("?("):
                m = re.match(r"\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*[\"']([^\"']*)[\"']\)", idx)
                if m and isinstance(c, list):
                    nxt.extend(x for x in c if isinstance(x, dict) and str(x.get(m.group(1))) == m.group(2))
            elif re.match(r"^-?\d+$", idx) and isinstance(c, list):
                i = int(idx)
                if -len(c) <= i < len(c):
                    nxt.append(c[i])
        vals = nxt
    return vals


def jsonpath_text(x):
    """A value as client-go's JSONPath.PrintResults writes it: maps and lists as json.Marshal does
    (compact, keys sorted, <>& escaped), booleans as true/false, the rest as text."""
    if isinstance(x, (dict, list)):
        text = json.dumps(x, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return str(x).lower() if isinstance(x, bool) else str(x)


def jsonpath(obj, template):
    """kubectl's JSONPath templates: literal text, {.a.b}, [*], [N], [?(@.k=="v")], {"..."} with \\t \\n,
    {range EXPR}...{end} (the body once per value, @ / . being that value)."""
    toks = []
    for lit, expr in re.findall(r"([^{]*)(?:\{([^}]*)\})?", template):
        if lit:
            toks.append(("lit", lit.replace("\\n", "\n")))
        if expr:
            toks.append(("expr", expr))

    def render(i, cur, outp):
        while i < len(toks):
            kind, v = toks[i]
            i += 1
            if kind == "lit":
                outp.append(v)
            elif v.startswith('"') and v.endswith('"'):
                outp.append(v[1:-1].replace("\\n", "\n").replace("\\t", "\t"))
            elif v.strip() == "end":
                return i
            elif v.strip().startswith("range "):
                items = jsonpath_eval(obj, cur, v.strip()[len("range "):])
                end = None
                for item in items:
                    end = render(i, item, outp)
                if end is None:  # no items: skip the body
                    end = render(i, cur, [])
                i = end
            else:
                outp.append(" ".join(jsonpath_text(x) for x in jsonpath_eval(obj, cur, v)))
        return i

    outp = []
    render(0, obj, outp)
    return "".join(outp)


def kubectl(version, args):
    if not args:
        out("kubectl controls the Kubernetes cluster manager.\n\nBasic Commands (Beginner):")
        return 0
    # global flags may come before the command
    cmd_i = next((i for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in (
        "--kubeconfig", "-n", "--namespace", "--context", "-s", "--server", "-v", "--request-timeout"))), None)
    if cmd_i is None:
        f = Flags(args, KCOMMON, "kubectl", kubectl_unknown(""))
        if f.get("help"):
            out("kubectl controls the Kubernetes cluster manager.")
            return 0
        raise Fail("error: unknown command")
    cmd = args[cmd_i]
    rest = args[:cmd_i] + args[cmd_i + 1:]
    known = {"version", "get", "apply", "create", "delete", "wait", "cluster-info", "describe", "label", "taint",
             "cordon", "uncordon", "drain", "logs", "exec", "config", "rollout", "edit", "patch", "scale", "top",
             "api-resources", "explain", "run", "expose", "annotate", "port-forward", "proxy", "cp", "auth", "debug",
             "events", "diff", "kustomize", "replace", "set", "autoscale", "certificate", "attach", "completion",
             "plugin", "alpha", "options", "help"}
    if cmd not in known:
        raise Fail('error: unknown command "%s" for "kubectl"' % cmd)
    if cmd == "version":
        f = Flags(rest, KCOMMON, "kubectl", kubectl_unknown("version"))
        info = dict(version_info(version))
        o = f.get("output", "")
        if o not in ("", "json", "yaml"):
            raise Fail("error: --output must be 'yaml' or 'json'")
        server = None
        if not f.get("client"):
            try:
                c = kubectl_conn(f)
                _, server = kapi(c, "GET", "/version")
            except Fail as e:
                failure = e
            else:
                failure = None
        if o == "":
            out("Client Version: v" + version)
            out("Kustomize Version: " + KUSTOMIZE)
            if server:
                out("Server Version: " + server["gitVersion"])
        else:
            doc = {"clientVersion": info, "kustomizeVersion": KUSTOMIZE}
            if server:
                doc["serverVersion"] = dict(version_info(server["gitVersion"][1:]))
            out(json.dumps(doc, indent=2) if o == "json" else yaml.safe_dump(doc, default_flow_style=False).rstrip())
        if not f.get("client") and failure:
            raise failure
        return 0
    if cmd == "cluster-info":
        f = Flags(rest, KCOMMON, "kubectl", kubectl_unknown("cluster-info"))
        c = kubectl_conn(f)
        kapi(c, "GET", "/version")
        out("Kubernetes control plane is running at " + c.server)
        out("CoreDNS is running at %s/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy" % c.server)
        out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
        return 0
    if cmd in ("get", "wait", "delete", "apply", "create"):
        f = Flags(rest, KCOMMON, "kubectl", kubectl_unknown(cmd))
        return {"get": kubectl_get, "wait": kubectl_wait, "delete": kubectl_delete,
                "apply": kubectl_apply, "create": kubectl_apply}[cmd](f, cmd)
    if cmd == "annotate":
        spec = dict(KCOMMON, **{"list": "bool", "local": "bool", "resource-version": "str", "field-selector": "str"})
        return kubectl_annotate(Flags(rest, spec, "kubectl", kubectl_unknown(cmd)))
    if cmd in ("cordon", "uncordon", "drain"):
        spec = dict(KCOMMON)
        if cmd == "drain":
            spec.update({"ignore-daemonsets": "bool", "delete-emptydir-data": "bool", "delete-local-data": "bool",
                         "disable-eviction": "bool", "pod-selector": "str", "skip-wait-for-delete-timeout": "str",
                         "ignore-errors": "bool", "chunk-size": "str"})
        f = Flags(rest, spec, "kubectl", kubectl_unknown(cmd))
        return kubectl_drain(version, f, cmd)
    raise Fail("sandbox stand-in: kubectl %s: not implemented yet" % cmd)


# ---------------------------------------------------------------- kubectl annotate
#
# kubectl/pkg/cmd/annotate/annotate.go (read via the search tool): the operands are resources
# ("TYPE NAME..." or "TYPE/NAME") then KEY=VALUE and KEY- pairs (cmdutil.GetResourcesAndPairs,
# ParsePairs); without --overwrite a key that already holds a *different* value is refused
# (validateNoAnnotationOverwrites; the same value is fine); the change goes to the server as a
# JSON merge patch and each object prints "TYPE/NAME annotated". The sandbox keeps annotations
# for nodes only.

def annotate_operands(pos):
    """-> (resources, {key: value}, [removed keys]) as GetResourcesAndPairs and ParsePairs split them."""
    resources, new, remove, in_pairs = [], {}, [], False
    for a in pos:
        is_pair = "=" in a or a.endswith("-")
        if is_pair:
            in_pairs = True
            if a.endswith("-") and "=" not in a:
                remove.append(a[:-1])
            else:
                key, _, value = a.partition("=")
                if not key:
                    raise Fail("error: invalid annotation format: " + a)
                new[key] = value
        elif in_pairs:
            raise Fail("error: all resources must be specified before annotation changes: " + a)
        else:
            resources.append(a)
    both = [k for k in remove if k in new]
    if both:
        raise Fail("error: can not both modify and remove the following annotation(s) in the same command: "
                   + ", ".join(both))
    return resources, new, remove


def annotate_targets(resources):
    """[(type, name)] from "TYPE NAME..." or "TYPE/NAME..." (kubectl's resource builder)."""
    if not resources:
        raise Fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if "/" in resources[0]:
        return [tuple(r.split("/", 1)) for r in resources]
    if len(resources) == 1:
        raise Fail("error: resource(s) were provided, but no name was specified")  # the builder, without --all
    return [(resources[0], n) for n in resources[1:]]


def overwrite_conflicts(current, new):
    """validateNoAnnotationOverwrites: the keys that already hold another value."""
    bad = ["'%s' already has a value (%s)" % (k, current[k]) for k in new
           if k in current and current[k] != new[k] and k != "kubernetes.io/change-cause"]
    return "--overwrite is false but found the following declared annotation(s): " + "; ".join(bad) if bad else None


def kubectl_annotate(f):
    resources, new, remove = annotate_operands(f.pos)
    if not new and not remove and not f.get("list"):
        raise Fail("error: at least one annotation update is required")
    dry = dry_run_strategy(f)
    c = kubectl_conn(f)
    if f.get("all") and len(resources) == 1 and resources[0].lower() in NODE_NAMES:
        targets = [("node", n["metadata"]["name"]) for n in get_nodes(c)]  # TYPE --all: every object
    else:
        targets = annotate_targets(resources)
    errors = []
    for kind, name in targets:
        if kind.lower() not in NODE_NAMES:
            raise Fail("sandbox stand-in: kubectl annotate %s: not implemented yet (nodes only)" % kind)
        code, node = kapi(c, "GET", "/api/v1/nodes/" + name)
        if code == 404:
            errors.append('Error from server (NotFound): nodes "%s" not found' % name)
            continue
        current = node["metadata"].get("annotations") or {}
        conflict = None if f.get("overwrite") else overwrite_conflicts(current, new)
        if conflict:
            errors.append("error: " + conflict)
            continue
        if f.get("list"):
            for k, v in current.items():
                out("%s=%s" % (k, v))
            continue
        if dry != "client":
            patch = {"metadata": {"annotations": dict(new, **{k: None for k in remove})}}
            kapi(c, "PATCH", "/api/v1/nodes/%s%s" % (name, "?dryRun=All" if dry == "server" else ""), patch)
        out("node/%s annotated%s" % (name, {"server": " (server dry run)", "client": " (dry run)"}.get(dry, "")))
    if errors:
        raise Fail("\n".join(errors))
    return 0


def dry_run_strategy(f):
    v = f.get("dry-run", "none")
    if v not in ("none", "server", "client"):
        raise Fail('error: Invalid dry-run value (%s). Must be "none", "server", or "client".' % v)
    return v


def evict_retry_delay():
    """kubectl's EvictErrorRetryDelay (5s); the sandbox tests may shorten it (SANDBOX_KUBECTL_EVICT_RETRY)."""
    try:
        return parse_duration(os.environ.get("SANDBOX_KUBECTL_EVICT_RETRY", "5s"))
    except Fail:
        return 5.0


def kubectl_drain(version, f, cmd):
    """kubectl cordon / uncordon / drain (k8s.io/kubectl/pkg/cmd/drain, pkg/drain)."""
    sys.stdout.reconfigure(line_buffering=True)
    if not f.pos and not f.get("selector"):
        raise Fail("error: USAGE: %s NODE [flags]\nSee 'kubectl %s -h' for help and examples" % (cmd, cmd))
    try:  # a flag error: before anything is done
        timeout = parse_duration(f.get("timeout") or "0")
    except Fail:
        raise Fail('error: invalid argument "%s" for "--timeout" flag: time: invalid duration "%s"\n'
                   "See 'kubectl drain --help' for usage." % (f.get("timeout"), f.get("timeout")))
    dry = dry_run_strategy(f)
    suffix = {"none": "", "server": " (server dry run)", "client": " (dry run)"}[dry]
    c = kubectl_conn(f)
    items = {i["metadata"]["name"]: i for i in get_nodes(c)}
    names = []
    for a in f.pos:
        n = a.split("/", 1)[1] if a.startswith(("node/", "nodes/", "no/")) else a
        if n not in items:
            raise Fail('Error from server (NotFound): nodes "%s" not found' % n)
        names.append(n)
    if f.get("selector"):
        want = dict(x.split("=", 1) for x in f.get("selector").split(",") if "=" in x)
        names = [n for n, i in sorted(items.items()) if all(i["metadata"]["labels"].get(k) == v for k, v in want.items())]
    desired = cmd != "uncordon"
    word = "cordon" if desired else "uncordon"
    for n in names:
        was = bool(items[n]["spec"].get("unschedulable"))
        if was == desired:
            out("node/%s already %sed%s" % (n, word, suffix))
            continue
        if dry != "client":
            code, b = kapi(c, "POST", "/sandbox/cordon", {"node": n, "unschedulable": desired, "dryRun": dry == "server"})
            if code == 404:
                err('error: unable to %s node "%s": nodes "%s" not found' % (word, n, n))
                continue
        out("node/%s %sed%s" % (n, word, suffix))
    sys.stdout.flush()
    if cmd != "drain":
        return 0
    fatal, remaining = [], []
    for n in names:
        e = drain_node(version, c, f, n, dry, timeout)
        if e is None:
            out("node/%s drained%s" % (n, suffix))
            continue
        sep = " " if minor(version) >= 30 else ""
        err("error: unable to drain node \"%s\" due to error:%s%s, continuing command..." % (n, sep, aggregate_text(e)))
        fatal.append(e)
        remaining.append(n)
    if remaining:
        err("There are pending nodes to be drained:")
        for n in remaining:
            err(" " + n)
    if fatal:
        # cmdutil.CheckErr: an aggregate of one aggregate prints its errors one per line
        errs = fatal[0] if len(fatal) == 1 else [aggregate_text(x) for x in fatal]
        raise Fail("\n".join(errs))
    return 0


def aggregate_text(errs):
    """utilerrors.Aggregate.Error()."""
    uniq = list(dict.fromkeys(errs))
    return uniq[0] if len(uniq) == 1 else "[" + ", ".join(uniq) + "]"


def pods_for_deletion(version, c, f, node):
    """drain.GetPodsForDeletion: (pods to delete, warnings, errors), the filters in kubectl's order."""
    _, b = kapi(c, "GET", "/api/v1/pods")
    pods = [p for p in b["pods"] if p["node"] == node]
    sel = f.get("pod-selector")
    if sel:
        want = dict(x.split("=", 1) for x in sel.split(",") if "=" in x)
        pods = [p for p in pods if all(p["labels"].get(k) == v for k, v in want.items())]
    m = minor(version)
    unmanaged_fatal = "cannot delete Pods that declare no controller (use --force to override)" if m >= 30 else \
        "Pods declare no controller (use --force to override)"
    force, ign_ds = f.get("force"), f.get("ignore-daemonsets")
    local = f.get("delete-emptydir-data") or f.get("delete-local-data")
    delete, warn, errors = [], {}, {}
    ok = (True, "ok", "")

    def daemonset_filter(p):
        if p["ownerKind"] != "DaemonSet":
            return ok
        return (False, "warning", "ignoring DaemonSet-managed Pods") if ign_ds else \
            (False, "error", "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")

    def mirror_filter(p):
        return (False, "skip", "") if p.get("mirror") else ok

    def local_storage_filter(p):
        if not p.get("emptyDir"):
            return ok
        return (True, "warning", "deleting Pods with local storage") if local else \
            (False, "error", "Pods with local storage (use --delete-emptydir-data to override)")

    def unreplicated_filter(p):
        if p["ownerKind"]:
            return ok
        return (True, "warning", "deleting Pods that declare no controller") if force else (False, "error", unmanaged_fatal)
    for p in pods:
        # the filters in order; the first that keeps the pod decides, else the last one's status
        # counts (kubectl drops a local-storage warning of a pod that has a controller)
        for flt in (daemonset_filter, mirror_filter, local_storage_filter, unreplicated_filter):
            status = flt(p)
            if not status[0]:
                break
        if status[1] == "warning":
            warn.setdefault(status[2], []).append("%s/%s" % (p["namespace"], p["name"]))
        elif status[1] == "error":
            errors.setdefault(status[2], []).append("%s/%s" % (p["namespace"], p["name"]))
        if status[0]:
            delete.append(p)
    errs = []
    for msg, names in errors.items():
        if m >= 34 and msg.lower().startswith("cannot delete"):
            errs.append("%s: %s" % (msg, ", ".join(names)))
        else:
            errs.append("cannot delete %s: %s" % (msg, ", ".join(names)))
    return delete, "; ".join("%s: %s" % (k, ", ".join(v)) for k, v in warn.items()), errs


def drain_node(version, c, f, node, dry, timeout):
    """deleteOrEvictPodsSimple: None when drained, else the list of errors."""
    pods, warnings, errs = pods_for_deletion(version, c, f, node)
    if errs:
        return errs
    if warnings:
        err(("Warning: %s" if minor(version) >= 24 else "WARNING: %s") % warnings)
    if dry == "client":
        for p in pods:
            out("evicting pod %s/%s (dry run)" % (p["namespace"], p["name"]))
        return None
    if not pods:
        return None
    server_dry = dry == "server"
    failures = []
    if f.get("disable-eviction"):
        for p in pods:
            kapi(c, "DELETE", "/api/v1/namespaces/%s/pods/%s" % (p["namespace"], p["name"]), {"dryRun": server_dry})
        if not server_dry:
            for p in pods:
                out("pod/%s deleted" % p["name"])
        return None
    delay = evict_retry_delay()
    deadline = now() + timeout if timeout else None
    pending = list(pods)
    evicted = []
    while pending:
        retry = []
        for p in pending:
            out("evicting pod %s/%s%s" % (p["namespace"], p["name"], " (server dry run)" if server_dry else ""))
            sys.stdout.flush()
            if deadline is not None and now() >= deadline:
                failures.append('error when evicting pods/"%s" -n "%s": global timeout reached: %s'
                                % (p["name"], p["namespace"], go_duration(timeout)))
                continue
            code, b = kapi(c, "POST", "/api/v1/namespaces/%s/pods/%s/eviction" % (p["namespace"], p["name"]),
                           {"apiVersion": "policy/v1", "kind": "Eviction", "dryRun": server_dry,
                            "metadata": {"name": p["name"], "namespace": p["namespace"]}})
            if code in (200, 201):
                evicted.append(p)
            elif code == 404:
                pass
            elif code == 429:
                err('error when evicting pods/"%s" -n "%s" (will retry after %s): %s'
                    % (p["name"], p["namespace"], go_duration(delay) if delay >= 1 else "%dms" % (delay * 1000), b.get("message")))
                sys.stderr.flush()
                retry.append(p)
            else:
                failures.append('error when evicting pods/"%s" -n "%s": %s' % (p["name"], p["namespace"], b.get("message")))
        if not server_dry:
            for p in evicted:
                out("pod/%s evicted" % p["name"])
        evicted = []
        if retry:
            time.sleep(delay)
        pending = retry
    if failures:
        left, _, _ = pods_for_deletion(version, c, f, node)
        if left:
            err('There are pending pods in node "%s" when an error occurred: %s' % (node, aggregate_text(failures)))
            for p in left:
                err("pod/" + p["name"])
        return failures
    return None


NODE_NAMES = ("node", "nodes", "no")
POD_NAMES = ("pod", "pods", "po")


def pod_object(p):
    """A pod of the API server stand-in's list as the API returns it (the fields the model has)."""
    md = {"name": p["name"], "namespace": p["namespace"], "labels": p.get("labels") or {}, "uid": p.get("uid", ""),
          "creationTimestamp": rfc3339(p["created"])}
    if p.get("ownerKind"):
        md["ownerReferences"] = [{"apiVersion": "v1" if p["ownerKind"] == "Node" else "apps/v1", "kind": p["ownerKind"],
                                  "name": p["ownerName"], "controller": True, "blockOwnerDeletion": True}]
    if p.get("mirror"):
        md["annotations"] = {"kubernetes.io/config.mirror": p.get("uid", ""), "kubernetes.io/config.source": "file"}
    spec = {"nodeName": p["node"]} if p["node"] else {}
    if p.get("emptyDir"):
        spec["volumes"] = [{"name": "data", "emptyDir": {}}]
    status = {"phase": p["phase"], "conditions": [{"type": "Ready", "status": "True" if p["ready"] else "False"}]}
    if p.get("ip"):
        status["podIP"] = p["ip"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec, "status": status}


def get_nodes(c):
    return kapi(c, "GET", "/api/v1/nodes")[1]["items"]


def kubectl_get(f, cmd):
    if not f.pos:
        raise Fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n"
                   "error: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\n"
                   "See 'kubectl get -h' for help and examples")
    what = f.pos[0].lower()
    names = f.pos[1:]
    if "/" in what:
        what, n = what.split("/", 1)
        names = [n]
    o = f.get("output", "")
    c = kubectl_conn(f)
    if what in NODE_NAMES:
        items = get_nodes(c)
        if names:
            missing = [n for n in names if n not in [i["metadata"]["name"] for i in items]]
            items = [i for i in items if i["metadata"]["name"] in names]
            for n in missing:
                err('Error from server (NotFound): nodes "%s" not found' % n)
            if missing and not items:
                return 1
        if o == "json":
            doc = items[0] if len(names) == 1 and items else {"apiVersion": "v1", "items": items, "kind": "List",
                                                                 "metadata": {"resourceVersion": ""}}
            out(json.dumps(doc, indent=4))
            return 0
        if o == "yaml":
            doc = items[0] if len(names) == 1 and items else {"apiVersion": "v1", "items": items, "kind": "List",
                                                                 "metadata": {"resourceVersion": ""}}
            out(yaml.safe_dump(doc, default_flow_style=False).rstrip())
            return 0
        if o == "name":
            for i in items:
                out("node/" + i["metadata"]["name"])
            return 0
        if o.startswith("jsonpath="):
            doc = items[0] if len(names) == 1 and items else {"apiVersion": "v1", "items": items, "kind": "List"}
            sys.stdout.write(jsonpath(doc, o[len("jsonpath="):].strip("'")))
            return 0
        if o not in ("", "wide"):
            raise Fail('error: unable to match a printer suitable for the output format "%s", allowed formats are: '
                       'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,'
                       'jsonpath-file,name,template,templatefile,wide,yaml' % o)
        if not items:
            err("No resources found")
            return 0
        rows = [["NAME", "STATUS", "ROLES", "AGE", "VERSION"]]
        if o == "wide":
            rows[0] += ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]
        t = now()
        for i in items:
            ready = next(x["status"] for x in i["status"]["conditions"] if x["type"] == "Ready")
            status = "Ready" if ready == "True" else "NotReady"
            if i["spec"].get("unschedulable"):
                status += ",SchedulingDisabled"
            roles = ",".join(sorted(k.split("/", 1)[1] for k in i["metadata"]["labels"] if k.startswith("node-role.kubernetes.io/"))) or "<none>"
            created = datetime.datetime.strptime(i["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
            row = [i["metadata"]["name"], status, roles, human_duration(t - created), i["status"]["nodeInfo"]["kubeletVersion"]]
            if o == "wide":
                ni = i["status"]["nodeInfo"]
                row += [i["status"]["addresses"][0]["address"], "<none>", ni["osImage"], ni["kernelVersion"], ni["containerRuntimeVersion"]]
            rows.append(row)
        if f.get("no-headers"):
            text = table(rows).split("\n", 1)[1] if len(rows) > 1 else ""
            # kubectl aligns the columns without the header
            text = table(rows[1:])
            out(text)
        else:
            out(table(rows))
        return 0
    if what in POD_NAMES:
        _, b = kapi(c, "GET", "/sandbox/pods")
        ns = None if f.get("all-namespaces") else (f.get("namespace") or "default")
        pods = [p for p in b["pods"] if ns is None or p["namespace"] == ns]
        sel = f.get("selector")
        if sel:
            want = dict(x.split("=", 1) for x in sel.split(",") if "=" in x)
            pods = [p for p in pods if all(p["labels"].get(k) == v for k, v in want.items())]
        if names:
            missing = [n for n in names if n not in {p["name"] for p in pods}]
            pods = [p for p in pods if p["name"] in names]
            for n in missing:
                err('Error from server (NotFound): pods "%s" not found' % n)
            if missing and not pods:
                return 1
        if o == "name":
            for p in pods:
                out("pod/" + p["name"])
            return 0
        if o in ("json", "yaml") or o.startswith("jsonpath="):
            objs = [pod_object(p) for p in pods]
            doc = objs[0] if len(names) == 1 and objs else {"apiVersion": "v1", "items": objs, "kind": "List",
                                                            "metadata": {"resourceVersion": ""}}
            if o == "json":
                out(json.dumps(doc, indent=4))
            elif o == "yaml":
                out(yaml.safe_dump(doc, default_flow_style=False).rstrip())
            else:
                sys.stdout.write(jsonpath(doc, o[len("jsonpath="):].strip("'")))
            return 0
        if o not in ("", "wide"):
            raise Fail("sandbox stand-in: kubectl get pods -o %s: not implemented yet" % o)
        if not pods:
            err("No resources found" if ns is None else "No resources found in %s namespace." % ns)
            return 0
        rows = [(["NAMESPACE"] if ns is None else []) + ["NAME", "READY", "STATUS", "RESTARTS", "AGE"] + (
            ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] if o == "wide" else [])]
        for p in pods:
            rows.append(([p["namespace"]] if ns is None else []) + [
                p["name"], "1/1" if p["ready"] else "0/1", p["phase"], "0", human_duration(b["now"] - p["created"])] + (
                [p["ip"] or "<none>", p["node"] or "<none>", "<none>", "<none>"] if o == "wide" else []))
        out(table(rows[1:] if f.get("no-headers") else rows))
        return 0
    if what in ("pdb", "pdbs", "poddisruptionbudget", "poddisruptionbudgets"):
        _, b = kapi(c, "GET", "/sandbox/pdbs")
        ns = None if f.get("all-namespaces") else (f.get("namespace") or "default")
        pdbs = [x for x in b["pdbs"] if (ns is None or x["namespace"] == ns) and (not names or x["name"] in names)]
        if names and not pdbs:
            raise Fail('Error from server (NotFound): poddisruptionbudgets.policy "%s" not found' % names[0])
        if not pdbs:
            err("No resources found" if ns is None else "No resources found in %s namespace." % ns)
            return 0
        rows = [(["NAMESPACE"] if ns is None else []) + ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"]]
        for x in pdbs:
            m = x.get("model") or {}
            rows.append(([x["namespace"]] if ns is None else []) + [
                x["name"], "N/A" if m.get("minAvailable") is None else str(m["minAvailable"]),
                "N/A" if m.get("maxUnavailable") is None else str(m["maxUnavailable"]), str(x["allowed"]),
                human_duration(b["now"] - x["created"])])
        out(table(rows[1:] if f.get("no-headers") else rows))
        return 0
    if what in ("namespaces", "namespace", "ns", "daemonsets", "daemonset", "ds", "deployments", "deployment", "deploy",
                "crd", "crds", "customresourcedefinitions", "configmaps", "cm", "services", "svc", "serviceaccounts", "sa"):
        _, b = kapi(c, "GET", "/sandbox/objects")
        kind = {"namespaces": "Namespace", "namespace": "Namespace", "ns": "Namespace", "daemonsets": "DaemonSet",
                "daemonset": "DaemonSet", "ds": "DaemonSet", "deployments": "Deployment", "deployment": "Deployment",
                "deploy": "Deployment", "crd": "CustomResourceDefinition", "crds": "CustomResourceDefinition",
                "customresourcedefinitions": "CustomResourceDefinition", "configmaps": "ConfigMap", "cm": "ConfigMap",
                "services": "Service", "svc": "Service", "serviceaccounts": "ServiceAccount", "sa": "ServiceAccount"}[what]
        objs = [x for x in b["objects"] if x["kind"] == kind]
        if kind == "Namespace":
            objs = [{"name": n, "created": 0, "namespace": ""} for n in ("default", "kube-node-lease", "kube-public", "kube-system")] + objs
        ns = None if f.get("all-namespaces") else (f.get("namespace") or "default")
        if kind not in ("Namespace", "CustomResourceDefinition"):
            objs = [x for x in objs if ns is None or x["namespace"] == ns]
        if names:
            objs = [x for x in objs if x["name"] in names]
            if not objs:
                raise Fail('Error from server (NotFound): %s "%s" not found' % (what if what.endswith("s") else what + "s", names[0]))
        if not objs:
            err("No resources found" if ns is None or kind in ("Namespace",) else "No resources found in %s namespace." % ns)
            return 0
        rows = [(["NAMESPACE"] if ns is None and kind != "Namespace" else []) + ["NAME", "AGE"]]
        for x in objs:
            rows.append(([x["namespace"]] if ns is None and kind != "Namespace" else []) + [x["name"], human_duration(now() - x["created"]) if x["created"] else "1d"])
        out(table(rows[1:] if f.get("no-headers") else rows))
        return 0
    raise Fail('error: the server doesn\'t have a resource type "%s"' % what)


def kubectl_wait(f, cmd):
    cond = f.get("for")
    if not cond:
        raise Fail("error: --for must be specified")
    if not f.pos:
        raise Fail("error: resource(s) were provided, but no name was specified")
    what = f.pos[0].lower()
    names = f.pos[1:]
    if "/" in what:
        what, n = what.split("/", 1)
        names = [n]
    if what not in NODE_NAMES:
        raise Fail("sandbox stand-in: kubectl wait for %s: not implemented yet" % what)
    m = re.match(r"^condition=([A-Za-z]+)(?:=(\w+))?$", cond)
    if not m:
        raise Fail("error: unrecognized condition: \"%s\"" % cond)
    want = (m.group(2) or "True").lower()
    if not names and not f.get("all"):
        raise Fail("error: resource(s) were provided, but no name was specified")
    timeout = parse_duration(f.get("timeout", "30s")) if f.get("timeout") not in ("-1", "-1s") else 7 * 86400
    c = kubectl_conn(f)
    deadline = now() + timeout
    done = set()
    while True:
        items = get_nodes(c)
        if names:
            have = {i["metadata"]["name"] for i in items}
            for n in names:
                if n not in have:
                    raise Fail('Error from server (NotFound): nodes "%s" not found' % n)
            items = [i for i in items if i["metadata"]["name"] in names]
        if not items:
            raise Fail("error: no matching resources found")
        pending = []
        for i in items:
            name = i["metadata"]["name"]
            st = next((x["status"] for x in i["status"]["conditions"] if x["type"] == m.group(1)), None)
            if st is not None and st.lower() == want:
                if name not in done:
                    out("node/%s condition met" % name)
                    sys.stdout.flush()
                    done.add(name)
            else:
                pending.append(name)
        if not pending:
            return 0
        if now() >= deadline:
            raise Fail("error: timed out waiting for the condition on nodes/%s" % pending[0])
        time.sleep(min(1.0, max(0.05, deadline - now())))


DELETABLE = {"deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment",
             "daemonset": "DaemonSet", "daemonsets": "DaemonSet", "ds": "DaemonSet",
             "replicaset": "ReplicaSet", "replicasets": "ReplicaSet", "rs": "ReplicaSet",
             "statefulset": "StatefulSet", "statefulsets": "StatefulSet", "sts": "StatefulSet",
             "pdb": "PodDisruptionBudget", "poddisruptionbudget": "PodDisruptionBudget",
             "poddisruptionbudgets": "PodDisruptionBudget"}


def kubectl_delete(f, cmd):
    if not f.pos:
        raise Fail("error: You must provide one or more resources by argument or filename.")
    what = f.pos[0].lower()
    names = f.pos[1:]
    if "/" in what:
        what, n = what.split("/", 1)
        names = [n]
    if what in POD_NAMES or what in DELETABLE:
        c = kubectl_conn(f)
        ns = f.get("namespace") or "default"
        rc = 0
        for n in names:
            if what in POD_NAMES:
                code, b = kapi(c, "DELETE", "/api/v1/namespaces/%s/pods/%s" % (ns, n), {})
                label, res = "pod", "pods"
            else:
                kind = DELETABLE[what]
                res, grp, _ = BUILTIN[kind]
                label = res + ("." + grp if grp else "")
                res = res + "s" + ("." + grp if grp else "")
                code, b = kapi(c, "POST", "/sandbox/delete", {"kind": kind, "namespace": ns, "name": n})
            if code == 404:
                if not f.get("ignore-not-found"):
                    err('Error from server (NotFound): %s "%s" not found' % (res, n))
                    rc = 1
            else:
                out('%s "%s" deleted' % (label, n))
        return rc
    if what not in NODE_NAMES:
        raise Fail("sandbox stand-in: kubectl delete %s: not implemented yet" % what)
    c = kubectl_conn(f)
    rc = 0
    for n in names:
        code, _ = kapi(c, "DELETE", "/api/v1/nodes/" + n)
        if code == 404:
            if not f.get("ignore-not-found"):
                err('Error from server (NotFound): nodes "%s" not found' % n)
                rc = 1
        else:
            out('node "%s" deleted' % n)
    return rc


def kubectl_apply(f, cmd):
    files = f.get("filename") or []
    if not files:
        raise Fail("error: must specify one of -f and -k\n" if cmd == "apply" else
                   "error: must specify one of -f and -k\n")
    c = kubectl_conn(f)
    rc = 0
    for src in files:
        if re.match(r"^https?://", src):
            p = subprocess.run(["curl", "-fsSL", src], capture_output=True, text=True)
            if p.returncode == 6:
                host = re.match(r"^https?://([^/:]+)", src).group(1)
                raise Fail('error: Get "%s": dial tcp: lookup %s on 127.0.0.53:53: no such host' % (src, host))
            if p.returncode != 0:
                raise Fail('error: unable to read URL "%s", server reported 404 Not Found, status code=404' % src)
            text = p.stdout
        elif src == "-":
            text = sys.stdin.read()
        else:
            if os.path.isdir(src):
                raise Fail("sandbox stand-in: kubectl %s -f DIRECTORY: not implemented yet" % cmd)
            try:
                text = read(src)
            except OSError:
                raise Fail('error: the path "%s" does not exist' % src)
        objs = []
        for d in load_docs(text, src):
            if d.get("kind") == "List":
                docs = d.get("items") or []
            else:
                docs = [d]
            for x in docs:
                if not isinstance(x, dict) or "kind" not in x or "apiVersion" not in x:
                    raise Fail('error: error validating "%s": error validating data: [apiVersion not set, kind not set]; '
                               'if you choose to ignore these errors, turn validation off with --validate=false' % src)
                md = x.get("metadata") or {}
                if not md.get("name"):
                    raise Fail('error: error when retrieving current configuration of:\nResource: "%s", Name: "", Namespace: "%s"\n'
                               'from server for: "%s": resource name may not be empty' % (x["kind"], md.get("namespace", "default"), src))
                o = {"kind": x["kind"], "apiVersion": x["apiVersion"], "name": md["name"], "namespace": md.get("namespace"),
                     "hash": sha256(json.dumps(x, sort_keys=True, default=str).encode()).hexdigest()}
                o["model"] = workload_model(x)
                if x["kind"] == "CustomResourceDefinition":
                    spec = x.get("spec") or {}
                    o["crd"] = {"kind": (spec.get("names") or {}).get("kind", ""), "group": spec.get("group", ""),
                                "namespaced": spec.get("scope") == "Namespaced"}
                objs.append(o)
        _, b = kapi(c, "POST", "/sandbox/apply", {"objects": objs, "source": src, "verb": cmd,
                                                  "namespace": f.get("namespace")})
        for r in b["results"]:
            if "line" in r:
                out(r["line"])
            else:
                err(r["error"])
                rc = 1
    return rc


def workload_model(x):
    """What the controllers and the scheduler need of a workload or PodDisruptionBudget document."""
    kind, spec = x["kind"], x.get("spec") or {}
    if kind == "PodDisruptionBudget":
        sel = (spec.get("selector") or {}).get("matchLabels") or {}
        return {"selector": sel, "minAvailable": spec.get("minAvailable"), "maxUnavailable": spec.get("maxUnavailable")}
    if kind == "Pod":
        tpl = {"metadata": x.get("metadata") or {}, "spec": spec}
    elif kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"):
        tpl = spec.get("template") or {}
    else:
        return None
    pspec = tpl.get("spec") or {}
    labels = (tpl.get("metadata") or {}).get("labels") or {}
    m = {"labels": labels, "tolerations": pspec.get("tolerations") or [],
         "emptyDir": any(isinstance(v, dict) and "emptyDir" in v for v in pspec.get("volumes") or []),
         "hash": sha256(json.dumps(tpl, sort_keys=True, default=str).encode()).hexdigest()[:10].translate(NAME_CHARS)}
    if kind in ("Deployment", "ReplicaSet", "StatefulSet"):
        m["replicas"] = int(spec.get("replicas", 1))
        m["selector"] = (spec.get("selector") or {}).get("matchLabels") or {}
    if kind == "Pod":
        m["nodeName"] = pspec.get("nodeName") or ""
    return m


# ---------------------------------------------------------------- entry points

def kubelet_main(version, args):
    for a in args:
        if a in ("--version", "--version=true"):
            out("Kubernetes v" + version)
            return 0
        if a in ("-h", "--help"):
            out("The kubelet is the primary \"node agent\" that runs on each node.")
            return 0
    for a in args:
        name = a.split("=")[0]
        if name in ("--container-runtime", "--network-plugin", "--cni-conf-dir", "--cni-bin-dir", "--cni-cache-dir",
                    "--docker-endpoint", "--image-pull-progress-deadline"):
            removed = minor(version) >= (27 if name == "--container-runtime" else 24)
            if removed:
                err("E0101 00:00:00.000000       1 run.go:74] \"command failed\" err=\"failed to parse kubelet flag: unknown flag: %s\"" % name)
                return 1
    # From 1.35 failCgroupV1 defaults to true (KEP-5573): the configuration is validated first.
    config, fail_v1 = None, minor(version) >= 35
    for i, a in enumerate(args):
        if a.startswith("--config="):
            config = a.split("=", 1)[1]
        elif a == "--config" and i + 1 < len(args):
            config = args[i + 1]
        elif a in ("--fail-cgroupv1=false", "--fail-cgroupv1=False"):
            fail_v1 = False
    if config and re.search(r"^failCgroupV1:\s*false\s*$", read(config, ""), re.M):
        fail_v1 = False
    if fail_v1 and cgroup_v1():
        err(KUBELET_CGROUP_V1 % (time.strftime("%m%d %H:%M:%S") + ".%06d" % (time.time() % 1 * 1e6), os.getpid()))
        return 1
    err("sandbox stand-in: kubelet does not run in the sandbox (systemctl start/stop/status kubelet work; "
        "the node's status comes from systemctl's record)")
    return 1


def main(prog, version, args):
    try:
        if prog == "kubeadm":
            return kubeadm_main(version, args)
        if prog == "kubectl":
            return kubectl_main(version, args)
        if prog == "kubelet":
            return kubelet_main(version, args)
        if prog == "crictl":
            return crictl_main(version, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    err("sandbox: unknown program " + prog)
    return 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["apiserver"]:
        sys.exit(apiserver_main(sys.argv[2:]))
    if sys.argv[1:2] == ["etcd"]:
        sys.exit(etcd_main(sys.argv[2:]))
    if sys.argv[1:2] == ["kubelet-sync"]:
        sys.exit(kubelet_sync(sys.argv[2:]))
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
