"""The package engine of the sandbox hosts: what the dnf/yum stand-in runs, and the
rpm stand-in for the operations that change the database (rpm -e, rpm --import).

State (all inside the host): the rpm database /var/lib/sandbox/rpm/db/NAME (one line per
installed instance: NAME|EPOCH|VERSION|RELEASE|ARCH|REPO|REASON|INSTALLTIME|ISIZE|SUMMARY|
REQUIRES|PROVIDES, read by the sh rpm stand-in too), the file lists
/var/lib/sandbox/rpm/files/NAME ("TYPE MODE SHA256 PATH"; TYPE f file, c config file
(%config(noreplace)), d directory the package created, l symlink) and dnf's metadata cache
markers under /var/cache/dnf. As rpm 4.14 (Rocky 8) rewrites its Berkeley DB file
/var/lib/rpm/Packages in every transaction, every change to the database rewrites that file
(a list of the installed NEVRAs here): what watches a host for package changes sees them
where it would on a real host. What repositories serve comes from the catalog in
/usr/share/sandbox/catalog, the files a package drops from /usr/share/sandbox/payloads/NAME
(text files get @VERSION@ @RELEASE@ @MINOR@ replaced; NAME.post / NAME.preun are its
scriptlets, run with /bin/sh).

Imported by sandbox-fleet's build-base too (with a root other than /) to lay down the
packages a fresh host has.
"""
import configparser
import fcntl
import fnmatch
import hashlib
import os
import re
import sys
import time

RELEASEVER = '8'
BASEARCH = 'x86_64'
ARCHES = ('x86_64', 'noarch', 'i686', 'src')
PROTECTED = ('dnf', 'yum', 'systemd', 'systemd-udev', 'sudo', 'rpm', 'kernel-core')
METADATA_EXPIRE = 172800
RPM_CACHE = '/var/cache/dnf'


# ------------------------------------------------------------------ versions

def rpmvercmp(a, b):
    """rpm's version segment comparison (digits vs letters, ~ sorts first)."""
    if a == b:
        return 0
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        while i < la and not a[i].isalnum() and a[i] != '~':
            i += 1
        while j < lb and not b[j].isalnum() and b[j] != '~':
            j += 1
        if (i < la and a[i] == '~') or (j < lb and b[j] == '~'):
            if i >= la or a[i] != '~':
                return 1
            if j >= lb or b[j] != '~':
                return -1
            i += 1
            j += 1
            continue
        if i >= la or j >= lb:
            break
        if a[i].isdigit():
            m = re.match(r'\d+', a[i:])
            n = re.match(r'\d+', b[j:])
            num = True
        else:
            m = re.match(r'[A-Za-z]+', a[i:])
            n = re.match(r'[A-Za-z]+', b[j:])
            num = False
        if not n:
            return 1 if num else -1
        s1, s2 = m.group(), n.group()
        i += len(s1)
        j += len(s2)
        if num:
            s1, s2 = s1.lstrip('0'), s2.lstrip('0')
            if len(s1) != len(s2):
                return 1 if len(s1) > len(s2) else -1
        if s1 != s2:
            return 1 if s1 > s2 else -1
    if i >= la and j >= lb:
        return 0
    return -1 if i >= la else 1


def evrcmp(e1, v1, r1, e2, v2, r2):
    e1, e2 = int(e1 or 0), int(e2 or 0)
    if e1 != e2:
        return 1 if e1 > e2 else -1
    c = rpmvercmp(v1, v2)
    if c:
        return c
    if r1 is None or r2 is None:
        return 0
    return rpmvercmp(r1, r2)


def split_evr(evr):
    epoch = ''
    if ':' in evr:
        epoch, evr = evr.split(':', 1)
    if '-' in evr:
        v, r = evr.rsplit('-', 1)
    else:
        v, r = evr, None
    return epoch, v, r


class Pkg:
    __slots__ = ('name', 'epoch', 'version', 'release', 'arch', 'dl', 'inst', 'requires', 'provides',
                 'summary', 'repo', 'content', 'key', 'reason', 'installtime', 'minor', 'essential')

    def __init__(self, name, epoch, version, release, arch, dl=0, inst=0, requires=(), provides=(),
                 summary='', repo='', content='', key='', reason='user', installtime=0, minor=''):
        self.name, self.epoch, self.version, self.release, self.arch = name, epoch, version, release, arch
        self.dl, self.inst, self.requires, self.provides = dl, inst, list(requires), list(provides)
        self.summary, self.repo, self.content, self.key = summary, repo, content, key
        self.reason, self.installtime, self.minor = reason, installtime, minor
        self.essential = False

    @property
    def evr(self):
        return (self.epoch + ':' if self.epoch and self.epoch != '0' else '') + self.version + '-' + self.release

    @property
    def nvra(self):
        return '%s-%s-%s.%s' % (self.name, self.version, self.release, self.arch)

    @property
    def nevra(self):
        return '%s-%s:%s-%s.%s' % (self.name, self.epoch or '0', self.version, self.release, self.arch)

    def cmp(self, other):
        return evrcmp(self.epoch, self.version, self.release, other.epoch, other.version, other.release)

    def forms(self):
        """The strings a dnf package spec is matched against."""
        n, v, r, a, e = self.name, self.version, self.release, self.arch, self.epoch or '0'
        return (n, n + '.' + a, n + '-' + v, n + '-' + v + '-' + r, n + '-' + v + '-' + r + '.' + a,
                n + '-' + e + ':' + v + '-' + r, n + '-' + e + ':' + v + '-' + r + '.' + a)

    def caps(self):
        return [self.name] + list(self.provides)

    def db_line(self):
        return '|'.join([self.name, self.epoch or '', self.version, self.release, self.arch, self.repo,
                         self.reason, str(int(self.installtime)), str(self.inst), self.summary,
                         ','.join(fmt_req(r) for r in self.requires), ','.join(self.provides),
                         'e' if self.essential else ''])


def parse_req(s):
    m = re.match(r'^([^<>=\s]+)\s*(>=|<=|=|<|>)?\s*(\S*)$', s.strip())
    if not m:
        return (s.strip(), '', '')
    return (m.group(1), m.group(2) or '', m.group(3) or '')


def fmt_req(r):
    return r[0] + (r[1] + r[2] if r[1] else '')


def fmt_req_spaced(r):
    return r[0] + (' ' + r[1] + ' ' + r[2] if r[1] else '')


def satisfies(pkg, req):
    name, op, ver = req
    if name not in pkg.caps():
        return False
    if not op:
        return True
    e, v, r = split_evr(ver)
    c = evrcmp(pkg.epoch, pkg.version, pkg.release if r is not None else None, e, v, r)
    return {'>=': c >= 0, '<=': c <= 0, '=': c == 0, '>': c > 0, '<': c < 0}[op]


# ------------------------------------------------------------------ formatting

def format_number(number):
    """dnf's format_number: 1024-based, ' k', ' M', ' G'."""
    symbols = [' ', 'k', 'M', 'G', 'T']
    depth = 0
    number = float(number)
    while number > 999 and depth < len(symbols) - 1:
        depth += 1
        number /= 1024.0
    if depth == 0:
        return '%i %s' % (number, symbols[0])
    if number < 9.95:
        return '%.1f %s' % (number, symbols[depth])
    return '%.0f %s' % (number, symbols[depth])


def size_str(kb):
    return format_number(kb * 1024).rstrip()


def speed_line(text, nbytes, width=48):
    """The line dnf prints for a finished download."""
    if len(text) > width:
        text = text[:width - 3] + '...'
    if nbytes:
        speed = format_number(nbytes * 4) + 'B/s'
        size = format_number(nbytes) + 'B'
    else:
        speed, size = '0.0  B/s', '  0  B'
    return '%-*s %8s | %6s     00:00    ' % (width, text, speed, size)


def shorten_ago(seconds):
    seconds = int(max(seconds, 0))
    return '%d:%02d:%02d' % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


# ------------------------------------------------------------------ the environment

