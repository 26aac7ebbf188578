#!/usr/bin/python3 -I
"""etcdrelease.py URL OUT: etcd's release downloads, for the curl stand-in (catalog/urls: BODY
"!etcdrelease.py"). Exit 0: the body of URL is in OUT (200); exit 3: OUT holds the Location of a
302 redirect; exit 4: 404 Not Found.

What it serves (every etcd version of RELEASES, generated on the fly, byte for byte the same at
every request, on every host):

  https://github.com/etcd-io/etcd/releases/download/vX.Y.Z/FILE
      as GitHub does: 302 to https://release-assets.githubusercontent.com/github-production-release-
      asset/11225014/vX.Y.Z/FILE?... (curl -L follows it), which serves FILE
  https://storage.googleapis.com/etcd/vX.Y.Z/FILE        (etcd's GOOGLE_URL, served directly)
  https://artifacts.sandbox.internal/etcd-io/etcd/releases/download/vX.Y.Z/FILE
      an internal mirror with GitHub's layout, served directly; it also has the fake release
      v3.6.99, whose linux-amd64 tarball does NOT match its SHA256SUMS line (a tampered mirror)
  https://artifacts.sandbox.internal/tampered/etcd-io/etcd/releases/download/vX.Y.Z/FILE
      the same mirror's tampered copy of every release: each linux-amd64 tarball differs from the
      one its SHA256SUMS line describes (for a checksum failure at the version a cluster runs)

FILE is one of the release's artifacts, as etcd's scripts/build-binary.sh and release.sh make them:
etcd-vX.Y.Z-linux-{amd64,arm64,ppc64le,s390x}.tar.gz (`tar cfz`: the directory
etcd-vX.Y.Z-linux-ARCH/ with etcd, etcdctl, etcdutl (0755), README.md, README-etcdctl.md,
READMEv2-etcdctl.md, README-etcdutl.md and Documentation/), etcd-vX.Y.Z-darwin-{amd64,arm64}.zip
(darwin/arm64 from 3.5.5 on), etcd-vX.Y.Z-windows-amd64.zip, and SHA256SUMS (`shasum -a 256` of
the .tar.gz and .zip files: "<64 hex>  <file>" lines, sorted by name). Another version or file: 404.

The linux-amd64 programs are the sandbox's stand-ins (/usr/libexec/sandbox/etcdsim.py: etcdutl on
the host's files, etcdctl, `etcd --version`); the other architectures hold ELF headers of their
machine (arm64, ppc64le, s390x), so running them fails as on an x86_64 host ("cannot execute binary
file: Exec format error"); the darwin and windows zips hold Mach-O and PE headers. Archives are
deterministic: fixed mtimes (noon UTC of the release's day), uid/gid 1000, no user or group names,
gzip -6 with mtime 0, no file name and OS Unix, zip entries with the release's date.
"""
import calendar
import gzip
import hashlib
import io
import re
import struct
import sys
import tarfile
import time
import zipfile

# etcd releases served, with their day (the archives' mtimes). 3.5.6 .. 3.5.21 and 3.6.4, 3.6.6 are
# the images kubeadm 1.24 .. 1.35 use (kubesim.ETCD_IMAGE); the others are their neighbours.
RELEASES = {
    "3.5.0": "2021-06-15", "3.5.1": "2021-10-15", "3.5.2": "2022-02-01", "3.5.3": "2022-04-13",
    "3.5.4": "2022-04-24", "3.5.5": "2022-09-15", "3.5.6": "2022-11-21", "3.5.7": "2023-01-20",
    "3.5.8": "2023-04-13", "3.5.9": "2023-05-11", "3.5.10": "2023-10-27", "3.5.11": "2023-12-07",
    "3.5.12": "2024-01-31", "3.5.13": "2024-03-29", "3.5.14": "2024-05-29", "3.5.15": "2024-07-19",
    "3.5.16": "2024-09-10", "3.5.17": "2024-11-12", "3.5.18": "2025-01-24", "3.5.19": "2025-03-05",
    "3.5.20": "2025-03-21", "3.5.21": "2025-03-27",
    "3.6.0": "2025-05-15", "3.6.1": "2025-06-06", "3.6.2": "2025-07-09", "3.6.3": "2025-07-22",
    "3.6.4": "2025-07-25", "3.6.5": "2025-09-19", "3.6.6": "2025-11-12",
}
# Releases only the internal mirror has: version -> what is wrong with it.
MIRROR_ONLY = {"3.6.99": "tampered"}
GITHUB = "https://github.com/etcd-io/etcd/releases/download/"
ASSETS = "https://release-assets.githubusercontent.com/github-production-release-asset/11225014/"
GOOGLE = "https://storage.googleapis.com/etcd/"
MIRROR = "https://artifacts.sandbox.internal/etcd-io/etcd/releases/download/"
TAMPERED = "https://artifacts.sandbox.internal/tampered/etcd-io/etcd/releases/download/"
UID = GID = 1000

