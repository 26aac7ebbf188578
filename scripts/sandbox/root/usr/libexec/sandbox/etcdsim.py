# etcdsim: what runs inside the etcd container of a kubeadm control plane, for `crictl exec`
# (kubesim.py's crictl stand-in calls run()), and the programs of etcd's release tarball run on the
# host itself (etcdutl, etcdctl, etcd: release_main(), see "the release tarball's programs" below;
# the archives come from etcdrelease.py through the curl stand-in). There is no real container: the
# stand-in emulates the image and its mounts; on the host, paths are the host's own (HostView).
#
# The image (kubernetes/kubernetes cluster/images/etcd: Dockerfile and Makefile, read via the
# search tool) is gcr.io/distroless/static plus /bin/sh (bash-static, for migrate-if-needed.sh)
# and /usr/local/bin/{etcd,etcdctl,etcd-VERSION,etcdctl-VERSION,migrate,migrate-if-needed.sh}.
# The Makefile installs etcd and etcdctl only: there is NO etcdutl in registry.k8s.io/etcd
# (confirmed for 3.5.x and 3.6.4 by users: `exec: "etcdutl": executable file not found in $PATH`).
# kubeadm's etcd static pod mounts two hostPath volumes at the same paths: /var/lib/etcd
# (etcd-data) and /etc/kubernetes/pki/etcd (etcd-certs). Every other path is the container's
# own file system: /tmp exists there, but nothing written to it is visible on the host.
#
# The cluster state ("etcd" database) is the API server stand-in's store,
# /var/lib/etcd/member/sandbox-store.json (a symlink into the cluster directory shared by the
# members, see kubesim.py's "the store"). A snapshot file holds it (see SNAPSHOT FORMAT). The
# membership (member list/add/remove/promote, endpoint health/status --cluster) is that
# directory's members.json; a member is alive while its etcd stand-in process runs.
import json
import os
import re
import sys
import time

import kubesim

hashlib = kubesim.lazy_import("hashlib")        # (loaded on first use: a stand-in starts faster)
subprocess = kubesim.lazy_import("subprocess")

DATA_DIR = "/var/lib/etcd"
PKI_DIR = "/etc/kubernetes/pki/etcd"
MOUNTS = (DATA_DIR, PKI_DIR)
STORE = DATA_DIR + "/member/sandbox-store.json"
RESTORED = DATA_DIR + "/member/sandbox-restore.json"  # the membership `snapshot restore` created
IMAGE_DIRS = ("/", "/tmp", "/root", "/home", "/home/nonroot", "/etc", "/var", "/usr", "/usr/local", "/usr/local/bin",
              "/bin", "/dev", "/proc", "/sys")

# cobrautl exit codes (go.etcd.io/etcd/pkg/cobrautl/error.go)
EXIT_ERROR, EXIT_BAD_CONNECTION, EXIT_INTERRUPTED, EXIT_BAD_ARGS = 1, 2, 5, 128


class Exit(Exception):
    """The process inside the container ends with RC (its message already printed)."""

    def __init__(self, rc):
        super().__init__(rc)
        self.rc = rc


def fail(rc, text):
    """cobrautl.ExitWithError: "Error: TEXT" on stderr, then exit RC."""
    sys.stderr.write("Error: %s\n" % text)
    raise Exit(rc)


# ---------------------------------------------------------------- the container

class Container:
    """The etcd container: its image's version and its view of the file system."""

    def __init__(self, cid, image, host_ip, node):
        self.cid, self.image, self.host_ip, self.node = cid, image, host_ip, node
        tag = image.rsplit(":", 1)[-1]
        self.version = tag.split("-")[0]                       # 3.5.21-0 -> 3.5.21
        self.minor = tuple(int(x) for x in self.version.split(".")[:2])
        self.vt = vtuple(self.version)
        self.server_version, self.server_minor = self.version, self.minor  # the etcd this etcdctl talks to
        self.local_time = False  # the image has no time zone data: zap's times are UTC
        # the container's own writable layer (CRI-O keeps it under /var/lib/containers/storage)
        self.rootfs = "/var/lib/containers/storage/overlay/%s/merged" % cid

    def path(self, p, cwd="/"):
        """The host path behind the container's path P: the two hostPath mounts are the host's own
        paths, anything else lives in the container's layer."""
        p = os.path.normpath(os.path.join(cwd, p))
        if any(p == m or p.startswith(m + "/") for m in MOUNTS):
            return p
        if not os.path.isdir(self.rootfs):
            for d in IMAGE_DIRS:
                os.makedirs(self.rootfs + d, exist_ok=True)
            os.chmod(self.rootfs + "/tmp", 0o1777)
        return self.rootfs + p

    def local_running(self):
        return True  # crictl exec found the container running