class Env:
    """Paths of one host's root (/ inside a host; the base layer for build-base)."""

    def __init__(self, root='/'):
        self.root = root
        self.share = self.p('/usr/share/sandbox')
        self.db = self.p('/var/lib/sandbox/rpm')

    def p(self, path):
        if self.root == '/':
            return path
        return os.path.join(self.root, path.lstrip('/'))

    # ---- catalog
    def kube_minors(self):
        out = []
        with open(os.path.join(self.share, 'catalog', 'kubernetes')) as f:
            for line in f:
                w = line.split()
                if not w or w[0].startswith('#'):
                    continue
                out.append({'minor': w[0], 'last': int(w[1]), 'critools': w[2], 'cni': w[3], 'crio_last': int(w[4])})
        return out

    def catalog_packages(self, wanted_contents=None):
        """{content: [Pkg]} for the wanted contents (None = all, minors expanded)."""
        minors = None
        sections = {}
        cur = None
        with open(os.path.join(self.share, 'catalog', 'packages')) as f:
            for line in f:
                line = line.rstrip('\n')
                if not line.strip() or line.lstrip().startswith('#'):
                    continue
                if line.startswith('['):
                    cur = line.strip()[1:-1]
                    sections.setdefault(cur, [])
                    continue
                sections[cur].append(line)
        out = {}
        for sect, lines in sections.items():
            if sect.endswith(':*'):
                base = sect[:-2]
                if minors is None:
                    minors = self.kube_minors()
                for m in minors:
                    content = base + ':' + m['minor']
                    if wanted_contents is not None and content not in wanted_contents:
                        continue
                    out[content] = self._expand(lines, content, m)
            else:
                if wanted_contents is not None and sect not in wanted_contents:
                    continue
                out[sect] = self._expand(lines, sect, None)
        return out

    def _expand(self, lines, content, minor):
        pkgs = []
        for line in lines:
            w = line.split(None, 8)
            name, evr, arch, dl, inst, flags, req, prov = w[:8]
            summary = w[8] if len(w) > 8 else ''
            versions = [evr]
            if minor:
                mm = minor['minor']
                prev = '1.%d' % (int(mm.split('.')[1]) - 1)
                if '@K8S@' in evr:
                    versions = [evr.replace('@K8S@', '%s.%d' % (mm, p)) for p in range(minor['last'] + 1)]
                elif '@CRIO@' in evr:
                    versions = [evr.replace('@CRIO@', '%s.%d' % (mm, p)) for p in range(minor['crio_last'] + 1)]
                else:
                    versions = [evr.replace('@CRITOOLS@', minor['critools']).replace('@CNI@', minor['cni'])]
                req = req.replace('@PREV@', prev)
            for v in versions:
                e, ver, rel = split_evr(v)
                p = Pkg(name, e, ver, rel, arch, int(dl), int(inst),
                        [parse_req(x) for x in req.split(',')] if req != '-' else [],
                        prov.split(',') if prov != '-' else [], summary, content=content,
                        minor=minor['minor'] if minor else '')
                p.reason = 'installed' if flags in ('i', 'I') else ''
                p.essential = flags == 'I'
                pkgs.append(p)
        return pkgs

    def base_installed(self):
        out = []
        for content, pkgs in self.catalog_packages().items():
            for p in pkgs:
                if p.reason == 'installed':
                    p.reason = 'user'
                    p.repo = 'anaconda'
                    out.append(p)
        return out

    def repo_patterns(self):
        pats, hosts404, in404 = [], set(), False
        with open(os.path.join(self.share, 'catalog', 'repos')) as f:
            for line in f:
                s = line.strip()
                if not s:
                    continue
                if s.startswith('#'):
                    if s == '# 404 hosts':
                        in404 = True
                    continue
                if in404:
                    hosts404.add(s)
                else:
                    w = s.split()
                    pats.append((w[0], w[1], w[2]))
        return pats, hosts404

    def url_catalog(self):
        pats, known, inknown = [], set(), False
        with open(os.path.join(self.share, 'catalog', 'urls')) as f:
            for line in f:
                s = line.strip()
                if not s:
                    continue
                if s.startswith('#'):
                    if s == '# known hosts':
                        inknown = True
                    continue
                if inknown:
                    known.add(s)
                else:
                    pat, body = s.split(None, 1)
                    pats.append((pat, body))
        return pats, known

    def gpgkeys(self):
        keys = {}
        with open(os.path.join(self.share, 'catalog', 'gpgkeys')) as f:
            for line in f:
                if not line.strip() or line.startswith('#'):
                    continue
                w = line.split(None, 4)
                key, body, keyid, created = w[:4]
                rest = w[4].split()
                fpr, userid = ' '.join(rest[:10]), ' '.join(rest[10:])
                keys[key] = {'body': body, 'keyid': keyid, 'created': created, 'fpr': fpr, 'userid': userid}
        return keys

    # ---- fetching (no network: the URL catalog)
    def fetch(self, url):
        """(data, None) or (None, curl-style error (code, message))."""
        if url.startswith('file://'):
            path = url[len('file://'):]
            try:
                with open(self.p(path), 'rb') as f:
                    return f.read(), None
            except OSError:
                return None, (37, "Couldn't read a file:// file for %s [Couldn't open file %s]" % (url, path))
        host = url.split('://', 1)[-1].split('/', 1)[0].split('?', 1)[0]
        pats, known = self.url_catalog()
        for pat, body in pats:
            if fnmatch.fnmatchcase(url, pat):
                if body == '404':
                    break
                if body.startswith('='):
                    return (body[1:] + '\n').encode(), None
                path = os.path.join(self.share, 'catalog', 'files', body)
                with open(path, 'rb') as f:
                    data = f.read()
                if body.endswith('.in'):
                    m = re.search(r'/v(\d+\.\d+\.\d+)/', url)
                    data = data.replace(b'@VERSION@', (m.group(1) if m else '').encode())
                return data, None
        else:
            if host not in known:
                return None, (6, "Couldn't resolve host name for %s [Could not resolve host: %s]" % (url, host))
        return None, (22, 'The requested URL returned error: 404 Not Found for %s' % url)

    # ---- the installed database
    def load_installed(self):
        out = []
        d = os.path.join(self.db, 'db')
        try:
            names = os.listdir(d)
        except FileNotFoundError:
            return out
        for n in names:
            with open(os.path.join(d, n)) as f:
                for line in f:
                    line = line.rstrip('\n')
                    if line:
                        out.append(self.parse_db_line(line))
        return out

    @staticmethod
    def parse_db_line(line):
        w = line.split('|')
        w += [''] * (13 - len(w))
        p = Pkg(w[0], w[1], w[2], w[3], w[4], 0, int(w[8] or 0),
                [parse_req(x) for x in w[10].split(',') if x], [x for x in w[11].split(',') if x],
                w[9], repo=w[5], reason=w[6] or 'user', installtime=int(w[7] or 0))
        p.essential = w[12] == 'e'
        return p

    def write_db_name(self, name, pkgs):
        d = os.path.join(self.db, 'db')
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, name)
        if not pkgs:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            self.write_rpmdb()
            return
        tmp = path + '.tmp'
        with open(tmp, 'w') as f:
            for p in pkgs:
                f.write(p.db_line() + '\n')
        os.rename(tmp, path)
        self.write_rpmdb()

    def write_rpmdb(self):
        """/var/lib/rpm/Packages, rewritten in place as rpm's BDB file is (its inode stays)."""
        d = self.p('/var/lib/rpm')
        os.makedirs(d, exist_ok=True)
        names = sorted(p.nevra for p in self.load_installed())
        with open(os.path.join(d, 'Packages'), 'w') as f:
            f.write(''.join(n + '\n' for n in names))

    def read_files(self, name):
        out = []
        try:
            with open(os.path.join(self.db, 'files', name)) as f:
                for line in f:
                    t, mode, h, path = line.rstrip('\n').split(' ', 3)
                    out.append((t, mode, h, path))
        except FileNotFoundError:
            pass
        return out

    def write_files(self, name, records):
        d = os.path.join(self.db, 'files')
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, name)
        if not records:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            return
        with open(path + '.tmp', 'w') as f:
            for r in records:
                f.write(' '.join(r) + '\n')
        os.rename(path + '.tmp', path)

    # ---- payloads
    def payload_dir(self, name):
        d = os.path.join(self.share, 'payloads', name)
        return d if os.path.isdir(d) else None

    def install_payload(self, pkg, old_records, warn):
        """Drops pkg's files; returns its file records. old_records: the records of the
        version it replaces (config files then follow rpm's noreplace rules)."""
        src = self.payload_dir(pkg.name)
        if not src:
            return []
        old = {r[3]: r for r in old_records}
        subst = [(b'@VERSION@', pkg.version.encode()), (b'@RELEASE@', pkg.release.encode()),
                 (b'@MINOR@', '.'.join(pkg.version.split('.')[:2]).encode())]
        records = []
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames.sort()
            rel = dirpath[len(src):] or '/'
            target_dir = self.p(rel)
            if rel != '/':
                if rel in old and old[rel][0] == 'd':
                    records.append(old[rel])
                    os.makedirs(target_dir, exist_ok=True)
                elif not os.path.isdir(target_dir):
                    os.makedirs(target_dir, exist_ok=True)
                    records.append(('d', '755', '-', rel))
            for fn in sorted(filenames):
                if fn == '.sandbox-dir':
                    continue
                s = os.path.join(dirpath, fn)
                path = os.path.join(rel, fn)
                t = self.p(path)
                if os.path.islink(s):
                    link = os.readlink(s)
                    if os.path.lexists(t):
                        os.unlink(t)
                    os.symlink(link, t)
                    records.append(('l', '777', '-', path))
                    continue
                with open(s, 'rb') as f:
                    data = f.read()
                if b'\0' not in data:
                    for a, b in subst:
                        data = data.replace(a, b)
                mode = os.stat(s).st_mode & 0o7777
                digest = hashlib.sha256(data).hexdigest()
                is_config = path.startswith('/etc/')
                dest = t
                if is_config and os.path.lexists(t) and not os.path.isdir(t):
                    with open(t, 'rb') as f:
                        disk = hashlib.sha256(f.read()).hexdigest()
                    was = old.get(path)
                    if disk == digest:
                        pass
                    elif was is not None and was[2] == disk:
                        pass  # unmodified since the old version: replace silently
                    elif was is not None and was[2] == digest:
                        dest = None  # the package's content did not change: keep the edited file
                    else:
                        dest = t + '.rpmnew'
                        warn('warning: %s created as %s' % (path, path + '.rpmnew'))
                if dest:
                    tmp = dest + '.sandbox-tmp'
                    with open(tmp, 'wb') as f:
                        f.write(data)
                    os.chmod(tmp, mode)
                    os.rename(tmp, dest)
                records.append(('c' if is_config else 'f', '%o' % mode, digest, path))
        return records

    def remove_payload(self, records, keep_paths, warn):
        """Removes a package's files (config files edited since install become .rpmsave)."""
        for t, mode, h, path in sorted(records, key=lambda r: r[3], reverse=True):
            if path in keep_paths:
                continue
            full = self.p(path)
            if t == 'd':
                try:
                    os.rmdir(full)
                except OSError:
                    pass
                continue
            if not os.path.lexists(full):
                continue
            if t == 'c':
                try:
                    with open(full, 'rb') as f:
                        disk = hashlib.sha256(f.read()).hexdigest()
                except OSError:
                    disk = h
                if disk != h:
                    os.rename(full, full + '.rpmsave')
                    warn('warning: %s saved as %s.rpmsave' % (path, path))
                    continue
            try:
                os.unlink(full)
            except IsADirectoryError:
                pass

    def scriptlet(self, name, which, arg):
        """Runs payloads/NAME.WHICH with /bin/sh (only inside a host)."""
        if self.root != '/':
            return
        s = os.path.join(self.share, 'payloads', name + '.' + which)
        if os.path.isfile(s):
            os.spawnv(os.P_WAIT, '/bin/sh', ['/bin/sh', s, str(arg)])


# ------------------------------------------------------------------ repositories

class RepoError(Exception):
    pass


class Repo:
    def __init__(self, rid, sect, path):
        self.id = rid
        self.file = path
        self.opts = dict(sect)
        self.enabled = True
        self.content = None
        self.key = None

    def get(self, k, default=''):
        return self.opts.get(k, default)

    @property
    def name(self):
        return self.get('name') or self.id


def parse_bool(v, default):
    if v is None or v == '':
        return default
    v = v.strip().lower()
    if v in ('1', 'yes', 'true', 'on'):
        return True
    if v in ('0', 'no', 'false', 'off'):
        return False
    return default


def split_list(v):
    return [x for x in re.split(r'[\s,]+', v or '') if x]