ELF = {"arm64": ("<", 183, 0), "ppc64le": ("<", 21, 2), "s390x": (">", 22, 0)}  # byte order, e_machine, e_flags
MACHO = {"amd64": 0x01000007, "arm64": 0x0100000C}


def vtuple(v):
    return tuple(int(x) for x in v.split("."))


def artifacts(v):
    """The release's archives, as SHA256SUMS lists them (ls order)."""
    names = ["etcd-v%s-darwin-amd64.zip" % v]
    if vtuple(v) >= (3, 5, 5):
        names.append("etcd-v%s-darwin-arm64.zip" % v)
    names += ["etcd-v%s-linux-%s.tar.gz" % (v, a) for a in ("amd64", "arm64", "ppc64le", "s390x")]
    names.append("etcd-v%s-windows-amd64.zip" % v)
    return sorted(names)


def epoch(v):
    """Noon UTC of the release's day."""
    return calendar.timegm(time.strptime(RELEASES.get(v, "2025-12-01") + " 12:00:00", "%Y-%m-%d %H:%M:%S"))


def stand_in(prog, v, tampered=False):
    """A linux-amd64 program of the tarball: a stand-in running etcdsim's etcd/etcdctl/etcdutl of V."""
    extra = "# (rebuilt by the mirror: not the file etcd released)\n" if tampered else ""
    return ("#!/usr/bin/python3 -I\n"
            "# %s %s (etcd-v%s-linux-amd64): sandbox stand-in for etcd's release binary. The implementation\n"
            "# is /usr/libexec/sandbox/etcdsim.py (release_main: etcdutl on this host's files, etcdctl,\n"
            "# etcd --version).\n%s"
            "import sys\n"
            "sys.path.insert(0, \"/usr/libexec/sandbox\")\n"
            "import etcdsim  # noqa: E402\n"
            "sys.exit(etcdsim.release_main(%r, %r, sys.argv[1:]))\n" % (prog, v, v, extra, prog, v)).encode()


def elf(arch, prog, v):
    """An ELF executable header for ARCH (the kernel refuses it on x86_64: ENOEXEC), then filler."""
    order, machine, flags = ELF[arch]
    ident = b"\x7fELF" + bytes([2, 1 if order == "<" else 2, 1, 0]) + b"\0" * 8
    head = ident + struct.pack(order + "HHIQQQIHHHHHH", 2, machine, 1, 0x401000, 64, 0, flags, 64, 56, 0, 64, 0, 0)
    return head + ("%s %s linux/%s (sandbox: not for this machine)\n" % (prog, v, arch)).encode()


def foreign(os_, arch, prog, v):
    if os_ == "darwin":
        head = struct.pack("<IiiIIIII", 0xFEEDFACF, MACHO[arch], 3, 2, 0, 0, 0, 0)
    else:
        head = b"MZ" + b"\x90\0" * 29 + struct.pack("<I", 0x80)
    return head + ("%s %s %s/%s (sandbox: not for this machine)\n" % (prog, v, os_, arch)).encode()


def docs(v):
    """The text files and Documentation/ of the release directory."""
    mm = ".".join(v.split(".")[:2])
    files = {
        "README.md": "# etcd\n\netcd is a distributed reliable key-value store for the most critical data of a "
                     "distributed system.\n\nThis is etcd v%s (sandbox stand-in of the release archive).\n\n"
                     "See https://etcd.io/docs/v%s/ for the documentation.\n" % (v, mm),
        "README-etcdctl.md": "etcdctl\n========\n\n`etcdctl` is a command line client for [etcd][etcd].\n\n"
                             "The etcdctl of this archive (sandbox): `etcdctl version`, and the client "
                             "commands of the sandbox's etcdctl stand-in.\n",
        "READMEv2-etcdctl.md": "etcdctl\n========\n\n`etcdctl` is a command line client for [etcd][etcd].\n"
                               "It can be used in scripts or for administrators to explore an etcd cluster.\n\n"
                               "(The v2 API: removed from etcdctl in 3.4.)\n",
        "README-etcdutl.md": "etcdutl\n========\n\n`etcdutl` is a command line administration utility for "
                             "[etcd][etcd].\n\nIt's designed to operate directly on etcd data files.\nFor "
                             "operations over a network, please use `etcdctl`.\n\n### SNAPSHOT RESTORE [options] "
                             "\\<filename\\>\n\nSNAPSHOT RESTORE creates an etcd data directory for an etcd "
                             "cluster member from a backend database snapshot and a new cluster configuration.\n\n"
                             "### SNAPSHOT STATUS \\<filename\\>\n\nSNAPSHOT STATUS lists information about a "
                             "given backend database snapshot file.\n\n### VERSION\n\nPrints etcd version and API "
                             "version.\n",
        "Documentation/README.md": "This directory includes etcd project internal documentation for new and "
                                   "existing contributors.\n\nFor user and developer documentation please go to "
                                   "https://etcd.io/docs/v%s/\n" % mm,
    }
    for api in ("rpc", "v3election", "v3lock"):
        files["Documentation/dev-guide/apispec/swagger/%s.swagger.json" % api] = (
            '{\n  "swagger": "2.0",\n  "info": {\n    "title": "api/etcdserverpb/%s.proto",\n'
            '    "version": "version not set"\n  },\n  "paths": {}\n}\n' % api)
    return {k: t.encode() for k, t in files.items()}


