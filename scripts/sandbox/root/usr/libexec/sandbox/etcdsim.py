# etcdsim: what runs inside the etcd container of a kubeadm control plane, for `crictl exec`
# (kubesim.py's crictl stand-in calls run()). There is no real container: the stand-in emulates
# the image and its mounts.
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
import hashlib
import json
import os
import re
import subprocess
import sys
import time

import kubesim

DATA_DIR = "/var/lib/etcd"
PKI_DIR = "/etc/kubernetes/pki/etcd"
MOUNTS = (DATA_DIR, PKI_DIR)
STORE = DATA_DIR + "/member/sandbox-store.json"
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
RESTORE = {"data-dir": True, "wal-dir": True, "name": True, "initial-cluster": True, "initial-cluster-token": True,
           "initial-advertise-peer-urls": True, "skip-hash-check": False}


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
        return True
    return any("https://%s:%s" % (host, port) in mb.get("clientURLs", []) and kubesim.member_alive(mb)
               for mb in members(ctr)["members"])


def cluster_dir():
    """The stacked cluster this member belongs to (kubesim's shared cluster directory), or None."""
    me = kubesim.local_member()
    return me["cluster"] if me and os.path.isdir(me["cluster"]) else None


def members(ctr):
    """etcd's membership: the cluster directory's members.json (without one: this member alone)."""
    cdir = cluster_dir()
    if cdir:
        data = kubesim.members_load(cdir)
        data["members"].sort(key=lambda m: m["id"])  # RaftCluster.Members(): sorted by ID
        return data
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


def tls_config(ctr, flags):
    """transport.TLSInfo.ClientConfig: reads the files (errors end etcdctl at once, exit 128)."""
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


def handshake_error(ctr, flags):
    """Why the TLS handshake with the local member fails, or None. The server (etcd with
    --client-cert-auth=true) demands a client certificate signed by the etcd CA for client use;
    the client must trust the CA that signed etcd's serving certificate."""
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
    flags, pos = parse(args, RESTORE if command_words(args)[:2] == ["snapshot", "restore"] and ctr.minor < (3, 6) else {})
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


def make_snapshot(ctr, store_bytes):
    store = json.loads(store_bytes)
    revision, keys = store_counts(store)
    header = {"revision": revision, "keys": keys, "storageVersion": "%d.%d.0" % ctr.minor if ctr.minor >= (3, 6) else "",
              "sha256": hashlib.sha256(store_bytes).hexdigest()}
    db = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + store_bytes
    db += b"\0" * (-len(db) % PAGE)
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
    if v36:
        sys.stdout.write("Server version %d.%d.0\n" % ctr.minor)


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
        fetched.update(took="%.6fms" % ((time.time() - start) * 1000), **{"etcd-version": "%d.%d.0" % ctr.minor})
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
    try:
        header, store, size = read_db(ctr.path(path))
    except ValueError as e:
        fail(EXIT_ERROR, str(e))
    st = {"hash": crc32c(store), "revision": header["revision"], "totalKey": header["keys"], "totalSize": size}
    if ctr.minor >= (3, 6):
        st["version"] = header.get("storageVersion", "")
    out = flags.get("write-out", "simple")
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
                        (st["hash"], st["revision"], st["totalKey"], size, st.get("version", ""))):
            sys.stdout.write("%s : %s\n" % (k, v))
    else:
        fail(4, "unsupported output format")


def snapshot_restore(ctr, flags, pos):
    """etcdutl/snapshot v3Manager.Restore: a new data directory (member/snap/db, member/wal); the
    sandbox also writes member/sandbox-store.json from the snapshot, so the restored directory
    is a cluster state the API server stand-in can serve."""
    if len(pos) != 1:
        fail(EXIT_BAD_ARGS, "snapshot restore requires exactly one argument")
    src = pos[0]
    name = flags.get("name", "default")
    data_dir = flags.get("data-dir") or name + ".etcd"
    wal_dir = flags.get("wal-dir") or os.path.join(data_dir, "member", "wal")
    host_dir = ctr.path(data_dir)
    if os.path.isdir(host_dir) and os.listdir(host_dir):
        fail(EXIT_ERROR, 'data-dir "%s" not empty or could not be read' % data_dir)
    snap_dir = os.path.join(data_dir, "member", "snap")
    console(ctr, "snapshot/v3_snapshot.go:265", "restoring snapshot", path=src, **{
        "wal-dir": wal_dir, "data-dir": data_dir, "snap-dir": snap_dir, "initial-memory-map-size": 0})
    try:
        with open(ctr.path(src), "rb") as f:
            data = f.read()
    except OSError as e:
        fail(EXIT_ERROR, "open %s: %s" % (src, e.strerror.lower()))
    has_hash = len(data) % 512 == 32
    db = data[:-32] if has_hash else data
    if not has_hash and not flags.get("skip-hash-check"):
        fail(EXIT_ERROR, "snapshot missing hash but --skip-hash-check=false")
    if has_hash and not flags.get("skip-hash-check") and hashlib.sha256(db).digest() != data[-32:]:
        fail(EXIT_ERROR, "expected sha256 %s, got %s" % (go_bytes(data[-32:]), go_bytes(hashlib.sha256(db).digest())))
    try:
        _, store, _ = read_db(ctr.path(src))
    except ValueError as e:
        fail(EXIT_ERROR, str(e))
    os.makedirs(ctr.path(snap_dir), mode=0o700, exist_ok=True)
    os.makedirs(ctr.path(wal_dir), mode=0o700, exist_ok=True)
    write_private(ctr.path(os.path.join(snap_dir, "db")), db)
    write_private(ctr.path(os.path.join(wal_dir, "0000000000000000-0000000000000000.wal")), b"")
    write_private(ctr.path(os.path.join(data_dir, "member", "sandbox-store.json")), store)
    console(ctr, "snapshot/v3_snapshot.go:293", "restored snapshot", path=src, **{
        "wal-dir": wal_dir, "data-dir": data_dir, "snap-dir": snap_dir, "initial-memory-map-size": 0})


def write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def go_bytes(b):
    """fmt's %v of a []byte: [1 2 3]."""
    return "[%s]" % " ".join(str(x) for x in b)


def console(ctr, caller, msg, **fields):
    """zap's console encoder (etcdutl and etcdctl's restore): TS<TAB>info<TAB>CALLER<TAB>MSG<TAB>{fields}."""
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    sys.stderr.write("%s\tinfo\t%s\t%s\t%s\n" % (ts, caller, msg, json.dumps(fields, separators=(", ", ": "))))


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