def vtuple(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


class HostView:
    """A program of etcd's release tarball (VERSION) run on the host: paths are the host's own,
    relative ones from the current directory; the local etcd is the etcd static pod's (its image,
    while the kubelet runs it)."""

    def __init__(self, version):
        self.version = version
        self.minor = tuple(int(x) for x in version.split(".")[:2])
        self.vt = vtuple(version)
        self.host_ip, self.node = kubesim.host_ip(), kubesim.hostname()
        m = re.search(r"image: \S*/etcd:([0-9.]+)", kubesim.read(kubesim.MANIFESTS + "/etcd.yaml", ""))
        self.server_version = m.group(1) if m else version
        self.server_minor = tuple(int(x) for x in self.server_version.split(".")[:2])
        self.local_time = True

    def path(self, p, cwd=None):
        return os.path.normpath(os.path.join(cwd or os.getcwd(), p))

    def local_running(self):
        """Whether this host's etcd runs: its static pod's container (the kubelet and CRI-O run it)."""
        return any(c["name"] == "etcd" for c in kubesim.static_containers())


def executables(ctr):
    """The programs in the image's $PATH (/usr/local/bin, /bin) -> their full paths."""
    progs = {"etcd": "/usr/local/bin/etcd", "etcdctl": "/usr/local/bin/etcdctl",
             "etcd-" + ctr.version: "/usr/local/bin/etcd-" + ctr.version,
             "etcdctl-" + ctr.version: "/usr/local/bin/etcdctl-" + ctr.version,
             "migrate": "/usr/local/bin/migrate", "migrate-if-needed.sh": "/usr/local/bin/migrate-if-needed.sh",
             "sh": "/bin/sh"}
    return progs


def run(ctr, argv):
    """Runs ARGV in the container -> exit status. A program the image lacks fails as the OCI runtime
    (crun, CRI-O's default) reports it on the exec's stderr."""
    progs = executables(ctr)
    full = dict((v, v) for v in progs.values())
    prog = progs.get(argv[0]) or full.get(argv[0])
    if prog is None:
        sys.stderr.write("executable file `%s` not found in $PATH: No such file or directory\n" % argv[0])
        return 127
    name = os.path.basename(prog)
    try:
        if name.startswith("etcdctl"):
            etcdctl(ctr, argv[1:])
        elif name.startswith("etcd") and argv[1:2] in (["--version"], ["-version"]):
            sys.stdout.write("etcd Version: %s\nGit SHA: GitNotFound\nGo Version: %s\nGo OS/Arch: linux/amd64\n"
                             % (ctr.version, go_version(ctr)))
        else:
            sys.stderr.write("sandbox stand-in: %s inside the etcd container: not implemented yet\n" % prog)
            return 126
    except Exit as e:
        return e.rc
    return 0


def go_version(ctr):
    return "go1.24.9" if ctr.minor >= (3, 6) else "go1.23.8"


# ---------------------------------------------------------------- etcdctl: flags

# etcdctl's global (persistent) flags (etcdctl/ctlv3/ctl.go) -> takes a value?
GLOBAL = {"cluster": False, "peer-urls": True, "learner": False, "endpoints": True, "cacert": True, "cert": True, "key": True, "write-out": True, "w": True,
          "dial-timeout": True, "command-timeout": True, "keepalive-time": True, "keepalive-timeout": True,
          "user": True, "password": True, "discovery-srv": True, "discovery-srv-name": True, "auth-jwt-token": True,
          "insecure-transport": False, "insecure-skip-tls-verify": False, "insecure-discovery": False,
          "debug": False, "hex": False, "help": False, "h": False, "max-request-bytes": True, "max-recv-bytes": True}


def restore_flags(ctr, tool):
    """The flags of `snapshot restore` (-> takes a value) of TOOL (etcdctl before 3.6, etcdutl) at the
    version: --bump-revision/--mark-compacted since 3.5.10, etcdutl's --initial-memory-map-size since
    3.5.14 (etcd CHANGELOG-3.5)."""
    f = {"data-dir": True, "wal-dir": True, "name": True, "initial-cluster": True, "initial-cluster-token": True,
         "initial-advertise-peer-urls": True, "skip-hash-check": False}
    if ctr.vt >= (3, 5, 10):
        f.update({"bump-revision": True, "mark-compacted": False})
    if tool == "etcdutl" and ctr.vt >= (3, 5, 14):
        f["initial-memory-map-size"] = True
    return f


def command_words(args):
    """The command's words (cobra finds the subcommand among the flags: global flags may come first)."""
    words, it = [], iter(args)
    for a in it:
        if a == "--":
            break
        if a.startswith("-") and a != "-":
            name, eq, _ = a.lstrip("-").partition("=")
            if GLOBAL.get(name) and not eq:
                next(it, None)
            continue
        words.append(a)
    return words


def parse(args, local):
    """pflag: --name=value, --name value, -w value; flags anywhere; '--' ends them. -> (flags, positionals)."""
    known = dict(GLOBAL, **local)
    flags, pos, it = {}, [], iter(args)
    for a in it:
        if a == "--":
            pos.extend(it)
            break
        if not a.startswith("-") or a == "-":
            pos.append(a)
            continue
        name, eq, val = a.lstrip("-").partition("=")
        if name not in known:
            fail(EXIT_ERROR, "unknown flag: --%s" % name if a.startswith("--") else
                 "unknown shorthand flag: '%s' in %s" % (name[0], a))
        if known[name] and not eq:
            val = next(it, None)
            if val is None:
                fail(EXIT_ERROR, "flag needs an argument: %s" % a)
        flags["write-out" if name == "w" else name] = val if known[name] else (val.lower() != "false" if eq else True)
    return flags, pos


# ---------------------------------------------------------------- etcdctl: the client's connection

def endpoints(flags):
    return [e.strip() for e in flags.get("endpoints", "127.0.0.1:2379").split(",") if e.strip()]


def serves(ctr, endpoint):
    """Whether ENDPOINT reaches a running member's client port: this member's (kubeadm's
    --listen-client-urls are https://127.0.0.1:2379 and https://ADVERTISE_ADDRESS:2379, TLS only) or
    another member's advertised client URL while its etcd runs."""
    m = re.match(r"^(?:(https?|unixs?)://)?\[?([^\]/]+?)\]?(?::(\d+))?/?$", endpoint)
    if not m:
        return False
    scheme, host, port = m.group(1) or "https", m.group(2), m.group(3) or "2379"
    if scheme != "https":
        return False
    if port == "2379" and host in ("127.0.0.1", "localhost", ctr.host_ip, ctr.node):
        return ctr.local_running()
    return any("https://%s:%s" % (host, port) in mb.get("clientURLs", []) and kubesim.member_alive(mb)
               for mb in members(ctr)["members"])


def cluster_dir():
    """The stacked cluster this member belongs to (kubesim's shared cluster directory), or None."""
    me = kubesim.local_member()
    return me["cluster"] if me and os.path.isdir(me["cluster"]) else None


def members(ctr):
    """etcd's membership: the cluster directory's members.json (without one: the membership a restore
    wrote into the data directory, the local member started with its name and client URL; without
    that either: this member alone)."""
    cdir = cluster_dir()
    if cdir:
        data = kubesim.members_load(cdir)
        data["members"].sort(key=lambda m: m["id"])  # RaftCluster.Members(): sorted by ID
        return data
    try:
        with open(RESTORED) as f:
            data = json.load(f)
        for m in data["members"]:
            if m["id"] == data["localID"]:  # etcd publishes its name and client URLs once it runs
                m.update(name=ctr.node, clientURLs=["https://%s:2379" % ctr.host_ip])
        return data
    except (OSError, ValueError, KeyError):
        pass
    return {"clusterID": member_id("cluster\0" + ctr.node), "members": [
        {"id": member_id(ctr.node), "name": ctr.node, "peerURLs": ["https://%s:2380" % ctr.host_ip],
         "clientURLs": ["https://%s:2379" % ctr.host_ip], "isLearner": False}]}


def has_quorum(ctr):
    cdir = cluster_dir()
    return kubesim.quorum_state(cdir)[0] if cdir else True


def timed_out(flags):
    """A request raft cannot commit (no quorum): the client gives up after --command-timeout (5s)."""
    time.sleep(min(duration(flags.get("command-timeout", "5s")), 5))
    fail(EXIT_ERROR, "context deadline exceeded")


def openssl(*args):
    return subprocess.run(("openssl",) + args, capture_output=True, text=True)


def public_key(path, is_key):
    p = openssl("pkey", "-in", path, "-pubout") if is_key else openssl("x509", "-in", path, "-noout", "-pubkey")
    return p.stdout if p.returncode == 0 else None


# What one etcdctl already found of its TLS files (they do not change during a call; endpoint
# health dials, then checks every endpoint): each openssl call is a process.
_TLS_CHECKED = {}


def tls_flags(ctr, flags):
    return tuple(ctr.path(flags[f]) if flags.get(f) else None for f in ("cacert", "cert", "key"))


def tls_config(ctr, flags):
    """transport.TLSInfo.ClientConfig: reads the files (errors end etcdctl at once, exit 128)."""
    if ("config",) + tls_flags(ctr, flags) in _TLS_CHECKED:
        return
    for flag in ("cacert", "cert", "key"):
        p = flags.get(flag)
        if p and not os.path.exists(ctr.path(p)):
            fail(EXIT_BAD_ARGS, "open %s: no such file or directory" % p)
    cert, key = flags.get("cert"), flags.get("key")
    if cert and key:
        pub = public_key(ctr.path(cert), False)
        if pub is None:
            fail(EXIT_BAD_ARGS, "tls: failed to find any PEM data in certificate input")
        if public_key(ctr.path(key), True) != pub:
            fail(EXIT_BAD_ARGS, "tls: private key does not match public key")
    _TLS_CHECKED[("config",) + tls_flags(ctr, flags)] = None


def handshake_error(ctr, flags):
    """Why the TLS handshake with the local member fails, or None. The server (etcd with
    --client-cert-auth=true) demands a client certificate signed by the etcd CA for client use;
    the client must trust the CA that signed etcd's serving certificate."""
    seen = ("handshake",) + tls_flags(ctr, flags)
    if seen not in _TLS_CHECKED:
        _TLS_CHECKED[seen] = first_handshake_error(ctr, flags)
    return _TLS_CHECKED[seen]


def first_handshake_error(ctr, flags):
    cacert = flags.get("cacert")
    if not cacert or openssl("verify", "-CAfile", ctr.path(cacert), PKI_DIR + "/server.crt").returncode != 0:
        return "x509: certificate signed by unknown authority"
    cert = flags.get("cert")
    if not cert or not flags.get("key"):
        return "remote error: tls: certificate required"
    if openssl("verify", "-CAfile", PKI_DIR + "/ca.crt", "-purpose", "sslclient", ctr.path(cert)).returncode != 0:
        return "remote error: tls: bad certificate"
    return None


def dial(ctr, flags, eps, rc=EXIT_BAD_CONNECTION):
    """clientv3.New with --dial-timeout (2s): a blocking dial (any endpoint), so unreachable or refused
    endpoints end in "context deadline exceeded" after the timeout."""
    tls_config(ctr, flags)
    if any(serves(ctr, e) for e in eps) and handshake_error(ctr, flags) is None:
        return
    time.sleep(min(duration(flags.get("dial-timeout", "2s")), 5))
    fail(rc, "context deadline exceeded")


def duration(text):
    m = re.match(r"^(\d+(?:\.\d+)?)(ms|s|m)?$", text or "")
    if not m:
        return 2.0
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[m.group(2)]


# ---------------------------------------------------------------- etcdctl: commands

def etcdctl(ctr, args):
    """etcdctl v3 (etcdctl/ctlv3) of the container's etcd version."""
    flags, pos = parse(args, restore_flags(ctr, "etcdctl") if command_words(args)[:2] == ["snapshot", "restore"] and
                       ctr.minor < (3, 6) else {})
    cmd = pos[:1]
    if not pos or flags.get("help"):
        sys.stdout.write("NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n")
        return
    if cmd == ["version"]:
        sys.stdout.write("etcdctl version: %s\nAPI version: %d.%d\n" % ((ctr.version,) + ctr.minor))
    elif cmd == ["snapshot"]:
        snapshot_command(ctr, flags, pos[1:])
    elif pos[:2] == ["member", "list"]:
        dial(ctr, flags, endpoints(flags))
        if not has_quorum(ctr):
            timed_out(flags)  # 3.5+: MemberList is a linearizable read
        member_list(ctr, flags)
    elif pos[:2] == ["member", "remove"]:
        member_remove(ctr, flags, pos[2:])
    elif pos[:2] == ["member", "add"]:
        member_add(ctr, flags, pos[2:])
    elif pos[:2] == ["member", "promote"]:
        member_promote(ctr, flags, pos[2:])
    elif pos[:2] == ["endpoint", "health"]:
        endpoint_health(ctr, flags)
    elif pos[:2] == ["endpoint", "status"]:
        endpoint_status(ctr, flags)
    elif cmd[0] in ("get", "put", "del", "txn", "compaction", "watch", "lease", "member", "endpoint", "alarm",
                    "defrag", "move-leader", "downgrade", "check", "auth", "user", "role", "lock", "elect",
                    "make-mirror"):
        sys.stderr.write("sandbox stand-in: etcdctl %s: not implemented yet\n" % " ".join(pos[:2]))
        raise Exit(1)
    else:
        fail(EXIT_ERROR, 'unknown command "%s" for "etcdctl"' % cmd[0])


def snapshot_command(ctr, flags, pos):
    """etcdctl snapshot: save, and before 3.6 the deprecated status and restore (etcd #13809 removed
    them in 3.6: `snapshot status` then only finds the non-runnable `snapshot` command, which
    cobra answers with its help, exit 0)."""
    sub = pos[:1]
    if sub == ["save"]:
        snapshot_save(ctr, flags, pos[1:])
    elif sub in (["status"], ["restore"]) and ctr.minor < (3, 6):
        sys.stderr.write("Deprecated: Use `etcdutl snapshot %s` instead.\n\n" % sub[0])
        (snapshot_status if sub == ["status"] else snapshot_restore)(ctr, flags, pos[1:])
    else:
        sys.stdout.write(snapshot_help(ctr))


def snapshot_help(ctr):
    """etcdctl's usage template for `snapshot` (pkg/cobrautl/help.go)."""
    cmds = "\tsave\tStores an etcd node backend snapshot to a given file\n"
    if ctr.minor < (3, 6):
        cmds += ("\trestore\tRestores an etcd member snapshot to an etcd directory\n"
                 "\tstatus\tGets backend snapshot status of a given file\n")
    return ("NAME:\n\tsnapshot - Manages etcd node snapshots\n\nUSAGE:\n\tetcdctl snapshot <subcommand> [flags]\n\n"
            "API VERSION:\n\t%d.%d\n\n\nCOMMANDS:\n%s\nOPTIONS:\n  -h, --help[=false]\thelp for snapshot\n\n"
            "GLOBAL OPTIONS:\n      --cacert=\"\"\t\t\t\tverify certificates of TLS-enabled secure servers using this CA bundle\n"
            "      --cert=\"\"\t\t\t\t\tidentify secure client using this TLS certificate file\n"
            "      --endpoints=[127.0.0.1:2379]\t\tgRPC endpoints\n"
            "      --key=\"\"\t\t\t\t\tidentify secure client using this TLS key file\n"
            "  -w, --write-out=\"simple\"\t\t\tset the output format (fields, json, protobuf, simple, table)\n"
            % (ctr.minor + (cmds,)))


# ---------------------------------------------------------------- zap's log lines

def zap_ts(ctr):
    """zap's production timestamp: epoch seconds in etcd <= 3.5.13, ISO8601 since (seen in 3.5.15+)."""
    t = time.time()
    if ctr.minor == (3, 5) and int(ctr.version.split(".")[2]) < 15:
        return t
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


def log(ctr, caller, msg, logger=None, **fields):
    rec = {"level": "info", "ts": zap_ts(ctr)}
    if logger:
        rec["logger"] = logger
    rec.update(caller=caller, msg=msg, **fields)
    sys.stderr.write(json.dumps(rec, separators=(",", ":")) + "\n")


def humanize_bytes(n):
    """go-humanize Bytes: SI units, one decimal below 10."""
    units = ["B", "kB", "MB", "GB", "TB"]
    if n < 10:
        return "%d B" % n
    e = 0
    v = float(n)
    while v >= 1000 and e < len(units) - 1:
        v /= 1000
        e += 1
    return ("%.1f %s" if v < 10 else "%.0f %s") % (v, units[e])


# ---------------------------------------------------------------- SNAPSHOT FORMAT
#
# A real snapshot is the bbolt database followed by its SHA-256 (32 bytes: the size is then
# 32 more than a multiple of 512, client/v3/snapshot hasChecksum). Here the "database" is a
# 4096-byte-aligned block: a magic line, a header line (JSON: revision, keys, storage version,
# the store's SHA-256), the store JSON, zero padding. `status` reads it as bbolt would (a bad
# magic is bbolt's "invalid database", a damaged body its "checksum error"); `restore` checks
# the trailing SHA-256 as etcdutl's copyAndVerifyDB does.

MAGIC = b"SANDBOX-ETCD-BBOLT 1\n"
PAGE = 4096


def store_counts(store):
    """(revision, keys) of the store: etcd's revision grows with every write (the API server
    stand-in counts them), each token, node, object and pod is a key."""
    keys = sum(len(v) for v in store.values() if isinstance(v, (list, dict)))
    return int(store.get("revision") or 1), keys


def make_db(store_bytes, storage_version):
    """The "bbolt database" holding STORE_BYTES (member/snap/db; a snapshot without its hash)."""
    revision, keys = store_counts(json.loads(store_bytes))
    header = {"revision": revision, "keys": keys, "storageVersion": storage_version,
              "sha256": hashlib.sha256(store_bytes).hexdigest()}
    db = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + store_bytes
    return db + b"\0" * (-len(db) % PAGE)


def make_snapshot(ctr, store_bytes):
    """What the member (ctr.server_*: 3.6 writes its storage version) streams: the db and its SHA-256."""
    db = make_db(store_bytes, "%d.%d.0" % ctr.server_minor if ctr.server_minor >= (3, 6) else "")
    return db + hashlib.sha256(db).digest()


def read_db(path):
    """-> (header, store bytes, db size) of a snapshot, as bbolt.Open + tx.Check would see it."""
    with open(path, "rb") as f:
        data = f.read()
    db = data[:-32] if len(data) % 512 == 32 else data
    if not db.startswith(MAGIC):
        raise ValueError("invalid database")
    try:
        head, _, rest = db[len(MAGIC):].partition(b"\n")
        header = json.loads(head)
        store = rest.rstrip(b"\0")
    except ValueError:
        raise ValueError("checksum error") from None
    if hashlib.sha256(store).hexdigest() != header.get("sha256"):
        raise ValueError("checksum error")
    return header, store, len(db)


def crc32c(data):
    """CRC-32 Castagnoli, the hash etcdutl's Status computes over the buckets."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def snapshot_save(ctr, flags, pos):
    """client/v3/snapshot SaveWithVersion: the .part file (0600), the snapshot stream, the rename."""
    if len(pos) != 1:
        fail(EXIT_BAD_ARGS, "snapshot save expects one argument")
    eps = endpoints(flags)
    if len(eps) != 1:
        fail(EXIT_INTERRUPTED, "snapshot must be requested to one selected node, not multiple [%s]" % " ".join(eps))
    path = pos[0]
    part = path + ".part"
    v36 = ctr.minor >= (3, 6)
    if not v36:
        dial(ctr, flags, eps, EXIT_INTERRUPTED)     # 3.5: the client first, then the file
    try:
        fd = os.open(ctr.path(part), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as e:
        fail(EXIT_INTERRUPTED, "could not open %s (open %s: %s)" % (part, part, e.strerror.lower()))
    try:
        write_snapshot(ctr, flags, eps, fd, part, v36)
    except Exit:
        os.unlink(ctr.path(part))  # SaveWithVersion's deferred os.RemoveAll(partPath)
        raise
    finally:
        os.close(fd)
    os.rename(ctr.path(part), ctr.path(path))
    log(ctr, "snapshot/v3_snapshot.go:%d" % (120 if v36 else 97), "saved", path=path)
    sys.stdout.write("Snapshot saved at %s\n" % path)
    if v36 and ctr.server_minor >= (3, 6):  # the server's storage version; a 3.5 member sends none
        sys.stdout.write("Server version %d.%d.0\n" % ctr.server_minor)


def write_snapshot(ctr, flags, eps, fd, part, v36):
    """WriteSnapshotWithVersion: the stream from the member into the open .part file (3.6 dials
    after creating it, 3.5 before)."""
    v = "v3@v%s" % ctr.version
    log(ctr, "snapshot/v3_snapshot.go:%d" % (83 if v36 else 65), "created temporary db file", path=part)
    if v36:
        dial(ctr, flags, eps, EXIT_INTERRUPTED)
    start = time.time()
    with open(STORE, "rb") as f:
        data = make_snapshot(ctr, f.read())
    log(ctr, "%s/maintenance.go:%d" % (v, 237 if v36 else 212), "opened snapshot stream; downloading", logger="client")
    log(ctr, "snapshot/v3_snapshot.go:%d" % (95 if v36 else 73), "fetching snapshot", endpoint=eps[0])
    os.write(fd, data)
    os.fsync(fd)
    log(ctr, "%s/maintenance.go:%d" % (v, 245 if v36 else 220), "completed snapshot read; closing", logger="client")
    fetched = {"endpoint": eps[0], "size": humanize_bytes(len(data))}
    if v36:
        fetched.update(took="%.6fms" % ((time.time() - start) * 1000), **{
            "etcd-version": "%d.%d.0" % ctr.server_minor if ctr.server_minor >= (3, 6) else ""})
    else:
        fetched["took"] = "now"
    log(ctr, "snapshot/v3_snapshot.go:%d" % (111 if v36 else 88), "fetched snapshot", **fetched)


def snapshot_status(ctr, flags, pos):
    """etcdutl/snapshot Status and its printers (etcdutl/etcdutl/printer*.go); 3.5 has no version field."""
    if len(pos) != 1:
        fail(EXIT_BAD_ARGS, "snapshot status requires exactly one argument")
    path = pos[0]
    if not os.path.exists(ctr.path(path)):
        fail(EXIT_ERROR, "stat %s: no such file or directory" % path)
    out = flags.get("write-out", "simple")
    if out not in ("simple", "json", "table", "fields", "protobuf"):
        fail(4, "unsupported output format")  # initPrinterFromCmd, before the file is read
    try:
        header, store, size = read_db(ctr.path(path))
    except ValueError as e:
        fail(EXIT_ERROR, str(e))
    st = {"hash": crc32c(store), "revision": header["revision"], "totalKey": header["keys"], "totalSize": size}
    if ctr.minor >= (3, 6):
        st["version"] = header.get("storageVersion", "")
    row = ["%x" % st["hash"], str(st["revision"]), str(st["totalKey"]), humanize_bytes(size)] + (
        [st["version"]] if "version" in st else [])
    if out == "json":
        sys.stdout.write(json.dumps(st, separators=(",", ":")) + "\n")
    elif out == "table":
        hdr = ["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"] + (["VERSION"] if "version" in st else [])
        sys.stdout.write(ascii_table(hdr, [row]))
    elif out == "simple":
        sys.stdout.write(", ".join(row) + "\n")
    elif out == "fields":
        for k, v in zip(('"Hash"', '"Revision"', '"Keys"', '"Size"', '"Version"'),
                        (st["hash"], st["revision"], st["totalKey"], size, st.get("version"))):
            if v is not None:
                sys.stdout.write("%s : %s\n" % (k, v))
    elif out == "protobuf":
        fail(4, "protobuf not supported as output format")
    else:
        fail(4, "unsupported output format")


def snapshot_restore(ctr, flags, pos, tool="etcdctl"):
    """etcdutl/snapshot v3Manager.Restore (etcdctl before 3.6 runs the same code): the checks in its
    order (arguments, --bump-revision/--mark-compacted, the URLs and ServerConfig.VerifyBootstrap, a
    data directory not empty, a --wal-dir that exists), then copyAndVerifyDB: member/snap/db is
    written BEFORE the hash is checked, so a bad or missing hash leaves the new directory behind (as
    etcdutl does); then the revision bump, the WAL and raft snapshot of the new one-cluster
    membership (member and cluster IDs computed as etcd does). The sandbox also writes
    member/sandbox-store.json (the snapshot's cluster state, the API server stand-in's store once the
    directory is etcd's /var/lib/etcd/member) and member/sandbox-restore.json (the membership)."""
    if len(pos) != 1:
        fail(EXIT_BAD_ARGS, "snapshot restore requires exactly one argument")
    src = pos[0]
    bump = 0
    if "bump-revision" in restore_flags(ctr, tool):
        bump = parse_uint("bump-revision", flags.get("bump-revision", "0"))
        if (bump == 0 and flags.get("mark-compacted")) or (bump > 0 and not flags.get("mark-compacted")):
            fail(EXIT_BAD_ARGS, "--mark-compacted required if --revision-bump > 0")
    name = flags.get("name", "default")
    token = flags.get("initial-cluster-token", "etcd-cluster")
    try:
        purls = new_urls(flags.get("initial-advertise-peer-urls", "http://localhost:2380").split(","))
        ics = new_urls_map(flags.get("initial-cluster", "default=http://localhost:2380"))
        verify_bootstrap(name, purls, ics)
    except ValueError as e:
        fail(EXIT_ERROR, str(e))
    data_dir = flags.get("data-dir") or name + ".etcd"
    if os.path.exists(ctr.path(data_dir)) and not dir_empty(ctr.path(data_dir)):
        fail(EXIT_ERROR, 'data-dir "%s" not empty or could not be read' % data_dir)
    wal_dir = flags.get("wal-dir")
    if not wal_dir:
        wal_dir = os.path.join(data_dir, "member", "wal")
    elif os.path.exists(ctr.path(wal_dir)):
        fail(EXIT_ERROR, 'wal-dir "%s" exists' % wal_dir)
    snap_dir = os.path.join(data_dir, "member", "snap")
    fields = {"path": src, "wal-dir": wal_dir, "data-dir": data_dir, "snap-dir": snap_dir}
    if ctr.vt >= (3, 5, 14):
        fields["initial-memory-map-size"] = (parse_uint("initial-memory-map-size", flags.get("initial-memory-map-size", "0"))
                                             or MMAP_DEFAULT) if tool == "etcdutl" else 0
    v36 = ctr.minor >= (3, 6)
    console(ctr, "snapshot/v3_snapshot.go:%d" % (305 if v36 else 265), "restoring snapshot", **fields)
    # copyAndVerifyDB
    try:
        with open(ctr.path(src), "rb") as f:
            data = f.read()
    except IsADirectoryError:
        fail(EXIT_ERROR, "read %s: is a directory" % src)
    except OSError as e:
        fail(EXIT_ERROR, "open %s: %s" % (src, e.strerror.lower()))
    if len(data) < 32:
        fail(EXIT_ERROR, "seek %s: invalid argument" % src)
    make_private_dirs(ctr, snap_dir)
    has_hash = len(data) % 512 == 32
    db = data[:-32] if has_hash else data
    db_path = ctr.path(os.path.join(snap_dir, "db"))
    write_private(db_path, db)
    skip = flags.get("skip-hash-check")
    if not has_hash and not skip:
        fail(EXIT_ERROR, "snapshot missing hash but --skip-hash-check=false")
    if has_hash and not skip and hashlib.sha256(db).digest() != data[-32:]:
        fail(EXIT_ERROR, "expected sha256 %s, got %s" % (go_bytes(data[-32:]), go_bytes(hashlib.sha256(db).digest())))
    # the backend opens it (bbolt), trims the old membership
    try:
        header, store, _ = read_db(db_path)
    except ValueError as e:
        backend_panic(ctr, os.path.join(snap_dir, "db"), str(e))
    bbolt_open(ctr, os.path.join(snap_dir, "db"), fields)
    console(ctr, "schema/membership.go:138" if v36 else "membership/store.go:141",
            "Trimming membership information from the backend...")
    if bump:
        st = json.loads(store)
        latest = int(st.get("revision") or 1)
        bbolt_open(ctr, os.path.join(snap_dir, "db"), fields)
        console(ctr, "snapshot/v3_snapshot.go:%d" % (422 if v36 else 383), "bumping latest revision",
                **{"latest-revision": latest, "bump-amount": bump, "new-latest-revision": latest + bump})
        console(ctr, "snapshot/v3_snapshot.go:%d" % (431 if v36 else 392), "marking revision compacted",
                revision=latest + bump)
        st["revision"] = latest + bump
        st["compactedRevision"] = latest + bump
        store = json.dumps(st, indent=1, sort_keys=True).encode()
        write_private(db_path, make_db(store, header.get("storageVersion", "")))
    # saveWALAndSnap: the new cluster's members (sorted by ID), its WAL and raft snapshot
    mems = sorted((member_id_of(urls, token), n, urls) for n, urls in ics.items())
    cid = cluster_id_of([m[0] for m in mems])
    local = next(m[0] for m in mems if m[1] == name)
    bbolt_open(ctr, os.path.join(snap_dir, "db"), fields)
    for mid, _, urls in mems:
        added = {"cluster-id": "%x" % cid, "local-member-id": "0", "added-peer-id": "%x" % mid, "added-peer-peer-urls": urls}
        if v36:
            added["added-peer-is-learner"] = False
        console(ctr, "membership/cluster.go:%d" % (424 if v36 else 421), "added member", **added)
    make_private_dirs(ctr, wal_dir)
    write_private(ctr.path(os.path.join(wal_dir, "0000000000000000-0000000000000000.wal")), b"")
    snap = ctr.path(os.path.join(snap_dir, "%016x-%016x.snap" % (1, len(mems))))
    write_private(snap, json.dumps({"term": 1, "index": len(mems), "voters": ["%x" % m[0] for m in mems]}).encode(),
                  0o666 & ~current_umask())
    bbolt_open(ctr, os.path.join(snap_dir, "db"), fields)  # updateCIndex
    write_private(ctr.path(os.path.join(data_dir, "member", "sandbox-store.json")), store)
    write_private(ctr.path(os.path.join(data_dir, "member", "sandbox-restore.json")), json.dumps({
        "clusterID": cid, "localID": local, "token": token,
        "members": [{"id": mid, "name": "", "peerURLs": urls, "clientURLs": [], "isLearner": False}
                    for mid, _, urls in mems]}, sort_keys=True).encode())
    console(ctr, "snapshot/v3_snapshot.go:%d" % (333 if v36 else 293), "restored snapshot", **fields)


MMAP_DEFAULT = 10 * 1024 * 1024 * 1024  # backend.InitialMmapSize


def parse_uint(flag, text):
    """pflag's uint64 (strconv.ParseUint(s, 0, 64))."""
    try:
        n = int(text, 0)
        if n < 0 or n >= 1 << 64 or text.strip() != text or text.startswith("+"):
            raise ValueError
        return n
    except (ValueError, TypeError):
        fail(EXIT_ERROR, 'invalid argument "%s" for "--%s" flag: strconv.ParseUint: parsing "%s": invalid syntax'
             % (text, flag, text))


def dir_empty(path):
    try:
        return not os.listdir(path)
    except OSError:
        return False  # "not empty or could not be read"


def current_umask():
    m = os.umask(0)
    os.umask(m)
    return m


def make_private_dirs(ctr, path):
    """fileutil.CreateDirAll: the missing directories 0700."""
    full = ctr.path(path)
    missing = []
    while full and not os.path.exists(full):
        missing.append(full)
        full = os.path.dirname(full)
    for d in reversed(missing):
        os.mkdir(d, 0o700)
        os.chmod(d, 0o700)


def bbolt_open(ctr, db, fields):
    """etcd 3.6's backend logs each bbolt open (bbolt 1.4's logger); 3.5's bbolt 1.3 logs nothing."""
    if ctr.minor < (3, 6):
        return
    mmap = fields.get("initial-memory-map-size", MMAP_DEFAULT)
    console(ctr, "backend/backend.go:203", "Opening db file (%s) with mode -rw------- and with options: {Timeout: 0s, "
            "NoGrowSync: false, NoFreelistSync: true, PreLoadFreelist: false, FreelistType: , ReadOnly: false, "
            "MmapFlags: 8000, InitialMmapSize: %d, PageSize: 0, NoSync: false, OpenFile: 0x0, Mlock: false, "
            "Logger: 0xc000136098}" % (db, mmap), logger="bbolt")
    console(ctr, "bbolt@v1.4.2/db.go:321", "Opening bbolt db (%s) successfully" % db, logger="bbolt")


def backend_panic(ctr, db, why):
    """backend.newBackend: bolt.Open failed -> lg.Panic("failed to open database"): zap's line, Go's panic, exit 2."""
    console(ctr, "backend/backend.go:%d" % (201 if ctr.minor >= (3, 6) else 186), "failed to open database",
            level="panic", path=db, error=why)
    sys.stderr.write("panic: failed to open database\n\ngoroutine 1 [running]:\n"
                     "go.uber.org/zap/zapcore.CheckWriteAction.OnWrite(0x0?, 0x0?, {0x0?, 0x0?, 0x0?})\n"
                     "go.etcd.io/etcd/server/v3/storage/backend.newBackend(...)\n")
    raise Exit(2)


# ---------------------------------------------------------------- cluster configuration (types, config)

def new_urls(strs):
    """types.NewURLs: http/https with host:port and no path, unix/unixs; sorted."""
    if not strs:
        raise ValueError("no valid URLs given")
    out = []
    for raw in strs:
        u = raw.strip()
        m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):(?://([^/?#]*))?([^?#]*)", u)
        scheme = m.group(1).lower() if m else ""
        if scheme in ("http", "https"):
            host, path = m.group(2) or "", m.group(3)
            if not re.match(r"^(\[[0-9a-fA-F:.]+\]|[^:\[\]]*):[0-9A-Za-z]*$", host):
                raise ValueError('URL address does not have the form "host:port": %s' % u)
            if path:
                raise ValueError("URL must not contain a path: %s" % u)
        elif scheme not in ("unix", "unixs"):
            raise ValueError("URL scheme must be http, https, unix, or unixs: %s" % u)
        out.append(u)
    return sorted(out)


def new_urls_map(text):
    """types.NewURLsMap("name=url,name=url") -> {name: sorted URLs}."""
    raw = {}
    for item in text.split(","):
        if item == "":
            continue
        k, _, v = item.partition("=")
        raw.setdefault(k, []).append(v)
    return {k: new_urls(v) for k, v in raw.items()}


def urls_map_string(m):
    return ",".join("%s=%s" % (k, u) for k in sorted(m) for u in m[k])


def verify_bootstrap(name, purls, ics):
    """config.ServerConfig.VerifyBootstrap: the local name in --initial-cluster, its URLs those of
    --initial-advertise-peer-urls (localhost and IP addresses are not resolved), no URL twice."""
    if name not in ics:
        raise ValueError('couldn\'t find local name "%s" in the initial cluster configuration' % name)
    mine = sorted(ics[name])
    ap = sorted(purls)
    if mine != ap:
        if len(ap) != len(mine):
            why = "len(%s) != len(%s)" % (go_quoted_list(ap), go_quoted_list(mine))
        else:
            i = next(i for i in range(len(ap)) if ap[i] != mine[i])
            why = '"%s"(resolved from "%s") != "%s"(resolved from "%s")' % (ap[i], purls[i], mine[i], ics[name][i])
        missing = [u for u in mine if u not in ap]
        if missing:
            raise ValueError("--initial-cluster has %s but missing from --initial-advertise-peer-urls=%s (%s)"
                             % (",".join(name + "=" + u for u in missing), ",".join(ap), why))
        missing = [u for u in ap if u not in mine]
        raise ValueError("--initial-advertise-peer-urls has %s but missing from --initial-cluster=%s"
                         % (",".join(missing), urls_map_string({name: ap})))
    seen = set()
    for urls in ics.values():
        for u in urls:
            if u in seen:
                raise ValueError("initial cluster %s has duplicate url" % urls_map_string(ics))
            seen.add(u)


def go_quoted_list(xs):
    return "[%s]" % " ".join('"%s"' % x for x in xs)


def member_id_of(urls, token):
    """membership.computeMemberID: SHA-1 of the sorted peer URLs and the cluster token, first 8 bytes."""
    return int.from_bytes(hashlib.sha1(("".join(sorted(urls)) + token).encode()).digest()[:8], "big")


def cluster_id_of(ids):
    """RaftCluster.genID: SHA-1 of the sorted member IDs (8 bytes big-endian each), first 8 bytes."""
    return int.from_bytes(hashlib.sha1(b"".join(i.to_bytes(8, "big") for i in sorted(ids))).digest()[:8], "big")


def write_private(path, data, mode=0o600):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def go_bytes(b):
    """fmt's %v of a []byte: [1 2 3]."""
    return "[%s]" % " ".join(str(x) for x in b)


def console(ctr, caller, msg, level="info", logger=None, **fields):
    """zap's console encoder (etcdutl and etcdctl's restore): TS<TAB>LEVEL<TAB>[LOGGER<TAB>]CALLER<TAB>MSG
    [<TAB>{fields}], the time RFC 3339 in the local zone (UTC in the etcd image)."""
    t = time.localtime() if ctr.local_time else time.gmtime()
    off = t.tm_gmtoff if ctr.local_time else 0
    zone = "Z" if off == 0 else "%s%02d:%02d" % ("-" if off < 0 else "+", abs(off) // 3600, abs(off) % 3600 // 60)
    line = "%s\t%s\t%s%s\t%s" % (time.strftime("%Y-%m-%dT%H:%M:%S", t) + zone, level,
                                 logger + "\t" if logger else "", caller, msg)
    if fields:
        line += "\t" + json.dumps(fields, separators=(", ", ": "))
    sys.stderr.write(line + "\n")


# ---------------------------------------------------------------- member list, endpoint health

def member_id(node):
    return int(hashlib.sha256(("member\0" + node).encode()).hexdigest()[:16], 16)


def member_list(ctr, flags):
    """etcdctl member list (printer_*.go): STATUS is "started" once the member published its name."""
    data = members(ctr)
    me = kubesim.local_member()
    mid = me["id"] if me else member_id(ctr.node)
    out = flags.get("write-out", "simple")
    rows = []
    for m in data["members"]:
        rows.append(["%x" % m["id"], "started" if m.get("name") else "unstarted", m.get("name", ""),
                     ",".join(m["peerURLs"]), ",".join(m.get("clientURLs", [])), str(bool(m.get("isLearner"))).lower()])
    if out == "json":
        ms = []
        for m in data["members"]:
            j = {"ID": m["id"]}
            if m.get("name"):
                j["name"] = m["name"]
            j["peerURLs"] = m["peerURLs"]
            if m.get("clientURLs"):
                j["clientURLs"] = m["clientURLs"]
            if m.get("isLearner"):
                j["isLearner"] = True
            ms.append(j)
        sys.stdout.write(json.dumps({"header": {"cluster_id": data["clusterID"], "member_id": mid, "raft_term": 2,
                                                "revision": store_revision()}, "members": ms},
                                    separators=(",", ":")) + "\n")
    elif out == "table":
        sys.stdout.write(ascii_table(["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER"], rows))
    elif out == "simple":
        for r in rows:
            sys.stdout.write(", ".join(r) + "\n")
    else:
        fail(4, "unsupported output format")


def member_id_arg(pos, what):
    if len(pos) != 1:
        fail(EXIT_BAD_ARGS, "member ID is not provided")
    try:
        return int(pos[0], 16)
    except ValueError:
        fail(EXIT_BAD_ARGS, 'bad member ID arg (strconv.ParseUint: parsing "%s": invalid syntax), expecting ID in Hex' % pos[0])


def member_remove(ctr, flags, pos):
    """etcdctl member remove ID: "Member ID removed from cluster CID"; the server's strict reconfig checks."""
    mid = member_id_arg(pos, "remove")
    dial(ctr, flags, endpoints(flags))
    cdir = cluster_dir()
    if not cdir:
        fail(EXIT_ERROR, "etcdserver: member not found" if mid != member_id(ctr.node) else
             "etcdserver: re-configuration failed due to not enough started members")
    with kubesim.Locked(cdir + "/members.lock"):
        data = kubesim.members_load(cdir)
        target = next((m for m in data["members"] if m["id"] == mid), None)
        if target is None:
            why = "etcdserver: member not found"
        else:
            why = kubesim.may_remove_member(data, target)
        if why is None:
            data["members"].remove(target)
            kubesim.members_save(cdir, data)
    if why == "context deadline exceeded":
        timed_out(flags)
    if why:
        fail(EXIT_ERROR, why)
    if kubesim.member_alive(target):
        try:
            os.kill(target["pid"], 9)  # a removed member stops ("the member has been permanently removed")
        except OSError:
            pass
    sys.stdout.write("Member %16x removed from cluster %16x\n" % (mid, data["clusterID"]))


def member_add(ctr, flags, pos):
    """etcdctl member add NAME --peer-urls=URLS [--learner]: an unstarted member (it counts for the quorum)."""
    if len(pos) < 1:
        fail(EXIT_BAD_ARGS, "member name not provided")
    if len(pos) > 1:
        fail(EXIT_BAD_ARGS, "too many arguments, did you mean --peer-urls=%s" % pos[1])
    name = pos[0]
    if not flags.get("peer-urls"):
        fail(EXIT_BAD_ARGS, "member peer urls not provided")
    urls = [u.strip() for u in flags["peer-urls"].split(",") if u.strip()]
    dial(ctr, flags, endpoints(flags))
    cdir = cluster_dir()
    if not cdir:
        fail(EXIT_ERROR, "sandbox stand-in: member add without a cluster directory: not implemented yet")
    learner = bool(flags.get("learner"))
    with kubesim.Locked(cdir + "/members.lock"):
        data = kubesim.members_load(cdir)
        why = None
        for u in urls:
            why = why or kubesim.may_add_member(data, learner, u)
        if why is None:
            new = {"id": kubesim.secrets.randbits(63) | 1 << 62, "name": "", "peerURLs": urls, "clientURLs": [],
                   "isLearner": learner}
            data["members"].append(new)
            kubesim.members_save(cdir, data)
    if why == "context deadline exceeded":
        timed_out(flags)
    if why:
        fail(EXIT_ERROR, why)
    sys.stdout.write("Member %16x added to cluster %16x\n" % (new["id"], data["clusterID"]))
    conf = ["%s=%s" % (name if m["id"] == new["id"] else m.get("name", ""), u) for m in data["members"] for u in m["peerURLs"]]
    sys.stdout.write('\nETCD_NAME="%s"\nETCD_INITIAL_CLUSTER="%s"\nETCD_INITIAL_ADVERTISE_PEER_URLS="%s"\n'
                     'ETCD_INITIAL_CLUSTER_STATE="existing"\n' % (name, ",".join(conf), ",".join(urls)))


def member_promote(ctr, flags, pos):
    mid = member_id_arg(pos, "promote")
    dial(ctr, flags, endpoints(flags))
    cdir = cluster_dir()
    if not cdir:
        fail(EXIT_ERROR, "etcdserver: member not found")
    with kubesim.Locked(cdir + "/members.lock"):
        data = kubesim.members_load(cdir)
        target = next((m for m in data["members"] if m["id"] == mid), None)
        why = None
        if target is None:
            why = "etcdserver: member not found"
        elif not target.get("isLearner"):
            why = "etcdserver: can only promote a learner member"
        elif not kubesim.member_alive(target):
            why = "etcdserver: can only promote a learner member which is in sync with leader"
        elif not kubesim.quorum_state(cdir)[0]:
            why = "context deadline exceeded"
        else:
            target["isLearner"] = False
            kubesim.members_save(cdir, data)
    if why == "context deadline exceeded":
        timed_out(flags)
    if why:
        fail(EXIT_ERROR, why)
    sys.stdout.write("Member %16x promoted in cluster %16x\n" % (mid, data["clusterID"]))


def cluster_endpoints(ctr, flags):
    """--cluster: the client URLs of every member (from a member list through the given endpoints)."""
    eps = endpoints(flags)
    if not flags.get("cluster"):
        return eps
    dial(ctr, flags, eps)
    if not has_quorum(ctr):
        timed_out(flags)
    return [u for m in members(ctr)["members"] for u in m.get("clientURLs", [])]


def store_revision():
    try:
        with open(STORE) as f:
            return store_counts(json.load(f))[0]
    except (OSError, ValueError):
        return 1


def endpoint_health(ctr, flags):
    """etcdctl endpoint health: one line per endpoint, "Error: unhealthy cluster" if any is not; a
    member that runs but whose cluster has no quorum cannot commit the health check's proposal."""
    tls_config(ctr, flags)
    rows, bad = [], False
    quorum = has_quorum(ctr)
    for ep in cluster_endpoints(ctr, flags):
        ok = serves(ctr, ep) and handshake_error(ctr, flags) is None and quorum
        took = "%.6fms" % (3 + (member_id(ep) % 5000) / 1000.0)
        rows.append((ep, ok, took, "" if ok else "context deadline exceeded"))
        bad = bad or not ok
    if bad:
        time.sleep(min(duration(flags.get("command-timeout", "5s")), 5))  # the checks run at once, the failed ones time out
    out = flags.get("write-out", "simple")
    if out == "json":
        sys.stdout.write(json.dumps([dict(endpoint=e, health=h, took=t, **({"error": x} if x else {}))
                                     for e, h, t, x in rows], separators=(",", ":")) + "\n")
    elif out == "table":
        sys.stdout.write(ascii_table(["ENDPOINT", "HEALTH", "TOOK", "ERROR"],
                                     [[e, str(h).lower(), t, x] for e, h, t, x in rows]))
    else:
        for e, h, t, x in rows:
            if h:
                sys.stdout.write("%s is healthy: successfully committed proposal: took = %s\n" % (e, t))
            else:
                sys.stderr.write("%s is unhealthy: failed to commit proposal: %s\n" % (e, x))
    if bad:
        fail(EXIT_ERROR, "unhealthy cluster")


def endpoint_status(ctr, flags):
    """etcdctl endpoint status [--cluster]: one row per reachable endpoint; an unreachable one is
    "Failed to get the status of endpoint URL (context deadline exceeded)" on stderr, exit 1."""
    eps = cluster_endpoints(ctr, flags)
    tls_config(ctr, flags)
    data = members(ctr)
    quorum = has_quorum(ctr)
    voting = [m for m in data["members"] if not m.get("isLearner") and kubesim.member_alive(m)]
    leader = min(voting, key=lambda m: m["id"]) if quorum and voting else None
    rows, failed = [], False
    rev = store_revision()
    size = 4096 * (1 + rev // 40) + 20480
    for ep in eps:
        if not serves(ctr, ep) or handshake_error(ctr, flags) is not None:
            time.sleep(min(duration(flags.get("command-timeout", "5s")), 5))
            sys.stderr.write("Failed to get the status of endpoint %s (context deadline exceeded)\n" % ep)
            failed = True
            continue
        m = next((x for x in data["members"] if ep in x.get("clientURLs", [])), None)
        if m is None:
            me = kubesim.local_member()
            m = next((x for x in data["members"] if me and x["id"] == me["id"]), data["members"][0])
        errs = [] if quorum else ["etcdserver: no leader"]
        rows.append({"ep": ep, "m": m, "leader": leader["id"] if leader else 0, "errors": errs})
    out = flags.get("write-out", "simple")
    v36 = ctr.minor >= (3, 6)
    term, index = 2 + len(data["members"]), rev + 5
    table_rows = []
    for r in rows:
        m = r["m"]
        cells = [r["ep"], "%x" % m["id"], ctr.version]
        if v36:
            cells += ["%d.%d.0" % ctr.minor, humanize_bytes(size), humanize_bytes(size), "0%", "2.1 GB"]
        else:
            cells += [humanize_bytes(size)]
        cells += [str(r["leader"] == m["id"]).lower(), str(bool(m.get("isLearner"))).lower(), str(term), str(index),
                  str(index), ", ".join(r["errors"])]
        if v36:
            cells += ["", "false"]
        table_rows.append(cells)
    if out == "table":
        hdr = ["ENDPOINT", "ID", "VERSION"] + (["STORAGE VERSION", "DB SIZE", "IN USE", "PERCENTAGE NOT IN USE", "QUOTA"]
                                             if v36 else ["DB SIZE"]) + \
            ["IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS"] + \
            (["DOWNGRADE TARGET VERSION", "DOWNGRADE ENABLED"] if v36 else [])
        if table_rows:
            sys.stdout.write(ascii_table(hdr, table_rows))
    elif out == "json":
        sys.stdout.write(json.dumps([{"Endpoint": r["ep"], "Status": {
            "header": {"cluster_id": data["clusterID"], "member_id": r["m"]["id"], "revision": rev, "raft_term": term},
            "version": ctr.version, "dbSize": size, "leader": r["leader"], "raftIndex": index, "raftTerm": term,
            "raftAppliedIndex": index, "dbSizeInUse": size, **({"errors": r["errors"]} if r["errors"] else {}),
            **({"isLearner": True} if r["m"].get("isLearner") else {})}} for r in rows], separators=(",", ":")) + "\n")
    else:
        for c in table_rows:
            sys.stdout.write(", ".join(c) + "\n")
    if failed:
        raise Exit(EXIT_ERROR)


def ascii_table(hdr, rows):
    """olekukonko/tablewriter as etcdctl/etcdutl render it: centred headers, right-aligned cells."""
    w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(hdr)]
    line = "+" + "+".join("-" * (x + 2) for x in w) + "+\n"
    centred = [" " * ((x - len(h)) // 2) + h + " " * (x - len(h) - (x - len(h)) // 2) for h, x in zip(hdr, w)]
    text = line + "|" + "|".join(" %s " % h for h in centred) + "|\n" + line
    for r in rows:
        text += "|" + "|".join(" %s " % c.rjust(x) for c, x in zip(r, w)) + "|\n"
    return text + line


# ---------------------------------------------------------------- the release tarball's programs, on the host
#
# etcd-vX.Y.Z-linux-amd64.tar.gz (etcdrelease.py) holds etcd, etcdctl and etcdutl: small programs
# calling release_main(PROGRAM, VERSION, ARGS). They run on the host (HostView): etcdutl works on the
# host's own files (snapshot status/restore as etcdutl of that version does), etcdctl is the client
# above (it reaches the host's etcd member while its static pod runs), etcd only answers --version.

def release_main(prog, version, args):
    view = HostView(version)
    try:
        if prog == "etcdutl":
            return etcdutl(view, args)
        if prog == "etcdctl":
            etcdctl(view, args)
            return 0
        if args[:1] in (["--version"], ["-version"]):
            sys.stdout.write("etcd Version: %s\nGit SHA: %s\nGo Version: %s\nGo OS/Arch: linux/amd64\n"
                             % (version, hashlib.sha1(version.encode()).hexdigest()[:7], go_version(view)))
            return 0
        sys.stderr.write("sandbox stand-in: etcd %s run on the host: not implemented yet (the sandbox's etcd "
                         "members are the static pods' stand-ins)\n" % version)
        return 1
    except Exit as e:
        return e.rc
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


class Cmd:
    """A cobra command: Use, Short, its own flags (name, shorthand, type string|uint|bool, default,
    usage), persistent flags, subcommands, Run."""

    def __init__(self, use, short, flags=(), persistent=(), subs=(), run=None, hidden=False, deprecated=None,
                 no_flags_in_use=False):
        self.use, self.short, self.run, self.hidden, self.deprecated = use, short, run, hidden, deprecated
        self.name = use.split()[0]
        self.flags, self.persistent, self.subs = list(flags), list(persistent), list(subs)
        self.no_flags_in_use = no_flags_in_use
        self.parent = None
        for c in self.subs:
            c.parent = self

    def path(self):
        return (self.parent.path() + " " if self.parent else "") + self.name

    def inherited(self):
        return self.parent.persistent + self.parent.inherited() if self.parent else []

    def local(self):
        return self.flags + self.persistent + [("help", "h", "bool", "false", "help for " + self.name)]

    def all_flags(self):
        return self.local() + self.inherited()

    def visible_subs(self):
        subs = [c for c in self.subs if not c.hidden and not c.deprecated]
        if self.parent is None and self.subs:
            subs.append(Cmd("help [command]", "Help about any command"))
        return sorted(subs, key=lambda c: c.name)

    def usage(self):
        """cobra's default usage template."""
        text = "Usage:"
        if self.run:
            line = self.path() + self.use[len(self.name):]
            if not self.no_flags_in_use and "[flags]" not in line:
                line += " [flags]"
            text += "\n  " + line
        subs = self.visible_subs()
        if subs:
            text += "\n  %s [command]" % self.path()
            pad = max([11] + [len(c.name) for c in subs])
            text += "\n\nAvailable Commands:" + "".join("\n  %s %s" % (c.name.ljust(pad), c.short) for c in subs)
        text += "\n\nFlags:\n" + flag_usages(self.local())
        if self.inherited():
            text += "\n\nGlobal Flags:\n" + flag_usages(self.inherited())
        if subs:
            text += '\n\nUse "%s [command] --help" for more information about a command.' % self.path()
        return text + "\n"


def flag_usages(flags):
    """pflag's FlagUsages: sorted by name, the usage column 3 after the longest flag, defaults."""
    rows = []
    for name, short, typ, default, usage in sorted(flags, key=lambda f: f[0]):
        left = ("  -%s, --%s" % (short, name)) if short else "      --%s" % name
        if typ != "bool":
            left += " " + typ
        if typ == "string" and default:
            usage += ' (default "%s")' % default
        elif typ == "uint" and default != "0":
            usage += " (default %s)" % default
        rows.append((left, usage))
    width = max(len(left) for left, _ in rows) + 3
    return "\n".join((left.ljust(width) + usage).rstrip() for left, usage in rows)


def etcdutl_tree(view):
    """etcdutl's commands at the view's version (etcdutl/ctl.go, etcdutl/etcdutl/*_command.go)."""
    v36 = view.minor >= (3, 6)
    restore = [("data-dir", "", "string", "", "Path to the output data directory"),
               ("wal-dir", "", "string", "", "Path to the WAL directory (use --data-dir if none given)"),
               ("initial-cluster", "", "string", "default=http://localhost:2380",
                "Initial cluster configuration for restore bootstrap"),
               ("initial-cluster-token", "", "string", "etcd-cluster",
                "Initial cluster token for the etcd cluster during restore bootstrap"),
               ("initial-advertise-peer-urls", "", "string", "http://localhost:2380",
                "List of this member's peer URLs to advertise to the rest of the cluster"),
               ("name", "", "string", "default", "Human-readable name for this member"),
               ("skip-hash-check", "", "bool", "false",
                "Ignore snapshot integrity hash value (required if copied from data directory)")]
    known = restore_flags(view, "etcdutl")
    if "initial-memory-map-size" in known:
        restore.append(("initial-memory-map-size", "", "uint", str(MMAP_DEFAULT), "Initial memory map size of the "
                        "database in bytes. It uses the default value if not defined or defined to 0"))
    if "bump-revision" in known:
        restore += [("bump-revision", "", "uint", "0", "How much to increase the latest revision after restore"),
                    ("mark-compacted", "", "bool", "false", "Mark the latest revision after restore as the point of "
                     "scheduled compaction (required if --bump-revision > 0, disallowed otherwise)")]
    snapshot = Cmd("snapshot <subcommand>", "Manages etcd node snapshots", subs=[
        Cmd("save <filename>", "Stores an etcd node backend snapshot to a given file", run="save", hidden=True,
            deprecated="Use `etcdctl snapshot save` to download snapshot", no_flags_in_use=True),
        Cmd("restore <filename> --data-dir {output dir} [options]", "Restores an etcd member snapshot to an etcd "
            "directory", flags=restore, run="restore"),
        Cmd("status <filename>", "Gets backend snapshot status of a given file", run="status")])
    subs = [Cmd("defrag", "Defragments the storage of the etcd", run="todo",
                flags=[("data-dir", "", "string", "", "Required. Defragments a data directory not in use by etcd.")]),
            snapshot, Cmd("version", "Prints the version of etcdutl", run="version")]
    if v36:
        subs += [Cmd("hashkv <file>", "Prints the KV history hash of a given file", run="todo",
                     flags=[("rev", "", "int", "0", "maximum revision to hash (default: latest revision)")]),
                 Cmd("completion [bash|zsh|fish|powershell]", "Generate completion script", run="todo"),
                 Cmd("migrate", "Migrates schema of etcd data dir files to make them compatible with different etcd "
                     "version", run="todo")]
    else:
        subs.append(Cmd("backup", "[legacy] offline backup of etcd directory", run="todo"))
    return Cmd("etcdutl", "An administrative command line tool for etcd3.", subs=subs, persistent=[
        ("write-out", "w", "string", "simple", "set the output format (fields, json, protobuf, simple, table)")])


class FlagError(Exception):
    pass


def find_command(root, args):
    """cobra's Find: the command words among the flags (a flag this command does not know as a bool is
    taken to have its value in the next argument), subcommands by name or unique prefix
    (EnablePrefixMatching) -> (command, the arguments without the command words)."""
    cmd, rest = root, list(args)
    while True:
        bools = {f[0] for f in cmd.all_flags() if f[2] == "bool"}
        short_bools = {f[1] for f in cmd.all_flags() if f[2] == "bool" and f[1]}
        word, i = None, 0
        while i < len(rest):
            a = rest[i]
            if a == "--":
                break
            if a.startswith("--") and "=" not in a and a[2:] not in bools:
                i += 2
                continue
            if a.startswith("-") and not a.startswith("--") and len(a) == 2 and a[1] not in short_bools:
                i += 2
                continue
            if a.startswith("-"):
                i += 1
                continue
            word = i
            break
        if word is None or not cmd.subs:
            return cmd, rest
        name = rest[word]
        match = [c for c in cmd.subs if c.name == name] or \
            [c for c in cmd.subs if c.name.startswith(name)]
        if len(match) != 1:
            return cmd, rest
        cmd, rest = match[0], rest[:word] + rest[word + 1:]


def parse_flags(cmd, args):
    """pflag on the command's flags (its own, inherited persistent ones, -h): -> (values, positionals)."""
    flags = {f[0]: f for f in cmd.all_flags()}
    shorts = {f[1]: f for f in cmd.all_flags() if f[1]}
    vals, pos, i = {}, [], 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            pos += args[i:]
            break
        if a.startswith("--"):
            name, eq, val = a[2:].partition("=")
            f = flags.get(name)
            if f is None:
                raise FlagError("unknown flag: --%s" % name)
            if f[2] != "bool" and not eq:
                if i >= len(args):
                    raise FlagError("flag needs an argument: --%s" % name)
                val, i = args[i], i + 1
            vals[name] = flag_value(f, "--" + name, val if eq or f[2] != "bool" else "true")
        elif a.startswith("-") and a != "-":
            j = 1
            while j < len(a):
                c = a[j]
                f = shorts.get(c)
                if f is None:
                    raise FlagError("unknown shorthand flag: '%s' in %s" % (c, a))
                if f[2] == "bool":
                    val = a[j + 2:] if a[j + 1:j + 2] == "=" else "true"
                    vals[f[0]] = flag_value(f, "-" + c, val)
                    if a[j + 1:j + 2] == "=":
                        break
                    j += 1
                    continue
                val = a[j + 1:]
                if val.startswith("="):
                    val = val[1:]
                elif not val:
                    if i >= len(args):
                        raise FlagError("flag needs an argument: '%s' in %s" % (c, a))
                    val, i = args[i], i + 1
                vals[f[0]] = flag_value(f, "-" + c, val)
                break
        else:
            pos.append(a)
    return vals, pos


def flag_value(f, shown, val):
    name, typ = f[0], f[2]
    if typ == "bool":
        b = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}.get(val)
        if b is None:
            raise FlagError('invalid argument "%s" for "%s" flag: strconv.ParseBool: parsing "%s": invalid syntax'
                            % (val, flag_shown(f, shown), val))
        return b
    if typ in ("uint", "int"):
        try:
            n = int(val, 0)
            if typ == "uint" and n < 0:
                raise ValueError
        except ValueError:
            raise FlagError('invalid argument "%s" for "%s" flag: strconv.Parse%s: parsing "%s": invalid syntax'
                            % (val, flag_shown(f, shown), "Uint" if typ == "uint" else "Int", val)) from None
        return val
    return val


def flag_shown(f, shown):
    """pflag names a flag in its errors as "-w, --write-out" when it has a shorthand."""
    return "-%s, --%s" % (f[1], f[0]) if f[1] else "--" + f[0]


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca.lower() != cb.lower())))
        prev = cur
    return prev[-1]


def cobra_error(cmd, text):
    """An error cobra returns: "Error: ..." and the command's usage (stderr), then main's
    cobrautl.ExitWithError prints the error again: exit 1."""
    sys.stderr.write("Error: %s\n%s\n" % (text, cmd.usage()))
    fail(EXIT_ERROR, text)


def etcdutl(view, args):
    """etcdutl (cobra, etcdutl/main.go): -> exit status."""
    root = etcdutl_tree(view)
    if args[:1] == ["help"]:
        cmd, _ = find_command(root, args[1:])
        sys.stdout.write(cmd.usage())
        return 0
    cmd, rest = find_command(root, args)
    try:
        vals, pos = parse_flags(cmd, rest)
    except FlagError as e:
        cobra_error(cmd, str(e))
    if vals.get("help"):
        sys.stdout.write(cmd.usage())
        return 0
    if cmd is root and pos:
        near = [c.name for c in root.visible_subs() if levenshtein(pos[0], c.name) <= 2 or c.name.startswith(pos[0])]
        cobra_error(root, 'unknown command "%s" for "etcdutl"%s' % (
            pos[0], "\n\nDid you mean this?\n" + "".join("\t%s\n" % n for n in near) if near else ""))
    if not cmd.run:
        sys.stdout.write(cmd.usage())  # not runnable: cobra's help, exit 0
        return 0
    if cmd.deprecated:
        sys.stderr.write('Command "%s" is deprecated, %s\n' % (cmd.name, cmd.deprecated))
    flags = dict(vals)
    flags.setdefault("write-out", "simple")
    if cmd.run == "version":
        sys.stdout.write("etcdutl version: %s\nAPI version: %d.%d\n" % ((view.version,) + view.minor))
    elif cmd.run == "status":
        snapshot_status(view, flags, pos)
    elif cmd.run == "restore":
        snapshot_restore(view, flags, pos, tool="etcdutl")
    elif cmd.run == "save":
        fail(EXIT_BAD_ARGS, "In order to download snapshot use: `etcdctl snapshot save ...`")
    else:
        sys.stderr.write("sandbox stand-in: etcdutl %s: not implemented yet\n" % cmd.name)
        return 1
    return 0