def contents(v, os_, arch, tampered=False):
    """(path, data or None for a directory, mode) of the release directory, in archive order."""
    top = "etcd-v%s-%s-%s" % (v, os_, arch)
    ext = ".exe" if os_ == "windows" else ""
    entries = [(top + "/", None, 0o755)]
    d = docs(v)
    dirs = sorted({p.rsplit("/", 1)[0] + "/" for p in d if "/" in p} |
                  {"/".join(p.split("/")[:i]) + "/" for p in d for i in range(1, p.count("/"))})
    names = sorted(list(d) + dirs + [p + ext for p in ("etcd", "etcdctl", "etcdutl")])
    for n in names:
        if n.endswith("/"):
            entries.append((top + "/" + n, None, 0o755))
        elif n in d:
            entries.append((top + "/" + n, d[n], 0o644))
        else:
            prog = n[:-len(ext)] if ext else n
            if os_ == "linux" and arch == "amd64":
                data = stand_in(prog, v, tampered and prog == "etcdutl")
            elif os_ == "linux":
                data = elf(arch, prog, v)
            else:
                data = foreign(os_, arch, prog, v)
            entries.append((top + "/" + n, data, 0o755))
    return entries


def tarball(v, arch, tampered=False):
    """`tar cfz etcd-vV-linux-ARCH.tar.gz etcd-vV-linux-ARCH` made deterministic."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for path, data, mode in contents(v, "linux", arch, tampered):
            ti = tarfile.TarInfo(path.rstrip("/"))
            ti.mtime, ti.mode, ti.uid, ti.gid, ti.uname, ti.gname = epoch(v), mode, UID, GID, "", ""
            if data is None:
                ti.type = tarfile.DIRTYPE
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(raw.getvalue())
    data = bytearray(out.getvalue())
    data[8], data[9] = 0, 3  # XFL and OS as GNU gzip -6 on Unix writes them
    return bytes(data)


def zipball(v, os_, arch):
    out = io.BytesIO()
    stamp = time.gmtime(epoch(v))[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data, mode in contents(v, os_, arch):
            zi = zipfile.ZipInfo(path, date_time=stamp)
            zi.create_system = 3
            zi.external_attr = ((0o40000 if data is None else 0o100000) | mode) << 16 | (0x10 if data is None else 0)
            zi.compress_type = zipfile.ZIP_STORED if data is None else zipfile.ZIP_DEFLATED
            zf.writestr(zi, data or b"")
    return out.getvalue()


def artifact(v, name, tampered=False):
    m = re.match(r"^etcd-v[0-9.]+-(linux|darwin|windows)-([a-z0-9]+)\.(tar\.gz|zip)$", name)
    os_, arch = m.group(1), m.group(2)
    return tarball(v, arch, tampered) if os_ == "linux" else zipball(v, os_, arch)


def sha256sums(v):
    return "".join("%s  %s\n" % (hashlib.sha256(artifact(v, n)).hexdigest(), n) for n in artifacts(v)).encode()


def body(v, name, mirror, tampered_tree=False):
    """The bytes of release V's file NAME, or None (404)."""
    if v not in RELEASES and not (mirror and v in MIRROR_ONLY):
        return None
    if name == "SHA256SUMS":
        return sha256sums(v)
    if name not in artifacts(v):
        return None
    tampered = (tampered_tree or mirror and MIRROR_ONLY.get(v) == "tampered") and name.endswith("-linux-amd64.tar.gz")
    return artifact(v, name, tampered)


def serve(url):
    """-> (code, bytes): 200 with the body, 302 with the Location, 404."""
    url = url.split("#", 1)[0]
    path, _, query = url.partition("?")
    for base, kind in ((GITHUB, "github"), (ASSETS, "assets"), (GOOGLE, "direct"), (MIRROR, "mirror"),
                       (TAMPERED, "tampered")):
        if not path.startswith(base):
            continue
        m = re.match(r"^v([0-9]+\.[0-9]+\.[0-9]+)/([^/]+)$", path[len(base):])
        if not m:
            return 404, b""
        v, name = m.group(1), m.group(2)
        data = body(v, name, kind in ("mirror", "tampered"), kind == "tampered")
        if data is None:
            return 404, b""
        if kind == "github":
            disp = "attachment%3B+filename%3D" + name
            return 302, ("%sv%s/%s?sp=r&sv=2018-11-09&sr=b&spr=https&rscd=%s&rsct=application%%2Foctet-stream"
                         % (ASSETS, v, name, disp)).encode()
        return 200, data
    return 404, b""


def main():
    code, data = serve(sys.argv[1])
    with open(sys.argv[2], "wb") as f:
        f.write(data)
    return {200: 0, 302: 3}.get(code, 4)


if __name__ == "__main__":
    sys.exit(main())