class Conf:
    def __init__(self, env, prog):
        self.env = env
        self.prog = prog
        self.main = {}
        self.vars = {'releasever': RELEASEVER, 'basearch': BASEARCH, 'arch': BASEARCH, 'contentdir': 'pub/rocky'}
        self.repos = []
        self.warnings = []

    def subst(self, s):
        def rep(m):
            k = m.group(1) or m.group(2)
            return self.vars.get(k, m.group(0))
        return re.sub(r'\$\{(\w+)\}|\$(\w+)', rep, s)

    def load(self):
        vd = self.env.p('/etc/dnf/vars')
        if os.path.isdir(vd):
            for n in sorted(os.listdir(vd)):
                try:
                    with open(os.path.join(vd, n)) as f:
                        self.vars[n] = f.read().strip()
                except OSError:
                    pass
        cp = configparser.RawConfigParser(strict=False, interpolation=None)
        try:
            cp.read(self.env.p('/etc/dnf/dnf.conf'))
            if cp.has_section('main'):
                self.main = dict(cp.items('main'))
        except configparser.Error:
            pass
        d = self.env.p('/etc/yum.repos.d')
        seen = set()
        files = sorted(f for f in os.listdir(d) if f.endswith('.repo')) if os.path.isdir(d) else []
        for fn in files:
            path = os.path.join(d, fn)
            cp = configparser.RawConfigParser(strict=False, interpolation=None)
            try:
                cp.read(path)
            except configparser.MissingSectionHeaderError as e:
                raise RepoError("Parsing file '%s' failed: Missing section header at line %d"
                                % ('/etc/yum.repos.d/' + fn, e.lineno))
            except configparser.Error as e:
                raise RepoError("Parsing file '%s' failed: %s" % ('/etc/yum.repos.d/' + fn, str(e).splitlines()[0]))
            for sect in cp.sections():
                if not re.match(r'^[A-Za-z0-9\-_.:]+$', sect):
                    raise RepoError("Bad id for repo: %s, byte = %s %d" % (sect, next(c for c in sect if not re.match(r'[A-Za-z0-9\-_.:]', c)), next(i for i, c in enumerate(sect) if not re.match(r'[A-Za-z0-9\-_.:]', c))))
                if sect in seen:
                    self.warnings.append('Repository %s is listed more than once in the configuration' % sect)
                    continue
                seen.add(sect)
                opts = {k: self.subst(v) for k, v in cp.items(sect)}
                r = Repo(sect, opts, '/etc/yum.repos.d/' + fn)
                r.enabled = parse_bool(opts.get('enabled'), True)
                self.repos.append(r)

    def repo(self, rid):
        for r in self.repos:
            if r.id == rid:
                return r
        return None


# ------------------------------------------------------------------ the command line

class CliError(Exception):
    """A command line error: usage, "Command line error: MSG", exit 1."""


class Fail(Exception):
    """dnf's "Error: MSG" (MSG may be empty for a bare "Error:"), exit code."""

    def __init__(self, msg, code=1):
        Exception.__init__(self, msg)
        self.code = code


COMMANDS = {
    'install': 'install', 'in': 'install', 'localinstall': 'install',
    'remove': 'remove', 'rm': 'remove', 'erase': 'remove',
    'upgrade': 'upgrade', 'update': 'upgrade', 'up': 'upgrade', 'upgrade-minimal': 'upgrade',
    'check-update': 'check-update', 'check-upgrade': 'check-update',
    'list': 'list', 'ls': 'list',
    'info': 'info', 'if': 'info',
    'makecache': 'makecache', 'mc': 'makecache',
    'repolist': 'repolist',
    'clean': 'clean',
    'reinstall': 'reinstall', 'rei': 'reinstall',
    'downgrade': 'downgrade', 'dg': 'downgrade',
    'autoremove': 'autoremove',
    'config-manager': 'config-manager',
    'provides': 'provides', 'whatprovides': 'provides', 'prov': 'provides',
    'search': 'search', 'se': 'search',
    'repoquery': 'repoquery', 'rq': 'repoquery',
    'help': 'help',
}
NOT_IMPLEMENTED = ('history', 'hist', 'module', 'group', 'grouplist', 'groupinstall', 'groupremove',
                   'groupinfo', 'groups', 'grp', 'alias', 'distro-sync', 'distribution-synchronization',
                   'dsync', 'mark', 'repository-packages', 'repo-pkgs', 'repo-packages', 'shell', 'sh',
                   'swap', 'updateinfo', 'list-updateinfo', 'deplist', 'download', 'builddep',
                   'changelog', 'copr', 'debug-dump', 'debug-restore', 'needs-restarting',
                   'repoclosure', 'repodiff', 'repograph', 'repomanage', 'reposync', 'debuginfo-install')
# Options taking a value.
VALUE_OPTS = {'-c': 'config', '--config': 'config', '--installroot': 'installroot', '--releasever': 'releasever',
              '--setopt': 'setopt', '--disablerepo': 'disablerepo', '--enablerepo': 'enablerepo',
              '--repo': 'repo', '--repoid': 'repo', '-x': 'exclude', '--exclude': 'exclude',
              '--excludepkgs': 'exclude', '--disableexcludes': 'disableexcludes',
              '--disableexcludepkgs': 'disableexcludes', '--color': 'color', '--colour': 'color',
              '-d': 'debuglevel', '--debuglevel': 'debuglevel', '-e': 'errorlevel', '--errorlevel': 'errorlevel',
              '--rpmverbosity': 'rpmverbosity', '--destdir': 'destdir', '--downloaddir': 'destdir',
              '--comment': 'comment', '--disableplugin': 'disableplugin', '--enableplugin': 'enableplugin',
              '--forcearch': 'forcearch', '--repofrompath': 'repofrompath', '--advisory': 'advisory',
              '--advisories': 'advisory', '--bz': 'bz', '--cve': 'cve', '--sec-severity': 'secseverity',
              '--secseverity': 'secseverity', '--add-repo': 'add_repo', '--qf': 'queryformat',
              '--queryformat': 'queryformat', '--arch': 'arch', '--archlist': 'arch'}
FLAG_OPTS = {'-y': 'assumeyes', '--assumeyes': 'assumeyes', '--assumeno': 'assumeno', '-q': 'quiet',
             '--quiet': 'quiet', '-v': 'verbose', '--verbose': 'verbose', '-C': 'cacheonly',
             '--cacheonly': 'cacheonly', '--nogpgcheck': 'nogpgcheck', '--allowerasing': 'allowerasing',
             '--best': 'best', '--nobest': 'nobest', '--skip-broken': 'skip_broken', '--refresh': 'refresh',
             '--noplugins': 'noplugins', '--nodocs': 'nodocs', '--downloadonly': 'downloadonly',
             '--showduplicates': 'showduplicates', '--show-duplicates': 'showduplicates',
             '--installed': 'list_installed', '--available': 'list_available', '--upgrades': 'list_upgrades',
             '--updates': 'list_upgrades', '--all': 'all', '--enabled': 'repo_enabled',
             '--disabled': 'repo_disabled', '--set-enabled': 'set_enabled', '--set-disabled': 'set_disabled',
             '--enable': 'set_enabled', '--disable': 'set_disabled', '--save': 'save', '--dump': 'dump',
             '--obsoletes': 'obsoletes', '--security': 'security', '--bugfix': 'bugfix',
             '--enhancement': 'enhancement', '--newpackage': 'newpackage', '-b': 'best', '-4': 'ipv4',
             '-6': 'ipv6', '--version': 'version', '-h': 'help', '--help': 'help', '--help-cmd': 'help',
             '--noautoremove': 'noautoremove', '--timer': 'timer', '--setopt-only': 'x', '--duplicates': 'duplicates',
             '--extras': 'extras', '--recent': 'recent', '--autoremove': 'autoremove_list', '--userinstalled': 'userinstalled',
             '--latest-limit': 'x', '--oldinstallonly': 'x', '--nvr': 'x', '--installonly': 'x'}
MULTI = ('setopt', 'disablerepo', 'enablerepo', 'repo', 'exclude', 'disableexcludes', 'disableplugin',
         'enableplugin', 'add_repo', 'arch', 'advisory', 'bz', 'cve', 'secseverity', 'repofrompath')


class Opts:
    pass


def parse_args(argv):
    o = Opts()
    for k in set(VALUE_OPTS.values()) | set(FLAG_OPTS.values()):
        setattr(o, k, [] if k in MULTI else (None if k in VALUE_OPTS.values() else False))
    o.command = None
    o.args = []
    order = []  # (enable|disable, pattern) in command line order
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--':
            o.args.extend(argv[i + 1:])
            break
        if a.startswith('--') and '=' in a:
            k, v = a.split('=', 1)
            if k in VALUE_OPTS:
                _set(o, VALUE_OPTS[k], v, order)
                i += 1
                continue
            if k == '--latest-limit':
                i += 1
                continue
            raise CliError('unrecognized arguments: %s' % a)
        if a in VALUE_OPTS:
            if i + 1 >= len(argv):
                raise CliError('argument %s: expected one argument' % a)
            _set(o, VALUE_OPTS[a], argv[i + 1], order)
            i += 2
            continue
        if a in FLAG_OPTS:
            setattr(o, FLAG_OPTS[a], True)
            i += 1
            continue
        if a.startswith('-') and not a.startswith('--') and len(a) > 2:
            # bundled short options: -yq, -x pkg as -xpkg, -ddebug
            if a[1] in 'cxde' and a[:2] in VALUE_OPTS:
                _set(o, VALUE_OPTS[a[:2]], a[2:], order)
                i += 1
                continue
            for c in a[1:]:
                if '-' + c in FLAG_OPTS:
                    setattr(o, FLAG_OPTS['-' + c], True)
                else:
                    raise CliError('unrecognized arguments: %s' % a)
            i += 1
            continue
        if a.startswith('-') and a != '-':
            raise CliError('unrecognized arguments: %s' % a)
        if o.command is None:
            o.command = a
        else:
            o.args.append(a)
        i += 1
    o.repo_order = order
    return o


def _set(o, k, v, order):
    if k in MULTI:
        getattr(o, k).append(v)
        if k in ('enablerepo', 'disablerepo', 'repo'):
            order.append((k, v))
    else:
        setattr(o, k, v)


# ------------------------------------------------------------------ dnf

class Dnf:
    def __init__(self, prog, argv, env=None):
        self.prog = prog
        self.env = env or Env('/')
        self.argv = argv
        self.out_lines = []
        self.o = None

    # ---- output
    def info(self, msg=''):
        if not self.o.quiet:
            sys.stdout.write(msg + '\n')

    def say(self, msg=''):
        sys.stdout.write(msg + '\n')

    def warn(self, msg):
        sys.stdout.flush()
        sys.stderr.write(msg + '\n')
        sys.stderr.flush()

    def usage(self):
        cmd = self.o.command if self.o and self.o.command in COMMANDS else None
        if cmd:
            self.say('usage: %s %s [-c [config file]] [-q] [-v] [--version]' % (self.prog, cmd))
            pad = ' ' * (len('usage: %s %s ' % (self.prog, cmd)))
            for line in ('[--installroot [path]] [--nodocs] [--noplugins]',
                         '[--enableplugin [plugin]] [--disableplugin [plugin]]',
                         '[--releasever RELEASEVER] [--setopt SETOPTS]',
                         '[--skip-broken] [-h] [--allowerasing] [-b | --nobest]',
                         '[-C] [-R [minutes]] [-d [debug level]] [--debugsolver]',
                         '[--showduplicates] [-e ERRORLEVEL] [--obsoletes]',
                         '[--rpmverbosity [debug level name]] [-y] [--assumeno]',
                         '[--enablerepo [repo]] [--disablerepo [repo] | --repo',
                         '[repo]] [--enable | --disable] [-x [package]]',
                         '[--disableexcludes [repo]] [--repofrompath [repo,path]]',
                         '[--noautoremove] [--nogpgcheck] [--color COLOR]',
                         '[--refresh] [-4] [-6] [--destdir DESTDIR]',
                         '[--downloadonly] [--comment COMMENT] [--bugfix]',
                         '[--enhancement] [--newpackage] [--security]',
                         '[--advisory ADVISORY] [--bz BUGZILLA] [--cve CVES]',
                         '[--sec-severity {Critical,Important,Moderate,Low}]',
                         '[--forcearch ARCH]'):
                self.say(pad + line)
        else:
            self.say('usage: %s [options] COMMAND' % self.prog)

    def ask(self, question='Is this ok [y/N]: '):
        if self.o.assumeno:
            sys.stdout.write(question + '\n')
            return False
        if self.o.assumeyes:
            return True
        sys.stdout.write(question)
        sys.stdout.flush()
        # Read the answer a byte at a time, as little of stdin as possible.
        answer = b''
        while True:
            try:
                c = os.read(0, 1)
            except OSError:
                c = b''
            if not c or c == b'\n':
                break
            answer += c
        if not answer and not c:
            sys.stdout.write('\n')
        return answer.strip().lower() in (b'y', b'yes')

    # ---- main
    def run(self):
        try:
            self.o = parse_args(self.argv)
        except CliError as e:
            self.o = Opts()
            self.o.command = None
            for a in self.argv:
                if not a.startswith('-'):
                    self.o.command = a
                    break
            self.o.quiet = False
            self.usage()
            self.warn('Command line error: %s' % e)
            return 1
        o = self.o
        if o.version:
            self.say('4.7.0')
            self.say('  Installed: dnf-0:4.7.0-19.el8.noarch at Mon Nov 13 10:20:12 2023')
            self.say('  Built    : Rocky Linux Build System (Peridot) <releng@rockylinux.org> at Wed Nov  8 18:23:05 2023')
            return 0
        if o.help or o.command in (None, 'help'):
            self.usage()
            if o.command is None and not o.help:
                self.warn('Error: No command specified')
                return 1
            return 0
        if o.installroot:
            self.warn('Error: sandbox stand-in: --installroot is not supported')
            return 1
        if o.command not in COMMANDS:
            if o.command in NOT_IMPLEMENTED:
                self.warn('Error: sandbox stand-in: "%s %s" is not implemented' % (self.prog, o.command))
                return 1
            self.warn('No such command: %s. Please use /usr/bin/%s --help' % (o.command, self.prog))
            self.warn('It could be a DNF plugin command, try: "%s install \'dnf-command(%s)\'"' % (self.prog, o.command))
            return 1
        cmd = COMMANDS[o.command]
        if os.geteuid() != 0 and self.env.root == '/' and cmd in (
                'install', 'remove', 'upgrade', 'reinstall', 'downgrade', 'autoremove', 'config-manager', 'clean'):
            self.warn('Error: This command has to be run with superuser privileges (under the root user on most systems).')
            return 1
        lockf = None
        if cmd not in ('repolist', 'list', 'info', 'check-update', 'provides', 'search', 'repoquery'):
            os.makedirs(self.env.db, exist_ok=True)
            lockf = open(os.path.join(self.env.db, '.lock'), 'w')
            fcntl.flock(lockf, fcntl.LOCK_EX)
        try:
            self.conf = Conf(self.env, self.prog)
            self.conf.load()
            for w in self.conf.warnings:
                self.warn(w)
            self.apply_setopts()
            self.apply_repo_options()
            return getattr(self, 'cmd_' + cmd.replace('-', '_'))()
        except Fail as e:
            if str(e):
                self.warn('Error: %s' % e)
            else:
                self.warn('Error: ')
            return e.code
        except RepoError as e:
            self.warn('Error: %s' % e)
            return 1
        except BrokenPipeError:
            return 1

    # ---- configuration from the command line
    def apply_setopts(self):
        known_main = ('gpgcheck', 'exclude', 'excludepkgs', 'installonly_limit', 'clean_requirements_on_remove',
                      'best', 'skip_if_unavailable', 'install_weak_deps', 'tsflags', 'keepcache', 'assumeyes',
                      'metadata_expire', 'timeout', 'retries', 'fastestmirror', 'max_parallel_downloads',
                      'deltarpm', 'obsoletes', 'protected_packages', 'sslverify', 'proxy', 'color', 'debuglevel',
                      'errorlevel', 'localpkg_gpgcheck', 'repo_gpgcheck', 'cachedir', 'reposdir', 'strict',
                      'zchunk', 'module_platform_id', 'diskspacecheck', 'multilib_policy', 'defaultyes')
        for s in self.o.setopt:
            if '=' not in s:
                raise CliError('argument --setopt: Setopt argument has no value: %s' % s)
            k, v = s.split('=', 1)
            if '.' in k:
                pat, key = k.rsplit('.', 1)
                for r in self.conf.repos:
                    if fnmatch.fnmatchcase(r.id, pat):
                        r.opts[key] = v
                        if key == 'enabled':
                            r.enabled = parse_bool(v, True)
            else:
                if k not in known_main:
                    self.warn('Unknown configuration option: %s = %s' % (k, v))
                self.conf.main[k] = v

    def apply_repo_options(self):
        # --repofrompath ID,URL (dnf's cli.py): a repository of that id and
        # baseurl for this command only, enabled, added before --repo and
        # --disablerepo apply (so --repo=ID selects it alone).
        for spec in self.o.repofrompath or []:
            rid, sep, url = spec.partition(',')
            if not sep or not rid or not url:
                raise CliError("argument --repofrompath: '%s' is not a repo,path pair" % spec)
            self.conf.repos = [r for r in self.conf.repos if r.id != rid]
            self.conf.repos.append(Repo(rid, {'name': rid, 'baseurl': url}, '<repofrompath>'))
        for kind, val in self.o.repo_order:
            for pat in split_list(val):
                hits = [r for r in self.conf.repos if fnmatch.fnmatchcase(r.id, pat)]
                if kind == 'enablerepo':
                    if not hits:
                        raise Fail("Unknown repo: '%s'" % pat)
                    for r in hits:
                        r.enabled = True
                elif kind == 'disablerepo':
                    if not hits:
                        self.warn('No repository match: %s' % pat)
                    for r in hits:
                        r.enabled = False
                else:  # --repo
                    if not hits:
                        raise Fail("Unknown repo: '%s'" % pat)
        repos = [p for k, v in self.o.repo_order if k == 'repo' for p in split_list(v)]
        if repos:
            for r in self.conf.repos:
                r.enabled = any(fnmatch.fnmatchcase(r.id, p) for p in repos)

    def enabled_repos(self):
        return [r for r in self.conf.repos if r.enabled]

    def main_bool(self, k, default):
        return parse_bool(self.conf.main.get(k), default)

    # ---- metadata
    def repo_url(self, r):
        base = split_list(r.get('baseurl'))
        if base:
            u = base[0]
            return u if u.endswith('/') else u + '/', 'baseurl'
        if r.get('mirrorlist'):
            return r.get('mirrorlist').strip(), 'mirrorlist'
        if r.get('metalink'):
            return r.get('metalink').strip(), 'metalink'
        return None, None

    def resolve_repo(self, r):
        """Sets r.content / r.key, or returns the download error lines."""
        url, kind = self.repo_url(r)
        if url is None:
            raise Fail('Cannot find a valid baseurl for repo: %s' % r.id)
        pats, hosts404 = self.env.repo_patterns()
        minors = [m['minor'] for m in self.env.kube_minors()]
        for pat, content, key in pats:
            cands = [(pat, content)]
            if '{MINOR}' in pat:
                cands = [(pat.replace('{MINOR}', m), content.replace('{MINOR}', m)) for m in minors]
            for p, c in cands:
                if fnmatch.fnmatchcase(url, p) or (kind == 'baseurl' and fnmatch.fnmatchcase(url, p.rstrip('/') + '/')):
                    r.content, r.key = c, key
                    return None
        host = url.split('://', 1)[-1].split('/', 1)[0].split('?', 1)[0]
        md = url + 'repodata/repomd.xml' if kind == 'baseurl' else url
        if url.startswith('file://'):
            path = url[len('file://'):] + 'repodata/repomd.xml'
            err = "Curl error (37): Couldn't read a file:// file for %s [Couldn't open file %s]" % (md, path)
        elif host in hosts404:
            err = 'Status code: 404 for %s (IP: 34.107.204.206)' % md
        else:
            err = "Curl error (6): Couldn't resolve host name for %s [Could not resolve host: %s]" % (md, host)
        if kind == 'baseurl':
            tail = 'Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried'
        else:
            tail = 'Cannot prepare internal mirrorlist: %s' % err
        return err, tail

    def cache_dir(self, r):
        url, _ = self.repo_url(r)
        h = hashlib.sha256((url or '').encode()).hexdigest()[:16]
        cache = RPM_CACHE
        if os.geteuid() != 0 and self.env.root == '/':
            import pwd
            cache = '/var/tmp/dnf-%s-sandbox' % pwd.getpwuid(os.geteuid()).pw_name
        return self.env.p('%s/%s-%s' % (cache, r.id, h))

    def load_metadata(self, force=False):
        """Makes every enabled repository's metadata available ("downloads" what is missing
        or expired); raises Fail like dnf when one cannot be, unless skip_if_unavailable."""
        now = time.time()
        downloaded = False
        newest = 0
        expire = int(self.conf.main.get('metadata_expire', METADATA_EXPIRE) or METADATA_EXPIRE) \
            if str(self.conf.main.get('metadata_expire', '')).isdigit() else METADATA_EXPIRE
        ignored = []
        for r in self.enabled_repos():
            problem = self.resolve_repo(r)
            cd = self.cache_dir(r)
            stamp = os.path.join(cd, 'repodata', 'repomd.xml')
            fresh = os.path.exists(stamp) and now - os.path.getmtime(stamp) < expire and not self.o.refresh and not force
            if problem is None and (fresh or self.o.cacheonly):
                if os.path.exists(stamp):
                    newest = max(newest, os.path.getmtime(stamp))
                    continue
                if self.o.cacheonly:
                    raise Fail("Cache-only enabled but no cache for '%s'" % r.id)
            if problem is None:
                os.makedirs(os.path.dirname(stamp), exist_ok=True)
                with open(stamp, 'w') as f:
                    f.write('%s %s\n' % (r.id, r.content))
                size = {'rocky8-baseos': 3250000, 'rocky8-appstream': 12600000, 'rocky8-extras': 14600,
                        'rocky8-powertools': 2900000}.get(r.content, 17800)
                self.info(speed_line(r.name, size))
                downloaded = True
                continue
            err, tail = problem
            self.info(speed_line(r.name, 0))
            self.warn("Errors during downloading metadata for repository '%s':" % r.id)
            self.warn('  - %s' % err)
            if parse_bool(r.get('skip_if_unavailable'), self.main_bool('skip_if_unavailable', False)):
                ignored.append(r.id)
                r.enabled = False
                continue
            raise Fail("Failed to download metadata for repo '%s': %s" % (r.id, tail))
        if ignored:
            self.warn('Ignoring repositories: %s' % ', '.join(ignored))
        if not downloaded and newest:
            self.info('Last metadata expiration check: %s ago on %s.'
                      % (shorten_ago(now - newest), time.strftime('%a %d %b %Y %I:%M:%S %p %Z', time.localtime(newest))))

    # ---- the package sets
    def excludes_for(self, r):
        dis = [x for v in self.o.disableexcludes for x in split_list(v)]
        pats = list(split_list(self.o.exclude and ' '.join(self.o.exclude)))
        if 'all' not in dis and 'main' not in dis:
            pats += split_list(self.conf.main.get('exclude', '')) + split_list(self.conf.main.get('excludepkgs', ''))
        if r is not None and 'all' not in dis and r.id not in dis:
            pats += split_list(r.get('exclude')) + split_list(r.get('excludepkgs'))
        return pats

    def not_found_reason(self, spec, avail_all):
        """Why SPEC matched nothing, as dnf 4's Base._raise_package_not_found_error says it: the
        spec matches only packages a repository's or dnf.conf's exclude= (or -x) hides, or nothing."""
        excluded = [p for p, ex in avail_all if ex]
        if self.match(spec, excluded):
            return 'All matches were filtered out by exclude filtering for argument'
        return 'No match for argument'

    def available(self, with_excluded=False):
        """[(Pkg, excluded)] from every enabled repository (metadata must be loaded)."""
        wanted = set(r.content for r in self.enabled_repos() if r.content)
        cat = self.env.catalog_packages(wanted)
        out = []
        for r in self.enabled_repos():
            if not r.content:
                continue
            ex = self.excludes_for(r)
            inc = split_list(r.get('includepkgs'))
            for p in cat.get(r.content, []):
                q = Pkg(p.name, p.epoch, p.version, p.release, p.arch, p.dl, p.inst, p.requires, p.provides,
                        p.summary, repo=r.id, content=r.content, key=r.key, minor=p.minor)
                excluded = any(fnmatch.fnmatchcase(q.name, x) or any(fnmatch.fnmatchcase(f, x) for f in q.forms()[1:])
                               for x in ex)
                if inc and not any(fnmatch.fnmatchcase(q.name, x) for x in inc):
                    excluded = True
                if excluded and not with_excluded:
                    continue
                out.append((q, excluded) if with_excluded else q)
        return out

    @staticmethod
    def match(spec, pkgs):
        return [p for p in pkgs if any(fnmatch.fnmatchcase(f, spec) for f in p.forms())]

    @staticmethod
    def best(pkgs):
        b = None
        for p in pkgs:
            if b is None or p.cmp(b) > 0 or (p.cmp(b) == 0 and p.arch != 'i686' and b.arch == 'i686'):
                b = p
        return b

    # ---- transactions
    def resolve_deps(self, installing, installed, avail):
        """Adds the packages installing needs; returns (deps, problems)."""
        deps = []
        problems = []
        queue = list(installing)
        replacing = set(p.name for p in installing)
        while queue:
            p = queue.pop(0)
            for req in p.requires:
                pool = [q for q in installed if q.name not in replacing] + installing + deps
                if any(satisfies(q, req) for q in pool):
                    continue
                cands = [q for q in avail if satisfies(q, req)]
                if not cands:
                    problems.append('nothing provides %s needed by %s' % (fmt_req_spaced(req), p.nevra.replace('-0:', '-')))
                    continue
                b = self.best(cands)
                old = [q for q in installed if q.name == b.name]
                b.reason = 'dependency'
                deps.append(b)
                if old:
                    replacing.add(b.name)
                queue.append(b)
        return deps, problems

    def table(self, sections, verb_totals):
        """Prints dnf's transaction table. sections: [(title, [(pkg, repo_label)])]."""
        rows = [(p.name, p.arch, p.evr, label, size_str(p.dl if not label.startswith('@') else p.inst))
                for _, items in sections for p, label in items]
        w = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(('Package', 'Arch', 'Version', 'Repository', 'Size'))]
        total = sum(w) + 6
        if total < 80:
            extra = 80 - total
            w[0] += extra // 2
            w[2] += extra - extra // 2
        line = '=' * max(80, total)
        self.info(line)
        self.info(' %-*s %-*s %-*s %-*s %*s' % (w[0], 'Package', w[1], 'Arch', w[2], 'Version', w[3], 'Repository', w[4], 'Size'))
        self.info(line)
        for title, items in sections:
            if not items:
                continue
            self.info(title)
            for p, label in items:
                size = size_str(p.dl if not label.startswith('@') else p.inst)
                self.info(' %-*s %-*s %-*s %-*s %*s' % (w[0], p.name, w[1], p.arch, w[2], p.evr, w[3], label, w[4], size))
            for p, label in items:
                if label.startswith('replacing'):
                    pass
        self.info('')
        self.info('Transaction Summary')
        self.info(line)
        for verb, n in verb_totals:
            if n:
                self.info('%-9s%d Package%s' % (verb, n, '' if n == 1 else 's'))
        self.info('')

    def gpg_check(self, pkgs):
        """Imports the keys the packages' repositories need (dnf's prompt), or raises Fail."""
        if self.o.nogpgcheck:
            return
        keys = self.env.gpgkeys()
        installed_keys = set(p.version for p in self.env.load_installed() if p.name == 'gpg-pubkey')
        done = set()
        for p in pkgs:
            r = self.conf.repo(p.repo)
            if r is None or not parse_bool(r.get('gpgcheck'), self.main_bool('gpgcheck', True)):
                continue
            k = keys.get(p.key)
            if k is None:
                continue
            short = k['keyid'][-8:].lower()
            if short in installed_keys or (r.id, short) in done:
                continue
            urls = split_list(r.get('gpgkey'))
            if not urls:
                self.warn('warning: /var/cache/dnf/%s/packages/%s.rpm: Header V4 RSA/SHA512 Signature, key ID %s: NOKEY'
                          % (os.path.basename(self.cache_dir(r)), p.nvra, short))
                self.warn('Public key for %s.rpm is not installed' % p.nvra)
                self.fail_gpg()
            imported_any = False
            for url in urls:
                data, err = self.env.fetch(url)
                if err:
                    self.warn('Curl error (%d): %s' % err)
                    self.fail_gpg()
                if not url.startswith('file://'):
                    self.info(speed_line(r.name, len(data)))
                body_key = None
                for kk in keys.values():
                    with open(os.path.join(self.env.share, 'catalog', 'files', kk['body']), 'rb') as f:
                        if f.read() == data:
                            body_key = kk
                if body_key is None:
                    self.warn('Error: GPG key retrieval failed: The file at %s is not a valid GPG key' % url)
                    self.fail_gpg()
                bshort = body_key['keyid'][-8:].lower()
                if bshort in installed_keys:
                    self.info('GPG key at %s (0x%s) is already installed' % (url, body_key['keyid'][-8:]))
                    continue
                self.info('Importing GPG key 0x%s:' % body_key['keyid'][-8:])
                self.info(' Userid     : "%s"' % body_key['userid'])
                self.info(' Fingerprint: %s' % body_key['fpr'])
                self.info(' From       : %s' % (url[len('file://'):] if url.startswith('file://') else url))
                if not self.ask():
                    self.warn("Didn't install any keys")
                    self.fail_gpg()
                self.import_key(body_key)
                installed_keys.add(bshort)
                imported_any = True
                self.info('Key imported successfully')
            if short not in installed_keys:
                self.warn('The GPG keys listed for the "%s" repository are already installed but they are not correct for this package.' % r.name)
                self.warn('Check that the correct key URLs are configured for this repository.. Failing package is: %s' % p.nevra.replace('-0:', '-'))
                self.warn(' GPG Keys are configured as: %s' % ', '.join(urls))
                self.fail_gpg()
            done.add((r.id, short))
            _ = imported_any

    def fail_gpg(self):
        self.warn('The downloaded packages were saved in cache until the next successful transaction.')
        self.warn("You can remove cached packages by executing '%s clean packages'." % self.prog)
        raise Fail('GPG check FAILED')

    def import_key(self, k):
        short = k['keyid'][-8:].lower()
        pkg = Pkg('gpg-pubkey', '', short, k['created'], '(none)', summary='gpg(%s)' % k['userid'], repo='',
                  installtime=time.time())
        existing = [p for p in self.env.load_installed() if p.name == 'gpg-pubkey' and p.version != short]
        self.env.write_db_name('gpg-pubkey', existing + [pkg])

    def run_transaction(self, install, upgrade, remove, verbs):
        """install: [Pkg]; upgrade: [(new, old)]; remove: [Pkg]. Prints dnf's progress."""
        total = len(install) + 2 * len(upgrade) + len(remove)
        self.info('Running transaction check')
        self.info('Transaction check succeeded.')
        self.info('Running transaction test')
        self.info('Transaction test succeeded.')
        self.info('Running transaction')
        self.info('  %-17s: %*s%d/%d' % ('Preparing', 53, '', 1, 1))
        n = 0
        warnings = []

        def step(verb, nevra):
            nonlocal n
            n += 1
            text = '  %-17s: %s' % (verb, nevra)
            self.info('%-72s%d/%d' % (text, n, total) if len(text) < 72 else '%s %d/%d' % (text, n, total))

        def warn(m):
            self.warn(m)
            warnings.append(m)

        for p in install:
            step('Installing', p.nvra)
            self.do_install(p, None, warn)
            if self.env.payload_dir(p.name) and os.path.exists(os.path.join(self.env.share, 'payloads', p.name + '.post')):
                step_text = '  %-17s: %s' % ('Running scriptlet', p.nvra)
                self.info('%-72s%d/%d' % (step_text, n, total))
                self.env.scriptlet(p.name, 'post', 1)
        for new, old in upgrade:
            step(verbs.get(new.name, 'Upgrading'), new.nvra)
            self.do_install(new, old, warn)
        for new, old in upgrade:
            step('Cleanup', old.nvra)
        for p in remove:
            if os.path.exists(os.path.join(self.env.share, 'payloads', p.name + '.preun')):
                step_text = '  %-17s: %s' % ('Running scriptlet', p.nvra)
                self.info('%-72s%d/%d' % (step_text, n + 1, total))
                self.env.scriptlet(p.name, 'preun', 0)
            step('Erasing', p.nvra)
            self.do_remove(p, warn)
        self.unit_file_trigger(install + [n for n, _ in upgrade] + remove)
        n = 0
        for p in install:
            step('Verifying', p.nvra)
        for new, old in upgrade:
            step('Verifying', new.nvra)
            step('Verifying', old.nvra)
        for p in remove:
            step('Verifying', p.nvra)
        return warnings

    def unit_file_trigger(self, pkgs):
        """systemd's rpm file trigger: a transaction that touched unit files ends with
        `systemctl daemon-reload` (here: the systemctl stand-in's reload stamps)."""
        if self.env.root != '/':
            return
        touched = False
        for p in pkgs:
            if os.path.isdir(os.path.join(self.env.share, 'payloads', p.name, 'usr', 'lib', 'systemd')):
                touched = True
        if not touched:
            return
        d = '/run/sandbox/units'
        try:
            names = os.listdir(d)
        except OSError:
            return
        for n in names:
            if n.endswith('.loaded'):
                with open(os.path.join(d, n), 'w'):
                    pass

    def do_install(self, p, old, warn):
        installed = self.env.load_installed()
        old_records = self.env.read_files(p.name) if old is not None else []
        records = self.env.install_payload(p, old_records, warn)
        if old is not None:
            new_paths = set(r[3] for r in records)
            self.env.remove_payload([r for r in old_records if r[3] not in new_paths], set(), warn)
        self.env.write_files(p.name, records)
        keep = [q for q in installed if q.name == p.name and old is not None and q.nvra != old.nvra and p.name in ('kernel', 'kernel-core', 'kernel-modules')]
        p.installtime = time.time()
        if old is not None and p.reason != 'user':
            p.reason = old.reason
        p.repo = p.repo or '@commandline'
        self.env.write_db_name(p.name, keep + [p])

    def do_remove(self, p, warn):
        records = self.env.read_files(p.name)
        self.env.remove_payload(records, set(), warn)
        self.env.write_files(p.name, [])
        rest = [q for q in self.env.load_installed() if q.name == p.name and q.nvra != p.nvra]
        self.env.write_db_name(p.name, rest)

    def download_lines(self, pkgs):
        self.info('Downloading Packages:')
        total = 0
        for i, p in enumerate(pkgs, 1):
            total += p.dl * 1024
            self.info(speed_line('(%d/%d): %s.rpm' % (i, len(pkgs), p.nvra), p.dl * 1024, 48))
        self.info('-' * 80)
        self.info(speed_line('Total', total, 48).replace('00:00    ', '00:01    ', 1))

    def finish(self, sections):
        """The closing lists (Installed: / Upgraded: / Removed:) and Complete!"""
        for title, pkgs in sections:
            if not pkgs:
                continue
            self.info('')
            self.info(title)
            names = sorted(p.nvra for p in pkgs)
            w = max(len(x) for x in names) + 2
            per = max(1, 78 // w)
            for i in range(0, len(names), per):
                self.info('  ' + ''.join(x.ljust(w) for x in names[i:i + per]).rstrip())
        self.info('')
        self.info('Complete!')

    # ---- commands
    def cmd_install(self, mode='install'):
        o = self.o
        specs = o.args
        if not specs:
            self.usage()
            self.warn('Error: Command line error: expected at least 1 argument' if False else
                      'Command line error: argument %s: expected at least 1 argument'
                      % ('PACKAGE' if mode != 'install' else 'PACKAGE'))
            return 1
        self.load_metadata()
        avail_all = self.available(with_excluded=True)
        avail = [p for p, ex in avail_all if not ex]
        installed = self.env.load_installed()
        inst_by_name = {}
        for p in installed:
            inst_by_name.setdefault(p.name, []).append(p)
        to_install, to_upgrade, verbs, missing, already = [], [], {}, [], []
        chosen = set()
        for spec in specs:
            if spec.endswith('.rpm') or spec.startswith('/') and '*' not in spec:
                if spec.endswith('.rpm'):
                    self.warn("Can not load RPM file: %s." % spec)
                    self.warn('Could not open: %s' % spec)
                    missing.append(spec)
                    continue
            m = self.match(spec, avail)
            if not m:
                provs = [p for p in avail if any(fnmatch.fnmatchcase(c, spec) for c in p.provides)]
                if provs:
                    b = self.best(provs)
                    m = [q for q in avail if q.name == b.name]
            im = self.match(spec, installed)
            if not m and not im:
                self.info('%s: %s' % (self.not_found_reason(spec, avail_all), spec))
                missing.append(spec)
                continue
            names = sorted(set(p.name for p in m) | set(p.name for p in im))
            for name in names:
                cands = [p for p in m if p.name == name]
                inst = inst_by_name.get(name, [])
                ispec = [p for p in im if p.name == name]
                if mode == 'reinstall':
                    if not inst:
                        self.info('Package %s available, but not installed.' % name)
                        missing.append(spec)
                        continue
                    same = [p for p in cands if p.cmp(inst[0]) == 0]
                    if not same:
                        self.info('Installed package %s not available.' % inst[0].nvra)
                        continue
                    to_upgrade.append((same[0], inst[0]))
                    verbs[name] = 'Reinstalling'
                    continue
                if not cands:
                    if ispec:
                        already.append(ispec[0])
                    continue
                b = self.best(cands)
                if mode == 'downgrade':
                    if not inst:
                        self.info('Packages for argument %s available, but not installed.' % spec)
                        missing.append(spec)
                        continue
                    lower = [p for p in cands if p.cmp(inst[0]) < 0]
                    if not lower:
                        self.info('Package %s of lowest version already installed, cannot downgrade it.' % inst[0].nvra)
                        continue
                    b = self.best(lower)
                if name in chosen:
                    continue
                chosen.add(name)
                if inst:
                    c = b.cmp(inst[0])
                    if c == 0 or (c < 0 and ispec and mode == 'install'):
                        # installed already (or newer than what the spec asks for)
                        already.append(inst[0])
                        continue
                    b.reason = inst[0].reason
                    to_upgrade.append((b, inst[0]))
                    verbs[name] = 'Upgrading' if c > 0 else 'Downgrading'
                else:
                    b.reason = 'user'
                    to_install.append(b)
        for p in already:
            self.info('Package %s is already installed.' % p.nvra)
        if missing and mode in ('install', 'reinstall', 'downgrade'):
            raise Fail('Unable to find a match: %s' % ' '.join(missing))
        deps, problems = self.resolve_deps(to_install + [n for n, _ in to_upgrade], installed, avail)
        if problems:
            msg = '\n Problem: conflicting requests\n' + '\n'.join('  - ' + x for x in problems)
            if len(problems) > 1:
                msg = '\n' + '\n'.join(' Problem %d: cannot install the best candidate for the job\n  - %s' % (i, x)
                                       for i, x in enumerate(problems, 1))
            self.warn('Error: %s' % msg)
            self.warn("(try to add '--skip-broken' to skip uninstallable packages or '--nobest' to use not only best candidate packages)")
            return 1
        dep_install = [d for d in deps if d.name not in inst_by_name]
        dep_upgrade = [(d, inst_by_name[d.name][0]) for d in deps if d.name in inst_by_name]
        self.info('Dependencies resolved.')
        if not to_install and not to_upgrade and not deps:
            self.info('Nothing to do.')
            self.info('Complete!')
            return 0
        ups = [(n, old) for n, old in to_upgrade if verbs.get(n.name) == 'Upgrading'] + dep_upgrade
        downs = [(n, old) for n, old in to_upgrade if verbs.get(n.name) == 'Downgrading']
        reins = [(n, old) for n, old in to_upgrade if verbs.get(n.name) == 'Reinstalling']
        sections = [('Installing:', [(p, p.repo) for p in sorted(to_install, key=lambda p: p.name)]),
                    ('Upgrading:', [(p, p.repo) for p, _ in sorted(ups, key=lambda x: x[0].name)]),
                    ('Reinstalling:', [(p, p.repo) for p, _ in sorted(reins, key=lambda x: x[0].name)]),
                    ('Downgrading:', [(p, p.repo) for p, _ in sorted(downs, key=lambda x: x[0].name)]),
                    ('Installing dependencies:', [(p, p.repo) for p in sorted(dep_install, key=lambda p: p.name)])]
        self.table(sections, [('Install', len(to_install) + len(dep_install)), ('Upgrade', len(ups)),
                              ('Reinstall', len(reins)), ('Downgrade', len(downs))])
        everything = dep_install + [n for n, _ in dep_upgrade] + to_install + [n for n, _ in to_upgrade]
        dl = sum(p.dl for p in everything)
        self.info('Total download size: %s' % size_str(dl))
        if to_install or dep_install:
            self.info('Installed size: %s' % size_str(sum(p.inst for p in to_install + dep_install)))
        if o.downloadonly:
            self.info('%s will only download packages for the transaction.' % self.prog.upper())
        if not self.ask():
            self.warn('Operation aborted.')
            return 1
        self.download_lines(everything)
        if o.downloadonly:
            self.info('Complete!')
            self.info('The downloaded packages were saved in cache until the next successful transaction.')
            self.info("You can remove cached packages by executing '%s clean packages'." % self.prog)
            return 0
        self.gpg_check(everything)
        for n, _ in dep_upgrade:
            verbs[n.name] = 'Upgrading'
        self.run_transaction(dep_install + to_install, dep_upgrade + to_upgrade, [], verbs)
        self.finish([('Upgraded:', [n for n, _ in ups]), ('Downgraded:', [n for n, _ in downs]),
                     ('Reinstalled:', [n for n, _ in reins]), ('Installed:', to_install + dep_install)])
        return 0

    def cmd_reinstall(self):
        return self.cmd_install('reinstall')

    def cmd_downgrade(self):
        return self.cmd_install('downgrade')

    def removal_set(self, targets, installed):
        """targets plus the installed packages that need them, plus unused dependencies."""
        removing = {p.nvra: p for p in targets}
        changed = True
        dependents = []
        while changed:
            changed = False
            remaining = [q for q in installed if q.nvra not in removing]
            for q in remaining:
                for req in q.requires:
                    if any(satisfies(x, req) for x in remaining):
                        continue
                    if any(satisfies(x, req) for x in removing.values()):
                        removing[q.nvra] = q
                        dependents.append(q)
                        changed = True
                        break
        unused = []
        if self.main_bool('clean_requirements_on_remove', True) and not self.o.noautoremove:
            changed = True
            while changed:
                changed = False
                remaining = [q for q in installed if q.nvra not in removing]
                for q in remaining:
                    if q.reason != 'dependency':
                        continue
                    needed = any(satisfies(q, req) for x in remaining if x is not q for req in x.requires)
                    if not needed:
                        removing[q.nvra] = q
                        unused.append(q)
                        changed = True
        return dependents, unused

    def cmd_remove(self):
        o = self.o
        if not o.args:
            self.usage()
            self.warn('Command line error: argument PACKAGE: expected at least 1 argument')
            return 1
        installed = self.env.load_installed()
        targets = []
        for spec in o.args:
            m = self.match(spec, installed)
            if not m:
                self.info('No match for argument: %s' % spec)
                continue
            for p in m:
                if p not in targets:
                    targets.append(p)
        if not targets:
            self.warn('No packages marked for removal.')
            self.info('Dependencies resolved.')
            self.info('Nothing to do.')
            self.info('Complete!')
            return 0
        dependents, unused = self.removal_set(targets, installed)
        everything = targets + dependents + unused
        protected = sorted(set(p.name for p in everything if p.name in PROTECTED))
        if any(p.essential for p in everything) and 'systemd' not in protected:
            # the rest of the base system (not modelled package by package) needs them
            protected = sorted(set(protected) | {'systemd'})
        if protected:
            raise Fail('\n Problem: The operation would result in removing the following protected packages: %s'
                       % ', '.join(protected))
        self.info('Dependencies resolved.')
        sections = [('Removing:', [(p, '@' + p.repo) for p in sorted(targets, key=lambda p: p.name)]),
                    ('Removing dependent packages:', [(p, '@' + p.repo) for p in sorted(dependents, key=lambda p: p.name)]),
                    ('Removing unused dependencies:', [(p, '@' + p.repo) for p in sorted(unused, key=lambda p: p.name)])]
        self.table(sections, [('Remove', len(everything))])
        self.info('Freed space: %s' % size_str(sum(p.inst for p in everything)))
        if not self.ask():
            self.warn('Operation aborted.')
            return 1
        self.run_transaction([], [], everything, {})
        self.finish([('Removed:', everything)])
        return 0

    def cmd_autoremove(self):
        installed = self.env.load_installed()
        _, unused = self.removal_set([], installed)
        self.info('Dependencies resolved.')
        if not unused:
            self.info('Nothing to do.')
            self.info('Complete!')
            return 0
        self.table([('Removing:', [(p, '@' + p.repo) for p in unused])], [('Remove', len(unused))])
        self.info('Freed space: %s' % size_str(sum(p.inst for p in unused)))
        if not self.ask():
            self.warn('Operation aborted.')
            return 1
        self.run_transaction([], [], unused, {})
        self.finish([('Removed:', unused)])
        return 0

    def updates(self, names=None):
        avail = self.available()
        out = []
        for p in self.env.load_installed():
            if p.name == 'gpg-pubkey' or (names is not None and p.name not in names):
                continue
            newer = [q for q in avail if q.name == p.name and q.arch in (p.arch, 'noarch') and q.cmp(p) > 0]
            if newer:
                out.append((self.best(newer), p))
        return sorted(out, key=lambda x: x[0].name)

    def cmd_upgrade(self):
        o = self.o
        self.load_metadata()
        installed = self.env.load_installed()
        names = None
        missing = []
        if o.args:
            names = set()
            avail = self.available()
            for spec in o.args:
                im = self.match(spec, installed)
                if not im:
                    am = self.match(spec, avail)
                    if am:
                        self.info('Package %s available, but not installed.' % am[0].name)
                    self.info('No match for argument: %s' % spec)
                    missing.append(spec)
                    continue
                names.update(p.name for p in im)
            if not names:
                raise Fail('No packages marked for upgrade.')
        ups = self.updates(names)
        deps, problems = self.resolve_deps([n for n, _ in ups], installed, self.available())
        if problems:
            self.warn('Error: \n Problem: cannot install the best update candidate\n' + '\n'.join('  - ' + x for x in problems))
            return 1
        self.info('Dependencies resolved.')
        if not ups and not deps:
            self.info('Nothing to do.')
            self.info('Complete!')
            return 0
        inst_names = set(p.name for p in installed)
        dep_install = [d for d in deps if d.name not in inst_names]
        self.table([('Upgrading:', [(n, n.repo) for n, _ in ups]),
                    ('Installing dependencies:', [(p, p.repo) for p in dep_install])],
                   [('Install', len(dep_install)), ('Upgrade', len(ups))])
        everything = [n for n, _ in ups] + dep_install
        self.info('Total download size: %s' % size_str(sum(p.dl for p in everything)))
        if not self.ask():
            self.warn('Operation aborted.')
            return 1
        self.download_lines(everything)
        self.gpg_check(everything)
        self.run_transaction(dep_install, ups, [], {})
        self.finish([('Upgraded:', [n for n, _ in ups]), ('Installed:', dep_install)])
        return 0

    def cmd_check_update(self):
        self.load_metadata()
        names = None
        if self.o.args:
            installed = self.env.load_installed()
            names = set(p.name for s in self.o.args for p in self.match(s, installed))
        ups = self.updates(names)
        if not ups:
            return 0
        self.say('')
        rows = [('%s.%s' % (n.name, n.arch), n.evr, n.repo) for n, _ in ups]
        self.list_rows(rows)
        return 100

    def list_rows(self, rows):
        if not rows:
            return
        w1 = max(len(r[0]) for r in rows) + 1
        w3 = max(len(r[2]) for r in rows)
        w2 = max(max(len(r[1]) for r in rows) + 1, 80 - w1 - w3 - 2)
        for a, b, c in rows:
            self.say('%-*s %-*s %s' % (w1, a, w2, b, c))

    def cmd_list(self):
        o = self.o
        args = list(o.args)
        what = 'all'
        if args and args[0] in ('installed', 'available', 'updates', 'upgrades', 'all', 'extras', 'obsoletes', 'recent', 'autoremove'):
            what = args.pop(0)
        if o.list_installed:
            what = 'installed'
        elif o.list_available:
            what = 'available'
        elif o.list_upgrades:
            what = 'upgrades'
        installed = self.env.load_installed()
        if what != 'installed':
            self.load_metadata()
        sel_inst = installed if not args else [p for s in args for p in self.match(s, installed)]
        sections = []
        if what in ('installed', 'all'):
            rows = sorted(set(('%s.%s' % (p.name, p.arch), p.evr, '@' + p.repo) for p in sel_inst
                              if p.name != 'gpg-pubkey'))
            if rows:
                sections.append(('Installed Packages', rows))
        if what in ('available', 'all'):
            avail = self.available()
            sel = avail if not args else [p for s in args for p in self.match(s, avail)]
            inst = {(p.name, p.arch): p for p in installed}
            rows = []
            byname = {}
            for p in sel:
                ip = inst.get((p.name, p.arch))
                if ip is not None and p.cmp(ip) <= 0 and not o.showduplicates:
                    continue
                if ip is not None and p.cmp(ip) == 0:
                    continue
                byname.setdefault((p.name, p.arch), []).append(p)
            for key in sorted(byname):
                ps = byname[key]
                if not o.showduplicates:
                    ps = [self.best(ps)]
                for p in sorted(ps, key=lambda q: (q.cmp(ps[0]), q.version, q.release)):
                    rows.append(('%s.%s' % (p.name, p.arch), p.evr, p.repo))
            if o.showduplicates:
                def vkey(r):
                    e, v, rel = split_evr(r[1])
                    return r[0], _VerKey(e, v, rel)
                rows.sort(key=vkey)
            if rows:
                sections.append(('Available Packages', rows))
        if what in ('updates', 'upgrades'):
            names = None if not args else set(p.name for s in args for p in self.match(s, installed))
            rows = [('%s.%s' % (n.name, n.arch), n.evr, n.repo) for n, _ in self.updates(names)]
            if rows:
                sections.append(('Available Upgrades', rows))
        if not sections:
            raise Fail('No matching Packages to list')
        allrows = [r for _, rows in sections for r in rows]
        w1 = max(len(r[0]) for r in allrows) + 1
        w3 = max(len(r[2]) for r in allrows)
        w2 = max(max(len(r[1]) for r in allrows) + 1, 80 - w1 - w3 - 2)
        for title, rows in sections:
            self.say(title)
            for a, b, c in rows:
                self.say('%-*s %-*s %s' % (w1, a, w2, b, c))
        return 0

    def cmd_info(self):
        installed = self.env.load_installed()
        args = self.o.args
        sel_inst = installed if not args else [p for s in args for p in self.match(s, installed)]
        self.load_metadata()
        avail = self.available()
        sel_av = avail if not args else [p for s in args for p in self.match(s, avail)]
        inst_keys = set((p.name, p.evr) for p in installed)
        shown = False

        def block(p, repo, from_repo=None):
            self.say('Name         : %s' % p.name)
            if p.epoch and p.epoch != '0':
                self.say('Epoch        : %s' % p.epoch)
            self.say('Version      : %s' % p.version)
            self.say('Release      : %s' % p.release)
            self.say('Architecture : %s' % p.arch)
            self.say('Size         : %s' % size_str(p.inst if from_repo else p.dl))
            self.say('Source       : %s-%s-%s.src.rpm' % (p.name, p.version, p.release))
            self.say('Repository   : %s' % repo)
            if from_repo:
                self.say('From repo    : %s' % from_repo)
            self.say('Summary      : %s' % p.summary)
            self.say('License      : %s' % ('ASL 2.0' if p.content.startswith(('k8s', 'cri-o')) or p.repo == 'kubernetes' else 'GPLv2+'))
            self.say('Description  : %s' % p.summary)
            self.say('')

        ins = [p for p in sel_inst if p.name != 'gpg-pubkey']
        if ins:
            self.say('Installed Packages')
            for p in sorted(ins, key=lambda p: p.name):
                block(p, '@System', p.repo)
            shown = True
        best = {}
        for p in sel_av:
            if (p.name, p.evr) in inst_keys:
                continue
            k = (p.name, p.arch)
            if self.o.showduplicates:
                best.setdefault(k, []).append(p)
            elif k not in best or p.cmp(best[k][0]) > 0:
                best[k] = [p]
        if best:
            self.say('Available Packages')
            for k in sorted(best):
                for p in best[k]:
                    block(p, p.repo)
            shown = True
        if not shown:
            raise Fail('No matching Packages to list')
        return 0

    def cmd_repolist(self):
        args = list(self.o.args)
        which = 'enabled'
        if args and args[0] in ('all', 'enabled', 'disabled'):
            which = args.pop(0)
        if self.o.all:
            which = 'all'
        if self.o.repo_disabled:
            which = 'disabled'
        repos = [r for r in self.conf.repos
                 if (which == 'all' or (which == 'enabled') == r.enabled)
                 and (not args or any(fnmatch.fnmatchcase(r.id, a) for a in args))]
        repos.sort(key=lambda r: r.id)
        if not repos:
            if which == 'enabled' and not args:
                self.warn('No repositories available')
            return 0
        idw = max(len(r.id) for r in repos)
        if which == 'all':
            namew = max(len(r.name) for r in repos)
            idw = max(idw, 7)
            self.say('%-*s %-*s %s' % (idw, 'repo id', namew, 'repo name', 'status'))
            for r in repos:
                self.say('%-*s %-*s %s' % (idw, r.id, namew, r.name, 'enabled' if r.enabled else 'disabled'))
        else:
            namew = max(len(r.name) for r in repos)
            idw = max(idw + 1, 80 - namew - 1, 8)
            self.say('%-*s%s' % (idw, 'repo id', 'repo name'))
            for r in repos:
                self.say('%-*s%s' % (idw, r.id, r.name))
        return 0

    def cmd_makecache(self):
        if self.o.timer:
            return 0
        self.load_metadata()
        self.info('Metadata cache created.')
        return 0

    def cmd_clean(self):
        if not self.o.args:
            self.usage()
            self.warn('Command line error: argument type: expected at least 1 argument')
            return 1
        valid = ('metadata', 'packages', 'dbcache', 'expire-cache', 'all')
        for a in self.o.args:
            if a not in valid:
                self.usage()
                self.warn("Command line error: argument type: invalid choice: '%s' (choose from 'metadata', 'packages', 'dbcache', 'expire-cache', 'all')" % a)
                return 1
        cache = self.env.p(RPM_CACHE)
        n = 0
        if os.path.isdir(cache):
            for dirpath, dirnames, filenames in os.walk(cache, topdown=False):
                for f in filenames:
                    os.unlink(os.path.join(dirpath, f))
                    n += 1
                for d in dirnames:
                    try:
                        os.rmdir(os.path.join(dirpath, d))
                    except OSError:
                        pass
        if 'expire-cache' in self.o.args and len(self.o.args) == 1:
            self.say('Cache was expired')
            return 0
        self.say('%d file%s removed' % (n, '' if n == 1 else 's'))
        return 0

    def cmd_config_manager(self):
        o = self.o
        if o.add_repo:
            for url in o.add_repo:
                self.say('Adding repo from: %s' % url)
                if url.endswith('.repo'):
                    data, err = self.env.fetch(url)
                    if err:
                        self.warn('Curl error (%d): %s' % err)
                        raise Fail('Configuration of repo failed')
                    dest = self.env.p('/etc/yum.repos.d/' + url.rsplit('/', 1)[-1])
                    with open(dest, 'wb') as f:
                        f.write(data)
                else:
                    rid = re.sub(r'[^A-Za-z0-9_.-]', '_', re.sub(r'^[A-Za-z]+://', '', url))
                    dest = self.env.p('/etc/yum.repos.d/%s.repo' % rid)
                    with open(dest, 'w') as f:
                        f.write('[%s]\nname=created by dnf config-manager from %s\nbaseurl=%s\nenabled=1\n' % (rid, url, url))
            return 0
        if o.set_enabled or o.set_disabled or o.save:
            if not o.args and (o.set_enabled or o.set_disabled):
                raise Fail('Command line error: Missing repository id')
            targets = []
            for a in o.args:
                hits = [r for r in self.conf.repos if fnmatch.fnmatchcase(r.id, a)]
                if not hits:
                    raise Fail('No matching repo to modify: %s.' % a)
                targets += hits
            for r in targets:
                changes = {}
                if o.set_enabled:
                    changes['enabled'] = '1'
                if o.set_disabled:
                    changes['enabled'] = '0'
                for s in o.setopt:
                    k, v = s.split('=', 1)
                    if '.' in k:
                        pat, key = k.rsplit('.', 1)
                        if fnmatch.fnmatchcase(r.id, pat):
                            changes[key] = v
                rewrite_repo_file(self.env.p(r.file), r.id, changes)
            return 0
        if o.dump:
            for r in self.conf.repos:
                self.say('=' * 30 + ' repo: %s ' % r.id + '=' * 30)
                for k, v in sorted(r.opts.items()):
                    self.say('%s = %s' % (k, v))
            return 0
        raise Fail('one of the following arguments is required: --save --add-repo --dump --dump-variables --set-enabled --enable --set-disabled --disable')

    def cmd_provides(self):
        if not self.o.args:
            raise Fail('Command line error: expected at least 1 argument')
        installed = self.env.load_installed()
        found = False
        for a in self.o.args:
            for p in installed:
                hit = a in p.caps()
                if not hit and a.startswith('/'):
                    hit = any(r[3] == a for r in self.env.read_files(p.name))
                if hit:
                    found = True
                    self.say('%s : %s' % (p.nevra.replace('-0:', '-'), p.summary))
                    self.say('Repo        : @System')
                    self.say('Matched from:')
                    self.say(('Filename    : %s' if a.startswith('/') else 'Provide    : %s') % a)
                    self.say('')
        if not found:
            self.warn('Error: No Matches found')
            return 1
        return 0

    def cmd_search(self):
        self.load_metadata()
        avail = self.available()
        hits = {}
        for a in self.o.args:
            for p in avail:
                if a.lower() in p.name.lower() or a.lower() in p.summary.lower():
                    hits['%s.%s' % (p.name, p.arch)] = p.summary
        if not hits:
            self.say('No matches found.')
            return 1
        self.say('=' * 20 + ' Name & Summary Matched: %s ' % ', '.join(self.o.args) + '=' * 20)
        for k in sorted(hits):
            self.say('%s : %s' % (k, hits[k]))
        return 0

    def cmd_repoquery(self):
        self.load_metadata()
        pkgs = self.env.load_installed() if self.o.list_installed else self.available()
        sel = pkgs if not self.o.args else [p for s in self.o.args for p in self.match(s, pkgs)]
        for p in sorted(set(p.nevra for p in sel)):
            self.say(p)
        return 0


class _VerKey:
    def __init__(self, e, v, r):
        self.e, self.v, self.r = e, v, r

    def __lt__(self, other):
        return evrcmp(self.e, self.v, self.r, other.e, other.v, other.r) < 0

    def __eq__(self, other):
        return evrcmp(self.e, self.v, self.r, other.e, other.v, other.r) == 0


def rewrite_repo_file(path, rid, changes):
    """Sets keys of one [rid] section in place, keeping the rest of the file."""
    with open(path) as f:
        lines = f.read().split('\n')
    out, ours, done = [], False, set()
    for line in lines:
        s = line.strip()
        if s.startswith('[') and s.endswith(']'):
            if ours:
                for k, v in changes.items():
                    if k not in done:
                        out.append('%s = %s' % (k, v))
                        done.add(k)
            ours = s[1:-1] == rid
        elif ours and '=' in s and not s.startswith(('#', ';')):
            k = s.split('=', 1)[0].strip().lower()
            if k in changes:
                out.append('%s = %s' % (k, changes[k]))
                done.add(k)
                continue
        out.append(line)
    if ours:
        while out and out[-1] == '':
            out.pop()
        for k, v in changes.items():
            if k not in done:
                out.append('%s = %s' % (k, v))
        out.append('')
    with open(path + '.tmp', 'w') as f:
        f.write('\n'.join(out))
    os.rename(path + '.tmp', path)


# ------------------------------------------------------------------ rpm (the writing parts)

def rpm_main(argv):
    """rpm -e / --import (the sh rpm stand-in hands these over)."""
    env = Env('/')
    if not argv:
        return 1
    op, args = argv[0], argv[1:]
    nodeps = '--nodeps' in args
    test = '--test' in args
    args = [a for a in args if a not in ('--nodeps', '--test', '-v', '-vv', '--allmatches', '--noscripts')]
    try:
        lockf = open(os.path.join(env.db, '.lock'), 'w')
    except OSError:
        sys.stderr.write("error: can't create transaction lock on /var/lib/rpm/.rpm.lock (Permission denied)\n")
        return 1
    fcntl.flock(lockf, fcntl.LOCK_EX)
    if op == 'import':
        keys = Env('/').gpgkeys()
        rc = 0
        for a in args:
            if '://' in a:
                data, err = env.fetch(a)
                if err:
                    sys.stderr.write('curl: (%d) %s\n' % (err[0], err[1].split(' [')[-1].rstrip(']') if err[0] == 6 else err[1]))
                    sys.stderr.write('error: %s: import read failed(2).\n' % a)
                    rc = 1
                    continue
            else:
                try:
                    with open(a, 'rb') as f:
                        data = f.read()
                except OSError:
                    sys.stderr.write('error: %s: import read failed(2).\n' % a)
                    rc = 1
                    continue
            k = None
            for kk in keys.values():
                with open(os.path.join(env.share, 'catalog', 'files', kk['body']), 'rb') as f:
                    if f.read() == data:
                        k = kk
            if k is None:
                sys.stderr.write('error: %s: key 1 import failed.\n' % a)
                rc = 1
                continue
            d = Dnf('rpm', [])
            d.env = env
            d.import_key(k)
        return rc
    if op == 'erase':
        if not args:
            sys.stderr.write('rpm: no packages given for erase\n')
            return 1
        installed = env.load_installed()
        targets, rc = [], 0
        for a in args:
            m = [p for p in installed if a in (p.name, p.nvra, '%s-%s' % (p.name, p.version),
                                                '%s-%s-%s' % (p.name, p.version, p.release))]
            if not m:
                sys.stderr.write('error: package %s is not installed\n' % a)
                rc += 1
                continue
            if len(m) > 1:
                sys.stderr.write('error: "%s" specifies multiple packages:\n' % a)
                for p in m:
                    sys.stderr.write('  %s\n' % p.nvra)
                rc += 1
                continue
            targets.append(m[0])
        if rc:
            return rc
        if not nodeps:
            names = set(p.nvra for p in targets)
            remaining = [q for q in installed if q.nvra not in names]
            problems = []
            for q in remaining:
                for req in q.requires:
                    if any(satisfies(t, req) for t in targets) and not any(satisfies(x, req) for x in remaining):
                        problems.append('\t%s is needed by (installed) %s' % (fmt_req_spaced(req), q.nvra))
            for t in targets:
                if t.essential and t.name != 'systemd':
                    problems.append('\t%s is needed by (installed) systemd-239-78.el8.x86_64' % t.name)
                elif t.essential:
                    problems.append('\tsystemd is needed by (installed) dracut-049-228.git20230802.el8.x86_64')
            if problems:
                sys.stderr.write('error: Failed dependencies:\n' + '\n'.join(problems) + '\n')
                return 1
        if test:
            return 0
        d = Dnf('rpm', [])
        d.env = env

        def warn(m):
            sys.stderr.write(m + '\n')
        for p in targets:
            env.scriptlet(p.name, 'preun', 0)
            d.do_remove(p, warn)
        d.unit_file_trigger(targets)
        return 0
    return 1


def main(prog, argv):
    return Dnf(prog, argv).run()
